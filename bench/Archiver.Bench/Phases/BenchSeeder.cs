using Archiver.MySql.Demo;
using Archiver.MySql.Schema;
using MySqlConnector;

namespace Archiver.Bench.Phases;

/// <summary>
/// The bench's MySQL data: database <see cref="Database"/> with one ended, unarchived contest of N
/// entries and one of the RSS comparison's size, and <see cref="CopyDatabase"/>, an identical copy
/// of the tables for the discard-sink run (which only reads it) and then pt-archiver (which purges
/// it), so that our purge and pt-archiver delete the same rows from the same table.
/// </summary>
internal sealed class BenchSeeder(string serverConnectionString)
{
    public const string Database = "archiver_bench";
    public const string CopyDatabase = "archiver_bench_copy";
    public const long MainCampaignId = 1;
    public const long RssCampaignId = 2;
    public const string ShardsDatabase = "archiver_bench_shards";
    public const long ShardsCampaignId = 3;
    public const string SinkDatabase = "archiver_bench_sink";
    public const long SinkCampaignId = 4;

    private const int RowsPerTransaction = 20_000;

    // Realistic replies: codes, plain words, and text in several scripts and emoji (which System.Text.Json
    // escapes as surrogate pairs, the expensive case for serialisation).
    private static readonly string?[] Messages =
    [
        "YES", "WIN", "ENTER", "Enter me please", "PIZZA", "Je participe ! 🍀", "¡Quiero ganar! 🎉", "Ich bin dabei 👍",
        "参加します", "응모합니다", "Привет! Участвую", "أنا مشارك", "Count me in 😀", "Café au lait ☕",
        "naïve façade – “quoted” text", "Line one\nLine two", "back\\slash and \"quotes\"", null,
    ];

    public string ConnectionString(string database) => new MySqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString;

    /// <summary>Drops and re-creates both databases (idempotent), seeds both campaigns, copies the tables.</summary>
    public async Task<IReadOnlyList<SeededCampaign>> SeedAsync(int entries, int rssEntries, CancellationToken cancellationToken = default)
    {
        await using (var server = new MySqlConnection(ConnectionString("")))
        {
            await server.OpenAsync(cancellationToken).ConfigureAwait(false);
            foreach (var database in new[] { Database, CopyDatabase })
            {
                await ExecuteAsync(server, $"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE `{database}` CHARACTER SET utf8mb4", cancellationToken).ConfigureAwait(false);
            }
        }

        await using var connection = new MySqlConnection(ConnectionString(Database));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SchemaInstaller.InstallAsync(connection, cancellationToken).ConfigureAwait(false);

        // Ended three days before the database's clock: eligible under the default Archive:CompletedAfter (2 days).
        await ExecuteAsync(connection,
            $"""
            INSERT INTO campaigns (id, name, kind, starts_at, ends_at) VALUES
              ({MainCampaignId}, 'Bench: {entries:D} entries', 'contest', UTC_TIMESTAMP(3) - INTERVAL 5 DAY, UTC_TIMESTAMP(3) - INTERVAL 3 DAY),
              ({RssCampaignId}, 'Bench: {rssEntries:D} entries (RSS comparison)', 'contest', UTC_TIMESTAMP(3) - INTERVAL 5 DAY, UTC_TIMESTAMP(3) - INTERVAL 3 DAY)
            """, cancellationToken).ConfigureAwait(false);
        var endsAt = await ScalarAsync<DateTime>(connection, $"SELECT ends_at FROM campaigns WHERE id = {MainCampaignId}", cancellationToken).ConfigureAwait(false);

        var random = new Random(20_260_101);
        var main = await SeedCampaignAsync(connection, MainCampaignId, entries, endsAt, random, cancellationToken).ConfigureAwait(false);
        var rss = await SeedCampaignAsync(connection, RssCampaignId, rssEntries, endsAt, random, cancellationToken).ConfigureAwait(false);

        BenchConsole.Line($"copying the tables to {CopyDatabase} (for the discard sink and pt-archiver)");
        await using var copy = new MySqlConnection(ConnectionString(CopyDatabase));
        await copy.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SchemaInstaller.InstallAsync(copy, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(copy,
            $"INSERT INTO campaigns SELECT * FROM `{Database}`.campaigns; INSERT INTO contest_campaign_entries SELECT * FROM `{Database}`.contest_campaign_entries",
            cancellationToken).ConfigureAwait(false);
        return [main with { Name = $"campaign {MainCampaignId}" }, rss with { Name = $"campaign {RssCampaignId}" }];
    }

    /// <summary>Drops and re-creates <see cref="ShardsDatabase"/> with one ended contest of <paramref name="entries"/> entries, for the shards scenario.</summary>
    public Task<SeededCampaign> SeedShardsAsync(int entries, CancellationToken cancellationToken = default) =>
        SeedSingleAsync(ShardsDatabase, ShardsCampaignId, entries, cancellationToken);

    /// <summary>Un-archives the shards scenario's campaign and forgets its shards, runs and flag records, for the next measurement.</summary>
    public Task ResetShardsAsync(CancellationToken cancellationToken = default) => ResetAsync(ShardsDatabase, ShardsCampaignId, cancellationToken);

    /// <summary>Drops and re-creates <paramref name="database"/> with one ended contest <paramref name="campaignId"/> of <paramref name="entries"/> entries.</summary>
    public async Task<SeededCampaign> SeedSingleAsync(string database, long campaignId, int entries, CancellationToken cancellationToken = default)
    {
        await using (var server = new MySqlConnection(ConnectionString("")))
        {
            await server.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE `{database}` CHARACTER SET utf8mb4", cancellationToken).ConfigureAwait(false);
        }

        await using var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SchemaInstaller.InstallAsync(connection, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection,
            $"INSERT INTO campaigns (id, name, kind, starts_at, ends_at) VALUES ({campaignId}, 'Bench: {entries:D} entries', 'contest', UTC_TIMESTAMP(3) - INTERVAL 5 DAY, UTC_TIMESTAMP(3) - INTERVAL 3 DAY)",
            cancellationToken).ConfigureAwait(false);
        var endsAt = await ScalarAsync<DateTime>(connection, $"SELECT ends_at FROM campaigns WHERE id = {campaignId}", cancellationToken).ConfigureAwait(false);
        var campaign = await SeedCampaignAsync(connection, campaignId, entries, endsAt, new Random(20_261_205), cancellationToken).ConfigureAwait(false);
        return campaign with { Name = $"campaign {campaignId}" };
    }

    /// <summary>Un-archives a campaign and forgets its shards, runs and flag records, for the next measurement.</summary>
    public async Task ResetAsync(string database, long campaignId, CancellationToken cancellationToken = default)
    {
        await using var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection,
            $"""
            UPDATE campaigns SET archived = 0, archived_at = NULL WHERE id = {campaignId};
            DELETE FROM archiver_campaign_shards WHERE campaign_id = {campaignId};
            DELETE FROM archiver_archived_sets WHERE campaign_id = {campaignId};
            DELETE FROM archiver_campaign_runs WHERE campaign_id = {campaignId}
            """, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rows of a campaign in a bench database now (for the purges' before and after).</summary>
    public async Task<long> CountAsync(string database, long campaignId, CancellationToken cancellationToken = default)
    {
        await using var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ScalarAsync<long>(connection, $"SELECT COUNT(*) FROM contest_campaign_entries WHERE campaign_id = {campaignId}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the campaign carries the archived flag.</summary>
    public async Task<bool> IsArchivedAsync(string database, long campaignId, CancellationToken cancellationToken = default)
    {
        await using var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ScalarAsync<bool>(connection, $"SELECT archived FROM campaigns WHERE id = {campaignId}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The server's version string, for the report.</summary>
    public async Task<string> ServerVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new MySqlConnection(ConnectionString(""));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ScalarAsync<string>(connection, "SELECT VERSION()", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SeededCampaign> SeedCampaignAsync(
        MySqlConnection connection, long campaignId, int entries, DateTime endsAt, Random random, CancellationToken cancellationToken)
    {
        // Two days of traffic in time order (ids ascend with time, as in production): about
        // N / 2,880 rows per minute, so a few thousand rollups whatever N is.
        var span = TimeSpan.FromDays(2).TotalMilliseconds;
        var startsAt = endsAt.AddDays(-2);
        var progress = BenchConsole.Progress($"seeding campaign {campaignId}", "rows");
        var minutes = 0L;
        var lastMinute = DateTime.MinValue;
        var rows = new List<EntryRow>(RowsPerTransaction);
        for (var i = 0; i < entries; i++)
        {
            var createdAt = startsAt.AddMilliseconds(Math.Floor(span * (i + random.NextDouble()) / entries));
            var minute = createdAt.AddTicks(-(createdAt.Ticks % TimeSpan.TicksPerMinute));
            if (minute != lastMinute)
            {
                minutes++;
                lastMinute = minute;
            }

            rows.Add(new EntryRow
            {
                CampaignId = campaignId,
                UserId = random.NextDouble() < 0.05 ? null : 1 + (long)(Math.Pow(random.NextDouble(), 2) * 500_000),
                EntryNumber = i + 1,
                Winner = random.NextDouble() < 0.003,
                Message = random.NextDouble() < 0.3 ? $"CODE {random.Next(1000, 999_999)}" : Messages[random.Next(Messages.Length)],
                CreatedAt = createdAt,
            });
            if (rows.Count == RowsPerTransaction || i == entries - 1)
            {
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
                {
                    await RowInserter.InsertEntriesAsync(connection, rows, transaction, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                rows.Clear();
                progress(i + 1, entries, i == entries - 1);
            }
        }

        return new SeededCampaign(campaignId, "", entries, minutes);
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ScalarAsync<T>(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}

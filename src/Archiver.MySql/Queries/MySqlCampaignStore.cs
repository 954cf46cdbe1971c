using System.Data;
using System.Globalization;
using System.Text;
using Archiver.Queries;
using Archiver.Retry;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.MySql.Queries;

/// <summary>
/// The live store: the read API's queries as SQL over the users' schema (<c>textme.sql</c>, whose
/// indexes are not ours to change). Each read of a campaign runs in one read-only REPEATABLE READ
/// transaction whose first read, which takes its snapshot, is the campaign's <c>archived</c> flag: a set flag is
/// refused with <see cref="CampaignArchivedException"/> before any row is read, and rows read beside
/// a clear flag are complete, because a purge deletes only rows of a campaign flagged before it.
/// Reads are retried on transient faults (they write nothing).
/// </summary>
public sealed class MySqlCampaignStore : ILiveCampaignStore
{
    private const int FlagChunk = 1000;

    // The order of a user's list (UserEntryKey): newest first, ties by campaign, then id, both descending.
    private const string UserOrder = "e.created_at DESC, e.campaign_id DESC, e.id DESC";

    private readonly MySqlCommands _commands;
    private readonly string _entries;
    private readonly string _votes;

    public MySqlCampaignStore(MySqlDataSource dataSource, IOptions<QueryOptions> options, RetryPolicy? retry = null, ILogger<MySqlCampaignStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        _commands = new MySqlCommands(dataSource, retry ?? RetryPolicy.None, (ILogger?)logger ?? NullLogger.Instance);
        _entries = Identifier(options.Value.EntriesTable, "Queries:EntriesTable");
        _votes = Identifier(options.Value.VotesTable, "Queries:VotesTable");
    }

    /// <summary>A test's seam: runs after a campaign's flag was read clear and before its rows are, to change the database in between.</summary>
    internal Func<long, CancellationToken, Task>? AfterFlagRead { get; set; }

    public Task<EntrySlice> ReadEntriesAsync(long campaignId, EntryFilter filter, EntrySeek seek, int? limit, bool withTotal, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seek.Offset);
        return InSnapshotAsync(campaignId, $"reading the entries of campaign {campaignId} from {_entries}", async (connection, transaction, ct) =>
        {
            var where = "campaign_id = @campaign" + filter switch
            {
                EntryFilter.All => "",
                EntryFilter.Winners => " AND winner = 1",
                EntryFilter.NonWinners => " AND winner = 0",
                _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown filter"),
            };
            var total = withTotal
                ? await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM `{_entries}` WHERE {where}", new { campaign = campaignId }, transaction, cancellationToken: ct)).ConfigureAwait(false)
                : -1;
            if (limit == 0 || (withTotal && seek.AfterId is null && seek.Offset >= total))
            {
                return new EntrySlice(total, []);
            }

            // The offset walks only the secondary index, (campaign_id, id) or (campaign_id, winner),
            // whose entries carry the primary key, in the derived table; only the page's rows are
            // then read by primary key. 18446744073709551615 is MySQL's "no limit".
            using var command = new MySqlCommand(
                $"""
                SELECT e.id, e.campaign_id, e.user_id, e.entry_number, e.winner, e.message, e.created_at
                FROM (SELECT id FROM `{_entries}` WHERE {where}{(seek.AfterId is null ? "" : " AND id > @after")} ORDER BY id LIMIT @offset, @limit) AS page
                JOIN `{_entries}` AS e ON e.id = page.id
                ORDER BY e.id
                """, connection, transaction);
            command.Parameters.AddWithValue("@campaign", campaignId);
            command.Parameters.AddWithValue("@after", seek.AfterId ?? 0);
            command.Parameters.AddWithValue("@offset", seek.AfterId is null ? seek.Offset : 0);
            command.Parameters.AddWithValue("@limit", limit is { } n ? (ulong)n : ulong.MaxValue);
            return new EntrySlice(total, await ReadEntriesAsync(command, ct).ConfigureAwait(false));
        }, cancellationToken);
    }

    public Task<IReadOnlyList<StatisticsPoint>> StatisticsAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken) =>
        InSnapshotAsync<IReadOnlyList<StatisticsPoint>>(campaignId, $"reading the statistics of campaign {campaignId} from {_entries}", async (connection, transaction, ct) =>
        {
            var rows = await connection.QueryAsync<(string Bucket, long Count, decimal Winners)>(new CommandDefinition(
                $"""
                SELECT {Bucket(granularity)} AS bucket, COUNT(*), COALESCE(SUM(winner), 0)
                FROM `{_entries}` WHERE campaign_id = @campaign AND created_at >= @since AND created_at < @until
                GROUP BY bucket ORDER BY bucket
                """,
                new { campaign = campaignId, since = Plain(since), until = Plain(until) }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => new StatisticsPoint(ParseBucket(r.Bucket), r.Count, (long)r.Winners)).ToList();
        }, cancellationToken);

    public Task<IReadOnlyList<ChoiceVotes>> VoteTotalsAsync(long campaignId, CancellationToken cancellationToken) =>
        InSnapshotAsync<IReadOnlyList<ChoiceVotes>>(campaignId, $"reading the vote totals of campaign {campaignId} from {_votes}", async (connection, transaction, ct) =>
        {
            // Grouped on the bytes: the column's collation is case-insensitive and pads spaces, but
            // the rollups count 'Yes', 'yes' and 'Yes ' as three choices.
            var rows = await connection.QueryAsync<(byte[] Choice, long Votes)>(new CommandDefinition(
                $"SELECT CAST(choice AS BINARY) AS choice_bytes, COUNT(*) FROM `{_votes}` WHERE campaign_id = @campaign GROUP BY choice_bytes",
                new { campaign = campaignId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => new ChoiceVotes(Encoding.UTF8.GetString(r.Choice), r.Votes)).OrderBy(c => c.Choice, StringComparer.Ordinal).ToList();
        }, cancellationToken);

    public Task<IReadOnlyList<VoteBucket>> VoteSeriesAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken) =>
        InSnapshotAsync<IReadOnlyList<VoteBucket>>(campaignId, $"reading the vote series of campaign {campaignId} from {_votes}", async (connection, transaction, ct) =>
        {
            var rows = await connection.QueryAsync<(string Bucket, byte[] Choice, long Votes)>(new CommandDefinition(
                $"""
                SELECT {Bucket(granularity)} AS bucket, CAST(choice AS BINARY) AS choice_bytes, COUNT(*)
                FROM `{_votes}` WHERE campaign_id = @campaign AND created_at >= @since AND created_at < @until
                GROUP BY bucket, choice_bytes
                """,
                new { campaign = campaignId, since = Plain(since), until = Plain(until) }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return rows
                .GroupBy(r => r.Bucket, StringComparer.Ordinal)
                .Select(g => new VoteBucket(
                    ParseBucket(g.Key),
                    g.Sum(r => r.Votes),
                    g.Select(r => new ChoiceVotes(Encoding.UTF8.GetString(r.Choice), r.Votes)).OrderBy(c => c.Choice, StringComparer.Ordinal).ToList()))
                .OrderBy(b => b.BucketStart)
                .ToList();
        }, cancellationToken);

    public Task<IReadOnlyDictionary<long, bool>> ArchivedFlagsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaignIds);
        if (campaignIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<long, bool>>(new Dictionary<long, bool>());
        }

        return _commands.RunAsync<IReadOnlyDictionary<long, bool>>($"reading the archived flags of {campaignIds.Count} campaigns", async (connection, ct) =>
        {
            var flags = new Dictionary<long, bool>(campaignIds.Count);
            foreach (var chunk in campaignIds.Distinct().Chunk(FlagChunk))
            {
                var rows = await connection.QueryAsync<(long Id, bool Archived)>(new CommandDefinition(
                    "SELECT id, archived FROM campaigns WHERE id IN @ids", new { ids = chunk }, cancellationToken: ct)).ConfigureAwait(false);
                foreach (var (id, archived) in rows)
                {
                    flags[id] = archived;
                }
            }

            return flags;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ContestEntry>> LiveUserEntriesAsync(long userId, CancellationToken cancellationToken) =>
        _commands.RunAsync<IReadOnlyList<ContestEntry>>($"reading the entries of user {userId} in live campaigns from {_entries}", async (connection, ct) =>
        {
            await using var transaction = await BeginSnapshotAsync(connection, ct).ConfigureAwait(false);

            // The users' schema has no index on user_id: this reads the live campaigns' rows
            // through (campaign_id, id). See docs/queries.md for the index we recommend.
            using var command = new MySqlCommand(
                $"""
                SELECT e.id, e.campaign_id, e.user_id, e.entry_number, e.winner, e.message, e.created_at
                FROM `{_entries}` AS e JOIN campaigns AS c ON c.id = e.campaign_id
                WHERE e.user_id = @user AND c.archived = 0
                ORDER BY {UserOrder}
                """, connection, transaction);
            command.Parameters.AddWithValue("@user", userId);
            var entries = await ReadEntriesAsync(command, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return entries;
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="read"/> in a consistent snapshot after checking the campaign's flag in
    /// it; the check and the rows come from the same instant, which is what makes routing by the
    /// flag lose nothing.
    /// </summary>
    private Task<T> InSnapshotAsync<T>(long campaignId, string what, Func<MySqlConnection, MySqlTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        _commands.RunAsync(what, async (connection, ct) =>
        {
            await using var transaction = await BeginSnapshotAsync(connection, ct).ConfigureAwait(false);
            var archived = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
                "SELECT archived FROM campaigns WHERE id = @campaign", new { campaign = campaignId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (archived is null)
            {
                throw new CampaignNotFoundException(campaignId);
            }

            if (archived.Value)
            {
                throw new CampaignArchivedException(campaignId);
            }

            if (AfterFlagRead is { } hook)
            {
                await hook(campaignId, ct).ConfigureAwait(false);
            }

            var result = await read(connection, transaction, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    /// <summary>
    /// A read-only REPEATABLE READ transaction (<c>SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
    /// START TRANSACTION READ ONLY</c>, the same on MariaDB and MySQL 8; the level applies to this
    /// transaction only, so the pooled session keeps its own). InnoDB takes the snapshot at the
    /// first consistent read, which is the flag's <c>SELECT</c>: every later read sees the database
    /// as it was then.
    /// </summary>
    private static Task<MySqlTransaction> BeginSnapshotAsync(MySqlConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, true, cancellationToken).AsTask();

    private static async Task<IReadOnlyList<ContestEntry>> ReadEntriesAsync(MySqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<ContestEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new ContestEntry(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.GetInt32(3),
                reader.GetBoolean(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc)));
        }

        return entries;
    }

    /// <summary>The bucket's start as text, grouped on by the server.</summary>
    private static string Bucket(Granularity granularity) => granularity switch
    {
        Granularity.Minute => "DATE_FORMAT(created_at, '%Y-%m-%d %H:%i')",
        Granularity.Hour => "DATE_FORMAT(created_at, '%Y-%m-%d %H:00')",
        Granularity.Day => "DATE_FORMAT(created_at, '%Y-%m-%d 00:00')",
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
    };

    private static DateTime ParseBucket(string bucket) =>
        DateTime.SpecifyKind(DateTime.ParseExact(bucket, "yyyy'-'MM'-'dd' 'HH':'mm", CultureInfo.InvariantCulture), DateTimeKind.Utc);

    /// <summary>DATETIME columns hold UTC without a kind; the parameter is sent as the same wall-clock value.</summary>
    private static DateTime Plain(DateTime time) => DateTime.SpecifyKind(TimeBuckets.AsUtc(time), DateTimeKind.Unspecified);

    private static string Identifier(string name, string key) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$')
            ? name
            : throw new ArchiverConfigurationException($"{key} must be a table name (letters, digits, _ and $, at most 64), not '{name}'");
}

using System.Data;
using Archiver.Source;
using Dapper;
using MySqlConnector;
using Polly.Registry;

namespace Archiver.MySql;

/// <summary>The shards of big campaigns in MySQL's <c>archiver_campaign_shards</c> (migration 2).</summary>
public sealed class MySqlShardJournal(MySqlDataSource dataSource, ResiliencePipelineProvider<string> pipelines) : IShardJournal
{
    private const string Columns = "campaign_id AS CampaignId, set_table AS SetTable, shard AS Shard, key_from AS KeyFrom, key_to AS KeyTo, digest AS Digest, row_count AS RowCount";

    private readonly MySqlCommands _mysql = new(dataSource, pipelines);

    public async Task<IReadOnlyList<ShardRecord>> ReadAsync(long campaignId, CancellationToken cancellationToken = default) =>
        (await _mysql.RunAsync($"reading the shards of campaign {campaignId}", (connection, ct) =>
            connection.QueryAsync<ShardRow>(new CommandDefinition(
                $"SELECT {Columns} FROM archiver_campaign_shards WHERE campaign_id = @campaignId ORDER BY set_table, shard", new { campaignId }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false)).Select(r => r.ToRecord()).ToList();

    public async Task<IReadOnlyList<ShardRecord>> PlanAsync(long campaignId, string table, IReadOnlyList<long> starts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(starts);
        return await _mysql.RunAsync($"planning the shards of {table} of campaign {campaignId}", async (connection, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);

            // Locking read: two processes planning the same set at once serialise here, and the second keeps the first's plan.
            var existing = (await connection.QueryAsync<ShardRow>(new CommandDefinition(
                $"SELECT {Columns} FROM archiver_campaign_shards WHERE campaign_id = @campaignId AND set_table = @table ORDER BY shard FOR UPDATE",
                new { campaignId, table }, transaction, cancellationToken: ct)).ConfigureAwait(false)).AsList();
            if (existing.Count == 0)
            {
                // At least one shard, open at both ends, even for a set without rows: the plan covers every key.
                var count = Math.Max(1, starts.Count);
                for (var shard = 0; shard < count; shard++)
                {
                    var row = new ShardRow
                    {
                        CampaignId = campaignId,
                        SetTable = table,
                        Shard = shard,
                        KeyFrom = shard == 0 ? null : starts[shard],
                        KeyTo = shard + 1 < count ? starts[shard + 1] : null,
                    };
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO archiver_campaign_shards (campaign_id, set_table, shard, key_from, key_to) VALUES (@CampaignId, @SetTable, @Shard, @KeyFrom, @KeyTo)",
                        row, transaction, cancellationToken: ct)).ConfigureAwait(false);
                    existing.Add(row);
                }
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return (IReadOnlyList<ShardRecord>)existing.Select(r => r.ToRecord()).ToList();
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task RecordVerifiedAsync(ShardRecord shard, long rows, string digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shard);
        return _mysql.RunAsync($"recording shard {shard.Name} of campaign {shard.CampaignId} verified", (connection, ct) => connection.ExecuteAsync(new CommandDefinition("""
            UPDATE archiver_campaign_shards SET digest = @digest, row_count = @rows, verified_at = UTC_TIMESTAMP(3), host = @host
            WHERE campaign_id = @campaignId AND set_table = @table AND shard = @number
            """, new { digest, rows, host = Environment.MachineName, campaignId = shard.CampaignId, table = shard.Table, number = shard.Number }, cancellationToken: ct)), cancellationToken);
    }

    public Task ResetAsync(ShardRecord shard, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shard);
        return _mysql.RunAsync($"resetting shard {shard.Name} of campaign {shard.CampaignId}", (connection, ct) => connection.ExecuteAsync(new CommandDefinition("""
            UPDATE archiver_campaign_shards SET digest = NULL, row_count = 0, verified_at = NULL
            WHERE campaign_id = @campaignId AND set_table = @table AND shard = @number
            """, new { campaignId = shard.CampaignId, table = shard.Table, number = shard.Number }, cancellationToken: ct)), cancellationToken);
    }

    private sealed class ShardRow
    {
        public long CampaignId { get; init; }

        public string SetTable { get; init; } = "";

        public int Shard { get; init; }

        public long? KeyFrom { get; init; }

        public long? KeyTo { get; init; }

        public string? Digest { get; init; }

        public long RowCount { get; init; }

        public ShardRecord ToRecord() => new(CampaignId, SetTable, Shard, new KeyRange(KeyFrom, KeyTo), Digest, RowCount);
    }
}

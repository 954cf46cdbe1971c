using Archiver.MySql.Schema;
using Archiver.Replication;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Polly.Registry;

namespace Archiver.MySql;

/// <summary>
/// <see cref="IReplicaJournal"/> in <c>archiver_replica_campaigns</c> (see <c>Schema/Migrations</c>),
/// measured against what each flag recorded in <c>archiver_archived_sets</c>.
/// </summary>
public sealed class MySqlReplicaJournal : IReplicaJournal
{
    private readonly MySqlCommands _mysql;
    private readonly SchemaGuard _schema;

    public MySqlReplicaJournal(MySqlDataSource dataSource, ResiliencePipelineProvider<string> pipelines, ILogger<MySqlReplicaJournal>? logger = null, IOptions<MySqlSourceOptions>? options = null)
    {
        _mysql = new(dataSource, pipelines);
        _schema = new(_mysql, options?.Value.AutoMigrate ?? true, logger ?? (ILogger)NullLogger<MySqlReplicaJournal>.Instance);
    }

    public async Task<bool> IsCompleteAsync(string replica, long campaignId, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _mysql.RunAsync($"reading whether replica {replica} holds campaign {campaignId}", async (connection, ct) =>
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM archiver_replica_campaigns WHERE replica = @replica AND campaign_id = @campaignId",
                new { replica, campaignId }, cancellationToken: ct)).ConfigureAwait(false) > 0,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsCaughtUpAsync(string replica, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _mysql.RunAsync($"reading whether replica {replica} is caught up", async (connection, ct) =>
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                SELECT COUNT(*) FROM archiver_archived_sets a
                WHERE NOT EXISTS (SELECT 1 FROM archiver_replica_campaigns r WHERE r.replica = @replica AND r.campaign_id = a.campaign_id)
                """,
                new { replica }, cancellationToken: ct)).ConfigureAwait(false) == 0,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ArchivedSetCount>> PendingAsync(string replica, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _mysql.RunAsync($"reading the campaigns replica {replica} lacks", async (connection, ct) =>
            (await connection.QueryAsync<ArchivedSetCount>(new CommandDefinition(
                """
                SELECT a.campaign_id AS CampaignId, a.set_table AS `Table`, a.row_count AS `Rows` FROM archiver_archived_sets a
                WHERE NOT EXISTS (SELECT 1 FROM archiver_replica_campaigns r WHERE r.replica = @replica AND r.campaign_id = a.campaign_id)
                ORDER BY a.campaign_id, a.set_table
                """,
                new { replica }, cancellationToken: ct)).ConfigureAwait(false)).AsList(),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkCompleteAsync(string replica, long campaignId, long documents, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await _mysql.RunAsync($"recording campaign {campaignId} complete at replica {replica}", async (connection, ct) =>
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT IGNORE INTO archiver_replica_campaigns (replica, campaign_id, documents, complete_at)
                VALUES (@replica, @campaignId, @documents, UTC_TIMESTAMP(3))
                """,
                new { replica, campaignId, documents }, cancellationToken: ct)).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }
}

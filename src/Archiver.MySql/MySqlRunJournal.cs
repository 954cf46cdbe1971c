using Archiver.MySql.Schema;
using Archiver.Retry;
using Archiver.Source;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.MySql;

/// <summary>The run journal in MySQL's <c>archiver_campaign_runs</c> (see <c>Schema/Migrations</c>).</summary>
public sealed class MySqlRunJournal : IRunJournal
{
    private readonly MySqlCommands _mysql;
    private readonly SchemaGuard _schema;

    public MySqlRunJournal(MySqlDataSource dataSource, RetryPolicy retry, ILogger<MySqlRunJournal>? logger = null, IOptions<MySqlSourceOptions>? options = null)
    {
        var log = logger ?? (ILogger)NullLogger<MySqlRunJournal>.Instance;
        _mysql = new(dataSource, retry, log);
        _schema = new(_mysql, options?.Value.AutoMigrate ?? true, log);
    }

    /// <summary>Migrates Archiver's schema, or requires it current when <see cref="MySqlSourceOptions.AutoMigrate"/> is off (<see cref="ArchiverSchema"/>).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    public Task RecordStartAsync(long campaignId, CancellationToken cancellationToken = default) =>
        _mysql.RunAsync($"recording the start of campaign {campaignId}", (connection, ct) => connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO archiver_campaign_runs (campaign_id, state, attempts, started_at, finished_at, host)
            VALUES (@campaignId, 'running', 1, UTC_TIMESTAMP(3), NULL, @host)
            ON DUPLICATE KEY UPDATE state = 'running', attempts = attempts + 1, started_at = UTC_TIMESTAMP(3), finished_at = NULL, host = @host
            """, new { campaignId, host = Environment.MachineName }, cancellationToken: ct)), cancellationToken);

    public Task RecordOutcomeAsync(long campaignId, bool archived, string? lastError, long rowsRead, CancellationToken cancellationToken = default) =>
        _mysql.RunAsync($"recording the outcome of campaign {campaignId}", (connection, ct) => connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO archiver_campaign_runs (campaign_id, state, attempts, finished_at, host, rows_read, last_error, last_error_at)
            VALUES (@campaignId, @state, 1, UTC_TIMESTAMP(3), @host, @rowsRead, @lastError, IF(@lastError IS NULL, NULL, UTC_TIMESTAMP(3)))
            ON DUPLICATE KEY UPDATE state = @state, finished_at = UTC_TIMESTAMP(3), host = @host, rows_read = @rowsRead,
              last_error = COALESCE(@lastError, last_error), last_error_at = IF(@lastError IS NULL, last_error_at, UTC_TIMESTAMP(3))
            """, new { campaignId, state = archived ? "archived" : "failed", host = Environment.MachineName, rowsRead, lastError }, cancellationToken: ct)), cancellationToken);

    public async Task<IReadOnlyList<CampaignStatus>> GetStatusAsync(TimeSpan completedAfter, CancellationToken cancellationToken = default)
    {
        // Read-only: a missing or older schema is reported in one line, never created here.
        await _schema.RequireAsync(cancellationToken).ConfigureAwait(false);
        var sql = $"""
            SELECT c.id AS CampaignId, c.name AS Name, c.kind AS Kind, c.ends_at AS EndsAt, c.archived AS Archived, c.archived_at AS ArchivedAt,
                   c.ends_at <= UTC_TIMESTAMP(3) - INTERVAL @micros MICROSECOND AS Eligible,
                   r.state AS RunState, COALESCE(r.attempts, 0) AS Attempts, r.started_at AS LastAttemptAt, r.last_error AS LastError,
                   IS_USED_LOCK(CONCAT({MySqlCampaignLock.SqlPrefix}, c.id)) IS NOT NULL AS Locked
            FROM campaigns c LEFT JOIN archiver_campaign_runs r ON r.campaign_id = c.id
            ORDER BY c.id
            """;
        var micros = completedAfter.Ticks / TimeSpan.TicksPerMicrosecond;
        var rows = await _mysql.RunAsync("reading the archive status", (connection, ct) =>
            connection.QueryAsync<StatusRow>(new CommandDefinition(sql, new { micros }, cancellationToken: ct)), cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new CampaignStatus(r.CampaignId, r.Name, r.Kind, r.EndsAt, r.State, r.ArchivedAt, r.Attempts, r.LastAttemptAt,
            r.State is CampaignState.Failed or CampaignState.Archived or CampaignState.Interrupted ? r.LastError : null)).ToList();
    }

    private sealed class StatusRow
    {
        public long CampaignId { get; init; }

        public string Name { get; init; } = "";

        public string Kind { get; init; } = "";

        public DateTime EndsAt { get; init; }

        public bool Archived { get; init; }

        public DateTime? ArchivedAt { get; init; }

        public bool Eligible { get; init; }

        public string? RunState { get; init; }

        public int Attempts { get; init; }

        public DateTime? LastAttemptAt { get; init; }

        public string? LastError { get; init; }

        public bool Locked { get; init; }

        public CampaignState State => Archived ? CampaignState.Archived
            : Locked ? CampaignState.Running
            : RunState == "running" ? CampaignState.Interrupted
            : RunState == "failed" ? CampaignState.Failed
            : Eligible ? CampaignState.Eligible
            : CampaignState.Live;
    }
}

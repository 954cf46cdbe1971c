using System.Data;
using System.Globalization;
using Archiver.MySql.Schema;
using Archiver.Purge;
using Archiver.Sets;
using Archiver.Source;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Polly.Registry;

namespace Archiver.MySql;

/// <summary>
/// The purge's MySQL side: eligible campaigns, chunk fingerprints, the journal in
/// <c>archiver_purge_sets</c> (see <c>Schema/Migrations</c>) and the delete transactions. Everything
/// the delete phase does is MySQL-only, one transaction per chunk.
/// </summary>
public sealed class MySqlPurgeTarget : IPurgeTarget
{
    private const string JournalTable = "archiver_purge_sets";
    private const string ArchivedSetsTable = "archiver_archived_sets";
    private const string ArchivedChunksTable = "archiver_archived_chunks";

    /// <summary>Keys and CRCs read per query while cutting chunks: small rows, so larger pages than the archive's.</summary>
    private const int ChunkPage = 20_000;

    private readonly MySqlCommands _mysql;
    private readonly SchemaGuard _schema;
    private readonly SetSchemaCache _schemas = new();

    public MySqlPurgeTarget(MySqlDataSource dataSource, ResiliencePipelineProvider<string> pipelines, ILogger<MySqlPurgeTarget>? logger = null, IOptions<MySqlSourceOptions>? options = null)
    {
        var log = logger ?? (ILogger)NullLogger<MySqlPurgeTarget>.Instance;
        _mysql = new(dataSource, pipelines);
        _schema = new(_mysql, options?.Value.AutoMigrate ?? true, log);
    }

    /// <summary>How many sets' SQL is cached: one per table, however many runs this instance served.</summary>
    internal int CachedSetSchemas => _schemas.Count;

    /// <summary>As <see cref="MySqlRunJournal.EnsureCreatedAsync"/>: Archiver's schema migrated, or required current.</summary>
    public Task EnsureJournalAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<string, ArchivedSetRecord>> ReadArchivedSetsAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        var records = await _mysql.RunAsync($"reading what the archive of campaign {campaignId} proved", async (connection, ct) =>
        {
            if (!await TableExistsAsync(connection, ArchivedSetsTable, ct).ConfigureAwait(false))
            {
                return [];
            }

            return (await connection.QueryAsync<ArchivedSetRecord>(new CommandDefinition(
                $"SELECT set_table AS `Table`, row_count AS `Rows`, checksum AS Checksum, revision_digest AS RevisionDigest FROM {ArchivedSetsTable} WHERE campaign_id = @campaignId",
                new { campaignId }, cancellationToken: ct)).ConfigureAwait(false)).AsList();
        }, cancellationToken).ConfigureAwait(false);
        return records.ToDictionary(r => r.Table, StringComparer.OrdinalIgnoreCase);
    }

    public Task<IReadOnlyList<ArchivedChunk>> ReadArchivedChunksAsync(long campaignId, string table, CancellationToken cancellationToken = default) =>
        _mysql.RunAsync<IReadOnlyList<ArchivedChunk>>($"reading the chunks the flag of campaign {campaignId} recorded of {table}", async (connection, ct) =>
        {
            if (!await TableExistsAsync(connection, ArchivedChunksTable, ct).ConfigureAwait(false))
            {
                return [];
            }

            var rows = await connection.QueryAsync<ChunkRow>(new CommandDefinition(
                $"""
                SELECT chunk_no AS Number, first_key AS FirstKey, last_key AS LastKey, row_count AS RowCount, key_sum AS KeySum, content_sum AS ContentSum, revision_digest AS RevisionDigest
                FROM {ArchivedChunksTable} WHERE campaign_id = @campaignId AND set_table = @table ORDER BY chunk_no
                """,
                new { campaignId, table }, cancellationToken: ct)).ConfigureAwait(false);
            return rows.Select(r => new ArchivedChunk(r.Number, r.FirstKey, r.LastKey, new SetFingerprint(r.RowCount, r.KeySum, r.ContentSum), r.RevisionDigest)).ToList();
        }, cancellationToken);

    public async Task<IReadOnlyList<CampaignInfo>> FindArchivedCampaignsAsync(IReadOnlyList<ArchiveSet> sets, TimeSpan? olderThan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        if (sets.Count == 0)
        {
            return [];
        }

        var hasRows = string.Join(" OR ", sets.Select(s =>
            $"EXISTS (SELECT 1 FROM {SetSchema.Quote(s.Table)} r WHERE r.{SetSchema.Quote(s.Options.CampaignColumn)} = c.id)"));
        var sql = $"""
            SELECT {CampaignSql.Columns("c")}
            FROM campaigns c
            WHERE c.archived = 1
              AND (@micros IS NULL OR c.archived_at <= UTC_TIMESTAMP(3) - INTERVAL @micros MICROSECOND)
              AND ({hasRows})
            ORDER BY c.archived_at, c.id
            """;
        long? micros = olderThan is { } age ? age.Ticks / TimeSpan.TicksPerMicrosecond : null;
        return await _mysql.RunAsync("finding archived campaigns to purge", async (connection, ct) =>
            (await connection.QueryAsync<CampaignInfo>(new CommandDefinition(sql, new { micros }, cancellationToken: ct)).ConfigureAwait(false)).AsList(),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PurgeChunk>> ReadChunksAsync(ArchiveSet archiveSet, long campaignId, int batchSize, KeyRange range, CancellationToken cancellationToken = default)
    {
        var schema = _schemas.For(archiveSet);
        var builder = new PurgeChunkBuilder(batchSize);
        var after = range.From is { } from ? from - 1 : long.MinValue;
        var before = range.To;
        while (true)
        {
            // Keyset pages, each retried on its own: a lost connection resumes after the last key.
            var page = await _mysql.RunAsync($"fingerprinting {archiveSet.Table} of campaign {campaignId} after id {after}", async (connection, ct) =>
            {
                // Read by hand: CRC32 is INT UNSIGNED and the key any integer type, and Dapper's
                // conversion of them into long properties does not give the values back.
                var rows = new List<(long Key, long Crc)>(ChunkPage);
                await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
                    schema.RowCrcSql, new { campaignId, after, before, limit = ChunkPage }, cancellationToken: ct)).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    rows.Add((Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
                }

                return rows;
            }, cancellationToken).ConfigureAwait(false);
            foreach (var (key, crc) in page)
            {
                builder.Add(key, crc);
            }

            if (page.Count < ChunkPage)
            {
                return builder.Build();
            }

            after = page[^1].Key;
        }
    }

    public async Task<IReadOnlyDictionary<string, PurgeJournalEntry>> ReadJournalAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        var entries = await _mysql.RunAsync($"reading the purge journal of campaign {campaignId}", async (connection, ct) =>
        {
            if (!await TableExistsAsync(connection, ct).ConfigureAwait(false))
            {
                return [];
            }

            return (await connection.QueryAsync<JournalRow>(new CommandDefinition(
                $"SELECT set_table AS SetTable, documents AS Documents, checksum AS Checksum, rows_deleted AS RowsDeleted, started_at AS StartedAt, finished_at AS FinishedAt FROM {JournalTable} WHERE campaign_id = @campaignId",
                new { campaignId }, cancellationToken: ct)).ConfigureAwait(false)).AsList();
        }, cancellationToken).ConfigureAwait(false);
        return entries.ToDictionary(e => e.SetTable, e => new PurgeJournalEntry(e.SetTable, e.Documents, e.Checksum, e.RowsDeleted, e.StartedAt, e.FinishedAt), StringComparer.OrdinalIgnoreCase);
    }

    public Task RecordStartAsync(long campaignId, string table, long documents, string checksum, CancellationToken cancellationToken = default) =>
        _mysql.RunAsync($"recording the start of the purge of {table} of campaign {campaignId}", (connection, ct) => connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO {JournalTable} (campaign_id, set_table, documents, checksum, rows_deleted, batches, started_at, updated_at, finished_at, host)
            VALUES (@campaignId, @table, @documents, @checksum, 0, 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), NULL, @host)
            ON DUPLICATE KEY UPDATE campaign_id = campaign_id
            """, new { campaignId, table, documents, checksum, host = Environment.MachineName }, cancellationToken: ct)), cancellationToken);

    public Task RecordFinishedAsync(long campaignId, string table, CancellationToken cancellationToken = default) =>
        _mysql.RunAsync($"recording the end of the purge of {table} of campaign {campaignId}", (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {JournalTable} SET finished_at = UTC_TIMESTAMP(3), updated_at = UTC_TIMESTAMP(3) WHERE campaign_id = @campaignId AND set_table = @table",
            new { campaignId, table }, cancellationToken: ct)), cancellationToken);

    public async Task<long> DeleteChunkAsync(ArchiveSet archiveSet, long campaignId, PurgeChunk chunk, long deletedBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archiveSet);
        var schema = _schemas.For(archiveSet);
        var table = archiveSet.Table;
        var expected = chunk.Fingerprint.Count;
        var parameters = new { campaignId, first = chunk.FirstKey, last = chunk.LastKey, table, expected };
        var attempts = 0;
        return await _mysql.RunAsync($"deleting {table} of campaign {campaignId}, ids {chunk.FirstKey}..{chunk.LastKey}", async (connection, ct) =>
        {
            attempts++;
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);

            // The journal row first: it is locked for the transaction, and says whether a previous
            // attempt of this same batch committed and only its answer was lost.
            var journaled = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                $"SELECT rows_deleted FROM {JournalTable} WHERE campaign_id = @campaignId AND set_table = @table FOR UPDATE", parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (journaled is null)
            {
                throw new ArchiverException($"campaign {campaignId}, set {table}: the purge journal ({JournalTable}) has no entry; nothing deleted");
            }

            if (journaled != deletedBefore)
            {
                if (attempts > 1 && journaled == deletedBefore + expected)
                {
                    return expected;
                }

                throw new ArchiverException(string.Create(CultureInfo.InvariantCulture,
                    $"campaign {campaignId}, set {table}: the purge journal says {journaled:N0} rows deleted, this purge counted {deletedBefore:N0}; is another purge running without the campaign's lock? Nothing deleted"));
            }

            // Locking read: the latest committed rows of the range, held until the commit, so the
            // rows the DELETE removes are the ones just proven to be the verified ones.
            var current = await connection.QueryFingerprintAsync(schema.LockChunkSql, parameters, transaction, ct).ConfigureAwait(false);
            if (current != chunk.Fingerprint)
            {
                throw new ArchiveVerificationException(campaignId, table, string.Create(CultureInfo.InvariantCulture,
                    $"campaign {campaignId}, set {table}, database {archiveSet.Database}: rows with ids {chunk.FirstKey}..{chunk.LastKey} changed after they were verified (verified {chunk.Fingerprint}; now {current}); nothing of them deleted, run again to re-verify"));
            }

            var deleted = await connection.ExecuteAsync(new CommandDefinition(schema.DeleteChunkSql, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (deleted != expected)
            {
                throw new ArchiverException(string.Create(CultureInfo.InvariantCulture,
                    $"campaign {campaignId}, set {table}: deleting ids {chunk.FirstKey}..{chunk.LastKey} affected {deleted:N0} rows, {expected:N0} were locked; rolled back"));
            }

            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE {JournalTable} SET rows_deleted = rows_deleted + @expected, batches = batches + 1, updated_at = UTC_TIMESTAMP(3) WHERE campaign_id = @campaignId AND set_table = @table",
                parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);

            // Not cancellable: once the commit is sent, reporting "not deleted" could be false.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return expected;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Task<bool> TableExistsAsync(MySqlConnection connection, CancellationToken cancellationToken) => TableExistsAsync(connection, JournalTable, cancellationToken);

    private static async Task<bool> TableExistsAsync(MySqlConnection connection, string table, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table", new { table }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;

    private sealed class ChunkRow
    {
        public int Number { get; init; }

        public long FirstKey { get; init; }

        public long LastKey { get; init; }

        public long RowCount { get; init; }

        public decimal KeySum { get; init; }

        public decimal ContentSum { get; init; }

        public string RevisionDigest { get; init; } = "";
    }

    private sealed class JournalRow
    {
        public string SetTable { get; init; } = "";

        public long Documents { get; init; }

        public string Checksum { get; init; } = "";

        public long RowsDeleted { get; init; }

        public DateTime StartedAt { get; init; }

        public DateTime? FinishedAt { get; init; }
    }
}

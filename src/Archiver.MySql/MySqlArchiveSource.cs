using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using Archiver.Documents;
using Archiver.Options;
using Archiver.Purge;
using Archiver.Resilience;
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
/// Reads campaigns and the rows of every archive set with Dapper over MySqlConnector, claims
/// campaigns with <c>GET_LOCK</c>, and sets the archived flag. Transient faults (deadlocks, lock
/// waits, lost or refused connections) are retried by the <see cref="PipelineNames.MySql"/> pipeline; row streams resume
/// after the last key they returned. SQL here runs on MariaDB 10.11 and MySQL 8.
/// </summary>
public sealed class MySqlArchiveSource(
    MySqlDataSource dataSource, IOptions<ArchiveOptions> options, ResiliencePipelineProvider<string> pipelines, ILogger<MySqlArchiveSource>? logger = null) : IArchiveSource
{
    private readonly ILogger _logger = logger ?? NullLogger<MySqlArchiveSource>.Instance;
    private readonly MySqlCommands _mysql = new(dataSource, pipelines);
    private readonly SetSchemaCache _schemas = new();

    // Rows are read in keyset chunks (key > last key, LIMIT n) over the (campaign, key) index rather
    // than in one long unbuffered query: a single reader would hold a connection and a read view for
    // the whole campaign, MySQL aborts a send that waits longer than net_write_timeout while we are
    // busy with CouchDB, and a chunk is the unit a lost connection is resumed from.
    private readonly int _chunkSize = options.Value.BatchSize;

    /// <summary>How many sets' SQL is cached: one per table, however many runs this instance served.</summary>
    internal int CachedSetSchemas => _schemas.Count;

    public async Task<IReadOnlyList<CampaignInfo>> FindCompletedCampaignsAsync(TimeSpan completedAfter, CancellationToken cancellationToken = default)
    {
        var sql = $"""
            SELECT {CampaignSql.Columns()}
            FROM campaigns
            WHERE archived = 0 AND ends_at <= UTC_TIMESTAMP(3) - INTERVAL @micros MICROSECOND
            ORDER BY ends_at, id
            """;
        var micros = completedAfter.Ticks / TimeSpan.TicksPerMicrosecond;
        return await _mysql.RunAsync("finding completed campaigns", async (connection, ct) =>
            (await connection.QueryAsync<CampaignInfo>(new CommandDefinition(sql, new { micros }, cancellationToken: ct)).ConfigureAwait(false)).AsList(),
            cancellationToken).ConfigureAwait(false);
    }

    public Task<CampaignInfo?> GetCampaignAsync(long campaignId, CancellationToken cancellationToken = default) =>
        _mysql.RunAsync($"reading campaign {campaignId}", (connection, ct) =>
            connection.QuerySingleOrDefaultAsync<CampaignInfo>(new CommandDefinition(
                $"SELECT {CampaignSql.Columns()} FROM campaigns WHERE id = @campaignId", new { campaignId }, cancellationToken: ct)),
            cancellationToken);

    public async Task<ArchiveSet> DescribeAsync(ArchiveSetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string sql = """
            SELECT COLUMN_NAME AS Name, DATA_TYPE AS DataType, COLUMN_TYPE AS ColumnType, IS_NULLABLE = 'YES' AS Nullable, CHARACTER_SET_NAME AS Charset
            FROM INFORMATION_SCHEMA.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table
            ORDER BY ORDINAL_POSITION
            """;
        var described = (await _mysql.RunAsync($"describing table {options.Table}", (connection, ct) =>
            connection.QueryAsync<DescribedColumn>(new CommandDefinition(sql, new { table = options.Table }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false)).AsList();
        if (described.Count == 0)
        {
            throw new ArchiverConfigurationException($"archive set {options.Table}: the table does not exist in the MySQL database (or the account may not see it)");
        }

        var columns = described.Select(c => new SourceColumn(
            c.Name,
            SetSchema.KindOf(c.DataType, c.ColumnType) ?? throw new ArchiverConfigurationException(
                $"archive set {options.Table}: column {c.Name} is {c.ColumnType}, which has no faithful JSON form (binary, bit, time and spatial types are not archived)"),
            c.Nullable,
            c.ColumnType,
            c.Charset)).ToList();
        var set = new ArchiveSet(options, columns);

        // Keyset reads and document ids need the key to identify one row: a unique index on that
        // column alone (the primary key, normally).
        const string uniqueSql = """
            SELECT COUNT(*) FROM (
              SELECT INDEX_NAME FROM INFORMATION_SCHEMA.STATISTICS
              WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table AND NON_UNIQUE = 0
              GROUP BY INDEX_NAME
              HAVING COUNT(*) = 1 AND MAX(COLUMN_NAME) = @key) unique_key
            """;
        var unique = await _mysql.RunAsync($"describing the indexes of {options.Table}", (connection, ct) =>
            connection.ExecuteScalarAsync<long>(new CommandDefinition(uniqueSql, new { table = options.Table, key = set.Columns[set.KeyIndex].Name }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        if (unique == 0)
        {
            throw new ArchiverConfigurationException(
                $"archive set {options.Table}: PrimaryKey column {set.Columns[set.KeyIndex].Name} has no unique index of its own; the key must identify one row");
        }

        _schemas.For(set);
        return set;
    }

    public Task<long> CountRowsAsync(ArchiveSet archiveSet, long campaignId, CancellationToken cancellationToken = default) =>
        _mysql.RunAsync($"counting {archiveSet.Table} of campaign {campaignId}", (connection, ct) =>
            connection.ExecuteScalarAsync<long>(new CommandDefinition(_schemas.For(archiveSet).CountSql, new { campaignId }, cancellationToken: ct)),
            cancellationToken);

    public async Task<SetFingerprint> GetFingerprintAsync(ArchiveSet archiveSet, long campaignId, CancellationToken cancellationToken = default)
    {
        var schema = _schemas.For(archiveSet);
        return await _mysql.RunAsync($"counting {archiveSet.Table} of campaign {campaignId}", (connection, ct) =>
            connection.QueryFingerprintAsync(schema.FingerprintSql, new { campaignId }, null, ct),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<long>> GetShardStartsAsync(ArchiveSet archiveSet, long campaignId, long shardRows, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardRows, 1);
        var schema = _schemas.For(archiveSet);
        return (await _mysql.RunAsync($"planning the shards of {archiveSet.Table} of campaign {campaignId}", (connection, ct) =>
            connection.QueryAsync<long>(new CommandDefinition(schema.ShardStartsSql, new { campaignId, shardRows }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false)).AsList();
    }

    public async IAsyncEnumerable<object?[]> ReadRowsAsync(
        ArchiveSet archiveSet, long campaignId, KeyRange range, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var schema = _schemas.For(archiveSet);

        // Keys are never negative (DocumentIds), so the key before a range's first one is at least -1.
        var after = range.From is { } from ? from - 1 : long.MinValue;
        var before = range.To;
        var rowsSql = before is null ? schema.RowsSql : schema.RowsBeforeSql;
        var columns = archiveSet.Columns.Count;
        while (true)
        {
            var what = $"reading {archiveSet.Table} of campaign {campaignId} after id {after}";
            var count = 0;
            MySqlConnection? connection = null;
            System.Data.Common.DbDataReader? reader = null;
            try
            {
                while (true)
                {
                    object?[] values;
                    string? invalidText;
                    var column = -1;
                    try
                    {
                        bool hasRow;
                        if (reader is null)
                        {
                            (connection, reader, hasRow) = await OpenChunkAsync(what, rowsSql, new { campaignId, after, before, limit = _chunkSize }, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            hasRow = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        }

                        if (!hasRow)
                        {
                            break;
                        }

                        values = new object?[columns];
                        for (column = 0; column < columns; column++)
                        {
                            values[column] = reader.IsDBNull(column) ? null : reader.GetValue(column);
                        }

                        column = -1;
                        invalidText = reader.IsDBNull(columns) ? null : reader.GetString(columns);
                    }
                    catch (MySqlException ex) when (reader is not null && MySqlCommands.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
                    {
                        // Resume the chunk after the last row returned: keyset reads make that exact.
                        // The reopen runs through the pipeline, which backs off while the server is
                        // away and gives up after its attempts; each resume starts after a row that
                        // was returned, so a stream that keeps breaking still makes progress.
                        Log.StreamResumed(_logger, what, ex.Message);
                        await DisposeAsync(reader, connection).ConfigureAwait(false);
                        (reader, connection, count) = (null, null, 0);
                        continue;
                    }
                    catch (MySqlException ex)
                    {
                        throw MySqlCommands.Translate(ex, what);
                    }
                    catch (Exception ex) when (ex is DataException or InvalidCastException or FormatException or MySqlConversionException)
                    {
                        // The driver could not convert a value of the next row (an invalid DATETIME such
                        // as 2026-11-00): name that row, which the exception itself cannot.
                        throw await UnreadableRowAsync(archiveSet, schema, campaignId, after, column >= 0 ? archiveSet.Columns[column].Name : null, ex, cancellationToken).ConfigureAwait(false);
                    }

                    var key = RowDocument.KeyOf(values[archiveSet.KeyIndex]) ?? after;
                    if (!string.IsNullOrEmpty(invalidText) || HasReplacementCharacter(values))
                    {
                        await CheckTextAsync(archiveSet, key, invalidText, values, cancellationToken).ConfigureAwait(false);
                    }

                    after = key;
                    count++;
                    yield return values;
                }
            }
            finally
            {
                await DisposeAsync(reader, connection).ConfigureAwait(false);
            }

            if (count < _chunkSize)
            {
                yield break;
            }
        }
    }

    public Task<ICampaignLock?> TryLockCampaignAsync(long campaignId, CancellationToken cancellationToken = default) =>
        TryLockAsync($"locking campaign {campaignId}", $"CONCAT({MySqlCampaignLock.SqlPrefix}, @campaignId)", new { campaignId }, cancellationToken);

    // The table is hashed: lock names are limited to 64 characters (prefix 22, campaign up to 19, shard up to 10).
    public Task<ICampaignLock?> TryLockShardAsync(long campaignId, string table, int shard, CancellationToken cancellationToken = default) =>
        TryLockAsync($"locking shard {table}#{shard} of campaign {campaignId}",
            $"CONCAT({MySqlCampaignLock.SqlPrefix}, @campaignId, ':', LEFT(SHA2(@table, 256), 8), ':', @shard)", new { campaignId, table, shard }, cancellationToken);

    private async Task<ICampaignLock?> TryLockAsync(string what, string nameSql, object parameters, CancellationToken cancellationToken)
    {
        var connection = await _mysql.OpenAsync(what, cancellationToken).ConfigureAwait(false);
        try
        {
            // The name is computed by the server, exactly as the status query computes it.
            var claim = await connection.QuerySingleAsync<LockClaim>(new CommandDefinition(
                $"SELECT {nameSql} AS Name, GET_LOCK({nameSql}, 0) AS Got", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (claim.Got is null)
            {
                throw new ArchiveSourceException($"MySQL error while {what}: GET_LOCK('{claim.Name}') returned NULL", null, isTransient: true);
            }

            if (claim.Got != 1)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            return new MySqlCampaignLock(connection, claim.Name, _logger);
        }
        catch (MySqlException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw MySqlCommands.Translate(ex, what);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<FlagOutcome> FlagArchivedAsync(
        long campaignId, TimeSpan completedAfter, IReadOnlyList<VerifiedSet> verified,
        Func<CancellationToken, Task<IReadOnlyDictionary<string, IReadOnlyList<string>>>> archiveUnchanged, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verified);
        ArgumentNullException.ThrowIfNull(archiveUnchanged);
        var micros = completedAfter.Ticks / TimeSpan.TicksPerMicrosecond;
        var attempts = 0;

        return await _mysql.RunAsync($"flagging campaign {campaignId}", async (connection, ct) =>
        {
            attempts++;
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);

            // Lock the campaign row first: two archivers of the same campaign serialise here, and the
            // application cannot move ends_at (re-open it) between this check and the commit.
            var state = await connection.QuerySingleOrDefaultAsync<FlagState>(new CommandDefinition(
                "SELECT archived AS Archived, ends_at <= UTC_TIMESTAMP(3) - INTERVAL @micros MICROSECOND AS Eligible FROM campaigns WHERE id = @campaignId FOR UPDATE",
                new { campaignId, micros }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (state is null)
            {
                return FlagOutcome.CampaignMissing;
            }

            if (state.Archived)
            {
                // On a retry, the flag found set is our own: the commit of the previous attempt went
                // through and only its answer was lost. The caller holds the campaign's lock, so no
                // other archiver can have set it in between.
                return attempts > 1 ? FlagOutcome.Flagged : FlagOutcome.AlreadyArchived;
            }

            if (!state.Eligible)
            {
                return FlagOutcome.NoLongerEligible;
            }

            // Locking reads see the latest committed rows and hold next-key locks on each campaign
            // range, so no row can be added, removed or changed between this check and the commit.
            // LOCK IN SHARE MODE is understood by both MariaDB and MySQL 8.
            // The same read cuts the rows into the chunks the purge re-verifies one at a time (ArchivedChunk).
            var chunks = new Dictionary<string, IReadOnlyList<PurgeChunk>>(StringComparer.OrdinalIgnoreCase);
            foreach (var set in verified)
            {
                var rows = chunks[set.Set.Table] = await ReadLockedChunksAsync(connection, transaction, set.Set, campaignId, ct).ConfigureAwait(false);
                var current = new SetFingerprint(rows.Sum(c => c.Fingerprint.Count), rows.Sum(c => c.Fingerprint.KeySum), rows.Sum(c => c.Fingerprint.ContentSum));
                if (current != set.Fingerprint)
                {
                    throw new ArchiveVerificationException(campaignId, set.Set.Table,
                        $"campaign {campaignId}, set {set.Set.Table}: its rows changed after they were verified (verified {set.Fingerprint}; now {current}); not flagged, run again");
                }
            }

            var updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE campaigns SET archived = 1, archived_at = UTC_TIMESTAMP(3) WHERE id = @campaignId AND archived = 0",
                new { campaignId }, transaction, cancellationToken: ct)).ConfigureAwait(false);

            // What was proved, committed with the flag: a purge verifies against it (by revisions). The
            // tables exist: the engine's run starts with IRunJournal.EnsureCreatedAsync, which creates
            // Archiver's tables (DDL would commit this transaction implicitly).
            foreach (var set in verified)
            {
                if (set.PurgedRows > 0)
                {
                    // The archive is the only copy of purged rows: the record of the first flag and the
                    // purge journal stay as they are, since a resumed purge verifies against the journal.
                    continue;
                }

                var parameters = new { campaignId, table = set.Set.Table, rows = set.Fingerprint.Count, checksum = set.Checksum, digest = set.RevisionDigest };
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO archiver_archived_sets (campaign_id, set_table, row_count, checksum, revision_digest, archived_at)
                    VALUES (@campaignId, @table, @rows, @checksum, @digest, UTC_TIMESTAMP(3))
                    ON DUPLICATE KEY UPDATE row_count = VALUES(row_count), checksum = VALUES(checksum), revision_digest = VALUES(revision_digest), archived_at = VALUES(archived_at)
                    """, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);

                // A purge that recorded its start but deleted nothing describes an archive this flag
                // has just re-proved (and may have rewritten): the next purge starts afresh from the
                // record above instead of being blocked by a stale checksum.
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM archiver_purge_sets WHERE campaign_id = @campaignId AND set_table = @table AND rows_deleted = 0",
                    parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
            }

            // Last, with the campaign row and its rows locked: the archive must still be exactly what
            // was verified. What is left unchecked is the commit's own round trip.
            var chunkRevisions = await archiveUnchanged(ct).ConfigureAwait(false);
            foreach (var set in verified.Where(s => s.PurgedRows == 0))
            {
                await RecordChunksAsync(connection, transaction, campaignId, set.Set.Table, chunks[set.Set.Table], chunkRevisions.GetValueOrDefault(set.Set.Table), ct).ConfigureAwait(false);
            }

            // Not cancellable: once the commit is sent, reporting "cancelled, not flagged" could be false.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return updated == 1 ? FlagOutcome.Flagged : FlagOutcome.AlreadyArchived;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The campaign's rows of the set, share-locked, in chunks of <see cref="ArchivedChunk.Rows"/> in key order.</summary>
    private async Task<IReadOnlyList<PurgeChunk>> ReadLockedChunksAsync(
        MySqlConnection connection, MySqlTransaction transaction, ArchiveSet set, long campaignId, CancellationToken cancellationToken)
    {
        var builder = new PurgeChunkBuilder(ArchivedChunk.Rows);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            _schemas.For(set).LockRowCrcSql, new { campaignId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // By hand, as MySqlPurgeTarget reads them: the key is any integer type, CRC32 INT UNSIGNED.
            builder.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
        }

        return builder.Build();
    }

    /// <summary>
    /// Replaces what an earlier flag recorded of the set's chunks with these. Without a digest for every
    /// chunk (the documents did not pair one to one with the rows), nothing is recorded and a purge
    /// verifies the set whole.
    /// </summary>
    private static async Task RecordChunksAsync(
        MySqlConnection connection, MySqlTransaction transaction, long campaignId, string table, IReadOnlyList<PurgeChunk> chunks, IReadOnlyList<string>? revisions,
        CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM archiver_archived_chunks WHERE campaign_id = @campaignId AND set_table = @table", new { campaignId, table }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (revisions is null || revisions.Count != chunks.Count)
        {
            return;
        }

        // Multi-row inserts of a few hundred chunks: 100 chunks per million rows.
        foreach (var part in chunks.Select((chunk, number) => (chunk, number)).Chunk(200))
        {
            var parameters = new DynamicParameters(new { campaignId, table });
            var values = new List<string>(part.Length);
            foreach (var (chunk, number) in part)
            {
                values.Add(string.Create(CultureInfo.InvariantCulture, $"(@campaignId, @table, {number}, @f{number}, @l{number}, @c{number}, @k{number}, @s{number}, @r{number})"));
                parameters.Add($"f{number}", chunk.FirstKey);
                parameters.Add($"l{number}", chunk.LastKey);
                parameters.Add($"c{number}", chunk.Fingerprint.Count);
                parameters.Add($"k{number}", chunk.Fingerprint.KeySum);
                parameters.Add($"s{number}", chunk.Fingerprint.ContentSum);
                parameters.Add($"r{number}", revisions[number]);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO archiver_archived_chunks (campaign_id, set_table, chunk_no, first_key, last_key, row_count, key_sum, content_sum, revision_digest) VALUES " + string.Join(", ", values),
                parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A text value that came back with U+FFFD, or that the server's round-trip probe flagged, is
    /// checked against the stored bytes: a U+FFFD that was stored as such is fine; anything else is
    /// text that is not valid in its character set, and the row is refused.
    /// </summary>
    private async Task CheckTextAsync(ArchiveSet set, long key, string? probed, object?[] values, CancellationToken cancellationToken)
    {
        var suspects = (probed ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            var column = set.Columns[i];
            if (values[i] is not string text || (!suspects.Contains(column.Name) && !text.Contains('\uFFFD', StringComparison.Ordinal)))
            {
                continue;
            }

            var hex = await _mysql.RunAsync($"checking the text of {set.Table} id={key}", (connection, ct) =>
                connection.ExecuteScalarAsync<string>(new CommandDefinition(
                    $"SELECT HEX({SetSchema.Quote(column.Name)}) FROM {SetSchema.Quote(set.Table)} WHERE {SetSchema.Quote(set.Options.PrimaryKey)} = @key", new { key }, cancellationToken: ct)),
                cancellationToken).ConfigureAwait(false) ?? "";
            var storedReplacements = CountOf(hex, "EFBFBD");
            if (suspects.Contains(column.Name) || CountOf(text, "\uFFFD") != storedReplacements)
            {
                throw new InvalidRowException(set.Table, key, column.Name,
                    $"holds bytes that are not valid {column.Charset ?? "text"} (stored as hex {(hex.Length > 48 ? hex[..48] + "…" : hex)}); archiving would replace them");
            }
        }
    }

    private static bool HasReplacementCharacter(object?[] values)
    {
        foreach (var value in values)
        {
            if (value is string text && text.Contains('\uFFFD', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private async Task<InvalidRowException> UnreadableRowAsync(ArchiveSet set, SetSchema schema, long campaignId, long after, string? column, Exception error, CancellationToken cancellationToken)
    {
        var key = await _mysql.RunAsync($"finding the unreadable row of campaign {campaignId} after id {after}", (connection, ct) =>
            connection.ExecuteScalarAsync<long?>(new CommandDefinition(schema.FirstKeyAfterSql, new { campaignId, after }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        var message = error.InnerException is { } inner ? $"{error.Message} ({inner.Message})" : error.Message;
        return new InvalidRowException(set.Table, key ?? after, column, $"cannot be read: {message}", null, error);
    }

    /// <summary>Opens a connection, starts a chunk's query and reads its first row, as one retried operation.</summary>
    private Task<(MySqlConnection Connection, System.Data.Common.DbDataReader Reader, bool HasRow)> OpenChunkAsync(
        string what, string sql, object parameters, CancellationToken cancellationToken) =>
        _mysql.ExecuteAsync(
            what,
            async ct =>
            {
                var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                System.Data.Common.DbDataReader? reader = null;
                try
                {
                    reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: ct)).ConfigureAwait(false);
                    return (connection, reader, await reader.ReadAsync(ct).ConfigureAwait(false));
                }
                catch
                {
                    await DisposeAsync(reader, connection).ConfigureAwait(false);
                    throw;
                }
            },
            cancellationToken);

    private static async Task DisposeAsync(System.Data.Common.DbDataReader? reader, MySqlConnection? connection)
    {
        if (reader is not null)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class LockClaim
    {
        public string Name { get; init; } = "";

        public long? Got { get; init; }
    }

    private sealed class DescribedColumn
    {
        public string Name { get; init; } = "";

        public string DataType { get; init; } = "";

        public string ColumnType { get; init; } = "";

        public bool Nullable { get; init; }

        public string? Charset { get; init; }
    }

    private sealed class FlagState
    {
        public bool Archived { get; init; }

        public bool Eligible { get; init; }
    }
}

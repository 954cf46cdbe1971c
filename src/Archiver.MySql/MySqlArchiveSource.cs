using System.Data;
using System.Runtime.CompilerServices;
using Archiver.Entries;
using Archiver.Options;
using Archiver.Source;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.MySql;

/// <summary>
/// Reads campaigns and their entries with Dapper over MySqlConnector and sets the archived flag.
/// SQL here runs on MariaDB 10.11 and MySQL 8.
/// </summary>
public sealed class MySqlArchiveSource(MySqlDataSource dataSource, IOptions<ArchiveOptions> options) : IArchiveSource
{
    private const string CampaignColumns =
        "id AS Id, name AS Name, kind AS Kind, starts_at AS StartsAt, ends_at AS EndsAt, archived AS Archived, archived_at AS ArchivedAt, UTC_TIMESTAMP(3) AS DatabaseNow";

    private const string EntryColumns =
        "id AS Id, campaign_id AS CampaignId, user_id AS UserId, entry_number AS EntryNumber, winner AS Winner, message AS Message, created_at AS CreatedAt";

    // Count and key sum from the (campaign_id, id) index alone.
    private const string FingerprintSql =
        $"SELECT COUNT(*) AS RowCount, COALESCE(SUM(id), 0) AS KeySum FROM {ContestEntries.Table} WHERE campaign_id = @campaignId";

    // Rows are read in keyset chunks (id > last id, LIMIT n) over ix_entries_campaign rather than in
    // one long unbuffered query: a single reader would hold a connection and a read view for the whole
    // campaign, and MySQL aborts a send that waits longer than net_write_timeout while we are busy
    // with CouchDB. A chunk the size of a batch has been sent completely by the time its batch is saved.
    private readonly int _chunkSize = options.Value.BatchSize;

    public async Task<IReadOnlyList<CampaignInfo>> FindCompletedCampaignsAsync(TimeSpan completedAfter, CancellationToken cancellationToken = default)
    {
        const string sql = $"""
            SELECT {CampaignColumns}
            FROM campaigns
            WHERE archived = 0 AND ends_at <= UTC_TIMESTAMP(3) - INTERVAL @micros MICROSECOND
            ORDER BY ends_at, id
            """;
        var micros = completedAfter.Ticks / TimeSpan.TicksPerMicrosecond;
        return await RunAsync("finding completed campaigns", async connection =>
            (await connection.QueryAsync<CampaignInfo>(new CommandDefinition(sql, new { micros }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList(),
            cancellationToken).ConfigureAwait(false);
    }

    public Task<CampaignInfo?> GetCampaignAsync(long campaignId, CancellationToken cancellationToken = default) =>
        RunAsync($"reading campaign {campaignId}", connection =>
            connection.QuerySingleOrDefaultAsync<CampaignInfo>(new CommandDefinition(
                $"SELECT {CampaignColumns} FROM campaigns WHERE id = @campaignId", new { campaignId }, cancellationToken: cancellationToken)),
            cancellationToken);

    public async Task<RowFingerprint> GetEntryFingerprintAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        var row = await RunAsync($"counting {ContestEntries.Table} of campaign {campaignId}", connection =>
            connection.QuerySingleAsync<FingerprintRow>(new CommandDefinition(
                FingerprintSql, new { campaignId }, cancellationToken: cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        return new RowFingerprint(row.RowCount, row.KeySum);
    }

    public IAsyncEnumerable<ContestEntryRow> StreamEntriesAsync(long campaignId, CancellationToken cancellationToken = default) =>
        StreamChunksAsync<ContestEntryRow>(
            $"SELECT {EntryColumns} FROM {ContestEntries.Table} WHERE campaign_id = @campaignId AND id > @after ORDER BY id LIMIT @limit",
            campaignId, static row => row.Id, "reading", cancellationToken);

    public IAsyncEnumerable<long> StreamEntryKeysAsync(long campaignId, CancellationToken cancellationToken = default) =>
        StreamChunksAsync<long>(
            $"SELECT id FROM {ContestEntries.Table} WHERE campaign_id = @campaignId AND id > @after ORDER BY id LIMIT @limit",
            campaignId, static key => key, "reading keys of", cancellationToken);

    public async Task<IReadOnlySet<long>> FindEntryKeysAsync(long campaignId, IReadOnlyCollection<long> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new HashSet<long>();
        }

        var found = await RunAsync($"looking up {keys.Count:N0} keys of {ContestEntries.Table} in campaign {campaignId}", connection =>
            connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT id FROM {ContestEntries.Table} WHERE campaign_id = @campaignId AND id IN @keys", new { campaignId, keys }, cancellationToken: cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        return found.ToHashSet();
    }

    public async Task<FlagOutcome> FlagArchivedAsync(long campaignId, RowFingerprint verified, CancellationToken cancellationToken = default)
    {
        return await RunAsync($"flagging campaign {campaignId}", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

            // Lock the campaign row first: two archivers of the same campaign serialise here.
            var archived = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
                "SELECT archived FROM campaigns WHERE id = @campaignId FOR UPDATE", new { campaignId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (archived is null)
            {
                return FlagOutcome.CampaignMissing;
            }

            if (archived.Value)
            {
                return FlagOutcome.AlreadyArchived;
            }

            // A locking read sees the latest committed rows and holds next-key locks on the
            // campaign's index range, so no entry can be added or removed between this check and the
            // commit. LOCK IN SHARE MODE is understood by both MariaDB and MySQL 8.
            var current = await connection.QuerySingleAsync<FingerprintRow>(new CommandDefinition(
                FingerprintSql + " LOCK IN SHARE MODE",
                new { campaignId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (current.RowCount != verified.Count || current.KeySum != verified.KeySum)
            {
                return FlagOutcome.RowsChanged;
            }

            var updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE campaigns SET archived = 1, archived_at = UTC_TIMESTAMP(3) WHERE id = @campaignId AND archived = 0",
                new { campaignId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            // Not cancellable: once the commit is sent, reporting "cancelled, not flagged" could be false.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return updated == 1 ? FlagOutcome.Flagged : FlagOutcome.AlreadyArchived;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<T> StreamChunksAsync<T>(
        string sql, long campaignId, Func<T, long> keyOf, string verb, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = long.MinValue;
        while (true)
        {
            var count = 0;
            var what = $"{verb} {ContestEntries.Table} of campaign {campaignId} after id {after}";
            await using var connection = await OpenAsync(what, cancellationToken).ConfigureAwait(false);
            var rows = connection.QueryUnbufferedAsync<T>(sql, new { campaignId, after, limit = _chunkSize });
            await using var enumerator = rows.WithCancellation(cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
            while (true)
            {
                bool hasRow;
                try
                {
                    hasRow = await enumerator.MoveNextAsync();
                }
                catch (MySqlException ex)
                {
                    throw Translate(ex, what);
                }
                catch (Exception ex) when (ex is DataException or InvalidCastException or FormatException or MySqlConversionException)
                {
                    // The driver could not convert a value of the next row (an invalid DATETIME such as
                    // 2026-11-00): name that row, which the exception itself cannot.
                    throw await UnreadableRowAsync(campaignId, after, ex, cancellationToken).ConfigureAwait(false);
                }

                if (!hasRow)
                {
                    break;
                }

                var item = enumerator.Current;
                after = keyOf(item);
                count++;
                yield return item;
            }

            if (count < _chunkSize)
            {
                yield break;
            }
        }
    }

    private async Task<InvalidRowException> UnreadableRowAsync(long campaignId, long after, Exception error, CancellationToken cancellationToken)
    {
        var key = await RunAsync($"finding the unreadable row of campaign {campaignId} after id {after}", connection =>
            connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                $"SELECT MIN(id) FROM {ContestEntries.Table} WHERE campaign_id = @campaignId AND id > @after", new { campaignId, after }, cancellationToken: cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        var message = error.InnerException is { } inner ? $"{error.Message} ({inner.Message})" : error.Message;
        return new InvalidRowException(ContestEntries.Table, key ?? after, null, $"cannot be read: {message}", error);
    }

    private async Task<T> RunAsync<T>(string what, Func<MySqlConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(what, cancellationToken).ConfigureAwait(false);
        try
        {
            return await action(connection).ConfigureAwait(false);
        }
        catch (MySqlException ex)
        {
            throw Translate(ex, what);
        }
    }

    private async Task<MySqlConnection> OpenAsync(string what, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException ex)
        {
            throw Translate(ex, what);
        }
    }

    private static ArchiveSourceException Translate(MySqlException ex, string what) =>
        new($"MySQL error while {what}: {ex.Message}", ex, ex.IsTransient);

    private sealed class FingerprintRow
    {
        public long RowCount { get; init; }

        public decimal KeySum { get; init; }
    }
}

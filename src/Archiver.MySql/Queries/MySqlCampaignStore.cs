using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Archiver.Queries;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.MySql.Queries;

/// <summary>
/// The live side of the read API: campaigns whose <c>archived</c> flag is clear, answered from
/// the users' tables (columns as in <c>Schema/textme.sql</c>). SQL here runs on MariaDB 10.11 and MySQL 8.
/// </summary>
public sealed partial class MySqlCampaignStore : ILiveCampaignStore
{
    /// <summary>Ids per <c>IN (…)</c> of <see cref="ArchivedFlagsAsync"/>: far below max_allowed_packet, few round trips.</summary>
    private const int FlagsPerQuery = 1000;

    /// <summary>MySQL's documented "no limit" for <c>LIMIT offset, count</c>.</summary>
    private const ulong NoLimit = ulong.MaxValue;

    /// <summary>The (campaign_id, id) index of the users' entries table (Schema/textme.sql).</summary>
    private const string CampaignIndex = "ix_entries_campaign";

    /// <summary>The (campaign_id, winner) index, with the primary key appended by InnoDB: (campaign_id, winner, id).</summary>
    private const string WinnerIndex = "ix_entries_winner";

    private const string Columns = "e.id, e.campaign_id, e.user_id, e.entry_number, e.winner, e.message, e.created_at";

    // SET TRANSACTION without SESSION applies to the next transaction only, whatever the server's
    // default isolation is; the snapshot is taken at START, so the flag and every row read after
    // it come from the same moment. Both servers accept the comma-separated characteristics.
    private const string BeginSql = """
        SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
        START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT;
        SELECT archived FROM campaigns WHERE id = @c
        """;

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly MySqlDataSource _dataSource;
    private readonly string _entries;
    private readonly string _votes;

    public MySqlCampaignStore(MySqlDataSource dataSource, IOptions<QueryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _entries = Table(options.Value.EntriesTable, nameof(QueryOptions.EntriesTable));
        _votes = Table(options.Value.VotesTable, nameof(QueryOptions.VotesTable));
    }

    /// <summary>
    /// Test seam: runs after the flag was read clear and before the rows are read, in the same
    /// snapshot, so a test can flag and purge the campaign from another connection right there.
    /// </summary>
    internal Func<long, CancellationToken, Task>? AfterFlagRead { get; set; }

    public Task<EntrySlice> ReadEntriesAsync(long campaignId, EntryFilter filter, EntrySeek seek, int? limit, bool withTotal, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seek.Offset);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "a limit cannot be negative");
        }

        var scope = "e.campaign_id = @c" + filter switch
        {
            EntryFilter.All => "",
            EntryFilter.Winners => " AND e.winner = 1",
            EntryFilter.NonWinners => " AND e.winner = 0",
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown filter"),
        };

        // Every read names its index, the pinned schema's (Schema/textme.sql). Unhinted, MariaDB
        // 10.11 reads a large campaign's keyset page by ref on campaign_id alone and filters id >
        // @after entry by entry (50,056 index entries for 50 rows at the middle of 100,000; 52 with
        // the hint), and walks an offset of all entries over ix_entries_winner, covering but not in
        // id order, sorting every id of the campaign for each page (4x slower at offset 50,000).
        var index = $" FORCE INDEX ({(filter == EntryFilter.All ? CampaignIndex : WinnerIndex)})";
        var where = scope;
        var parameters = new List<(string, object)> { ("@c", campaignId) };
        string rows;
        if (seek.AfterId is null && seek.Offset > 0)
        {
            // Deferred join: the offset is walked in the derived table over the secondary index
            // alone (InnoDB appends the primary key, so it is covering and in id order within the
            // campaign, or within campaign and winner), and only the page's rows are read whole.
            rows = $"""
                SELECT {Columns}
                FROM (SELECT e.id FROM {_entries} e{index} WHERE {where} ORDER BY e.id LIMIT @offset, @limit) page
                JOIN {_entries} e ON e.id = page.id
                ORDER BY e.id
                """;
            parameters.Add(("@offset", seek.Offset));
            parameters.Add(("@limit", limit is { } l ? (ulong)l : NoLimit));
        }
        else
        {
            if (seek.AfterId is { } after)
            {
                where += " AND e.id > @after";
                parameters.Add(("@after", after));
            }

            rows = $"SELECT {Columns} FROM {_entries} e{index} WHERE {where} ORDER BY e.id";
            if (limit is { } l)
            {
                rows += " LIMIT @limit";
                parameters.Add(("@limit", l));
            }
        }

        var sql = withTotal ? $"{rows};\nSELECT COUNT(*) FROM {_entries} e WHERE {scope}" : rows;
        return InSnapshotAsync(campaignId, "reading the entries", sql, parameters, async (reader, ct) =>
        {
            var items = new List<ContestEntry>(Math.Min(limit ?? 1024, 10_000));
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                items.Add(ReadEntry(reader));
            }

            var total = -1L;
            if (withTotal)
            {
                await reader.NextResultAsync(ct).ConfigureAwait(false);
                await reader.ReadAsync(ct).ConfigureAwait(false);
                total = reader.GetInt64(0);
            }

            return new EntrySlice(total, items);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<StatisticsPoint>> StatisticsAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Bucket(granularity)} AS bucket, COUNT(*), SUM(winner)
            FROM {_entries}
            WHERE campaign_id = @c AND created_at >= @since AND created_at < @until
            GROUP BY bucket
            ORDER BY bucket
            """;
        return InSnapshotAsync<IReadOnlyList<StatisticsPoint>>(campaignId, "reading the entry statistics", sql, Range(campaignId, since, until), async (reader, ct) =>
        {
            var points = new List<StatisticsPoint>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                points.Add(new StatisticsPoint(Utc(reader.GetDateTime(0)), reader.GetInt64(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture)));
            }

            return points;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ChoiceVotes>> VoteTotalsAsync(long campaignId, CancellationToken cancellationToken)
    {
        // By the bytes: the column's collation would merge 'Yes' with 'yes' and, padding, 'a' with
        // 'a ' (so would utf8mb4_bin, which is PAD SPACE too); the archive's rollups count neither together.
        var sql = $"SELECT CAST(choice AS BINARY) AS choice_bytes, COUNT(*) FROM {_votes} WHERE campaign_id = @c GROUP BY choice_bytes";
        return InSnapshotAsync<IReadOnlyList<ChoiceVotes>>(campaignId, "reading the vote totals", sql, [("@c", campaignId)], async (reader, ct) =>
        {
            var votes = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                Add(votes, Choice(reader), reader.GetInt64(1));
            }

            return Sorted(votes);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<VoteBucket>> VoteSeriesAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {Bucket(granularity)} AS bucket, CAST(choice AS BINARY) AS choice_bytes, COUNT(*)
            FROM {_votes}
            WHERE campaign_id = @c AND created_at >= @since AND created_at < @until
            GROUP BY bucket, choice_bytes
            ORDER BY bucket
            """;
        return InSnapshotAsync<IReadOnlyList<VoteBucket>>(campaignId, "reading the vote series", sql, Range(campaignId, since, until), async (reader, ct) =>
        {
            var buckets = new List<VoteBucket>();
            DateTime? current = null;
            var choices = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var bucket = Utc(reader.GetDateTime(0));
                if (current is { } open && open != bucket)
                {
                    buckets.Add(BucketOf(open, choices));
                    choices.Clear();
                }

                current = bucket;
                Add(choices, Choice(reader, 1), reader.GetInt64(2));
            }

            if (current is { } last)
            {
                buckets.Add(BucketOf(last, choices));
            }

            return buckets;
        }, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<long, bool>> ArchivedFlagsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaignIds);
        var flags = new Dictionary<long, bool>();
        if (campaignIds.Count == 0)
        {
            return flags;
        }

        // Not a snapshot: a flag only routes a query; the store that answers checks it again in the
        // snapshot its rows come from.
        const string what = "reading the archived flags of campaigns";
        await RunAsync(what, async (connection, ct) =>
        {
            foreach (var chunk in campaignIds.Distinct().Chunk(FlagsPerQuery))
            {
                // Integers formatted invariantly are safe to inline, and a thousand of them are cheaper as text than as parameters.
                var sql = $"SELECT id, archived FROM campaigns WHERE id IN ({string.Join(",", chunk.Select(id => id.ToString(CultureInfo.InvariantCulture)))})";
                await using var command = new MySqlCommand(sql, connection);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    flags[reader.GetInt64(0)] = reader.GetBoolean(1);
                }
            }

            return flags;
        }, cancellationToken).ConfigureAwait(false);
        return flags;
    }

    public async Task<IReadOnlyList<ContestEntry>> LiveUserEntriesAsync(long userId, CancellationToken cancellationToken)
    {
        // One statement is one consistent read, so flags and rows agree without a transaction. There
        // is no index on user_id (the users' schema is pinned): this scans the entries table, or the
        // entries of every live campaign, whichever the optimizer thinks cheaper.
        var sql = $"""
            SELECT {Columns}
            FROM {_entries} e
            JOIN campaigns c ON c.id = e.campaign_id
            WHERE e.user_id = @u AND c.archived = 0
            ORDER BY e.created_at DESC, e.campaign_id DESC, e.id DESC
            """;
        return await RunAsync($"reading the live entries of user {userId}", async (connection, ct) =>
        {
            await using var command = new MySqlCommand(sql, connection);
            command.Parameters.AddWithValue("@u", userId);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var entries = new List<ContestEntry>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                entries.Add(ReadEntry(reader));
            }

            return entries;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The flag, then <paramref name="sql"/>, in one REPEATABLE READ snapshot: a purge deletes rows
    /// only of a flagged campaign, so rows read beside a clear flag are all of the campaign's rows,
    /// even if it is flagged and purged while they are read.
    /// </summary>
    private Task<T> InSnapshotAsync<T>(
        long campaignId, string what, string sql, IReadOnlyList<(string Name, object Value)> parameters, Func<MySqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        RunAsync($"{what} of campaign {campaignId}", async (connection, ct) =>
        {
            try
            {
                object? flag;
                await using (var begin = new MySqlCommand(BeginSql, connection))
                {
                    begin.Parameters.AddWithValue("@c", campaignId);
                    flag = await begin.ExecuteScalarAsync(ct).ConfigureAwait(false);
                }

                if (flag is null or DBNull)
                {
                    throw new CampaignNotFoundException(campaignId);
                }

                if (Convert.ToBoolean(flag, CultureInfo.InvariantCulture))
                {
                    throw new CampaignArchivedException(campaignId);
                }

                if (AfterFlagRead is { } hook)
                {
                    await hook(campaignId, ct).ConfigureAwait(false);
                }

                // The COMMIT rides in the same round trip, after the reads.
                await using var command = new MySqlCommand(sql + ";\nCOMMIT", connection);
                foreach (var (name, value) in parameters)
                {
                    command.Parameters.AddWithValue(name, value);
                }

                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var result = await read(reader, ct).ConfigureAwait(false);
                while (await reader.NextResultAsync(ct).ConfigureAwait(false))
                {
                }

                return result;
            }
            catch
            {
                await EndSnapshotAsync(connection).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);

    /// <summary>
    /// Ends a snapshot that did not reach its COMMIT. A pooled connection is reset only when it is
    /// next opened, so until then an open read view would hold back InnoDB's purge of old row
    /// versions and its metadata locks would block DDL (a DROP waits for them).
    /// </summary>
    private static async Task EndSnapshotAsync(MySqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var rollback = new MySqlCommand("ROLLBACK", connection);

            // Not the caller's token: a cancelled read must still end its transaction.
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (MySqlException)
        {
            // The connection is broken; the server ends its transaction with the session.
        }
        catch (InvalidOperationException)
        {
            // A reader was left open on a broken connection: the same.
        }
    }

    /// <summary>One connection for <paramref name="action"/>; driver errors become <see cref="ArchiveSourceException"/> naming <paramref name="what"/>.</summary>
    private async Task<T> RunAsync<T>(string what, Func<MySqlConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await action(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"cancelled while {what}", ex, cancellationToken);
        }
        catch (MySqlException ex)
        {
            throw MySqlCommands.Translate(ex, what);
        }
    }

    private static List<(string, object)> Range(long campaignId, DateTime since, DateTime until) =>
        [("@c", campaignId), ("@since", TimeBuckets.AsUtc(since)), ("@until", TimeBuckets.AsUtc(until))];

    /// <summary>The bucket's start as a DATETIME (values are UTC, so no time zone enters).</summary>
    private static string Bucket(Granularity granularity) => granularity switch
    {
        Granularity.Minute => "CAST(DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:00') AS DATETIME)",
        Granularity.Hour => "CAST(DATE_FORMAT(created_at, '%Y-%m-%d %H:00:00') AS DATETIME)",
        Granularity.Day => "CAST(DATE_FORMAT(created_at, '%Y-%m-%d 00:00:00') AS DATETIME)",
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
    };

    private static ContestEntry ReadEntry(MySqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.IsDBNull(2) ? null : reader.GetInt64(2),
        reader.GetInt32(3),
        reader.GetBoolean(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        Utc(reader.GetDateTime(6)));

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static string Choice(MySqlDataReader reader, int ordinal = 0) => Utf8.GetString((byte[])reader.GetValue(ordinal));

    /// <summary>Distinct bytes decode to distinct text unless they are not valid UTF-8; such choices are counted together, as their text is one.</summary>
    private static void Add(Dictionary<string, long> counts, string choice, long votes) =>
        counts[choice] = counts.GetValueOrDefault(choice) + votes;

    private static List<ChoiceVotes> Sorted(Dictionary<string, long> counts) =>
        [.. counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new ChoiceVotes(c.Key, c.Value))];

    private static VoteBucket BucketOf(DateTime start, Dictionary<string, long> choices) =>
        new(start, choices.Values.Sum(), Sorted(choices));

    private static string Table(string? name, string key) =>
        name is not null && IdentifierPattern().IsMatch(name)
            ? SetSchema.Quote(name)
            : throw new ArchiverConfigurationException($"{QueryOptions.SectionName}:{key} '{name}' is not a plain MySQL identifier (letters, digits, _ and $, at most 64).");

    [GeneratedRegex("^[A-Za-z0-9_$]{1,64}$")]
    private static partial Regex IdentifierPattern();
}

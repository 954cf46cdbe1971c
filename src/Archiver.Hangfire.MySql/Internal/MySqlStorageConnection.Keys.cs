using Dapper;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>Reads of sets, hashes, lists and counters.</summary>
internal sealed partial class MySqlStorageConnection
{
    private static readonly TimeSpan NoTtl = TimeSpan.FromSeconds(-1);

    public override HashSet<string> GetAllItemsFromSet(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var values = storage.Use(c => c.Query<string>($"SELECT Value FROM {T.Set} WHERE `Key` = @key", new { key }));
        return new HashSet<string>(values, StringComparer.Ordinal);
    }

    public override string? GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore) =>
        GetFirstByLowestScoreFromSet(key, fromScore, toScore, 1).FirstOrDefault();

    public override List<string> GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (toScore < fromScore)
        {
            throw new ArgumentException("toScore must not be below fromScore", nameof(toScore));
        }

        return storage.Use(c => c.Query<string>(
            $"SELECT Value FROM {T.Set} WHERE `Key` = @key AND Score BETWEEN @fromScore AND @toScore ORDER BY Score, Value LIMIT @count",
            new { key, fromScore, toScore, count })).AsList();
    }

    public override long GetSetCount(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return storage.Use(c => c.ExecuteScalar<long>($"SELECT COUNT(*) FROM {T.Set} WHERE `Key` = @key", new { key }));
    }

    public override long GetSetCount(IEnumerable<string> keys, int limit)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var list = keys.ToList();
        return list.Count == 0 ? 0 : storage.Use(c => c.ExecuteScalar<long>(
            $"SELECT COUNT(*) FROM (SELECT 1 FROM {T.Set} WHERE `Key` IN @list LIMIT @limit) AS limited", new { list, limit }));
    }

    public override bool GetSetContains(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return storage.Use(c => c.ExecuteScalar<long>(
            $"SELECT EXISTS(SELECT 1 FROM {T.Set} WHERE `Key` = @key AND Value = @value)", new { key, value })) == 1;
    }

    public override List<string> GetRangeFromSet(string key, int startingFrom, int endingAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        return storage.Use(c => c.Query<string>(
            $"SELECT Value FROM {T.Set} WHERE `Key` = @key ORDER BY Score, Value LIMIT @count OFFSET @startingFrom",
            new { key, startingFrom, count = Math.Max(0, endingAt - startingFrom + 1) })).AsList();
    }

    public override TimeSpan GetSetTtl(string key) => Ttl(T.Set, key);

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(keyValuePairs);
        using var transaction = CreateWriteTransaction();
        transaction.SetRangeInHash(key, keyValuePairs);
        transaction.Commit();
    }

    public override Dictionary<string, string>? GetAllEntriesFromHash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var rows = storage.Use(c => c.Query<(string Field, string Value)>(
            $"SELECT Field, Value FROM {T.Hash} WHERE `Key` = @key", new { key })).AsList();
        return rows.Count == 0 ? null : rows.ToDictionary(r => r.Field, r => r.Value, StringComparer.Ordinal);
    }

    public override long GetHashCount(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return storage.Use(c => c.ExecuteScalar<long>($"SELECT COUNT(*) FROM {T.Hash} WHERE `Key` = @key", new { key }));
    }

    public override TimeSpan GetHashTtl(string key) => Ttl(T.Hash, key);

    public override string? GetValueFromHash(string key, string name)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(name);
        return storage.Use(c => c.ExecuteScalar<string?>($"SELECT Value FROM {T.Hash} WHERE `Key` = @key AND Field = @name", new { key, name }));
    }

    public override long GetListCount(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return storage.Use(c => c.ExecuteScalar<long>($"SELECT COUNT(*) FROM {T.List} WHERE `Key` = @key", new { key }));
    }

    public override TimeSpan GetListTtl(string key) => Ttl(T.List, key);

    /// <summary>Newest first, like every Hangfire storage: <c>InsertToList</c> puts an item at the head.</summary>
    public override List<string> GetRangeFromList(string key, int startingFrom, int endingAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        return storage.Use(c => c.Query<string>(
            $"SELECT Value FROM {T.List} WHERE `Key` = @key ORDER BY Id DESC LIMIT @count OFFSET @startingFrom",
            new { key, startingFrom, count = Math.Max(0, endingAt - startingFrom + 1) })).AsList();
    }

    public override List<string> GetAllItemsFromList(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return storage.Use(c => c.Query<string>($"SELECT Value FROM {T.List} WHERE `Key` = @key ORDER BY Id DESC", new { key })).AsList();
    }

    /// <summary>Both tables in one statement, so one read view sees each counter row exactly once while the aggregator moves it.</summary>
    public override long GetCounter(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return storage.Use(c => c.ExecuteScalar<long>(
            $"SELECT (SELECT COALESCE(SUM(Value), 0) FROM {T.Counter} WHERE `Key` = @key) + (SELECT COALESCE(SUM(Value), 0) FROM {T.AggregatedCounter} WHERE `Key` = @key)",
            new { key }));
    }

    /// <summary>The earliest expiry of the key's rows, by the server's clock; −1 s when the key is missing or never expires.</summary>
    private TimeSpan Ttl(string table, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var micros = storage.Use(c => c.ExecuteScalar<long?>(
            $"SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), MIN(ExpireAt)) FROM {table} WHERE `Key` = @key", new { key }));
        return micros is { } value ? TimeSpan.FromMicroseconds(value) : NoTtl;
    }
}

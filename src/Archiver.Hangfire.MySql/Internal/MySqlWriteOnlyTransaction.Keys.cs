namespace Archiver.Hangfire.MySql.Internal;

/// <summary>Writes of sets, hashes and lists: upserts on the natural key.</summary>
internal sealed partial class MySqlWriteOnlyTransaction
{
    public override void AddToSet(string key, string value) => AddToSet(key, value, 0.0);

    public override void AddToSet(string key, string value, double score)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        Add(Table.Set, key,
            $"INSERT INTO {T.Set} (`Key`, Value, Score) VALUES (@key, @value, @score) ON DUPLICATE KEY UPDATE Score = VALUES(Score)",
            new { key, value, score });
    }

    public override void AddRangeToSet(string key, IList<string> items)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            AddToSet(key, item);
        }
    }

    public override void RemoveFromSet(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        Add(Table.Set, key, $"DELETE FROM {T.Set} WHERE `Key` = @key AND Value = @value", new { key, value });
    }

    public override void RemoveSet(string key) => KeyCommand(Table.Set, key, $"DELETE FROM {T.Set} WHERE `Key` = @key");

    public override void ExpireSet(string key, TimeSpan expireIn) => Expire(Table.Set, T.Set, key, expireIn);

    public override void PersistSet(string key) => KeyCommand(Table.Set, key, $"UPDATE {T.Set} SET ExpireAt = NULL WHERE `Key` = @key");

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(keyValuePairs);
        foreach (var (field, value) in keyValuePairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add(Table.Hash, key,
                $"INSERT INTO {T.Hash} (`Key`, Field, Value) VALUES (@key, @field, @value) ON DUPLICATE KEY UPDATE Value = VALUES(Value)",
                new { key, field, value });
        }
    }

    public override void RemoveHash(string key) => KeyCommand(Table.Hash, key, $"DELETE FROM {T.Hash} WHERE `Key` = @key");

    public override void ExpireHash(string key, TimeSpan expireIn) => Expire(Table.Hash, T.Hash, key, expireIn);

    public override void PersistHash(string key) => KeyCommand(Table.Hash, key, $"UPDATE {T.Hash} SET ExpireAt = NULL WHERE `Key` = @key");

    public override void InsertToList(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Add(Table.List, key, $"INSERT INTO {T.List} (`Key`, Value) VALUES (@key, @value)", new { key, value });
    }

    public override void RemoveFromList(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Add(Table.List, key, $"DELETE FROM {T.List} WHERE `Key` = @key AND Value = @value", new { key, value });
    }

    /// <summary>Keeps the items ranked <paramref name="keepStartingFrom"/>..<paramref name="keepEndingAt"/> (0-based, newest first) of this key only.</summary>
    public override void TrimList(string key, int keepStartingFrom, int keepEndingAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        Add(Table.List, key,
            $"""
            DELETE l FROM {T.List} l
            JOIN (SELECT Id, ROW_NUMBER() OVER (ORDER BY Id DESC) - 1 AS Position FROM {T.List} WHERE `Key` = @key) ranked ON ranked.Id = l.Id
            WHERE ranked.Position NOT BETWEEN @keepStartingFrom AND @keepEndingAt
            """,
            new { key, keepStartingFrom, keepEndingAt });
    }

    public override void ExpireList(string key, TimeSpan expireIn) => Expire(Table.List, T.List, key, expireIn);

    public override void PersistList(string key) => KeyCommand(Table.List, key, $"UPDATE {T.List} SET ExpireAt = NULL WHERE `Key` = @key");

    private void Expire(Table table, string name, string key, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(key);
        Add(table, key, $"UPDATE {name} SET ExpireAt = {SqlTime.NowPlus("expire")} WHERE `Key` = @key", new { key, expire = SqlTime.Micros(expireIn) });
    }

    private void KeyCommand(Table table, string key, string sql)
    {
        ArgumentNullException.ThrowIfNull(key);
        Add(table, key, sql, new { key });
    }
}

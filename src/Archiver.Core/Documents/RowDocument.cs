using System.Globalization;
using System.Text.Json;
using Archiver.Sets;

namespace Archiver.Documents;

/// <summary>
/// One source row as a document: <c>type</c>, then every column of the table under its own name,
/// in table order, written by the column's <see cref="ColumnKind"/>. Values are checked and
/// normalised when the row is read; a value that has no faithful JSON form stops the campaign with
/// the table, key and column named.
/// </summary>
public sealed class RowDocument : IArchiveDocument
{
    private readonly object?[] _values;

    private RowDocument(ArchiveSet set, object?[] values, long key, long campaignId, DateTime timestamp)
    {
        Set = set;
        _values = values;
        Key = key;
        CampaignId = campaignId;
        Timestamp = timestamp;
        Id = DocumentIds.ForRow(set.Table, campaignId, key);
    }

    public ArchiveSet Set { get; }

    public string Id { get; }

    public string Origin => string.Create(CultureInfo.InvariantCulture, $"{Set.Table} id={Key}");

    public long Key { get; }

    public long CampaignId { get; }

    /// <summary>The value of the set's timestamp column (UTC).</summary>
    public DateTime Timestamp { get; }

    /// <summary>The normalised value of column <paramref name="index"/>: null, bool, long, double, string or <see cref="DateTime"/>.</summary>
    public object? this[int index] => _values[index];

    /// <summary>
    /// Checks and normalises the values MySQL returned for one row (in the set's column order).
    /// <paramref name="raw"/> is taken over and rewritten in place.
    /// </summary>
    public static RowDocument Create(ArchiveSet set, object?[] raw, long maxDocumentBytes)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Length != set.Columns.Count)
        {
            throw new ArgumentException($"expected {set.Columns.Count} values, got {raw.Length}", nameof(raw));
        }

        var key = KeyOf(raw[set.KeyIndex]);
        if (key is null or < 0 || key > JsonSafeInteger.Max)
        {
            throw new InvalidRowException(set.Table, key ?? 0, set.Options.PrimaryKey,
                raw[set.KeyIndex] is null or DBNull ? "is NULL" : $"is {Show(raw[set.KeyIndex])}: only keys from 0 to {JsonSafeInteger.Max} can be archived (they are ordered and compared as JSON numbers)");
        }

        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = Normalise(set, key.Value, set.Columns[i], raw[i]);
        }

        if (raw[set.CampaignIndex] is not long campaignId || campaignId < 0)
        {
            throw new InvalidRowException(set.Table, key.Value, set.Options.CampaignColumn, $"is {Show(raw[set.CampaignIndex])}: a row needs a campaign id of 0 or more");
        }

        if (raw[set.TimestampIndex] is not DateTime timestamp)
        {
            throw new InvalidRowException(set.Table, key.Value, set.Options.TimestampColumn, "is NULL: every row needs the minute it is rolled up under");
        }

        var document = new RowDocument(set, raw, key.Value, campaignId, timestamp);
        document.CheckSize(maxDocumentBytes);
        return document;
    }

    /// <summary>A primary key value as read from MySQL; null when it is NULL or beyond <see cref="long"/> (an unsigned BIGINT).</summary>
    public static long? KeyOf(object? value) => value switch
    {
        null or DBNull => null,
        ulong u when u > long.MaxValue => null,
        decimal d when d is > long.MaxValue or < long.MinValue => null,
        _ => ToInt64(value),
    };

    public void WriteFields(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(ArchiveSet.TypeFieldName, Set.TypeFieldValue);
        var names = Set.FieldNames;
        for (var i = 0; i < _values.Length; i++)
        {
            var name = names[i];
            switch (_values[i])
            {
                case null:
                    writer.WriteNull(name);
                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case long l:
                    writer.WriteNumber(name, l);
                    break;
                case double d:
                    writer.WriteNumber(name, d);
                    break;
                case string s:
                    writer.WriteString(name, s);
                    break;
                case DateTime t:
                    UtcTimestamp.Write(writer, name, t);
                    break;
                default:
                    throw new InvalidOperationException($"unexpected normalised value {_values[i]!.GetType().Name}");
            }
        }
    }

    /// <summary>
    /// Writes the canonical form <see cref="DocumentContent"/> hashes (fields sorted by name, integral
    /// numbers as integers) straight from the values, without serialising and parsing the row first:
    /// the same bytes, at a fraction of the cost, for the hash every row gets while it is archived
    /// and verified.
    /// </summary>
    internal void WriteCanonical(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        var names = Set.FieldNames;
        var order = Set.CanonicalOrder;

        // By index: a foreach over the interface would allocate an enumerator per row.
        for (var position = 0; position < order.Count; position++)
        {
            var index = order[position];
            if (index < 0)
            {
                writer.WriteString(ArchiveSet.TypeFieldName, Set.TypeFieldValue);
                continue;
            }

            var name = names[index];
            switch (_values[index])
            {
                case null:
                    writer.WriteNull(name);
                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case long l:
                    writer.WriteNumber(name, l);
                    break;
                case double d when d == Math.Floor(d) && Math.Abs(d) <= JsonSafeInteger.Max:
                    writer.WriteNumber(name, (long)d);
                    break;
                case double d:
                    writer.WriteNumber(name, d);
                    break;
                case string s:
                    writer.WriteString(name, s);
                    break;
                case DateTime t:
                    UtcTimestamp.Write(writer, name, t);
                    break;
                default:
                    throw new InvalidOperationException($"unexpected normalised value {_values[index]!.GetType().Name}");
            }
        }

        writer.WriteEndObject();
    }

    private static object? Normalise(ArchiveSet set, long key, SourceColumn column, object? value)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        InvalidRowException Invalid(string problem) => new(set.Table, key, column.Name, problem);

        switch (column.Kind)
        {
            case ColumnKind.Boolean:
                return ToInt64(value) switch
                {
                    0 => false,
                    1 => true,
                    var other => throw Invalid($"holds {other}; a {column.ColumnType} column is archived as a boolean, so only 0 and 1 are faithful"),
                };
            case ColumnKind.WholeNumber:
                var integer = value is ulong u ? (u <= JsonSafeInteger.Max ? (long)u : throw Invalid(JsonSafeInteger.Problem(u))) : ToInt64(value);
                return JsonSafeInteger.IsSafe(integer) ? integer : throw Invalid(JsonSafeInteger.Problem(integer));
            case ColumnKind.FloatingPoint:
                return Convert.ToDouble(value, CultureInfo.InvariantCulture);
            case ColumnKind.ExactDecimal:
                return value is string digits ? digits : Convert.ToString(value, CultureInfo.InvariantCulture);
            case ColumnKind.Text:
                return value as string ?? throw Invalid($"returned a {value.GetType().Name}, not text");
            case ColumnKind.DateTime:
                // A TIMESTAMP column is read as UNIX_TIMESTAMP(): seconds since the epoch, UTC whatever
                // the session's time zone; 0 is MySQL's zero TIMESTAMP.
                var time = value switch
                {
                    decimal seconds => seconds == 0 ? DateTime.MinValue : DateTime.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)),
                    long seconds => seconds == 0 ? DateTime.MinValue : DateTime.UnixEpoch.AddSeconds(seconds),
                    ulong seconds => seconds == 0 ? DateTime.MinValue : DateTime.UnixEpoch.AddSeconds(seconds),
                    _ => (DateTime)value,
                };
                if (time == DateTime.MinValue)
                {
                    throw Invalid("holds the zero date 0000-00-00, which has no ISO-8601 form");
                }

                return time.Ticks % TimeSpan.TicksPerMillisecond != 0
                    ? throw Invalid(string.Create(CultureInfo.InvariantCulture, $"holds {time:yyyy-MM-dd HH:mm:ss.ffffff}, finer than the archive's milliseconds"))
                    : DateTime.SpecifyKind(time, DateTimeKind.Utc);
            case ColumnKind.Date:
                var date = value is DateOnly d ? d.ToDateTime(TimeOnly.MinValue) : (DateTime)value;
                return date == DateTime.MinValue
                    ? throw Invalid("holds the zero date 0000-00-00, which has no ISO-8601 form")
                    : date.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);
            default:
                throw new InvalidOperationException($"unknown column kind {column.Kind}");
        }
    }

    private static long ToInt64(object value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    private static string Show(object? value) => value is null or DBNull ? "NULL" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// Refuses a document above <paramref name="maxDocumentBytes"/> (CouchDB's <c>max_document_size</c>),
    /// naming its largest column. A cheap upper bound (every character escaped as <c>\uXXXX</c>)
    /// clears ordinary rows without serialising them twice.
    /// </summary>
    private void CheckSize(long maxDocumentBytes)
    {
        long bound = 64 + Id.Length + Set.Type.Length;
        for (var i = 0; i < _values.Length; i++)
        {
            bound += (Set.Columns[i].Name.Length * 6) + 8 + (_values[i] is string s ? s.Length * 6L : 32);
        }

        if (bound <= maxDocumentBytes)
        {
            return;
        }

        var size = DocumentContent.SerializedLength(this);
        if (size <= maxDocumentBytes)
        {
            return;
        }

        // Only for the message, on the way out.
        using var serialized = DocumentContent.Serialize(this);
        var largest = serialized.RootElement.EnumerateObject().MaxBy(p => p.Value.GetRawText().Length);
        throw new InvalidRowException(Set.Table, Key, largest.Name,
            $"makes a document of {size:N0} bytes, above CouchDb:MaxDocumentBytes ({maxDocumentBytes:N0}); this column is its largest field", Id);
    }
}

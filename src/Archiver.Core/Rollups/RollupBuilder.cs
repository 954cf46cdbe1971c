using System.Globalization;
using System.Text.Json;
using Archiver.Documents;
using Archiver.Sets;

namespace Archiver.Rollups;

/// <summary>
/// Adds up a campaign's rows of one set per minute while they stream past, in any order. Memory
/// grows with the number of distinct minutes (and distinct count-by values), never with rows.
/// </summary>
public sealed class RollupBuilder(ArchiveSet set, long campaignId)
{
    private readonly Dictionary<long, Minute> _minutes = [];

    public long Rows { get; private set; }

    public int Minutes => _minutes.Count;

    public void Add(RowDocument row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Add(row.Timestamp, row, static (r, column) => r[column]);
    }

    /// <summary>
    /// Adds a row as its archived document holds it: a purged row's document is the only copy of it,
    /// so a partly purged campaign's rollups are rebuilt from its documents, never from the rows left
    /// in MySQL alone. The values are read back as <see cref="RowDocument"/> holds them.
    /// </summary>
    public void Add(StoredDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var body = document.Body ?? throw new ArgumentException($"document {document.Id} was read without its body", nameof(document));
        var timestampColumn = set.Columns[set.TimestampIndex].Name;
        if (!body.TryGetProperty(timestampColumn, out var stamp) || stamp.ValueKind != JsonValueKind.String || !UtcTimestamp.TryParse(stamp.GetString(), out var timestamp))
        {
            throw new ArchiveVerificationException(campaignId, set.Table, $"document {document.Id} has no timestamp in {timestampColumn}; its minute cannot be rolled up");
        }

        Add(timestamp, body, (b, column) => ValueOf(b, set.Columns[column]));
    }

    private void Add<TSource>(DateTime timestamp, TSource source, Func<TSource, int, object?> valueOf)
    {
        var index = timestamp.Ticks / TimeSpan.TicksPerMinute;
        if (!_minutes.TryGetValue(index, out var minute))
        {
            minute = new Minute(set.Measures.Count);
            _minutes.Add(index, minute);
        }

        Rows++;
        for (var i = 0; i < set.Measures.Count; i++)
        {
            var measure = set.Measures[i];
            switch (measure.Kind)
            {
                case MeasureKind.Count:
                    minute.Totals[i]++;
                    break;
                case MeasureKind.Sum:
                    minute.Totals[i] += valueOf(source, measure.ColumnIndex) switch
                    {
                        true => 1,
                        long number => number,
                        _ => 0,
                    };
                    break;
                default:
                    if (valueOf(source, measure.ColumnIndex) is { } value && Key(value) is { } key)
                    {
                        var counts = minute.ByValue[i] ??= new SortedDictionary<string, long>(StringComparer.Ordinal);
                        counts[key] = counts.GetValueOrDefault(key) + 1;
                    }

                    break;
            }
        }
    }

    /// <summary>A field as the row's value would be: dates are not keys (see <see cref="Key"/>), whatever their JSON text.</summary>
    private static object? ValueOf(JsonElement body, SourceColumn column)
    {
        if (!body.TryGetProperty(column.Name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            _ when column.Kind is ColumnKind.DateTime or ColumnKind.Date => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt64(out var whole) && column.Kind != ColumnKind.FloatingPoint => whole,
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
    }

    /// <summary>One rollup per minute that has rows, in time order.</summary>
    public IReadOnlyList<RollupDocument> Build() =>
        _minutes.OrderBy(m => m.Key).Select(m =>
        {
            var byValue = new SortedDictionary<string, long>?[set.Measures.Count];
            for (var i = 0; i < byValue.Length; i++)
            {
                if (set.Measures[i].Kind == MeasureKind.CountBy)
                {
                    byValue[i] = m.Value.ByValue[i] ?? new SortedDictionary<string, long>(StringComparer.Ordinal);
                }
            }

            return new RollupDocument(set, campaignId, new DateTime(m.Key * TimeSpan.TicksPerMinute, DateTimeKind.Utc), m.Value.Totals, byValue);
        }).ToList();

    private static string? Key(object value) => value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => null,
    };

    private sealed class Minute(int measures)
    {
        public long[] Totals { get; } = new long[measures];

        public SortedDictionary<string, long>?[] ByValue { get; } = new SortedDictionary<string, long>?[measures];
    }
}

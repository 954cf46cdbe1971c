using System.Globalization;
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
        var index = row.Timestamp.Ticks / TimeSpan.TicksPerMinute;
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
                    minute.Totals[i] += row[measure.ColumnIndex] switch
                    {
                        true => 1,
                        long number => number,
                        _ => 0,
                    };
                    break;
                default:
                    if (row[measure.ColumnIndex] is { } value && Key(value) is { } key)
                    {
                        var counts = minute.ByValue[i] ??= new SortedDictionary<string, long>(StringComparer.Ordinal);
                        counts[key] = counts.GetValueOrDefault(key) + 1;
                    }

                    break;
            }
        }
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

using System.Globalization;
using System.Text.Json;
using Archiver.Documents;
using Archiver.Sets;

namespace Archiver.Rollups;

/// <summary>
/// The pinned rollup contract: <c>type: "rollup"</c>, <c>set</c> (the source table),
/// <c>campaign_id</c>, <c>minute</c> (<c>2026-11-20T14:05Z</c>, UTC), then the set's measures in
/// configuration order: <c>count</c>, sums such as <c>winners</c>, and count-by objects such as
/// <c>choices</c> (value → rows, members sorted by value).
/// </summary>
public sealed class RollupDocument : IArchiveDocument
{
    private readonly ArchiveSet _set;
    private readonly long[] _totals;
    private readonly SortedDictionary<string, long>?[] _byValue;

    internal RollupDocument(ArchiveSet set, long campaignId, DateTime minute, long[] totals, SortedDictionary<string, long>?[] byValue)
    {
        _set = set;
        _totals = totals;
        _byValue = byValue;
        CampaignId = campaignId;
        Minute = minute;
        Id = DocumentIds.ForRollup(set.Table, campaignId, minute);
    }

    public string Id { get; }

    public string Origin => string.Create(CultureInfo.InvariantCulture, $"rollup of {_set.Table} for campaign {CampaignId}, minute {DocumentIds.RollupMinute(Minute)}");

    public long CampaignId { get; }

    public DateTime Minute { get; }

    /// <summary>Rows in this minute.</summary>
    public long Count => _totals[_set.Measures.ToList().FindIndex(m => m.Kind == MeasureKind.Count)];

    public void WriteFields(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("type", "rollup");
        writer.WriteString("set", _set.Table);
        writer.WriteNumber("campaign_id", CampaignId);
        writer.WriteString("minute", DocumentIds.RollupMinute(Minute));
        for (var i = 0; i < _set.Measures.Count; i++)
        {
            var measure = _set.Measures[i];
            if (_byValue[i] is { } counts)
            {
                writer.WriteStartObject(measure.Name);
                foreach (var (value, count) in counts)
                {
                    writer.WriteNumber(value, count);
                }

                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNumber(measure.Name, _totals[i]);
            }
        }
    }
}

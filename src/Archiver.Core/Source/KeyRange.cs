using System.Globalization;
using Archiver.Documents;

namespace Archiver.Source;

/// <summary>
/// A range of a set's primary keys: from <see cref="From"/> (inclusive) up to <see cref="To"/>
/// (exclusive); either end null when open. A shard of a campaign covers one; the shards of a set
/// are contiguous and open at both outer ends, so together they hold every key the campaign has or
/// gets, and a row added after the plan still belongs to exactly one shard.
/// </summary>
public readonly record struct KeyRange(long? From, long? To)
{
    /// <summary>Every key.</summary>
    public static KeyRange All => default;

    public bool IsAll => From is null && To is null;

    public bool Contains(long key) => (From is not { } from || key >= from) && (To is not { } to || key < to);

    /// <summary>The <c>_all_docs</c> range (start inclusive, end exclusive) of the range's row documents of one campaign.</summary>
    public (string Start, string End) DocumentRange(string table, long campaignId)
    {
        var (start, end) = DocumentIds.RowRange(table, campaignId);
        return (From is { } from ? DocumentIds.ForRow(table, campaignId, from) : start, To is { } to ? DocumentIds.ForRow(table, campaignId, to) : end);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"keys [{From?.ToString(CultureInfo.InvariantCulture) ?? "first"}, {To?.ToString(CultureInfo.InvariantCulture) ?? "last"}{(To is null ? "]" : ")")}");
}

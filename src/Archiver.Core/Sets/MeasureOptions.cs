namespace Archiver.Sets;

/// <summary>One field of a set's rollup documents.</summary>
public sealed class MeasureOptions
{
    /// <summary>The rollup field, e.g. <c>count</c>, <c>winners</c>, <c>choices</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// <c>Count</c>, <c>Sum</c> or <c>CountBy</c> (see <see cref="MeasureKind"/>). Text, not the enum:
    /// the configuration binder silently drops a list element whose enum value it cannot convert,
    /// which would lose a measure without a word; the validator names a bad value instead.
    /// </summary>
    public string Kind { get; set; } = nameof(MeasureKind.Count);

    /// <summary>The parsed <see cref="Kind"/>; null when it names no <see cref="MeasureKind"/>.</summary>
    public MeasureKind? ParsedKind =>
        Enum.GetValues<MeasureKind>().Cast<MeasureKind?>().FirstOrDefault(k => string.Equals(k.ToString(), Kind?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The source column, for <see cref="MeasureKind.Sum"/> and <see cref="MeasureKind.CountBy"/>.</summary>
    public string? Column { get; set; }
}

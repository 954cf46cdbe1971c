namespace Archiver.Sets;

/// <summary>A measure resolved against the table: <see cref="ColumnIndex"/> is the column's position, or -1 for <see cref="MeasureKind.Count"/>.</summary>
public sealed record RollupMeasure(string Name, MeasureKind Kind, int ColumnIndex);

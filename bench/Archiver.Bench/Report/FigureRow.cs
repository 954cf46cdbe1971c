namespace Archiver.Bench.Report;

/// <summary>One line of the figures table: what, the measured value, the target and whether it is met.</summary>
internal sealed record FigureRow(string Figure, string Value, string Target, string Status);

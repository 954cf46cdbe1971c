namespace Archiver.Views;

/// <summary>One view of a design document: its map function and, optionally, a reduce (a function or a built-in such as <c>_sum</c>).</summary>
public sealed record ViewDefinition(string Map, string? Reduce);

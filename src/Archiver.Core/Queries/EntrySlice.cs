namespace Archiver.Queries;

/// <summary>
/// The entries a store read for one seek, in id order, and, when asked for, how many entries the
/// filter covers in the whole campaign (else -1).
/// </summary>
public sealed record EntrySlice(long Total, IReadOnlyList<ContestEntry> Items);

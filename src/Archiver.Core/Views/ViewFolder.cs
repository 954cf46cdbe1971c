namespace Archiver.Views;

/// <summary>One database folder of <c>views/</c>: its name (an archive set's table) and its design documents.</summary>
public sealed record ViewFolder(string Name, IReadOnlyList<DesignDocument> Designs);

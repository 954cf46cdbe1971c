namespace Archiver.Documents;

/// <summary>One document to save: a create when <paramref name="Rev"/> is null, else an update of that revision.</summary>
public readonly record struct DocumentWrite(IArchiveDocument Document, string? Rev);

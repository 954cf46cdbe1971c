namespace Archiver.Documents;

/// <summary>One entry of a <c>_bulk_docs</c> answer.</summary>
public sealed record DocumentWriteResult(string Id, string? Rev, string? Error, string? Reason)
{
    public bool Succeeded => Error is null;

    public bool IsConflict => string.Equals(Error, "conflict", StringComparison.Ordinal);
}

using System.Collections.ObjectModel;

namespace Archiver.Documents;

/// <summary>
/// The answer to one <c>_bulk_docs</c> request: one result per write, and the size of the request
/// body that carried the writes, which is what the archive's byte figures count (the body is
/// written straight to the network, so the client counts it as it goes).
/// </summary>
public sealed class DocumentWriteAnswer(IList<DocumentWriteResult> results, long bodyBytes) : ReadOnlyCollection<DocumentWriteResult>(results)
{
    /// <summary>Bytes of the request body (UTF-8 JSON) the server answered.</summary>
    public long BodyBytes { get; } = bodyBytes;
}

namespace Archiver;

/// <summary>
/// CouchDB answered, but not as its protocol says it must (JSON that does not parse, a bulk answer
/// with a result missing or twice, a write answer without a revision). Not transient: asking again
/// is not expected to help, and nothing is concluded from such an answer.
/// </summary>
public sealed class CouchDbProtocolException(string request, string problem, Exception? innerException = null)
    : ArchiverException($"CouchDB {request}: the answer breaks the protocol: {problem}", innerException)
{
    /// <summary>The request (<c>POST /db/_bulk_docs</c>) or the database it went to.</summary>
    public string Request { get; } = request;

    public string Problem { get; } = problem;
}

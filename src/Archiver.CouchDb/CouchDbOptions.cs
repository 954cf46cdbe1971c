namespace Archiver.CouchDb;

/// <summary>The <c>CouchDb</c> configuration section.</summary>
public sealed class CouchDbOptions
{
    public const string SectionName = "CouchDb";

    /// <summary>Server root, e.g. <c>http://127.0.0.1:5984/</c>.</summary>
    public string Url { get; set; } = "http://127.0.0.1:5984/";

    /// <summary>Basic-auth user; empty for an admin-party server (pouchdb-server's default).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Per request, answer included. A 2,500-document batch takes well under a second; a slow server gets time, a dead one does not hang the night.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// For a view query that brings an index up to date: building a view over millions of documents
    /// takes minutes (pouchdb-server: about 35 s per 50,000 documents), far beyond a document request.
    /// </summary>
    public TimeSpan ViewTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The largest document the server accepts: CouchDB 3's <c>max_document_size</c> (default
    /// 8,000,000 bytes). A row that would make a larger document stops its campaign with the row
    /// and its largest column named, instead of a refused batch. pouchdb-server has no limit.
    /// </summary>
    public long MaxDocumentBytes { get; set; } = 8_000_000;

    /// <summary>The URL as the HTTP client's base address (always ending in a slash).</summary>
    public Uri BaseAddress => new(Url.EndsWith('/') ? Url : Url + "/", UriKind.Absolute);
}

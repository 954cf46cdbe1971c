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
    /// Per view read that may first have to bring an index up to date (verification counts a
    /// campaign's documents). The first run against a large existing archive indexes all of it;
    /// pouchdb-server does about 1,300 documents a second.
    /// </summary>
    public TimeSpan IndexTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The URL as the HTTP client's base address (always ending in a slash).</summary>
    public Uri BaseAddress => new(Url.EndsWith('/') ? Url : Url + "/", UriKind.Absolute);
}

namespace Archiver.CouchDb;

/// <summary>
/// Parameters of a view read. Keys are JSON text (<c>[7]</c>, <c>[7,{}]</c>). For keyset pagination
/// ask for <see cref="Limit"/> + 1 rows and start the next page at the extra row's key: the shipped
/// views' keys are unique, because pouchdb-server ignores <c>startkey_docid</c>.
/// </summary>
public sealed record ViewQuery
{
    public string? StartKey { get; init; }

    public string? EndKey { get; init; }

    public bool InclusiveEnd { get; init; } = true;

    /// <summary>With a reduce: how many leading key elements to group by.</summary>
    public int? GroupLevel { get; init; }

    /// <summary>False reads the map rows of a view that has a reduce; null leaves the server's default (reduce when there is one).</summary>
    public bool? Reduce { get; init; }

    public int? Limit { get; init; }

    /// <summary>
    /// Rows to pass over before the first one returned. Its cost grows with it on both servers (CouchDB 3
    /// reads skip + limit rows on every shard; pouchdb-server walks them), so keep it small: start at
    /// a known key and skip only the rest.
    /// </summary>
    public int? Skip { get; init; }

    public bool IncludeDocs { get; init; }

    public bool Descending { get; init; }
}

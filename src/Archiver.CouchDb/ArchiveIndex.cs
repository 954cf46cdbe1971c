namespace Archiver.CouchDb;

/// <summary>
/// The archiver's own design document, written into every archive database by
/// <see cref="CouchDbClient.EnsureDatabaseAsync"/>: one view keyed <c>[type, campaign_id, _id]</c>
/// with the built-in <c>_count</c> reducer, so that verification can count a campaign's documents
/// (a key range reduced) and list them (the same range, keyset-paged on unique keys, because
/// pouchdb-server ignores <c>startkey_docid</c>). It belongs to the engine, not to the application
/// views under <c>views/</c>.
/// </summary>
public static class ArchiveIndex
{
    public const string DesignDocumentId = "_design/archiver";

    public const string ViewName = "by_campaign";

    public const string Map =
        "function (doc) { if (typeof doc.type === 'string' && typeof doc.campaign_id === 'number') { emit([doc.type, doc.campaign_id, doc._id], null); } }";

    public const string Reduce = "_count";

    internal const string ViewPath = "_design/archiver/_view/by_campaign";
}

namespace Archiver.Views;

/// <summary>An index build the server reports in <c>_active_tasks</c> (CouchDB 3; pouchdb-server reports none).</summary>
public sealed record IndexerTask(string Database, string DesignId, int? Progress);

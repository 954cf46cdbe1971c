using System.Net;

namespace Archiver.CouchDb;

public sealed partial class CouchDbClient
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _replicas = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates the database unless it exists. Existence is asked first because CouchDB 3 answers <c>PUT /db</c> with 401 to anyone who is not
    /// a server admin, even when the database exists and the account may write to it.
    /// </summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        if (await GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false) is null)
        {
            var path = DatabasePath(database);
            using var response = await SendAsync(HttpMethod.Put, path, null, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted)
            {
                Log.DatabaseCreated(_logger, database);
            }
            else if (response.StatusCode != HttpStatusCode.PreconditionFailed)
            {
                // 412: created by someone else in the meantime.
                throw await ErrorAsync(HttpMethod.Put, path, response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes the database; false when it did not exist. For tests and the demo's reset.</summary>
    public Task<bool> DeleteDatabaseAsync(string database, CancellationToken cancellationToken = default) =>
        DeleteAsync(DatabasePath(database), cancellationToken);

    /// <summary>
    /// Copies of every document (<c>cluster.n</c> of the database's info on CouchDB 3; 1 for a single
    /// node, pouchdb-server or a database that does not exist yet), asked once per database.
    /// </summary>
    public async Task<int> ReplicasAsync(string database, CancellationToken cancellationToken = default)
    {
        if (_replicas.TryGetValue(database, out var known))
        {
            return known;
        }

        using var document = await GetJsonOrNullAsync(DatabasePath(database), cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return 1;
        }

        var n = document.RootElement.TryGetProperty("cluster", out var cluster) && cluster.ValueKind == System.Text.Json.JsonValueKind.Object
            && cluster.TryGetProperty("n", out var copies) && copies.TryGetInt32(out var value) ? value : 1;
        return _replicas[database] = n;
    }

    /// <summary>Database information; null when the database does not exist.</summary>
    public async Task<CouchDatabaseInfo?> GetDatabaseInfoAsync(string database, CancellationToken cancellationToken = default)
    {
        var path = DatabasePath(database);
        using var document = await GetJsonOrNullAsync(path, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var updateSeq = root.GetProperty("update_seq");
        return new CouchDatabaseInfo(
            root.TryGetProperty("db_name", out var name) ? name.GetString() ?? database : database,
            root.GetProperty("doc_count").GetInt64(),
            root.TryGetProperty("doc_del_count", out var deleted) ? deleted.GetInt64() : 0,
            updateSeq.ValueKind == System.Text.Json.JsonValueKind.String ? updateSeq.GetString()! : updateSeq.GetRawText());
    }
}

using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Archiver.Views;

namespace Archiver.CouchDb;

public sealed partial class CouchDbClient : IDesignStore
{
    /// <summary>Queries stop waiting for a kicked-off build after this long; the server carries on building.</summary>
    private static readonly TimeSpan StartBuildWait = TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    public async Task<string?> GetUpdateSeqAsync(string database, CancellationToken cancellationToken = default) =>
        (await GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false))?.UpdateSeq;

    /// <inheritdoc />
    public async Task<StoredDesign?> GetDesignAsync(string database, string id, CancellationToken cancellationToken = default)
    {
        var path = DesignPath(database, id);
        using var document = await GetJsonOrNullAsync(path, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var rev = root.TryGetProperty("_rev", out var r) ? r.GetString() : null;
        return rev is null
            ? throw new CouchDbProtocolException($"GET /{path}", "the design document has no _rev")
            : new StoredDesign(id, rev, root.Clone());
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListDesignIdsAsync(string database, CancellationToken cancellationToken = default)
    {
        // _all_docs over the _design/ prefix: pouchdb-server has no _design_docs.
        var path = $"{DatabasePath(database)}/_all_docs?startkey={Uri.EscapeDataString("\"_design/\"")}&endkey={Uri.EscapeDataString("\"_design0\"")}";
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await ErrorAsync(HttpMethod.Get, path, response, cancellationToken).ConfigureAwait(false);
        }

        using var document = await ReadJsonAsync(HttpMethod.Get, path, response,
            static (stream, ct) => JsonDocument.ParseAsync(stream, default, ct), cancellationToken).ConfigureAwait(false);
        return [.. Rows(document, "GET", path)
            .Select(row => row.TryGetProperty("id", out var id) ? id.GetString() : null)
            .OfType<string>()
            .Where(id => id.StartsWith(DesignDocument.IdPrefix, StringComparison.Ordinal))];
    }

    /// <inheritdoc />
    public async Task<string> PutDesignAsync(string database, string id, byte[] body, CancellationToken cancellationToken = default)
    {
        var path = DesignPath(database, id);
        using var document = await SendForJsonAsync(HttpMethod.Put, path, () => JsonContent(body), [HttpStatusCode.Created, HttpStatusCode.Accepted], cancellationToken)
            .ConfigureAwait(false);
        return document.RootElement.TryGetProperty("rev", out var rev) && rev.GetString() is { } text
            ? text
            : throw new CouchDbProtocolException($"PUT /{path}", "the answer has no rev");
    }

    /// <inheritdoc />
    public async Task CopyDesignAsync(string database, string fromId, string toId, string? toRev, CancellationToken cancellationToken = default)
    {
        var copy = new HttpMethod("COPY");
        var destination = toRev is null ? toId : $"{toId}?rev={Uri.EscapeDataString(toRev)}";
        void Destination(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("Destination", destination);

        // CouchDB 3 takes COPY at /db/_design/x; pouchdb-server answers 404 there and takes it only at
        // the encoded /db/_design%2Fx, so that is tried when the first is not found.
        var path = DesignPath(database, fromId);
        var response = await SendAsync(copy, path, null, _options.Timeout, Destination, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                response.Dispose();
                path = $"{DatabasePath(database)}/{Uri.EscapeDataString(fromId)}";
                response = await SendAsync(copy, path, null, _options.Timeout, Destination, cancellationToken).ConfigureAwait(false);
            }

            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.OK))
            {
                throw await ErrorAsync(copy, path, response, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            response.Dispose();
        }
    }

    /// <inheritdoc />
    public async Task AdoptIndexesAsync(string database, string stagingId, DesignDocument design, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(design);
        var path = $"{DatabasePath(database)}/_local/mrviews";
        for (var attempt = 1; ; attempt++)
        {
            Dictionary<string, HashSet<string>> views;
            string? rev;
            using (var document = await GetJsonOrNullAsync(path, cancellationToken).ConfigureAwait(false))
            {
                if (document is null)
                {
                    // CouchDB 3, or no index opened yet: nothing records index users.
                    return;
                }

                if (!document.RootElement.TryGetProperty("views", out var v) || v.ValueKind != JsonValueKind.Object)
                {
                    return;
                }

                views = v.EnumerateObject().ToDictionary(
                    p => p.Name, p => p.Value.ValueKind == JsonValueKind.Object ? p.Value.EnumerateObject().Select(i => i.Name).ToHashSet(StringComparer.Ordinal) : [], StringComparer.Ordinal);
                rev = document.RootElement.TryGetProperty("_rev", out var r) ? r.GetString() : null;
            }

            // Entries are "<ddoc name>/<view>" → { "<db>-mrview-<md5 of the view code>": true }. The live
            // entry gets exactly the index of its code; what it listed before moves to the staging entry,
            // whose design document is deleted next, so the cleanup destroys the replaced index.
            var staging = stagingId[DesignDocument.IdPrefix.Length..] + "/";
            foreach (var (view, definition) in design.Views)
            {
                var index = PouchIndexName(database, definition);
                var live = $"{design.Name}/{view}";
                if (!views.TryGetValue(staging + view, out var retired))
                {
                    views[staging + view] = retired = new HashSet<string>(StringComparer.Ordinal);
                }

                retired.UnionWith(views.GetValueOrDefault(live) ?? []);
                retired.Remove(index);
                views[live] = new HashSet<string>([index], StringComparer.Ordinal);
            }

            var body = WriteJson(writer =>
            {
                writer.WriteStartObject();
                if (rev is not null)
                {
                    writer.WriteString("_rev", rev);
                }

                writer.WriteStartObject("views");
                foreach (var (name, indexes) in views)
                {
                    writer.WriteStartObject(name);
                    foreach (var index in indexes.Order(StringComparer.Ordinal))
                    {
                        writer.WriteBoolean(index, true);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            });
            using var put = await SendAsync(HttpMethod.Put, path, () => JsonContent(body), cancellationToken).ConfigureAwait(false);
            if (put.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted)
            {
                return;
            }

            if (put.StatusCode != HttpStatusCode.Conflict || attempt == 3)
            {
                throw await ErrorAsync(HttpMethod.Put, path, put, cancellationToken).ConfigureAwait(false);
            }

            // The server opened another index meanwhile and updated the record: read it again.
        }
    }

    /// <summary>
    /// pouchdb-server's folder for a view's index: <c>&lt;db&gt;-mrview-</c> and the MD5 of map + reduce
    /// (<c>undefined</c> without one) + <c>undefined</c>, hashed as Node's "binary" encoding does (the
    /// low byte of each UTF-16 unit). A naming scheme, not security.
    /// </summary>
    public static string PouchIndexName(string database, ViewDefinition view)
    {
        var signature = view.Map + (view.Reduce ?? "undefined") + "undefined";
        var bytes = signature.Select(c => (byte)(c & 0xFF)).ToArray();
#pragma warning disable CA5351 // MD5 names pouchdb-server's index folders; nothing is protected by it.
        return $"{database}-mrview-{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes))}";
#pragma warning restore CA5351
    }

    /// <inheritdoc />
    public async Task DeleteDesignAsync(string database, string id, string rev, CancellationToken cancellationToken = default)
    {
        var path = $"{DesignPath(database, id)}?rev={Uri.EscapeDataString(rev)}";
        using var response = await SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NotFound))
        {
            throw await ErrorAsync(HttpMethod.Delete, path, response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task WaitForIndexCommitAsync(IReadOnlyCollection<(string Database, string DesignId)> designs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(designs);
        var clustered = new List<(string Database, string DesignId)>();
        foreach (var design in designs)
        {
            if (await ReplicasAsync(design.Database, cancellationToken).ConfigureAwait(false) > 1)
            {
                clustered.Add(design);
            }
        }

        if (clustered.Count == 0)
        {
            return;
        }

        // Neither which design document each copy's index process serves nor each copy's commit is
        // visible over HTTP (_info answers from one copy per shard range, whichever replies first). So:
        // the server's commit interval after the builds just done (the background indexer catches the
        // other copies up within it), then until the copies that do answer have nothing left to write.
        await Task.Delay(await CommitIntervalAsync(cancellationToken).ConfigureAwait(false) + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        foreach (var (database, designId) in clustered)
        {
            while (Stopwatch.GetElapsedTime(started) < _options.ViewTimeout)
            {
                using (var document = await GetJsonOrNullAsync(DesignPath(database, designId) + "/_info", cancellationToken).ConfigureAwait(false))
                {
                    if (document is null || !document.RootElement.TryGetProperty("view_index", out var index) || index.ValueKind != JsonValueKind.Object
                        || !(index.TryGetProperty("waiting_commit", out var waiting) && waiting.ValueKind == JsonValueKind.True)
                            && !(index.TryGetProperty("updater_running", out var running) && running.ValueKind == JsonValueKind.True))
                    {
                        break;
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The node's <c>query_server_config/commit_freq</c>: 5 s unless configured (or not readable by a non-admin).</summary>
    private async Task<TimeSpan> CommitIntervalAsync(CancellationToken cancellationToken)
    {
        var fallback = TimeSpan.FromSeconds(5);
        try
        {
            using var document = await GetJsonOrNullAsync("_node/_local/_config/query_server_config/commit_freq", cancellationToken).ConfigureAwait(false);
            return document?.RootElement.ValueKind == JsonValueKind.String
                && int.TryParse(document.RootElement.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : fallback;
        }
        catch (CouchDbException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return fallback;
        }
    }

    /// <inheritdoc />
    public async Task BuildViewAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default)
    {
        // Without stale, the answer waits until the index is current; limit=0 (and reduce=false,
        // which pouchdb-server would otherwise compute at query time) asks for nothing else.
        var path = ViewPath(database, designId, view) + "?limit=0" + (hasReduce ? "&reduce=false" : "") + await StableAsync(database, cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(HttpMethod.Get, path, null, _options.ViewTimeout, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await ErrorAsync(HttpMethod.Get, path, response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>&amp;stable=true</c> on a cluster: a query that builds an index builds it on the shard copies
    /// that answer, and application reads (<c>stale=ok</c>, which is <c>stable=true</c>) always ask
    /// the same preferred copies; building with <c>stable=true</c> builds exactly those, so a stale read
    /// after a refresh is complete. Nothing on one copy (single node, pouchdb-server, which does not know it).
    /// </summary>
    private async Task<string> StableAsync(string database, CancellationToken cancellationToken) =>
        await ReplicasAsync(database, cancellationToken).ConfigureAwait(false) > 1 ? "&stable=true" : "";

    /// <inheritdoc />
    public async Task StartViewBuildAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default)
    {
        var path = ViewPath(database, designId, view) + "?limit=0" + (hasReduce ? "&reduce=false" : "");
        try
        {
            // Sent once: a retry would only queue the same build again.
            using var response = await SendOnceAsync(HttpMethod.Get, path, null, StartBuildWait, null, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw await ErrorAsync(HttpMethod.Get, path, response, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (CouchDbException ex) when (ex.Error == "timeout")
        {
            // Still building: that is what was asked for.
        }
    }

    /// <inheritdoc />
    public async Task<string?> GetViewSeqAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default)
    {
        var path = ViewPath(database, designId, view) + "?stale=ok&update_seq=true&limit=0" + (hasReduce ? "&reduce=false" : "");
        using var document = await GetJsonOrNullAsync(path, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return null;
        }

        return document.RootElement.TryGetProperty("update_seq", out var seq)
            ? seq.ValueKind == JsonValueKind.String ? seq.GetString() : seq.GetRawText()
            : null;
    }

    /// <inheritdoc />
    public async Task<DesignIndexInfo?> GetIndexInfoAsync(string database, string designId, CancellationToken cancellationToken = default)
    {
        // A cluster answers _info from the first copy of each shard range to reply and counts a copy's
        // pending changes as "preferred" (the copies stable reads use) only when that copy is one of
        // them: for an index no copy has built, one read says preferred 0, the next 3, 7 or 0 again.
        // "total" is no better: it includes copies no reader uses, which the server builds in the
        // background later. So the report is read again while it cannot tell (nothing pending on the
        // preferred copies that answered, something on others), until a preferred copy shows changes
        // pending (behind), every copy that answered is done (built), or PreferredReads reads saw no
        // preferred copy behind. A single copy (single node) always answers as preferred: one read.
        DesignIndexInfo? info = null;
        for (var read = 0; read < PreferredReads; read++)
        {
            var (report, total) = await ReadIndexInfoAsync(database, designId, cancellationToken).ConfigureAwait(false);
            if (report is null || report.PendingUpdates is null or > 0 || report.UpdaterRunning || total is null or 0)
            {
                return report;
            }

            info = report;
        }

        return info;
    }

    /// <summary>How often <see cref="GetIndexInfoAsync"/> reads a cluster's <c>_info</c> at most before taking "no preferred copy seen behind" as built.</summary>
    private const int PreferredReads = 20;

    private async Task<(DesignIndexInfo? Info, long? Total)> ReadIndexInfoAsync(string database, string designId, CancellationToken cancellationToken)
    {
        var path = DesignPath(database, designId) + "/_info";
        using var document = await GetJsonOrNullAsync(path, cancellationToken).ConfigureAwait(false);

        // pouchdb-server: {"name":…, "view_index":"Not implemented."}.
        if (document is null
            || !document.RootElement.TryGetProperty("view_index", out var index) || index.ValueKind != JsonValueKind.Object
            || !index.TryGetProperty("signature", out var signature) || signature.ValueKind != JsonValueKind.String)
        {
            return (null, null);
        }

        var seq = index.TryGetProperty("update_seq", out var s) ? (s.ValueKind == JsonValueKind.String ? s.GetString()! : s.GetRawText()) : "";
        var running = index.TryGetProperty("updater_running", out var r) && r.ValueKind == JsonValueKind.True;
        long? Pending(string kind) => index.TryGetProperty("updates_pending", out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty(kind, out var value) && value.TryGetInt64(out var count)
                ? count
                : null;
        return (new DesignIndexInfo(signature.GetString()!, seq, running, Pending("preferred")), Pending("total"));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IndexerTask>> GetIndexerTasksAsync(CancellationToken cancellationToken = default)
    {
        const string path = "_active_tasks";
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // CouchDB 3 shows active tasks to server admins only; a member deploys without progress figures.
            return [];
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await ErrorAsync(HttpMethod.Get, path, response, cancellationToken).ConfigureAwait(false);
        }

        using var document = await ReadJsonAsync(HttpMethod.Get, path, response,
            static (stream, ct) => JsonDocument.ParseAsync(stream, default, ct), cancellationToken).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var tasks = new List<IndexerTask>();
        foreach (var task in document.RootElement.EnumerateArray())
        {
            if (task.ValueKind == JsonValueKind.Object && task.TryGetProperty("type", out var type) && type.GetString() == "indexer"
                && task.TryGetProperty("database", out var db) && task.TryGetProperty("design_document", out var design))
            {
                int? progress = task.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : null;
                tasks.Add(new IndexerTask(db.GetString() ?? "", design.GetString() ?? "", progress));
            }
        }

        return tasks;
    }

    /// <inheritdoc />
    public async Task CleanupViewsAsync(string database, CancellationToken cancellationToken = default)
    {
        var path = DatabasePath(database) + "/_view_cleanup";
        using var response = await SendAsync(HttpMethod.Post, path, () => JsonContent("{}"u8.ToArray()), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
        {
            throw await ErrorAsync(HttpMethod.Post, path, response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An application read of a view: always <c>stale=ok</c>, so it never waits for an index build
    /// (the archive job keeps the indexes current). CouchDB 3 also spells it <c>stable=true&amp;update=false</c>,
    /// but pouchdb-server ignores <c>update=</c> and would build; <c>stale=ok</c> works on both.
    /// </summary>
    public async Task<ViewResult> QueryViewAsync(string database, string designName, string view, ViewQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await QueryIndexAsync(ViewPath(database, DesignDocument.IdPrefix + designName, view) + "?stale=ok", query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An application read of <c>_all_docs</c> with a view read's parameters (keys are JSON strings,
    /// the document ids): a range of ids in id order, which no index build delays. Both servers sort
    /// <c>_all_docs</c> by the ids' code points.
    /// </summary>
    public async Task<ViewResult> QueryAllDocsAsync(string database, ViewQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.GroupLevel is not null || query.Reduce is not null)
        {
            throw new ArgumentException("_all_docs has no reduce", nameof(query));
        }

        return await QueryIndexAsync(DatabasePath(database) + "/_all_docs?", query, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ViewResult> QueryIndexAsync(string basePath, ViewQuery query, CancellationToken cancellationToken)
    {
        if (query.Skip < 0 || query.Limit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query, "skip and limit cannot be negative");
        }

        var path = new StringBuilder(basePath);
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                path.Append(path[^1] == '?' ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        Add("startkey", query.StartKey);
        Add("endkey", query.EndKey);
        Add("inclusive_end", query.InclusiveEnd ? null : "false");
        Add("group_level", query.GroupLevel?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("reduce", query.Reduce is { } reduce ? (reduce ? "true" : "false") : null);
        Add("limit", query.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("skip", query.Skip is > 0 ? query.Skip.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        Add("include_docs", query.IncludeDocs ? "true" : null);
        Add("descending", query.Descending ? "true" : null);
        var text = path.ToString();
        using var document = await SendForJsonAsync(HttpMethod.Get, text, null, [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false);
        var rows = Rows(document, "GET", text).Select(row => new ViewRow(
            row.TryGetProperty("id", out var id) ? id.GetString() : null,
            row.TryGetProperty("key", out var key) ? key.Clone() : default,
            row.TryGetProperty("value", out var value) ? value.Clone() : default,
            row.TryGetProperty("doc", out var doc) && doc.ValueKind == JsonValueKind.Object ? doc.Clone() : null)).ToList();
        return new ViewResult(rows);
    }

    private static JsonElement.ArrayEnumerator Rows(JsonDocument document, string method, string path) =>
        document.RootElement.TryGetProperty("rows", out var rows) && rows.ValueKind == JsonValueKind.Array
            ? rows.EnumerateArray()
            : throw new CouchDbProtocolException($"{method} /{path}", "the answer has no rows");

    private static string DesignPath(string database, string id) =>
        id.StartsWith(DesignDocument.IdPrefix, StringComparison.Ordinal)
            ? $"{DatabasePath(database)}/_design/{Uri.EscapeDataString(id[DesignDocument.IdPrefix.Length..])}"
            : throw new ArgumentException($"'{id}' is not a design document id", nameof(id));

    private static string ViewPath(string database, string designId, string view) => $"{DesignPath(database, designId)}/_view/{Uri.EscapeDataString(view)}";
}

using System.Globalization;
using System.Text.Json;
using Archiver.Documents;
using Archiver.Options;
using Archiver.Replication;
using Archiver.Sets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.CouchDb.Replication;

/// <summary>
/// Keeps the replicas fed and measured. <see cref="SyncAsync"/> makes sure each replica's databases
/// (every held set's database and its rollup database) have a replication in the central server's
/// <c>_replicator</c> database (a one-shot one is run again; a continuous one left running) and the
/// central server's design documents (copied here, not replicated: <see cref="ReplicationFilter"/>),
/// then measures. Measuring (<see cref="StatusAsync"/> too) counts, at each replica, the documents and
/// rollups of every archived campaign it does not yet hold complete; when they equal what the flag
/// verified (and the design documents equal the central server's), it builds the views there and
/// records the campaign complete in <see cref="IReplicaJournal"/>, which is when reads may use it.
/// </summary>
public sealed class ReplicaSync(
    CouchDbClient central,
    CouchDbOptions couch,
    ReplicaOptions options,
    ArchiveOptions archive,
    IReplicaJournal journal,
    Func<ReplicaServerOptions, CouchDbClient> replicaClient,
    ILogger<ReplicaSync>? logger = null)
{
    private const string ReplicatorDatabase = "_replicator";

    private readonly ILogger _logger = logger ?? NullLogger<ReplicaSync>.Instance;

    /// <summary>The <c>_replicator</c> document id of <paramref name="replica"/>'s copy of <paramref name="database"/>.</summary>
    public static string ReplicationId(string replica, string database) => $"archiver-{replica}-{database}";

    /// <summary>Starts (or restarts) every configured replication, then measures each replica.</summary>
    public async Task<IReadOnlyList<ReplicaStatus>> SyncAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<ReplicaStatus>();
        foreach (var server in options.Servers)
        {
            string? problem = null;
            if (server.Mode != ReplicationMode.None)
            {
                try
                {
                    foreach (var (database, types) in Databases(server))
                    {
                        await EnsureReplicationAsync(server, database, types, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (ArchiverException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    problem = ex.Message;
                }
            }

            var status = await MeasureAsync(server, cancellationToken).ConfigureAwait(false);
            result.Add(problem is null ? status : status with { Problem = status.Problem is null ? problem : problem + "; " + status.Problem });
        }

        return result;
    }

    /// <summary>Measures every replica (and records the campaigns it now holds complete); starts nothing.</summary>
    public async Task<IReadOnlyList<ReplicaStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<ReplicaStatus>();
        foreach (var server in options.Servers)
        {
            result.Add(await MeasureAsync(server, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>The databases a replica holds, with the document types its replication copies.</summary>
    private IEnumerable<(string Database, string Types)> Databases(ReplicaServerOptions server) =>
        archive.Sets.Where(s => server.Holds(s.Table))
            .SelectMany(s => new[] { (Database: s.Database, Type: s.Type), (Database: s.EffectiveRollupDatabase, Type: "rollup") })
            .GroupBy(d => d.Database, StringComparer.Ordinal)
            .Select(g => (g.Key, ReplicationFilter.Types(g.Select(d => d.Type))));

    private async Task EnsureReplicationAsync(ReplicaServerOptions server, string database, string types, CancellationToken cancellationToken)
    {
        if (await central.GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        var filterChanged = false;
        using (var filter = await central.GetDocumentJsonAsync(database, ReplicationFilter.DesignId, cancellationToken).ConfigureAwait(false))
        {
            if (filter is null || !ReplicationFilter.IsCurrent(filter.RootElement))
            {
                var rev = filter?.RootElement.TryGetProperty("_rev", out var r) == true ? r.GetString() : null;
                await central.PutDocumentJsonAsync(database, ReplicationFilter.DesignId, ReplicationFilter.Body(rev), cancellationToken).ConfigureAwait(false);
                filterChanged = filter is not null;
            }
        }

        // The target is created here, not by the replication: pouchdb-server ignores create_target, CouchDB 3 needs it.
        var replica = replicaClient(server);
        await replica.EnsureDatabaseAsync(database, cancellationToken).ConfigureAwait(false);
        await CopyDesignsAsync(server, replica, database, cancellationToken).ConfigureAwait(false);
        await central.EnsureDatabaseAsync(ReplicatorDatabase, cancellationToken).ConfigureAwait(false);

        var id = ReplicationId(server.Name, database);
        var wanted = ReplicationBody(server, database, types);
        using var existing = await central.GetDocumentJsonAsync(ReplicatorDatabase, id, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            var doc = existing.RootElement;
            var state = doc.TryGetProperty("_replication_state", out var s) ? s.GetString() : null;
            var same = SameSpec(doc, wanted);
            var rerun = server.Mode == ReplicationMode.OneShot ? state is "completed" or "error" or "failed" : state is "error" or "failed";
            if (same && !rerun && !filterChanged)
            {
                return;
            }

            // A running replication's document is deleted only when its spec (or its filter) changed:
            // pouchdb-server reads the filter only when a replication starts. It survives the delete
            // only with Node's --unhandled-rejections=warn (scripts/services.sh sets it).
            await central.DeleteDocumentAsync(ReplicatorDatabase, id, doc.GetProperty("_rev").GetString()!, cancellationToken).ConfigureAwait(false);
            Log.ReplicationStarted(_logger, id, server.Name, database,
                !same ? "replaced (settings changed)" : filterChanged ? "replaced (filter changed)" : $"run again (was {state})");
        }
        else
        {
            Log.ReplicationStarted(_logger, id, server.Name, database, "started");
        }

        await central.PutDocumentJsonAsync(ReplicatorDatabase, id, JsonSerializer.SerializeToUtf8Bytes(wanted), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes the replica's design documents the central server's: each one it lacks, or holds at
    /// another revision, is copied with its history (so the revision stays the central server's, which
    /// is what <see cref="SameDesignsAsync"/> compares), and its views start building there; each one
    /// the central server no longer has (a deploy's staging copy) is deleted. A read of a view still
    /// building there finds fewer rows than the rollups count and moves on to the next server.
    /// </summary>
    private async Task CopyDesignsAsync(ReplicaServerOptions server, CouchDbClient replica, string database, CancellationToken cancellationToken)
    {
        var wanted = await DesignsAsync(central, database, cancellationToken).ConfigureAwait(false);
        var there = await DesignsAsync(replica, database, cancellationToken).ConfigureAwait(false);
        foreach (var (id, rev) in wanted)
        {
            if (there.TryGetValue(id, out var theirs) && theirs == rev)
            {
                continue;
            }

            using var design = await central.GetDocumentWithHistoryAsync(database, id, cancellationToken).ConfigureAwait(false);
            if (design is null)
            {
                // Deleted since it was listed (a deploy's cleanup): the next sync deletes it there too.
                continue;
            }

            await replica.PutReplicatedDocumentAsync(database, design.RootElement, cancellationToken).ConfigureAwait(false);
            Log.ReplicaDesignCopied(_logger, id, database, theirs is null ? "copied" : "updated", server.Name);
            if (design.RootElement.TryGetProperty("views", out var views) && views.ValueKind == JsonValueKind.Object)
            {
                foreach (var view in views.EnumerateObject())
                {
                    var hasReduce = view.Value.ValueKind == JsonValueKind.Object && view.Value.TryGetProperty("reduce", out _);
                    await replica.StartViewBuildAsync(database, id, view.Name, hasReduce, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        foreach (var (id, rev) in there.Where(d => !wanted.ContainsKey(d.Key)))
        {
            if (await replica.DeleteDocumentAsync(database, id, rev, cancellationToken).ConfigureAwait(false))
            {
                Log.ReplicaDesignCopied(_logger, id, database, "deleted", server.Name);
            }
        }
    }

    /// <summary>
    /// The <c>_replicator</c> document: source and target as <c>{url, headers}</c> objects with any
    /// credentials in an Authorization header (pouchdb-server crashes on <c>auth.basic</c>).
    /// </summary>
    private Dictionary<string, object> ReplicationBody(ReplicaServerOptions server, string database, string types)
    {
        var body = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["source"] = Endpoint(couch.BaseAddress, database, couch.Username, couch.Password),
            ["target"] = Endpoint(server.BaseAddress, database, server.Username, server.Password),
            ["filter"] = ReplicationFilter.Name,
            ["query_params"] = new Dictionary<string, string>(StringComparer.Ordinal) { ["types"] = types },
        };
        if (server.Mode == ReplicationMode.Continuous)
        {
            body["continuous"] = true;
        }

        return body;
    }

    /// <summary>A plain URL without credentials: pouchdb-server 4.2.0 crashes on an object without <c>headers</c>.</summary>
    private static object Endpoint(Uri root, string database, string? user, string? password)
    {
        var url = new Uri(root, Uri.EscapeDataString(database)).ToString();
        if (string.IsNullOrEmpty(user))
        {
            return url;
        }

        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["url"] = url,
            ["headers"] = new Dictionary<string, string>(StringComparer.Ordinal) { ["Authorization"] = ReplicationFilter.BasicAuthorization(user, password ?? "") },
        };
    }

    /// <summary>
    /// Deletes Archiver's <c>_replicator</c> documents for every configured replica (continuous
    /// replications stop). Replicated documents stay where they are.
    /// </summary>
    public async Task<int> RemoveReplicationsAsync(CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var server in options.Servers)
        {
            foreach (var (database, _) in Databases(server))
            {
                var id = ReplicationId(server.Name, database);
                using var doc = await central.GetDocumentJsonAsync(ReplicatorDatabase, id, cancellationToken).ConfigureAwait(false);
                if (doc is not null && await central.DeleteDocumentAsync(ReplicatorDatabase, id, doc.RootElement.GetProperty("_rev").GetString()!, cancellationToken).ConfigureAwait(false))
                {
                    removed++;
                }
            }
        }

        return removed;
    }

    private static bool SameSpec(JsonElement doc, Dictionary<string, object> wanted)
    {
        using var target = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(wanted));
        foreach (var key in new[] { "source", "target", "filter", "query_params", "continuous" })
        {
            var has = doc.TryGetProperty(key, out var value);
            var wants = target.RootElement.TryGetProperty(key, out var expected);
            if (has != wants || (has && !JsonElement.DeepEquals(value, expected)))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<ReplicaStatus> MeasureAsync(ReplicaServerOptions server, CancellationToken cancellationToken)
    {
        var client = replicaClient(server);
        string? problem = null;
        var reachable = true;
        var newlyComplete = 0;
        try
        {
            newlyComplete = await RecordCompleteAsync(server, client, cancellationToken).ConfigureAwait(false);
        }
        catch (ArchiverException ex) when (!cancellationToken.IsCancellationRequested)
        {
            problem = ex.Message;
            reachable = ex is not (CouchDbException { StatusCode: null } or ServiceUnavailableException);
        }

        var pending = await journal.PendingAsync(server.Name, cancellationToken).ConfigureAwait(false);
        var lag = pending.Select(p => p.CampaignId).Distinct().Count();
        var databases = new List<ReplicaDatabaseStatus>();
        var scheduler = await TryAsync(() => central.HasReplicationSchedulerAsync(cancellationToken)).ConfigureAwait(false);
        foreach (var set in archive.Sets.Where(s => server.Holds(s.Table)))
        {
            var setLag = pending.Where(p => string.Equals(p.Table, set.Table, StringComparison.Ordinal)).Select(p => p.CampaignId).Distinct().Count();
            foreach (var database in new[] { set.Database, set.EffectiveRollupDatabase }.Distinct(StringComparer.Ordinal))
            {
                if (databases.Any(d => d.Database == database))
                {
                    continue;
                }

                databases.Add(server.Mode == ReplicationMode.None
                    ? new ReplicaDatabaseStatus(server.Name, database, "none", null, null, null, setLag)
                    : await ReplicationStateAsync(server, database, scheduler, setLag, cancellationToken).ConfigureAwait(false));
            }
        }

        return new ReplicaStatus(server.Name, server.BaseAddress.ToString(), server.Mode.ToString(), reachable, lag, newlyComplete, databases, problem);
    }

    private async Task<ReplicaDatabaseStatus> ReplicationStateAsync(ReplicaServerOptions server, string database, bool scheduler, int lag, CancellationToken cancellationToken)
    {
        var id = ReplicationId(server.Name, database);
        try
        {
            if (scheduler)
            {
                // CouchDB 3: the scheduler knows the running state and the numbers.
                using var job = await central.GetSchedulerDocAsync(id, cancellationToken).ConfigureAwait(false);
                if (job is not null)
                {
                    var root = job.RootElement;
                    var info = root.TryGetProperty("info", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
                    return new ReplicaDatabaseStatus(server.Name, database, Text(root, "state") ?? "unknown",
                        Number(info, "docs_written"), Number(info, "changes_pending"), Text(info, "checkpointed_source_seq"), lag);
                }
            }

            // pouchdb-server: no scheduler, the state is written into the _replicator document.
            using var doc = await central.GetDocumentJsonAsync(ReplicatorDatabase, id, cancellationToken).ConfigureAwait(false);
            if (doc is null)
            {
                return new ReplicaDatabaseStatus(server.Name, database,
                    await central.GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false) is null ? "no-source" : "not-started", null, null, null, lag);
            }

            var stats = doc.RootElement.TryGetProperty("_replication_stats", out var st) && st.ValueKind == JsonValueKind.Object ? st : default;
            var checkpoint = Text(stats, "last_seq");
            long? pendingChanges = null;
            if (long.TryParse(checkpoint, NumberStyles.None, CultureInfo.InvariantCulture, out var last) &&
                await central.GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false) is { } source &&
                long.TryParse(source.UpdateSeq, NumberStyles.None, CultureInfo.InvariantCulture, out var head))
            {
                // Sequences are integers on pouchdb-server: changes since the checkpoint, filtered out ones included (an upper bound).
                pendingChanges = Math.Max(0, head - last);
            }

            return new ReplicaDatabaseStatus(server.Name, database, Text(doc.RootElement, "_replication_state") ?? "starting",
                Number(stats, "docs_written"), pendingChanges, checkpoint, lag);
        }
        catch (ArchiverException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new ReplicaDatabaseStatus(server.Name, database, "unknown (" + ex.Message + ")", null, null, null, lag);
        }
    }

    /// <summary>Checks every campaign the replica lacks; records those now complete there. Returns how many.</summary>
    private async Task<int> RecordCompleteAsync(ReplicaServerOptions server, CouchDbClient replica, CancellationToken cancellationToken)
    {
        var pending = await journal.PendingAsync(server.Name, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return 0;
        }

        var sets = archive.Sets.ToDictionary(s => s.Table, StringComparer.Ordinal);
        var complete = new List<(long CampaignId, long Documents)>();
        foreach (var campaign in pending.GroupBy(p => p.CampaignId))
        {
            long documents = 0;
            var whole = true;
            foreach (var record in campaign)
            {
                if (!sets.TryGetValue(record.Table, out var set) || !server.Holds(record.Table) ||
                    !await HoldsSetAsync(replica, set, record, cancellationToken).ConfigureAwait(false))
                {
                    whole = false;
                    break;
                }

                documents += record.Rows;
            }

            if (whole)
            {
                complete.Add((campaign.Key, documents));
            }
        }

        if (complete.Count == 0)
        {
            return 0;
        }

        var databases = complete.SelectMany(c => pending.Where(p => p.CampaignId == c.CampaignId))
            .Select(p => sets[p.Table]).SelectMany(s => new[] { s.Database, s.EffectiveRollupDatabase }).Distinct(StringComparer.Ordinal).ToList();
        foreach (var database in databases)
        {
            if (!await SameDesignsAsync(replica, database, cancellationToken).ConfigureAwait(false))
            {
                // The views have not arrived yet: nothing is complete until they have.
                return 0;
            }
        }

        // Build the views now, so that reads (stale=ok) find every row of these campaigns indexed.
        foreach (var database in databases)
        {
            await replica.RefreshViewsAsync(database, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (campaignId, documents) in complete)
        {
            await journal.MarkCompleteAsync(server.Name, campaignId, documents, cancellationToken).ConfigureAwait(false);
            Log.ReplicaCampaignComplete(_logger, campaignId, server.Name, documents);
        }

        return complete.Count;
    }

    /// <summary>The set's documents of the campaign at the replica number what the flag verified, and its rollups what the central server holds.</summary>
    private async Task<bool> HoldsSetAsync(CouchDbClient replica, ArchiveSetOptions set, ArchivedSetCount record, CancellationToken cancellationToken)
    {
        var (start, end) = DocumentIds.RowRange(set.Table, record.CampaignId);
        if (await replica.CountRangeAsync(set.Database, start, end, cancellationToken).ConfigureAwait(false) != record.Rows)
        {
            return false;
        }

        var (rollupStart, rollupEnd) = DocumentIds.RollupRange(set.Table, record.CampaignId);
        var rollups = await central.CountRangeAsync(set.EffectiveRollupDatabase, rollupStart, rollupEnd, cancellationToken).ConfigureAwait(false);
        return await replica.CountRangeAsync(set.EffectiveRollupDatabase, rollupStart, rollupEnd, cancellationToken).ConfigureAwait(false) == rollups;
    }

    /// <summary>The replica has every design document of the central server's database, at the same revision.</summary>
    private async Task<bool> SameDesignsAsync(CouchDbClient replica, string database, CancellationToken cancellationToken)
    {
        var wanted = await DesignsAsync(central, database, cancellationToken).ConfigureAwait(false);
        var there = await DesignsAsync(replica, database, cancellationToken).ConfigureAwait(false);
        return wanted.All(d => there.TryGetValue(d.Key, out var rev) && rev == d.Value);
    }

    /// <summary>The database's design documents (but the replication's own filter), id to revision.</summary>
    private static async Task<Dictionary<string, string>> DesignsAsync(CouchDbClient client, string database, CancellationToken cancellationToken)
    {
        var designs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await client.GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false) is null)
        {
            return designs;
        }

        await foreach (var doc in client.ReadRangeAsync(database, "_design/", "_design0", includeDocs: false, pageSize: 1000, cancellationToken).ConfigureAwait(false))
        {
            if (doc.Id != ReplicationFilter.DesignId && doc.Rev is { } rev)
            {
                designs[doc.Id] = rev;
            }
        }

        return designs;
    }

    private static async Task<bool> TryAsync(Func<Task<bool>> ask)
    {
        try
        {
            return await ask().ConfigureAwait(false);
        }
        catch (ArchiverException)
        {
            return false;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Null ? null : value.GetRawText()
            : null;

    // CouchDB 3's scheduler answers null for numbers it does not know yet, and always for
    // changes_pending of a filtered replication: null means "unknown", never a failure.
    private static long? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;
}

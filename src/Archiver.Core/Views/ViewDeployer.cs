using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Archiver.Views;

/// <summary>
/// Deploys design documents without making readers wait (CouchDB's own advice): a changed design
/// document is uploaded beside the live one as <c>_design/&lt;name&gt;.staging</c>, its indexes are
/// built there, then it is copied over the live one with a server-side COPY. Indexes are keyed by
/// the view code, not the design document's name, so the live document finds its indexes already
/// built; readers querying with <c>stale=ok</c> see the old index until the copy and the new one after,
/// never an empty or partial one. Once every design document is live and the index work is on disk,
/// the staging copies are deleted and old index files are cleaned up. Unchanged design documents
/// (same content hash) are not written at all.
/// </summary>
public sealed class ViewDeployer(IDesignStore store, IOptions<ViewsOptions> options, ILogger<ViewDeployer>? logger = null)
{
    /// <summary>Appended to a design document's name for its staging copy; '.' cannot occur in a name under views/.</summary>
    public const string StagingSuffix = ".staging";

    private readonly ILogger _logger = logger ?? NullLogger<ViewDeployer>.Instance;

    public static string StagingId(DesignDocument design)
    {
        ArgumentNullException.ThrowIfNull(design);
        return design.Id + StagingSuffix;
    }

    public async Task<IReadOnlyList<DesignDeployResult>> DeployAsync(
        IReadOnlyList<DeployTarget> targets, bool dryRun, bool noWait, IViewDeployProgress? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var results = new List<DesignDeployResult>(targets.Count);
        foreach (var target in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await DeployOneAsync(target, dryRun, noWait, progress, cancellationToken).ConfigureAwait(false));
        }

        // The staging copies that went live go once the index work they carried is on disk: deleting one
        // stops the index process on every shard copy the live document has not opened yet, and an index
        // stopped before it was written loses what it built (a cluster's readers would then see an empty
        // or partial index until it is rebuilt). One wait covers every design document of the run.
        var copied = targets.Where(t => results.Any(r => r.Database == t.Database && r.Design == t.Design.Name && r.Change is DesignChange.Created or DesignChange.Updated)).ToList();
        if (copied.Count > 0)
        {
            await store.WaitForIndexCommitAsync([.. copied.Select(t => (t.Database, t.Design.Id))], cancellationToken).ConfigureAwait(false);
            foreach (var (database, design) in copied)
            {
                var stagingId = StagingId(design);
                if (await store.GetDesignAsync(database, stagingId, cancellationToken).ConfigureAwait(false) is { } staging)
                {
                    await store.DeleteDesignAsync(database, stagingId, staging.Rev, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var database in copied.Select(t => t.Database).Distinct(StringComparer.Ordinal))
            {
                await store.CleanupViewsAsync(database, cancellationToken).ConfigureAwait(false);
            }
        }

        // Design document writes advance a database's sequence too, so the views deployed first are
        // a few changes behind the last one: one last pass over every live view of each database that
        // was written brings them all level (it reads nothing but design documents, so it is quick).
        foreach (var database in results.Where(r => r.Change is DesignChange.Created or DesignChange.Updated or DesignChange.Staged).Select(r => r.Database).Distinct(StringComparer.Ordinal))
        {
            foreach (var target in targets.Where(t => t.Database == database && results.Any(r => r.Database == database && r.Design == t.Design.Name && r.Change != DesignChange.Staged)))
            {
                foreach (var (view, definition) in target.Design.Views)
                {
                    await store.BuildViewAsync(database, target.Design.Id, view, definition.Reduce is not null, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return results;
    }

    private async Task<DesignDeployResult> DeployOneAsync(DeployTarget target, bool dryRun, bool noWait, IViewDeployProgress? progress, CancellationToken cancellationToken)
    {
        var (database, design) = target;
        var live = await store.GetDesignAsync(database, design.Id, cancellationToken).ConfigureAwait(false);
        var liveHash = live is null ? null : DesignDocument.FromJson(design.Name, live.Body).Hash;
        var stagingId = StagingId(design);
        if (liveHash == design.Hash)
        {
            if (!dryRun && await store.GetDesignAsync(database, stagingId, cancellationToken).ConfigureAwait(false) is { } leftover)
            {
                // A staging copy left by an interrupted deploy whose copy had already happened. The
                // interruption may have come before the live document was recorded as using the staging
                // copy's indexes: record it now (repeating it is harmless), or the next _view_cleanup on
                // pouchdb-server would destroy the index the live views read.
                if (DesignDocument.FromJson(design.Name, leftover.Body).Hash == design.Hash)
                {
                    await store.AdoptIndexesAsync(database, stagingId, design, cancellationToken).ConfigureAwait(false);
                }

                await store.DeleteDesignAsync(database, stagingId, leftover.Rev, cancellationToken).ConfigureAwait(false);
            }

            return new DesignDeployResult(database, design.Name, DesignChange.Unchanged, design.Hash, liveHash, TimeSpan.Zero);
        }

        if (dryRun)
        {
            return new DesignDeployResult(database, design.Name, live is null ? DesignChange.WouldCreate : DesignChange.WouldUpdate, design.Hash, liveHash, TimeSpan.Zero);
        }

        await store.EnsureDatabaseAsync(database, cancellationToken).ConfigureAwait(false);

        // A staging copy with the same content (from a --no-wait deploy or an interrupted one) is kept: its index may be built already.
        var staging = await store.GetDesignAsync(database, stagingId, cancellationToken).ConfigureAwait(false);
        if (staging is null || DesignDocument.FromJson(design.Name, staging.Body).Hash != design.Hash)
        {
            progress?.Stepped(database, design.Name, $"uploading {stagingId} ({design.ShortHash}) beside the live one");
            await store.PutDesignAsync(database, stagingId, design.ToJson(stagingId, staging?.Rev), cancellationToken).ConfigureAwait(false);
        }

        if (noWait)
        {
            foreach (var (view, definition) in design.Views)
            {
                await store.StartViewBuildAsync(database, stagingId, view, definition.Reduce is not null, cancellationToken).ConfigureAwait(false);
            }

            progress?.Stepped(database, design.Name, $"{stagingId} is building; run views deploy again to make it live");
            return new DesignDeployResult(database, design.Name, DesignChange.Staged, design.Hash, liveHash, TimeSpan.Zero);
        }

        var started = Stopwatch.GetTimestamp();
        foreach (var (view, definition) in design.Views)
        {
            await BuildAsync(database, design, stagingId, view, definition.Reduce is not null, progress, cancellationToken).ConfigureAwait(false);
        }

        var buildTime = Stopwatch.GetElapsedTime(started);
        progress?.Stepped(database, design.Name, $"built in {buildTime.TotalSeconds:F1} s; copying {stagingId} over {design.Id}");
        await CopyOverLiveAsync(database, design, stagingId, cancellationToken).ConfigureAwait(false);

        // Before the staging copy goes (once every target is live, see DeployAsync), the live one must be
        // known to use its indexes: pouchdb-server's _view_cleanup destroys an index no recorded design
        // document uses, which would throw away the index just built and make readers wait for a
        // rebuild. Then the live views catch up with the few changes since the build (the copy itself
        // is one); on CouchDB that query also opens the index for the live document.
        await store.AdoptIndexesAsync(database, stagingId, design, cancellationToken).ConfigureAwait(false);
        foreach (var (view, definition) in design.Views)
        {
            await store.BuildViewAsync(database, design.Id, view, definition.Reduce is not null, cancellationToken).ConfigureAwait(false);
        }

        Log.DesignDeployed(_logger, database, design.Name, design.ShortHash, buildTime.TotalSeconds);
        return new DesignDeployResult(database, design.Name, live is null ? DesignChange.Created : DesignChange.Updated, design.Hash, liveHash, buildTime);
    }

    private async Task CopyOverLiveAsync(string database, DesignDocument design, string stagingId, CancellationToken cancellationToken)
    {
        // The live revision is read right before the copy: someone may have changed it during the build.
        var live = await store.GetDesignAsync(database, design.Id, cancellationToken).ConfigureAwait(false);
        await store.CopyDesignAsync(database, stagingId, design.Id, live?.Rev, cancellationToken).ConfigureAwait(false);

        // pouchdb-server's COPY answer carries neither id nor rev: read back what is live now.
        var now = await store.GetDesignAsync(database, design.Id, cancellationToken).ConfigureAwait(false);
        var hash = now is null ? null : DesignDocument.FromJson(design.Name, now.Body).Hash;
        if (hash != design.Hash)
        {
            throw new ViewDeployException(database, design.Name,
                $"after copying {stagingId} over {design.Id}, the live one has content {(hash is null ? "none" : hash[..12])}, not {design.ShortHash}");
        }
    }

    /// <summary>
    /// Builds one view with a blocking query and reports progress meanwhile: the server's percentage
    /// from <c>_active_tasks</c> where it reports one (CouchDB 3), else the elapsed time only.
    /// </summary>
    private async Task BuildAsync(string database, DesignDocument design, string stagingId, string view, bool hasReduce, IViewDeployProgress? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var build = store.BuildViewAsync(database, stagingId, view, hasReduce, cancellationToken);
        var interval = options.Value.ProgressInterval;
        while (await Task.WhenAny(build, Task.Delay(interval, cancellationToken)).ConfigureAwait(false) != build)
        {
            int? percent = null;
            try
            {
                var tasks = await store.GetIndexerTasksAsync(cancellationToken).ConfigureAwait(false);

                // CouchDB 3 names shards ("shards/00000000-7fffffff/db.1700000000"): match the database inside it.
                percent = tasks.Where(t => t.DesignId == stagingId && (t.Database == database || t.Database.Contains("/" + database + ".", StringComparison.Ordinal)))
                    .Select(t => t.Progress).Where(p => p is not null).DefaultIfEmpty(null).Min();
            }
            catch (ArchiverException ex) when (!build.IsCompleted)
            {
                // Progress figures are a nicety; the build itself decides success.
                Log.ProgressUnavailable(_logger, database, ex.Message);
            }

            progress?.Building(database, design.Name, view, Stopwatch.GetElapsedTime(started), percent);
        }

        await build.ConfigureAwait(false);
    }
}

namespace Archiver.Views;

/// <summary>Compares the design documents under <c>views/</c> with what each database holds (<c>archiver views status</c>); writes nothing.</summary>
public sealed class ViewStatusReader(IDesignStore store)
{
    public async Task<IReadOnlyList<DesignStatus>> ReadAsync(IReadOnlyList<DeployTarget> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var result = new List<DesignStatus>();
        foreach (var group in targets.GroupBy(t => t.Database, StringComparer.Ordinal))
        {
            var database = group.Key;
            var seq = await store.GetUpdateSeqAsync(database, cancellationToken).ConfigureAwait(false);
            var deployedIds = new HashSet<string>(await store.ListDesignIdsAsync(database, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
            foreach (var (_, design) in group)
            {
                var live = deployedIds.Contains(design.Id) ? await store.GetDesignAsync(database, design.Id, cancellationToken).ConfigureAwait(false) : null;
                var staging = deployedIds.Contains(ViewDeployer.StagingId(design));
                if (live is null)
                {
                    result.Add(new DesignStatus(database, design.Name, true, false, false, null, design.Hash, null, staging, []));
                    continue;
                }

                var deployed = DesignDocument.FromJson(design.Name, live.Body);
                var (built, stale) = await BuiltAsync(database, deployed, seq, cancellationToken).ConfigureAwait(false);
                result.Add(new DesignStatus(database, design.Name, true, true, deployed.Hash == design.Hash, built, design.Hash, deployed.Hash, staging, stale));
            }

            // Design documents on the server that no file describes (hand-made, or of a removed folder).
            var known = group.SelectMany(t => new[] { t.Design.Id, ViewDeployer.StagingId(t.Design) }).ToHashSet(StringComparer.Ordinal);
            foreach (var id in deployedIds.Where(id => !known.Contains(id)).Order(StringComparer.Ordinal))
            {
                if (await store.GetDesignAsync(database, id, cancellationToken).ConfigureAwait(false) is not { } other)
                {
                    continue;
                }

                var deployed = DesignDocument.FromJson(id[DesignDocument.IdPrefix.Length..], other.Body);
                var (built, stale) = await BuiltAsync(database, deployed, seq, cancellationToken).ConfigureAwait(false);
                result.Add(new DesignStatus(database, deployed.Name, false, true, false, built, null, deployed.Hash, false, stale));
            }
        }

        return result;
    }

    private async Task<(bool? Built, IReadOnlyList<string> Stale)> BuiltAsync(string database, DesignDocument deployed, string? databaseSeq, CancellationToken cancellationToken)
    {
        // CouchDB 3 reports the index itself: built when no change is left to index on the shard
        // copies a stable read uses and no updater runs. Its sequences are opaque (per shard copy on a
        // cluster: two reads of one unchanged database can differ), so they are never compared.
        if (await store.GetIndexInfoAsync(database, deployed.Id, cancellationToken).ConfigureAwait(false) is { } info)
        {
            var built = info.PendingUpdates is { } pending ? pending == 0 && !info.UpdaterRunning : (bool?)null;
            return (built, built == false ? [.. deployed.Views.Keys] : []);
        }

        // pouchdb-server has no index report: its sequences are integers, and a view's (read stale,
        // which builds nothing) has reached the database's when they are equal.
        if (SequenceNumber(databaseSeq) is not { } target)
        {
            return (null, []);
        }

        var stale = new List<string>();
        foreach (var (view, definition) in deployed.Views)
        {
            var seq = await store.GetViewSeqAsync(database, deployed.Id, view, definition.Reduce is not null, cancellationToken).ConfigureAwait(false);
            if (SequenceNumber(seq) is not { } reached)
            {
                return (null, []);
            }

            if (reached < target)
            {
                stale.Add(view);
            }
        }

        return (stale.Count == 0, stale);
    }

    /// <summary>
    /// pouchdb-server's integer sequence; null for anything else (CouchDB 3's opaque
    /// <c>"1234-g1AAAA…"</c> is never read as a number).
    /// </summary>
    public static long? SequenceNumber(string? seq) =>
        seq is not null && long.TryParse(seq.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}

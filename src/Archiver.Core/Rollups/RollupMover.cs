using System.Text.Json;
using Archiver.Documents;
using Archiver.Sets;

namespace Archiver.Rollups;

/// <summary>
/// The one-time move of an archive written before rollups had a database of their own: every
/// <c>rollup:{table}:…</c> document of a set's <c>Database</c> is copied into its <c>RollupDatabase</c>
/// (unless that one already holds the id: a run since the upgrade rebuilt it from the rows), read
/// back and compared, and only then deleted from the old place. Rollups of purged campaigns are the
/// only copy of their figures, so nothing is deleted that is not stored, with the same content, in
/// the new place. Safe to interrupt and to run again.
/// </summary>
public sealed class RollupMover(IDocumentStore store)
{
    private const int PageSize = 1000;

    /// <summary>Moves one set's rollups; returns how many were moved and how many already in place were only removed from the old database.</summary>
    public async Task<(long Moved, long AlreadyThere)> MoveAsync(ArchiveSetOptions set, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        var target = set.EffectiveRollupDatabase;
        if (target == set.Database || !await ExistsAsync(set.Database, cancellationToken).ConfigureAwait(false))
        {
            return (0, 0);
        }

        await store.EnsureDatabaseAsync(target, cancellationToken).ConfigureAwait(false);
        long moved = 0, alreadyThere = 0;
        var (start, end) = ("rollup:" + set.Table + ":", "rollup:" + set.Table + ";");
        while (true)
        {
            // Always the first page: every pass deletes what it read from the old database.
            var page = await store.ReadRangeAsync(set.Database, start, end, includeDocs: true, PageSize, cancellationToken)
                .Take(PageSize).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return (moved, alreadyThere);
            }

            var ids = page.Select(d => d.Id).ToList();
            var existing = (await store.GetAsync(target, ids, cancellationToken).ConfigureAwait(false)).Where(d => d.Exists).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            var copies = page.Where(d => !existing.Contains(d.Id)).Select(d => new DocumentWrite(new CopiedDocument(d, set.Database), null)).ToList();
            if (copies.Count > 0)
            {
                var answers = await store.SaveAsync(target, copies, cancellationToken).ConfigureAwait(false);
                if (answers.FirstOrDefault(a => !a.Succeeded && a.Error != "conflict") is { } failed)
                {
                    throw new ArchiverException($"moving rollup {failed.Id} from {set.Database} to {target} failed: {failed.Error}: {failed.Reason}");
                }
            }

            // Read back: only what the new database holds with the same content leaves the old one.
            var stored = (await store.GetAsync(target, ids, cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.Id, StringComparer.Ordinal);
            foreach (var document in page)
            {
                if (!stored.TryGetValue(document.Id, out var copy) || !copy.Exists
                    || (!existing.Contains(document.Id) && Content(copy.Body) != Content(document.Body)))
                {
                    throw new ArchiverException($"moving rollup {document.Id} from {set.Database} to {target}: the copy is not stored as read; nothing of it was deleted");
                }
            }

            var deletions = page.Select(d => new DocumentWrite(new DeletedDocument(d.Id, $"rollup {d.Id} moved to {target}"), d.Rev)).ToList();
            var deleted = await store.SaveAsync(set.Database, deletions, cancellationToken).ConfigureAwait(false);
            if (deleted.FirstOrDefault(a => !a.Succeeded) is { } refused)
            {
                throw new ArchiverException($"moving rollup {refused.Id}: copied to {target}, but deleting it from {set.Database} failed: {refused.Error}: {refused.Reason}; run the move again");
            }

            moved += copies.Count;
            alreadyThere += page.Count - copies.Count;
            progress?.Invoke(moved + alreadyThere);
        }
    }

    /// <summary>False when the old database is not there (a new installation): nothing to move.</summary>
    private async Task<bool> ExistsAsync(string database, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var unused in store.ReadRangeAsync(database, "", "", false, 1, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            return true;
        }
        catch (ArchiverException ex) when (ex.Message.Contains(" 404 ", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>A document's fields without <c>_id</c> and <c>_rev</c>, as text in stored order.</summary>
    private static string Content(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } element
            ? string.Join(",", element.EnumerateObject().Where(p => p.Name is not ("_id" or "_rev")).Select(p => p.Name + ":" + p.Value.GetRawText()))
            : "";

    /// <summary>A stored document written again elsewhere, field for field.</summary>
    private sealed class CopiedDocument(StoredDocument source, string database) : IArchiveDocument
    {
        public string Id => source.Id;

        public string Origin => $"rollup {source.Id} of {database}";

        public void WriteFields(Utf8JsonWriter writer)
        {
            ArgumentNullException.ThrowIfNull(writer);
            foreach (var property in source.Body!.Value.EnumerateObject().Where(p => p.Name is not ("_id" or "_rev")))
            {
                property.WriteTo(writer);
            }
        }
    }
}

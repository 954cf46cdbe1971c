using System.Runtime.CompilerServices;
using Archiver.Documents;

namespace Archiver.Engine;

/// <summary>
/// The merge-join every verification stands on: what the archive must hold (a campaign's rows, or the
/// rollups rebuilt from them, or ids an earlier read found), in id order, beside the documents of an
/// <c>_all_docs</c> range, read in id order. Each step is an expected item with its document, one
/// without, or a document nothing expected.
/// </summary>
/// <remarks>
/// On a cluster a range is answered by one copy of each shard range, which may not hold yet a
/// document a write quorum acknowledged a moment ago; a read by id (<see cref="IDocumentStore.GetAsync"/>,
/// a keys read of <c>_all_docs</c>) asks a quorum of copies. So an expected item the range did not list
/// is looked up by id before it is handed out without a document: such items are held, with what
/// follows them, until <c>pageSize</c> steps are held or the join ends, then looked up in one batch
/// and handed out in id order, the found ones joined with their document (<see cref="DocumentPair{T}.ReadById"/>).
/// A document still not found, or deleted, stays missing; what a found one holds is the caller's to
/// check, like any other. Without lagging copies nothing is held and no extra request is made.
/// </remarks>
internal static class DocumentRangeJoin
{
    public static async IAsyncEnumerable<DocumentPair<T>> JoinAsync<T>(
        IAsyncEnumerable<T> expected, Func<T, string> idOf, IDocumentStore store, string database, string startId, string endId, bool includeDocs, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var held = new List<DocumentPair<T>>();
        var unlisted = new List<int>();
        await using var items = expected.GetAsyncEnumerator(cancellationToken);
        await using var documents = store.ReadRangeAsync(database, startId, endId, includeDocs, pageSize, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var haveItem = await items.MoveNextAsync().ConfigureAwait(false);
        var haveDocument = await documents.MoveNextAsync().ConfigureAwait(false);
        while (haveItem || haveDocument)
        {
            var order = !haveItem ? 1 : !haveDocument ? -1 : string.CompareOrdinal(idOf(items.Current), documents.Current.Id);
            var pair = new DocumentPair<T>(order <= 0 ? items.Current : null, order >= 0 ? documents.Current : null);
            if (pair.Document is null)
            {
                unlisted.Add(held.Count);
            }

            if (unlisted.Count == 0)
            {
                yield return pair;
            }
            else
            {
                held.Add(pair);
                if (held.Count >= pageSize)
                {
                    await LookUpAsync(held, unlisted, idOf, store, database, includeDocs, cancellationToken).ConfigureAwait(false);
                    foreach (var step in held)
                    {
                        yield return step;
                    }

                    held.Clear();
                    unlisted.Clear();
                }
            }

            if (order <= 0)
            {
                haveItem = await items.MoveNextAsync().ConfigureAwait(false);
            }

            if (order >= 0)
            {
                haveDocument = await documents.MoveNextAsync().ConfigureAwait(false);
            }
        }

        if (unlisted.Count > 0)
        {
            await LookUpAsync(held, unlisted, idOf, store, database, includeDocs, cancellationToken).ConfigureAwait(false);
            foreach (var step in held)
            {
                yield return step;
            }
        }
    }

    /// <summary>Reads the held items the range did not list by id, in one request, and joins the live ones found.</summary>
    private static async Task LookUpAsync<T>(
        List<DocumentPair<T>> held, List<int> unlisted, Func<T, string> idOf, IDocumentStore store, string database, bool includeDocs, CancellationToken cancellationToken)
        where T : class
    {
        var found = (await store.GetAsync(database, [.. unlisted.Select(i => idOf(held[i].Expected!))], cancellationToken).ConfigureAwait(false))
            .Where(d => d.Exists)
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
        foreach (var i in unlisted)
        {
            if (found.TryGetValue(idOf(held[i].Expected!), out var document))
            {
                held[i] = held[i] with { Document = includeDocs ? document : document with { Body = null }, ReadById = true };
            }
        }
    }
}

using Archiver.Documents;

namespace Archiver.Engine;

/// <summary>
/// Saves one batch so that the archive ends up holding exactly the rows' current values, whatever
/// it held before. Every document is first sent as a create: on a first run that is one request per
/// batch. A document that already exists answers <c>conflict</c> (no revision is written); it is then
/// read back and left alone when identical, or overwritten with its revision when it differs, because
/// until the campaign is flagged MySQL is the truth.
/// </summary>
internal sealed class BatchWriter(IDocumentStore store, string database)
{
    /// <summary>Rounds of conflict resolution before giving up: a document that keeps changing under us is being written by someone else.</summary>
    internal const int MaxAttempts = 5;

    /// <summary>
    /// Saves <paramref name="documents"/> and returns, for each, the revision the archive holds for
    /// its content now (the new one, or the stored one when it was already identical): the verifier
    /// later proves the archive unchanged by revisions alone. <paramref name="answered"/> runs once
    /// the server has answered the first request, before its answer is looked at.
    /// </summary>
    public async Task<SavedBatch> WriteAsync(IReadOnlyList<IArchiveDocument> documents, Action? answered, CancellationToken cancellationToken)
    {
        var totals = default(BatchTotals);
        long bytes = 0;
        var revisions = new string[documents.Count];
        IReadOnlyList<DocumentWrite> pending = documents.Select(d => new DocumentWrite(d, null)).ToList();
        IReadOnlyList<int> positions = Enumerable.Range(0, documents.Count).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var answer = await store.SaveAsync(database, pending, cancellationToken).ConfigureAwait(false);
            if (attempt == 1)
            {
                answered?.Invoke();
            }

            bytes += answer.BodyBytes;

            var results = MatchResults(pending, answer);

            var conflicted = new List<int>();
            for (var i = 0; i < pending.Count; i++)
            {
                var write = pending[i];
                var result = results[i];
                if (result.Succeeded)
                {
                    revisions[positions[i]] = result.Rev!;
                    totals = write.Rev is null ? totals with { Created = totals.Created + 1 } : totals with { Updated = totals.Updated + 1 };
                }
                else if (result.IsConflict)
                {
                    totals = totals with { Conflicts = totals.Conflicts + 1 };
                    conflicted.Add(positions[i]);
                }
                else
                {
                    var document = write.Document;
                    throw new DocumentWriteException(database, document.Origin, document.Id, result.Error!, result.Reason);
                }
            }

            if (conflicted.Count == 0)
            {
                break;
            }

            if (attempt == MaxAttempts)
            {
                var first = documents[conflicted[0]];
                throw new DocumentWriteException(database, first.Origin, first.Id, "conflict",
                    $"still conflicting after {MaxAttempts} attempts ({conflicted.Count} documents of the batch): another writer is changing them");
            }

            (pending, positions, var unchanged) = await ResolveConflictsAsync(documents, conflicted, revisions, cancellationToken).ConfigureAwait(false);
            // A conflict whose stored document is already ours (an earlier, interrupted run wrote it)
            // is an unchanged document, not a conflict: only the ones that needed an update count.
            totals = totals with { Unchanged = totals.Unchanged + unchanged, Conflicts = totals.Conflicts - unchanged };
        }

        return new SavedBatch(totals, revisions, bytes);
    }

    private async Task<(IReadOnlyList<DocumentWrite> Retry, IReadOnlyList<int> Positions, int Unchanged)> ResolveConflictsAsync(
        IReadOnlyList<IArchiveDocument> documents, List<int> conflicted, string[] revisions, CancellationToken cancellationToken)
    {
        var ids = conflicted.Select(i => documents[i].Id).ToList();
        var stored = await store.GetAsync(database, ids, cancellationToken).ConfigureAwait(false);
        var byId = stored.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var retry = new List<DocumentWrite>();
        var positions = new List<int>();
        var unchanged = 0;
        foreach (var position in conflicted)
        {
            var document = documents[position];
            if (!byId.TryGetValue(document.Id, out var current))
            {
                throw new CouchDbProtocolException($"database {database}", $"no answer for document {document.Id} ({document.Origin})");
            }

            if (!current.Exists)
            {
                // Deleted (or gone) since the conflict: a create without a revision brings it back.
                retry.Add(new DocumentWrite(document, null));
                positions.Add(position);
            }
            else if (current.Body is { } body && DocumentContent.Matches(document, body))
            {
                revisions[position] = current.Rev!;
                unchanged++;
            }
            else
            {
                retry.Add(new DocumentWrite(document, current.Rev));
                positions.Add(position);
            }
        }

        return (retry, positions, unchanged);
    }

    /// <summary>
    /// Deletes documents at the revisions given. One whose revision changed meanwhile answers a
    /// conflict and is deleted at its new revision; one already gone is done.
    /// </summary>
    public async Task<long> RemoveAsync(IReadOnlyList<StoredDocument> documents, Func<string, string> origin, CancellationToken cancellationToken)
    {
        long removed = 0;
        List<DocumentWrite> pending = documents.Select(d => new DocumentWrite(new DeletedDocument(d.Id, origin(d.Id)), d.Rev)).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var results = MatchResults(pending, await store.SaveAsync(database, pending, cancellationToken).ConfigureAwait(false));
            var conflicted = new List<string>();
            for (var i = 0; i < pending.Count; i++)
            {
                if (results[i].Succeeded)
                {
                    removed++;
                }
                else if (results[i].IsConflict)
                {
                    conflicted.Add(pending[i].Document.Id);
                }
                else
                {
                    var document = pending[i].Document;
                    throw new DocumentWriteException(database, document.Origin, document.Id, results[i].Error!, "while removing it: " + results[i].Reason);
                }
            }

            if (conflicted.Count > 0 && attempt == MaxAttempts)
            {
                throw new DocumentWriteException(database, origin(conflicted[0]), conflicted[0], "conflict", $"still changing after {MaxAttempts} attempts to remove it");
            }

            var current = await store.GetAsync(database, conflicted, cancellationToken).ConfigureAwait(false);
            pending = current.Where(d => d.Exists).Select(d => new DocumentWrite(new DeletedDocument(d.Id, origin(d.Id)), d.Rev)).ToList();
        }

        return removed;
    }

    /// <summary>
    /// Pairs every write with its answer by id. CouchDB answers in request order, but pouchdb-server
    /// sometimes swaps neighbours, so position alone proves nothing; ids are unique within a batch.
    /// </summary>
    private DocumentWriteResult[] MatchResults(IReadOnlyList<DocumentWrite> pending, DocumentWriteAnswer results)
    {
        if (results.Count != pending.Count)
        {
            throw new CouchDbProtocolException($"database {database}", $"answered {results.Count} results for a batch of {pending.Count} documents");
        }

        var byId = new Dictionary<string, DocumentWriteResult>(results.Count, StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (!byId.TryAdd(result.Id, result))
            {
                throw new CouchDbProtocolException($"database {database}", $"answered twice for document {result.Id}");
            }
        }

        var matched = new DocumentWriteResult[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            var document = pending[i].Document;
            if (!byId.TryGetValue(document.Id, out var result))
            {
                throw new CouchDbProtocolException($"database {database}", $"no result for document {document.Id} ({document.Origin})");
            }

            matched[i] = result;
        }

        return matched;
    }
}

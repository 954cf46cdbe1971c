using Archiver.Documents;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// Wraps the real CouchDB client to simulate what the real world does to a night's run: the
/// process dies after some batches, or a write is silently lost.
/// </summary>
public sealed class FaultyStore(IDocumentStore inner) : IDocumentStore
{
    private int _saves;

    /// <summary>Throw (as if the process were killed) on this save request; 1-based; 0 never.</summary>
    public int CrashOnSave { get; init; }

    /// <summary>Crash after the request reached CouchDB (the batch is saved but the answer is lost) rather than before.</summary>
    public bool CrashAfterWrite { get; init; }

    /// <summary>Remove these ids from every batch but answer as if they were saved.</summary>
    public HashSet<string> Lose { get; } = [];

    public Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default) => inner.EnsureDatabaseAsync(database, cancellationToken);

    public async Task<DocumentWriteAnswer> SaveAsync(string database, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        // Batches are saved concurrently (Archive:MaxConcurrentBatches).
        var save = Interlocked.Increment(ref _saves);
        if (save == CrashOnSave && !CrashAfterWrite)
        {
            throw new SimulatedCrashException($"simulated crash before save {save}");
        }

        var kept = writes.Where(w => !Lose.Contains(w.Document.Id)).ToList();
        var answer = await inner.SaveAsync(database, kept, cancellationToken);
        var results = answer.ToList();
        if (save == CrashOnSave)
        {
            throw new SimulatedCrashException($"simulated crash after save {save}");
        }

        results.AddRange(writes.Where(w => Lose.Contains(w.Document.Id)).Select(w => new DocumentWriteResult(w.Document.Id, "1-lost", null, null)));
        return new DocumentWriteAnswer(results, answer.BodyBytes);
    }

    public Task<IReadOnlyList<StoredDocument>> GetAsync(string database, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        inner.GetAsync(database, ids, cancellationToken);

    public long MaxDocumentBytes => inner.MaxDocumentBytes;

    public IAsyncEnumerable<StoredDocument> ReadRangeAsync(string database, string startId, string endId, bool includeDocs, int pageSize, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(database, startId, endId, includeDocs, pageSize, cancellationToken);

    public Task<int> RefreshViewsAsync(string database, CancellationToken cancellationToken = default) => inner.RefreshViewsAsync(database, cancellationToken);
}

public sealed class SimulatedCrashException(string message) : ArchiverException(message);

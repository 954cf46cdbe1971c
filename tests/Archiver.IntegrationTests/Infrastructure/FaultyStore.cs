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

    public async Task<IReadOnlyList<DocumentWriteResult>> SaveAsync(string database, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        _saves++;
        if (_saves == CrashOnSave && !CrashAfterWrite)
        {
            throw new SimulatedCrashException($"simulated crash before save {_saves}");
        }

        var kept = writes.Where(w => !Lose.Contains(w.Document.Id)).ToList();
        var results = (await inner.SaveAsync(database, kept, cancellationToken)).ToList();
        if (_saves == CrashOnSave)
        {
            throw new SimulatedCrashException($"simulated crash after save {_saves}");
        }

        results.AddRange(writes.Where(w => Lose.Contains(w.Document.Id)).Select(w => new DocumentWriteResult(w.Document.Id, "1-lost", null, null)));
        return results;
    }

    public Task<IReadOnlyList<StoredDocument>> GetAsync(string database, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        inner.GetAsync(database, ids, cancellationToken);

    public Task<long> CountCampaignDocumentsAsync(string database, string type, long campaignId, CancellationToken cancellationToken = default) =>
        inner.CountCampaignDocumentsAsync(database, type, campaignId, cancellationToken);

    public Task<IReadOnlySet<string>> FindCampaignDocumentsAsync(string database, string type, long campaignId, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        inner.FindCampaignDocumentsAsync(database, type, campaignId, ids, cancellationToken);

    public IAsyncEnumerable<string> StreamCampaignDocumentIdsAsync(string database, string type, long campaignId, int pageSize, CancellationToken cancellationToken = default) =>
        inner.StreamCampaignDocumentIdsAsync(database, type, campaignId, pageSize, cancellationToken);
}

public sealed class SimulatedCrashException(string message) : ArchiverException(message);

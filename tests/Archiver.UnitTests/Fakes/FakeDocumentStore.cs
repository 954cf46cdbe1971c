using System.Buffers;
using System.Text.Json;
using Archiver.Documents;

namespace Archiver.UnitTests.Fakes;

/// <summary>An in-memory CouchDB with revisions and conflicts, plus knobs to misbehave.</summary>
public sealed class FakeDocumentStore : IDocumentStore
{
    private readonly Dictionary<string, Stored> _documents = new(StringComparer.Ordinal);

    public List<int> SaveRequestSizes { get; } = [];

    /// <summary>The body size each save answered with: its documents' fields as serialised (a stand-in for the real body).</summary>
    public List<long> SaveRequestBytes { get; } = [];

    public HashSet<string> Databases { get; } = [];

    /// <summary>Answer ok for these ids without storing them (a lost write).</summary>
    public HashSet<string> SilentlyDropped { get; } = [];

    /// <summary>Return per-document answers in reverse order (pouchdb-server does not always keep order).</summary>
    public bool ReverseAnswers { get; set; }

    /// <summary>Return a per-document error instead of saving, when set.</summary>
    public Func<DocumentWrite, DocumentWriteResult?>? Refuse { get; set; }

    /// <summary>Called before each save with the writes about to be applied; lets a test change stored documents between rounds.</summary>
    public Action<IReadOnlyList<DocumentWrite>>? BeforeSave { get; set; }

    public int Writes { get; private set; }

    /// <summary>Every view refresh, by database, in order.</summary>
    public List<string> ViewRefreshes { get; } = [];

    public Task<int> RefreshViewsAsync(string database, CancellationToken cancellationToken = default)
    {
        ViewRefreshes.Add(database);
        return Task.FromResult(0);
    }

    public Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        Databases.Add(database);
        return Task.CompletedTask;
    }

    /// <summary>When set, each save request (numbered from 1) is answered only after this delay, so that requests overlap.</summary>
    public Func<int, TimeSpan>? AnswerDelay { get; set; }

    /// <summary>
    /// When set (with <see cref="AnswerDelay"/>), the first save request is answered only once this
    /// many requests were in flight at the same time (or after 10 s, for a writer that never sends
    /// them): proves overlap by what the writer does, not by how fast a loaded machine runs it.
    /// </summary>
    public int? HoldFirstAnswerUntilInFlight { get; set; }

    /// <summary>The most save requests that were waiting for their answer at the same time.</summary>
    public int MostInFlight { get; private set; }

    /// <summary><c>_all_docs</c> range reads that asked for document bodies.</summary>
    public int BodyReads { get; private set; }

    private readonly Lock _gate = new();
    private int _inFlight;

    public async Task<DocumentWriteAnswer> SaveAsync(string database, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        if (AnswerDelay is null)
        {
            return Save(writes);
        }

        int number;
        lock (_gate)
        {
            number = SaveRequestSizes.Count + 1 + _inFlight;
            MostInFlight = Math.Max(MostInFlight, ++_inFlight);
        }

        try
        {
            if (number == 1 && HoldFirstAnswerUntilInFlight is { } wanted)
            {
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (MostInFlight < wanted && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(5, cancellationToken);
                }
            }

            await Task.Delay(AnswerDelay(number), cancellationToken);
            lock (_gate)
            {
                return Save(writes);
            }
        }
        finally
        {
            lock (_gate)
            {
                _inFlight--;
            }
        }
    }

    private DocumentWriteAnswer Save(IReadOnlyList<DocumentWrite> writes)
    {
        BeforeSave?.Invoke(writes);
        SaveRequestSizes.Add(writes.Count);
        var bytes = writes.Sum(w => (long)DocumentContent.SerializedLength(w.Document));
        SaveRequestBytes.Add(bytes);
        var results = new List<DocumentWriteResult>();
        foreach (var write in writes)
        {
            var id = write.Document.Id;
            if (Refuse?.Invoke(write) is { } refused)
            {
                results.Add(refused);
                continue;
            }

            _documents.TryGetValue(id, out var current);
            var live = current is { Deleted: false };
            if ((live && write.Rev != current!.Rev) || (!live && write.Rev is not null && write.Rev != current?.Rev))
            {
                results.Add(new DocumentWriteResult(id, null, "conflict", "Document update conflict."));
                continue;
            }

            var rev = NextRev(id);
            if (!SilentlyDropped.Contains(id))
            {
                var deleted = write.Document is DeletedDocument;
                _documents[id] = new Stored(rev, deleted, deleted ? default : Serialize(id, rev, write.Document));
                Writes++;
            }

            results.Add(new DocumentWriteResult(id, rev, null, null));
        }

        if (ReverseAnswers)
        {
            results.Reverse();
        }

        return new DocumentWriteAnswer(results, bytes);
    }

    /// <summary>Reads by id (<see cref="GetAsync"/>) so far.</summary>
    public int GetRequests { get; private set; }

    public Task<IReadOnlyList<StoredDocument>> GetAsync(string database, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        GetRequests++;
        var answer = ids.Select(id => _documents.TryGetValue(id, out var s)
            ? new StoredDocument(id, s.Rev, s.Deleted, !s.Deleted ? s.Body : null)
            : new StoredDocument(id, null, false, null)).ToList();
        return Task.FromResult<IReadOnlyList<StoredDocument>>(answer);
    }

    public long MaxDocumentBytes { get; set; } = 8_000_000;

    /// <summary>
    /// Ids that range reads (not reads by id) leave out, for the next <see cref="LaggingRangeReads"/>
    /// range reads that would list one: a cluster's shard copy that has not received a write yet.
    /// </summary>
    public Func<string, bool>? Lagging { get; set; }

    public int LaggingRangeReads { get; set; }

    public async IAsyncEnumerable<StoredDocument> ReadRangeAsync(
        string database, string startId, string endId, bool includeDocs, int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BodyReads += includeDocs ? 1 : 0;
        var ids = _documents.Where(p => !p.Value.Deleted && string.CompareOrdinal(p.Key, startId) >= 0 && string.CompareOrdinal(p.Key, endId) < 0)
            .Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        if (Lagging is { } lagging && LaggingRangeReads > 0 && ids.Any(lagging))
        {
            LaggingRangeReads--;
            ids.RemoveAll(id => lagging(id));
        }

        foreach (var id in ids)
        {
            await Task.Yield();
            if (_documents.TryGetValue(id, out var s) && !s.Deleted)
            {
                yield return new StoredDocument(id, s.Rev, false, includeDocs ? s.Body : null);
            }
        }
    }

    /// <summary>Puts (or overwrites) a document behind the engine's back, as another writer or an earlier run would.</summary>
    public void Put(string id, string json)
    {
        var body = JsonDocument.Parse(json).RootElement.Clone();
        _documents[id] = new Stored(NextRev(id), false, body);
    }

    public bool IsLive(string id) => _documents.TryGetValue(id, out var s) && !s.Deleted;

    public string? RevisionOf(string id) => _documents.TryGetValue(id, out var s) ? s.Rev : null;

    public JsonElement? BodyOf(string id) => _documents.TryGetValue(id, out var s) ? s.Body : null;

    public int Count => _documents.Values.Count(d => !d.Deleted);

    /// <summary>Live ids starting with <paramref name="prefix"/>, in id order.</summary>
    public List<string> LiveIds(string prefix) =>
        _documents.Where(p => !p.Value.Deleted && p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    public void Delete(string id)
    {
        _documents[id] = new Stored(NextRev(id), true, default);
    }

    /// <summary>Overwrites a stored document's field behind the engine's back.</summary>
    public void Tamper(string id, string field, string value)
    {
        var current = _documents[id];
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in current.Body.EnumerateObject())
            {
                if (property.Name == field)
                {
                    writer.WriteString(field, value);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        _documents[id] = new Stored(NextRev(id), false, JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone());
    }

    /// <summary>CouchDB-like revision: the generation after the stored one, and a new hash.</summary>
    private string NextRev(string id)
    {
        var generation = _documents.TryGetValue(id, out var current)
            ? int.Parse(current.Rev.AsSpan(0, current.Rev.IndexOf('-', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture) + 1
            : 1;
        return $"{generation}-{Guid.NewGuid():N}";
    }

    private static JsonElement Serialize(string id, string rev, IArchiveDocument document)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("_id", id);
            writer.WriteString("_rev", rev);
            document.WriteFields(writer);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    private sealed record Stored(string Rev, bool Deleted, JsonElement Body);
}

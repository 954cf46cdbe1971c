using System.Text.Json;
using Archiver.Views;

namespace Archiver.UnitTests.Fakes;

/// <summary>Design documents in memory, for the deployer's decisions; builds finish when <see cref="FinishBuilds"/> is set (at once by default).</summary>
public sealed class FakeDesignStore : IDesignStore
{
    private int _seq;

    public Dictionary<string, StoredDesign> Designs { get; } = new(StringComparer.Ordinal);

    /// <summary>Every write, and every blocking build (as <c>BUILD id/view</c>), in order.</summary>
    public List<string> Writes { get; } = [];

    public List<string> Builds { get; } = [];

    public TaskCompletionSource FinishBuilds { get; set; } = CompletedSource();

    public IReadOnlyList<IndexerTask> Tasks { get; set; } = [];

    /// <summary>When set, a COPY leaves this body live instead of the source's (someone else's edit won).</summary>
    public JsonElement? CopyResult { get; set; }

    public Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<string?> GetUpdateSeqAsync(string database, CancellationToken cancellationToken = default) =>
        Task.FromResult<string?>(_seq.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task<StoredDesign?> GetDesignAsync(string database, string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Designs.GetValueOrDefault(id));

    public Task<IReadOnlyList<string>> ListDesignIdsAsync(string database, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. Designs.Keys.Order(StringComparer.Ordinal)]);

    public Task<string> PutDesignAsync(string database, string id, byte[] body, CancellationToken cancellationToken = default)
    {
        Writes.Add("PUT " + id);
        return Task.FromResult(Store(id, JsonDocument.Parse(body).RootElement.Clone()));
    }

    public Task CopyDesignAsync(string database, string fromId, string toId, string? toRev, CancellationToken cancellationToken = default)
    {
        Writes.Add($"COPY {fromId} {toId}");
        Store(toId, CopyResult ?? Designs[fromId].Body);
        return Task.CompletedTask;
    }

    public Task AdoptIndexesAsync(string database, string stagingId, DesignDocument design, CancellationToken cancellationToken = default)
    {
        Writes.Add($"ADOPT {stagingId} {design.Id}");
        return Task.CompletedTask;
    }

    public Task DeleteDesignAsync(string database, string id, string rev, CancellationToken cancellationToken = default)
    {
        Writes.Add("DELETE " + id);
        Designs.Remove(id);
        _seq++;
        return Task.CompletedTask;
    }

    public Task WaitForIndexCommitAsync(IReadOnlyCollection<(string Database, string DesignId)> designs, CancellationToken cancellationToken = default)
    {
        Writes.Add("WAIT " + string.Join(" ", designs.Select(d => d.DesignId)));
        return Task.CompletedTask;
    }

    public async Task BuildViewAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default)
    {
        Builds.Add($"{designId}/{view}");
        Writes.Add($"BUILD {designId}/{view}");
        await FinishBuilds.Task.WaitAsync(cancellationToken);
    }

    public Task StartViewBuildAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default)
    {
        Builds.Add($"start {designId}/{view}");
        return Task.CompletedTask;
    }

    public Task<string?> GetViewSeqAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default) =>
        Task.FromResult<string?>(_seq.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>What <see cref="GetIndexInfoAsync"/> answers per design id (absent: no report, as pouchdb-server).</summary>
    public Dictionary<string, DesignIndexInfo> IndexInfo { get; } = new(StringComparer.Ordinal);

    public Task<DesignIndexInfo?> GetIndexInfoAsync(string database, string designId, CancellationToken cancellationToken = default) =>
        Task.FromResult(IndexInfo.GetValueOrDefault(designId));

    public Task<IReadOnlyList<IndexerTask>> GetIndexerTasksAsync(CancellationToken cancellationToken = default) => Task.FromResult(Tasks);

    public Task CleanupViewsAsync(string database, CancellationToken cancellationToken = default)
    {
        Writes.Add("CLEANUP");
        return Task.CompletedTask;
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }

    private string Store(string id, JsonElement body)
    {
        _seq++;
        var rev = $"{_seq}-x";
        Designs[id] = new StoredDesign(id, rev, body);
        return rev;
    }
}

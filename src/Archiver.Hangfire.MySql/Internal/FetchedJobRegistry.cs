using System.Collections.Concurrent;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>The jobs this process is running, whose leases <see cref="FetchedJobsKeepAlive"/> renews.</summary>
internal sealed class FetchedJobRegistry
{
    private readonly ConcurrentDictionary<MySqlFetchedJob, byte> _jobs = new(ReferenceEqualityComparer.Instance);

    public void Add(MySqlFetchedJob job) => _jobs.TryAdd(job, 0);

    public void Remove(MySqlFetchedJob job) => _jobs.TryRemove(job, out _);

    public IReadOnlyList<MySqlFetchedJob> Snapshot() => [.. _jobs.Keys];
}

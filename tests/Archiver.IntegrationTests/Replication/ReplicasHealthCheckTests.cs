using Archiver.Replication;
using Archiver.Web.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Archiver.IntegrationTests.Replication;

/// <summary>The health check's report of each replica's state and lag (a fake journal: no server needed).</summary>
public sealed class ReplicasHealthCheckTests
{
    private static ReplicaServerOptions Server(string name, string url) => new() { Name = name, Url = url };

    [Fact]
    public async Task Health_is_degraded_naming_each_replica_that_lags_and_healthy_without_replicas()
    {
        var options = new ReplicaOptions();
        var journal = new Journal();
        var check = new ReplicasHealthCheck(Microsoft.Extensions.Options.Options.Create(options), journal, null!);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        options.Servers.Add(Server("r1", "http://127.0.0.1:5985/"));
        options.Servers.Add(Server("r2", "http://127.0.0.1:5986/"));
        journal.Pending.Add(new ArchivedSetCount(7, "contest_campaign_entries", 10));
        journal.Pending.Add(new ArchivedSetCount(7, "vote_campaign_votes", 3));
        journal.Pending.Add(new ArchivedSetCount(8, "contest_campaign_entries", 4));

        var report = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal("r1: up, lag 2 campaign(s); r2: up, lag 0 campaign(s)", report.Description);
    }

    private sealed class Journal : IReplicaJournal
    {
        public List<ArchivedSetCount> Pending { get; } = [];

        public Task<bool> IsCompleteAsync(string replica, long campaignId, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<bool> IsCaughtUpAsync(string replica, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<IReadOnlyList<ArchivedSetCount>> PendingAsync(string replica, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ArchivedSetCount>>(replica == "r1" ? Pending : []);

        public Task MarkCompleteAsync(string replica, long campaignId, long documents, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}

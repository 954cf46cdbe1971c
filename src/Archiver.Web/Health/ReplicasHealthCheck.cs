using Archiver.CouchDb.Replication;
using Archiver.Queries;
using Archiver.Replication;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Archiver.Web.Health;

/// <summary>
/// Each replica's state as reads see it (up or marked down by probes and failed reads) and its lag in
/// campaigns (archived, not yet recorded complete there). Degraded, never unhealthy: reads fall back
/// to the central server, so a replica that is down or behind does not stop the service.
/// </summary>
internal sealed class ReplicasHealthCheck(IOptions<ReplicaOptions> replicas, IReplicaJournal journal, IArchivedCampaignStore archive) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!replicas.Value.Enabled)
        {
            return HealthCheckResult.Healthy("no replicas configured");
        }

        try
        {
            var endpoints = (archive as FailoverCampaignStore)?.Endpoints ?? [];
            var parts = new List<string>();
            var degraded = false;
            foreach (var server in replicas.Value.Servers)
            {
                var lag = (await journal.PendingAsync(server.Name, cancellationToken).ConfigureAwait(false)).Select(p => p.CampaignId).Distinct().Count();
                var up = endpoints.FirstOrDefault(e => e.Name == server.Name)?.Health.IsHealthy ?? true;
                degraded |= lag > 0 || !up;
                parts.Add($"{server.Name}: {(up ? "up" : "down")}, lag {lag} campaign(s)");
            }

            var description = string.Join("; ", parts);
            return degraded ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description);
        }
        catch (ArchiverException ex)
        {
            return HealthCheckResult.Degraded($"replicas: {ex.Message}");
        }
    }
}

using System.ComponentModel;
using Archiver.CouchDb.Replication;
using Microsoft.Extensions.Logging;

namespace Archiver.Jobs;

/// <summary>
/// The <c>sync-replicas</c> job: keeps every configured replication in the central server's
/// <c>_replicator</c> (one-shot ones run again, continuous ones restarted when they failed) and records
/// the campaigns each replica now holds complete. Throws naming every replica it could not reach.
/// </summary>
public sealed class ReplicaJobs(ReplicaSync sync, ILogger<ReplicaJobs> logger)
{
    [DisplayName(JobNames.SyncReplicas)]
    public async Task<string> SyncReplicasAsync(CancellationToken cancellationToken)
    {
        var statuses = await sync.SyncAsync(cancellationToken).ConfigureAwait(false);
        foreach (var status in statuses)
        {
            Log.ReplicaSynced(logger, status.Replica, status.LagCampaigns, status.NewlyComplete);
        }

        var problems = statuses.Where(s => s.Problem is not null).ToList();
        if (problems.Count > 0)
        {
            throw new ArchiveJobException(string.Join("; ", problems.Select(s => $"replica {s.Replica}: {s.Problem}")));
        }

        return statuses.Count == 0
            ? "no replicas configured (Replicas:Servers)"
            : string.Join("; ", statuses.Select(s => $"{s.Replica}: lag {s.LagCampaigns} campaign(s), {s.NewlyComplete} newly complete"));
    }
}

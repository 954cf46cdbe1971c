namespace Archiver.Jobs;

/// <summary>The job names a <c>jobs/*.json</c> file may use, and the queues a worker listens to.</summary>
public static class JobNames
{
    public const string ArchiveCompletedCampaigns = "archive-completed-campaigns";

    public const string ArchiveCampaign = "archive-campaign";

    /// <summary>One shard of a campaign above Archive:ShardRows, enqueued by its archive-campaign job on the archive queue.</summary>
    public const string ArchiveShard = "archive-shard";

    public const string PurgeArchivedCampaigns = "purge-archived-campaigns";

    /// <summary>Starts the replications to the archive's replicas and records what each holds complete (issue 18).</summary>
    public const string SyncReplicas = "sync-replicas";

    /// <summary>Queue of the per-campaign jobs, so that every worker process shares a night's campaigns.</summary>
    public const string ArchiveQueue = "archive";

    public const string MaintenanceQueue = "maintenance";

    public const string DefaultQueue = "default";

    /// <summary>In priority order: a worker takes archive work before anything else.</summary>
    public static IReadOnlyList<string> Queues { get; } = [ArchiveQueue, MaintenanceQueue, DefaultQueue];

    /// <summary>Names a schedule file may give (archive-campaign and archive-shard are enqueued per campaign and shard, never scheduled).</summary>
    public static IReadOnlyList<string> Schedulable { get; } = [ArchiveCompletedCampaigns, PurgeArchivedCampaigns, SyncReplicas];
}

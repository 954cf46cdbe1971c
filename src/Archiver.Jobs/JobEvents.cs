namespace Archiver.Jobs;

/// <summary>Event ids of the jobs and the worker's log messages (7000–7999): stable numbers to filter and alert on.</summary>
public static class JobEvents
{
    public const int CampaignsEnqueued = 7000;

    public const int CampaignArchived = 7001;

    public const int CampaignSkipped = 7002;

    public const int Purged = 7003;

    public const int ScheduleApplied = 7004;

    public const int ScheduleRemoved = 7005;

    public const int WorkerStarted = 7006;

    public const int ServerReady = 7007;

    public const int JobStarted = 7008;

    public const int JobEnded = 7009;

    public const int ShardsEnqueued = 7010;

    public const int ShardDone = 7011;

    public const int ReplicaSynced = 7012;
}

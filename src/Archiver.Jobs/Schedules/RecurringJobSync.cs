using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace Archiver.Jobs.Schedules;

/// <summary>
/// Makes the storage's recurring jobs equal to the enabled files: adds or updates each, and removes
/// every recurring job without an enabled file (deleted, or <c>"enabled": false</c>). Run at every
/// worker start; several workers starting together converge on the same set.
/// </summary>
public static class RecurringJobSync
{
    public static void Apply(JobStorage storage, IReadOnlyList<JobSchedule> schedules, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(schedules);
        var manager = new RecurringJobManager(storage);
        var enabled = schedules.Where(s => s.Enabled).ToList();
        foreach (var schedule in enabled)
        {
            var options = new RecurringJobOptions { TimeZone = schedule.TimeZone };
            try
            {
                switch (schedule.Job)
                {
                    case JobNames.ArchiveCompletedCampaigns:
                        manager.AddOrUpdate<ArchiveJobs>(schedule.Id, schedule.Queue, jobs => jobs.ArchiveCompletedCampaignsAsync(CancellationToken.None), schedule.Cron, options);
                        break;
                    case JobNames.PurgeArchivedCampaigns:
                        var olderThan = schedule.OlderThan;
                        manager.AddOrUpdate<PurgeJobs>(schedule.Id, schedule.Queue, jobs => jobs.PurgeArchivedCampaignsAsync(olderThan, CancellationToken.None), schedule.Cron, options);
                        break;
                    case JobNames.SyncReplicas:
                        manager.AddOrUpdate<ReplicaJobs>(schedule.Id, schedule.Queue, jobs => jobs.SyncReplicasAsync(CancellationToken.None), schedule.Cron, options);
                        break;
                    default:
                        throw new ArchiverConfigurationException($"{schedule.File}: job '{schedule.Job}' cannot be scheduled");
                }
            }
            catch (Exception ex) when (ex is not ArchiverConfigurationException and not OperationCanceledException)
            {
                // The storage refused the schedule: say which file it came from.
                throw new ArchiverConfigurationException($"{schedule.File}: the schedule '{schedule.Id}' could not be stored: {ex.Message}", ex);
            }

            Log.ScheduleApplied(logger, schedule.Id, schedule.Job, schedule.Cron, schedule.TimeZone.Id, schedule.Queue, schedule.File);
        }

        using var connection = storage.GetConnection();
        foreach (var existing in connection.GetRecurringJobs())
        {
            if (!enabled.Exists(s => string.Equals(s.Id, existing.Id, StringComparison.Ordinal)))
            {
                manager.RemoveIfExists(existing.Id);
                Log.ScheduleRemoved(logger, existing.Id);
            }
        }
    }
}

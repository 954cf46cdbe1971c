using Hangfire.Server;
using MySqlConnector;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>
/// Renews the lease of every job this process runs every fifth of the invisibility timeout, so a
/// long job is never delivered twice while its worker lives, and a dead worker's job comes back
/// after one timeout. A lease that no longer matches (the row was re-fetched after a stall longer
/// than the timeout) is dropped and logged: the other delivery now owns the job.
/// </summary>
internal sealed class FetchedJobsKeepAlive(MySqlStorage storage) : IBackgroundProcess
{
    public TimeSpan Interval => storage.Options.InvisibilityTimeout / 5;

    public void Execute(BackgroundProcessContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RenewAll();
        context.Wait(Interval);
    }

    /// <summary>One round; the number of leases renewed.</summary>
    internal int RenewAll()
    {
        var renewed = 0;
        foreach (var job in storage.FetchedJobs.Snapshot())
        {
            try
            {
                if (job.KeepAlive())
                {
                    renewed++;
                }
                else if (!job.Completed)
                {
                    // Not finished by its worker meanwhile (a race with the snapshot): another fetch owns it.
                    storage.FetchedJobs.Remove(job);
                    Log.LeaseLost(storage.Logger, job.JobId, job.QueueId);
                }
            }
            catch (MySqlException ex)
            {
                // The next round tries again, well within the timeout.
                Log.KeepAliveFailed(storage.Logger, ex.Message);
            }
        }

        return renewed;
    }

    public override string ToString() => "MySQL fetched-jobs keep-alive";
}

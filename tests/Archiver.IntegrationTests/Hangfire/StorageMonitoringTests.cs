using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>The monitoring API the dashboard reads: statistics, queues, job lists per state, details and graphs.</summary>
public sealed class StorageMonitoringTests : StorageTest
{
    [Fact]
    public void The_dashboard_api_reports_jobs_in_every_state()
    {
        var storage = CreateStorage();
        // No filters: the retry filter would turn the failed job into a scheduled retry.
        var client = new BackgroundJobClient(storage, new JobFilterCollection());
        var enqueued = client.Create(() => SampleJobs.Echo("enqueued"), new EnqueuedState("archive"));
        var scheduled = client.Schedule(() => SampleJobs.Echo("scheduled"), TimeSpan.FromHours(1));
        var failed = client.Create(() => SampleJobs.Echo("failed"), new FailedState(new InvalidOperationException("campaign 7 not archived: CouchDB down")));
        var succeeded = client.Create(() => SampleJobs.Echo("succeeded"), new SucceededState("ok", 5, 10));
        var deleted = client.Create(() => SampleJobs.Echo("deleted"), new DeletedState());
        var awaiting = client.ContinueJobWith(scheduled, () => SampleJobs.Echo("awaiting"));
        using (var connection = storage.GetConnection())
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.IncrementCounter($"stats:succeeded:{DateTime.UtcNow:yyyy-MM-dd}", TimeSpan.FromDays(1));
            transaction.IncrementCounter($"stats:failed:{DateTime.UtcNow:yyyy-MM-dd-HH}", TimeSpan.FromDays(1));
            transaction.AddToSet("recurring-jobs", "nightly-archive");
            transaction.AddToSet("retries", failed);
            transaction.Commit();
        }

        var api = (JobStorageMonitor)storage.GetMonitoringApi();
        var statistics = api.GetStatistics();
        Assert.Equal((1L, 1L, 1L, 0L, 1L, 1L, 1L, 1L), (statistics.Enqueued, statistics.Scheduled, statistics.Failed, statistics.Processing, statistics.Succeeded, statistics.Recurring, statistics.Retries ?? 0, statistics.Awaiting ?? 0));
        Assert.Equal(1, statistics.Queues);

        var queue = Assert.Single(api.Queues());
        Assert.Equal(("archive", 1L, 0L), (queue.Name, queue.Length, queue.Fetched ?? 0));
        var first = Assert.Single(queue.FirstJobs);
        Assert.Equal(enqueued, first.Key);
        Assert.True(first.Value.InEnqueuedState);
        Assert.NotNull(first.Value.EnqueuedAt);
        Assert.Equal(["enqueued"], first.Value.Job.Args);

        Assert.Equal(scheduled, Assert.Single(api.ScheduledJobs(0, 10)).Key);
        Assert.True(api.ScheduledJobs(0, 10).Single().Value.EnqueueAt > DateTime.UtcNow.AddMinutes(50));
        var failure = Assert.Single(api.FailedJobs(0, 10));
        Assert.Equal(failed, failure.Key);
        Assert.Equal("campaign 7 not archived: CouchDB down", failure.Value.ExceptionMessage);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.Value.ExceptionType);
        var success = Assert.Single(api.SucceededJobs(0, 10));
        Assert.Equal((succeeded, 15L), (success.Key, success.Value.TotalDuration ?? 0));
        Assert.Equal(deleted, Assert.Single(api.DeletedJobs(0, 10)).Key);
        Assert.Equal(awaiting, Assert.Single(api.AwaitingJobs(0, 10)).Key);
        Assert.Empty(api.ProcessingJobs(0, 10));
        Assert.Empty(api.FetchedJobs("archive", 0, 10));
        Assert.Equal((1L, 1L, 1L, 1L, 1L, 0L), (api.ScheduledCount(), api.FailedCount(), api.SucceededListCount(), api.DeletedListCount(), api.AwaitingCount(), api.ProcessingCount()));

        var details = api.JobDetails(failed)!;
        Assert.Equal(FailedState.StateName, details.History[0].StateName);
        Assert.Equal(["failed"], details.Job.Args);
        Assert.Null(api.JobDetails("123456789"));

        Assert.Equal(1, api.SucceededByDatesCount()[DateTime.UtcNow.Date]);
        Assert.Equal(7, api.FailedByDatesCount().Count);
        Assert.Equal(24, api.HourlySucceededJobs().Count);
        Assert.Equal(1, api.HourlyFailedJobs().Values.Sum());
        Assert.Equal(0, api.DeletedByDatesCount().Values.Sum());
        Assert.Equal(0, api.HourlyDeletedJobs().Values.Sum());

        using var fetchConnection = storage.GetConnection();
        using var fetched = fetchConnection.FetchNextJob(["archive"], CancellationToken.None);
        Assert.Equal(enqueued, Assert.Single(api.FetchedJobs("archive", 0, 10)).Key);
        Assert.Equal(0, api.EnqueuedCount("archive"));
    }

    [Fact]
    public void The_storage_declares_the_features_the_dashboard_and_the_server_need()
    {
        var storage = CreateStorage();
        foreach (var feature in new[]
        {
            "Storage.ExtendedApi", "Storage.ProcessesInsteadOfComponents", "Job.Queue", "Connection.GetUtcDateTime",
            "Connection.BatchedGetFirstByLowestScoreFromSet", JobStorageFeatures.Connection.BatchedGetFirstByLowest, "Connection.GetSetContains",
            "Connection.GetSetCount.Limited", "Transaction.AcquireDistributedLock", "Monitoring.AwaitingJobs", "Monitoring.DeletedStateGraphs",
        })
        {
            Assert.True(storage.HasFeature(feature), feature);
        }

        Assert.False(storage.HasFeature("Transaction.CreateJob"));
        Assert.True(storage.LinearizableReads);
    }
}

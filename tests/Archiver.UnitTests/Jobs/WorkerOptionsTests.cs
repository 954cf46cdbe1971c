using Archiver.Hangfire.MySql;
using Archiver.Jobs;

namespace Archiver.UnitTests.Jobs;

/// <summary>The worker's and the storage's options are checked at start, each problem naming its key.</summary>
public sealed class WorkerOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new WorkerOptionsValidator().Validate(null, new WorkerOptions()).Succeeded);
        Assert.Empty(new MySqlStorageOptions().Validate());
    }

    [Fact]
    public void Bad_worker_values_name_their_keys()
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions
        {
            WorkerCount = 0,
            JobsDirectory = " ",
            ShutdownTimeout = TimeSpan.FromHours(2),
            SchedulePollingInterval = TimeSpan.Zero,
        });
        Assert.Equal(
            ["Worker:WorkerCount must be between 1 and 100 (got 0).", "Worker:JobsDirectory must name a directory.",
             "Worker:ShutdownTimeout must be between 00:00:00 and 01:00:00 (got 02:00:00).", "Worker:SchedulePollingInterval must be between 00:00:01 and 01:00:00 (got 00:00:00)."],
            result.Failures);
    }

    [Fact]
    public void Bad_storage_values_name_their_keys()
    {
        var errors = new MySqlStorageOptions
        {
            TablePrefix = "hangfire-",
            QueuePollInterval = TimeSpan.Zero,
            InvisibilityTimeout = TimeSpan.FromMilliseconds(10),
            BatchSize = 0,
            CommitAttempts = 0,
            DashboardJobListLimit = 0,
        }.Validate();
        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Hangfire:Storage:TablePrefix must be at most 20 letters", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hangfire:Storage:QueuePollInterval must be positive", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hangfire:Storage:InvisibilityTimeout must be between", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hangfire:Storage:BatchSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hangfire:Storage:CommitAttempts", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hangfire:Storage:DashboardJobListLimit", StringComparison.Ordinal));
    }

    [Fact]
    public void Queues_are_listened_to_in_priority_order()
    {
        Assert.Equal(["archive", "maintenance", "default"], JobNames.Queues);
    }
}

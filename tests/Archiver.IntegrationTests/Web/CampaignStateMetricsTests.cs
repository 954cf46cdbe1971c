using System.Diagnostics.Metrics;
using Archiver.Options;
using Archiver.Source;
using Archiver.Web.Metrics;
using Archiver.Web.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.IntegrationTests.Web;

/// <summary>The campaign gauges' background reads: a failure of any kind is counted, never the end of the host.</summary>
public sealed class CampaignStateMetricsTests
{
    [Fact]
    public async Task A_journal_read_that_throws_anything_is_counted_and_the_service_keeps_running_until_the_host_stops()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var journal = new OnceFailingJournal();
        var directory = new CampaignDirectory(journal, Microsoft.Extensions.Options.Options.Create(new ArchiveOptions()));
        using var metrics = new CampaignStateMetrics(services.GetRequiredService<IMeterFactory>(), directory, NullLogger<CampaignStateMetrics>.Instance);

        await metrics.StartAsync(CancellationToken.None);
        for (var i = 0; i < 100 && journal.Reads == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, journal.Reads);
        await Task.Delay(100);
        Assert.False(metrics.ExecuteTask!.IsCompleted, $"the service ended: {metrics.ExecuteTask.Exception?.InnerException?.Message}");
        Assert.Equal(1, metrics.Failures);

        // The next read succeeds and changes nothing in the count.
        await metrics.RefreshAsync(CancellationToken.None);
        Assert.Equal(1, metrics.Failures);

        // A host that is torn down without StopAsync (its start failed) cancels the wait: the service
        // ends quietly instead of reporting the cancellation as its failure.
        metrics.Dispose();
        await Task.WhenAny(metrics.ExecuteTask, Task.Delay(5_000));
        Assert.Equal(TaskStatus.RanToCompletion, metrics.ExecuteTask.Status);
    }

    private sealed class OnceFailingJournal : IRunJournal
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task<IReadOnlyList<CampaignStatus>> GetStatusAsync(TimeSpan completedAfter, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _reads) == 1
                ? throw new InvalidOperationException("the pool is exhausted")
                : Task.FromResult<IReadOnlyList<CampaignStatus>>([new(1, "x", "contest", DateTime.UtcNow, CampaignState.Live, null, 0, null, null)]);

        public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task RecordStartAsync(long campaignId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task RecordOutcomeAsync(long campaignId, bool archived, string? lastError, long rowsRead, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task RecordInterruptedAsync(long campaignId, long rowsRead, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}

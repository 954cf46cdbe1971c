using Archiver.Source;

namespace Archiver.UnitTests.Fakes;

/// <summary>Remembers what the engine recorded.</summary>
public sealed class FakeRunJournal : IRunJournal
{
    public List<string> Events { get; } = [];

    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordStartAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        Events.Add($"start {campaignId}");
        return Task.CompletedTask;
    }

    public Task RecordOutcomeAsync(long campaignId, bool archived, string? lastError, long rowsRead, CancellationToken cancellationToken = default)
    {
        Events.Add(archived ? $"archived {campaignId}" : $"failed {campaignId}: {lastError}");
        return Task.CompletedTask;
    }

    public Task RecordInterruptedAsync(long campaignId, long rowsRead, CancellationToken cancellationToken = default)
    {
        Events.Add($"interrupted {campaignId}");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CampaignStatus>> GetStatusAsync(TimeSpan completedAfter, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CampaignStatus>>([]);
}

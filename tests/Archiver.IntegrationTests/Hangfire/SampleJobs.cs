using System.Collections.Concurrent;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>Job methods the storage tests enqueue; runs are recorded by tag so concurrent tests do not see each other's.</summary>
public static class SampleJobs
{
    public static ConcurrentDictionary<string, ConcurrentBag<DateTime>> Runs { get; } = new(StringComparer.Ordinal);

    public static string Echo(string value) => value;

    public static void Record(string tag) => Runs.GetOrAdd(tag, _ => []).Add(DateTime.UtcNow);

    public static async Task RecordSlowlyAsync(string tag, int milliseconds)
    {
        await Task.Delay(milliseconds);
        Record(tag);
    }
}

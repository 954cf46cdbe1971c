using System.Collections.Concurrent;
using Hangfire;

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

    private static readonly ConcurrentDictionary<string, int> Inside = new(StringComparer.Ordinal);

    /// <summary>Most runs of <see cref="Exclusive"/> seen at once per tag: 1 when DisableConcurrentExecution really excludes.</summary>
    public static ConcurrentDictionary<string, int> MaxInside { get; } = new(StringComparer.Ordinal);

    [DisableConcurrentExecution(timeoutInSeconds: 30)]
    public static void Exclusive(string tag)
    {
        var now = Inside.AddOrUpdate(tag, 1, (_, n) => n + 1);
        MaxInside.AddOrUpdate(tag, now, (_, n) => Math.Max(n, now));
        Thread.Sleep(20);
        Inside.AddOrUpdate(tag, 0, (_, n) => n - 1);
        Record(tag);
    }
}

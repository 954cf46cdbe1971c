using System.Diagnostics;
using System.Globalization;

namespace Archiver.Bench;

/// <summary>Progress lines on stdout: a heading per phase, then what, how far and how fast, at most every two seconds.</summary>
internal static class BenchConsole
{
    private static long _phaseStarted = Stopwatch.GetTimestamp();

    public static void Phase(string title)
    {
        _phaseStarted = Stopwatch.GetTimestamp();
        Console.WriteLine();
        Console.WriteLine($"== {title}");
    }

    public static void Line(string text) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   [{Stopwatch.GetElapsedTime(_phaseStarted).TotalSeconds,6:F1} s] {text}"));

    /// <summary>A progress printer: call it as often as you like, it prints every two seconds and when done.</summary>
    public static Action<long, long, bool> Progress(string what, string unit)
    {
        var started = Stopwatch.GetTimestamp();
        var last = 0L;
        var printed = -1L;
        var gate = new Lock();
        return (done, total, final) =>
        {
            var now = Stopwatch.GetTimestamp();
            lock (gate)
            {
                if ((!final && Stopwatch.GetElapsedTime(last, now) < TimeSpan.FromSeconds(2)) || (final && printed == done))
                {
                    return;
                }

                last = now;
                printed = done;
            }

            var seconds = Stopwatch.GetElapsedTime(started, now).TotalSeconds;
            Line(string.Create(CultureInfo.InvariantCulture,
                $"{what}: {done:N0} / {total:N0} {unit} ({100.0 * done / Math.Max(total, 1):F0} %), {done / Math.Max(seconds, 0.001):N0} {unit}/s"));
        };
    }
}

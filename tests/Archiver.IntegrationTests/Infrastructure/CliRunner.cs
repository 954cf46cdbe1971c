using System.Diagnostics;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>Runs the real <c>archiver</c> program (built beside the tests) as a child process.</summary>
public static class CliRunner
{
    /// <summary>Variables a developer may have exported that must not leak into the child (every <c>Archive__</c>, <c>CouchDb__</c>, <c>Retry__</c>, <c>Resilience__</c>, <c>Purge__</c>, <c>Views__</c> and <c>ConnectionStrings__</c> one is removed too).</summary>
    private static readonly string[] Inherited = ["ARCHIVER_SETTINGS", "ARCHIVER_KILL_AT"];

    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <c>archiver</c> with <paramref name="arguments"/>; only <paramref name="environment"/> configures it.</summary>
    /// <param name="arguments">Command-line arguments.</param>
    /// <param name="environment">Settings for the child, e.g. <c>Archive__Database</c>.</param>
    /// <param name="workingDirectory">Where to run; the test output folder by default.</param>
    /// <param name="interruptOn">Send <paramref name="signal"/> as soon as a line of standard output contains this.</param>
    /// <param name="signal"><c>INT</c> (Ctrl+C) or <c>TERM</c> (what systemd and container runtimes send).</param>
    public static async Task<Result> RunAsync(
        IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null, string? interruptOn = null, string signal = "INT")
    {
        using var process = Process.Start(StartInfo(arguments, environment, workingDirectory))!;
        var output = ReadOutputAsync(process, async line =>
        {
            if (interruptOn is not null && line.Contains(interruptOn, StringComparison.Ordinal))
            {
                interruptOn = null;
                await ChildSignals.SendAsync(process, signal);
            }
        });
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>The exit code .NET reports for a child ended by SIGKILL (128 + 9).</summary>
    private const int SigKillExitCode = 137;

    /// <summary>What <see cref="RunAndKillAsync"/> saw: <see cref="Killed"/> when the kill was sent while the child still ran.</summary>
    public sealed record KillResult(int ExitCode, string Output, string Error, bool Killed);

    /// <summary>
    /// Runs <c>archiver</c> and kills it (SIGKILL, with its process tree) <paramref name="delay"/> after the first
    /// line of standard output that contains <paramref name="after"/> (after the start when null), unless it has
    /// exited by then. Nothing is flushed or cleaned up in the child: it is the crash a machine or an OOM killer causes.
    /// </summary>
    public static async Task<KillResult> RunAndKillAsync(
        IEnumerable<string> arguments, IDictionary<string, string>? environment, TimeSpan delay, string? after = null)
    {
        using var process = Process.Start(StartInfo(arguments, environment, null))!;
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (after is null)
        {
            seen.TrySetResult();
        }

        var output = ReadOutputAsync(process, line =>
        {
            if (after is not null && line.Contains(after, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }

            return Task.CompletedTask;
        });
        var error = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        var killed = false;
        if (await Task.WhenAny(seen.Task, exited) == seen.Task)
        {
            await Task.WhenAny(Task.Delay(delay), exited);
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                killed = true;
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        // The child can finish on its own between HasExited and the signal: then the kill did nothing,
        // and it exited with its own code, not SIGKILL's 128 + 9.
        killed &= process.ExitCode == SigKillExitCode;
        return new KillResult(process.ExitCode, await output, await error, killed);
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IDictionary<string, string>? environment, string? workingDirectory)
    {
        var start = ChildSignals.Archiver(arguments);
        start.WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory;

        // Only what the test passes may configure the child: a developer's exported settings must not leak in.
        foreach (var name in start.Environment.Keys.Where(k => Inherited.Contains(k) || k.StartsWith("Archive__", StringComparison.Ordinal)
            || k.StartsWith("CouchDb__", StringComparison.Ordinal) || k.StartsWith("Retry__", StringComparison.Ordinal) || k.StartsWith("Resilience__", StringComparison.Ordinal) || k.StartsWith("Purge__", StringComparison.Ordinal) || k.StartsWith("Views__", StringComparison.Ordinal)
            || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static async Task<string> ReadOutputAsync(Process process, Func<string, Task> onLine)
    {
        var output = new System.Text.StringBuilder();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            output.AppendLine(line);
            await onLine(line);
        }

        return output.ToString();
    }
}

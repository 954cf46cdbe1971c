using System.Diagnostics;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>Runs the real <c>archiver</c> program (built beside the tests) as a child process.</summary>
public static class CliRunner
{
    /// <summary>Variables a developer may have exported that must not leak into the child (every <c>Archive__</c>, <c>CouchDb__</c>, <c>Retry__</c> and <c>ConnectionStrings__</c> one is removed too).</summary>
    private static readonly string[] Inherited = ["ARCHIVER_SETTINGS", "ARCHIVER_KILL_AT"];

    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <c>archiver</c> with <paramref name="arguments"/>; only <paramref name="environment"/> configures it.</summary>
    /// <param name="arguments">Command-line arguments.</param>
    /// <param name="environment">Settings for the child, e.g. <c>Archive__Database</c>.</param>
    /// <param name="workingDirectory">Where to run; the test output folder by default.</param>
    /// <param name="interruptOn">Send SIGINT (Ctrl+C) as soon as a line of standard output contains this.</param>
    public static async Task<Result> RunAsync(
        IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null, string? interruptOn = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "archiver.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the test passes may configure the child: a developer's exported settings must not leak in.
        foreach (var name in start.Environment.Keys.Where(k => Inherited.Contains(k) || k.StartsWith("Archive__", StringComparison.Ordinal)
            || k.StartsWith("CouchDb__", StringComparison.Ordinal) || k.StartsWith("Retry__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = ReadOutputAsync(process, interruptOn);
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    private static async Task<string> ReadOutputAsync(Process process, string? interruptOn)
    {
        var output = new System.Text.StringBuilder();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            output.AppendLine(line);
            if (interruptOn is not null && line.Contains(interruptOn, StringComparison.Ordinal))
            {
                interruptOn = null;
                using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
        }

        return output.ToString();
    }
}

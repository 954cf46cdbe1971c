using System.Diagnostics;
using System.Text;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>
/// A real <c>archiver worker</c> child process, started and stopped (SIGINT) or killed (SIGKILL) by
/// a test. Only the variables the test passes configure it; its output is kept for the assertion messages.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly string[] Prefixes = ["Archive__", "CouchDb__", "Retry__", "Purge__", "ConnectionStrings__", "Worker__", "Hangfire__", "Logging__"];
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _reading;

    private WorkerProcess(Process process)
    {
        _process = process;
        _reading = Task.WhenAll(ReadAsync(process.StandardOutput), ReadAsync(process.StandardError));
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static WorkerProcess Start(IDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "archiver.dll"));
        foreach (var argument in arguments.Length == 0 ? ["worker"] : arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k is "ARCHIVER_SETTINGS" or "ARCHIVER_KILL_AT" || Prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new WorkerProcess(Process.Start(start)!);
    }

    /// <summary>Ctrl+C: the worker stops its Hangfire server gracefully; waits for the exit.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the worker did not exit within {timeout}:\n{Output}");
        }

        await _reading;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task ReadAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

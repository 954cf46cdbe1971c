using System.Diagnostics;
using System.Text;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>
/// A real <c>archiver worker</c> child process, started and stopped (SIGTERM or SIGINT) or killed (SIGKILL) by
/// a test. Only the variables the test passes configure it; its output is kept for the assertion messages.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly string[] Prefixes = ["Archive__", "CouchDb__", "Retry__", "Resilience__", "Purge__", "ConnectionStrings__", "Worker__", "Hangfire__", "Logging__"];
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
        var start = Infrastructure.ChildSignals.Archiver(arguments.Length == 0 ? ["worker"] : arguments);
        start.WorkingDirectory = AppContext.BaseDirectory;

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

    /// <summary>
    /// SIGTERM (what systemd and container runtimes send) or SIGINT (Ctrl+C): the worker stops its
    /// Hangfire server gracefully; waits for the exit.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null, string signal = "TERM")
    {
        if (!_process.HasExited)
        {
            await Infrastructure.ChildSignals.SendAsync(_process, signal);
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

using System.Diagnostics;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// An extra pouchdb-server on a loopback port this test rents (<see cref="ReplicaPorts"/>), with its own
/// data directory under <c>.local/replicas/test-PORT</c>, started, SIGKILLed and restarted by the test.
/// Node runs as <c>scripts/services.sh</c> runs it: with <c>--unhandled-rejections=warn</c> (deleting a
/// running replication's document otherwise kills pouchdb-server 4.2.0), and with the project's view
/// engine preloaded (<see cref="ViewEngine"/>), so that a replica builds views as the archive's server does.
/// </summary>
public sealed class PouchServer : IAsyncDisposable
{
    public const string ExecutableVariable = "ARCHIVER_TEST_POUCHDB_SERVER";

    /// <summary>The view engine <c>scripts/services.sh</c> preloads into every pouchdb-server it starts (<c>node --require</c>).</summary>
    public static string ViewEngine => Repository.File(Path.Combine("scripts", "pouchdb-server", "view-engine.js"));

    private readonly ReplicaPorts.Lease _port;
    private readonly string _directory;
    private Process? _process;

    private PouchServer(ReplicaPorts.Lease port)
    {
        _port = port;
        _directory = Path.Combine(Repository.Root, ".local", "replicas", $"test-{port.Port}");
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(_directory, "data"));
        var log = System.Text.Json.JsonSerializer.Serialize(Path.Combine(_directory, "pouchdb-server.log"));
        File.WriteAllText(Path.Combine(_directory, "config.json"), "{\"log\":{\"file\":" + log + ",\"level\":\"warning\"}}");
    }

    public Uri Url => new($"http://127.0.0.1:{_port.Port}/");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a fresh port and data directory; it answers before this returns.</summary>
    public static async Task<PouchServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new PouchServer(await ReplicaPorts.RentAsync(cancellationToken));
        await server.RestartAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts the server again on its port and data (after <see cref="Kill"/>), and waits until it answers.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var executable = Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path
            ? path
            : throw new InvalidOperationException($"{ExecutableVariable} is not set: run ./scripts/test.sh (it points it at .local/pouchdb-server)");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[]
                 {
                     "--unhandled-rejections=warn", "--require", ViewEngine, executable, "--host", "127.0.0.1", "--port", _port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--dir", Path.Combine(_directory, "data"), "--config", Path.Combine(_directory, "config.json"), "-n",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Process Start()
        {
            var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, line) =>
            {
                if (line.Data is { } text)
                {
                    errors.Enqueue(text);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        var addressInUse = 0;
        _process = Start();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                _process.WaitForExit();
                var error = errors.LastOrDefault(line => line.Contains("Error", StringComparison.Ordinal)) ?? "(no error output)";

                // The port can still be held for a moment by the server a previous test (or a kill
                // just before this restart) ran on it: try again rather than fail the test for it.
                if (error.Contains("EADDRINUSE", StringComparison.Ordinal) && ++addressInUse < 10)
                {
                    _process.Dispose();
                    errors.Clear();
                    await Task.Delay(500, cancellationToken);
                    _process = Start();
                    continue;
                }

                throw new InvalidOperationException($"pouchdb-server on port {_port.Port} exited with {_process.ExitCode} at start: {error.Trim()}; see {_directory}");
            }

            try
            {
                using var response = await http.GetAsync(Url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"pouchdb-server on port {_port.Port} does not answer after 60 s");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or a pulled plug.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await _port.DisposeAsync();
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Archiver.Jobs;

/// <summary>
/// Serves the worker's metrics at <c>http://127.0.0.1:{Worker:MetricsPort}/metrics</c> (loopback
/// only), in the same Prometheus text format as <c>archiver serve</c>'s <c>/metrics</c>: the
/// <c>Archiver</c> meter's run counters are recorded here, where the jobs run.
/// </summary>
internal sealed class WorkerMetricsExporter(IOptions<WorkerOptions> options) : IHostedService, IDisposable
{
    private MetricServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ArchiverMeterExporter.Start();
        if (options.Value.MetricsPort > 0)
        {
            _server = new MetricServer("127.0.0.1", options.Value.MetricsPort);
            _server.Start();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _server?.Dispose();
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Archiver.Hosting;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.IntegrationTests;

/// <summary>The worker serves the run metrics where its jobs record them: an archive job's bytes reach its <c>/metrics</c>.</summary>
[Collection(Web.WebCollection.Name)]
public sealed class WorkerMetricsTests : DatabaseTest
{
    [Fact]
    public async Task An_archive_job_adds_its_rows_and_bytes_to_the_worker_metrics()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 400);
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Repository.File("appsettings.json"))
            .AddInMemoryCollection(Db.CliEnvironment().ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value))
            .Build();
        await using var services = new ServiceCollection().AddLogging().AddArchiver(configuration).AddArchiverJobs(configuration).BuildServiceProvider();
        var port = FreePort();
        using var exporter = new WorkerMetricsExporter(Microsoft.Extensions.Options.Options.Create(new WorkerOptions { MetricsPort = port }));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        try
        {
            await exporter.StartAsync(CancellationToken.None);
            var before = await ReadAsync(http);

            var outcome = await services.GetRequiredService<ArchiveJobs>().ArchiveCampaignAsync(campaign, CancellationToken.None);

            Assert.Contains(" archived: ", outcome, StringComparison.Ordinal);
            var after = await ReadAsync(http);
            Assert.Equal(400, after.Rows - before.Rows);

            // The exact figure is the engine's (ArchiveRunTests: the bodies the server received); here it
            // must arrive, and be of the size 400 entry documents and their rollups take.
            var bytes = after.Bytes - before.Bytes;
            Assert.InRange(bytes, 400 * 100, 400 * 2_000);
        }
        finally
        {
            await exporter.StopAsync(CancellationToken.None);

            // Composing the worker pointed Hangfire's process-wide log provider at this provider's
            // logger factory, disposed when this test ends (see WebCollection).
            global::Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        }
    }

    private static async Task<(double Rows, double Bytes)> ReadAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        return (Value(body, "archiver_archive_rows_total"), Value(body, "archiver_archive_bytes_total"));
    }

    /// <summary>A counter's value; 0 before anything was recorded (prometheus-net creates it on first use).</summary>
    private static double Value(string body, string name) =>
        Regex.Match(body, "(?m)^" + name + " ([0-9.e+]+)$") is { Success: true } match ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

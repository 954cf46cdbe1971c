using System.Globalization;
using Archiver.Bench.Measurement;
using Archiver.Bench.Phases;
using Archiver.Bench.Sink;
using Archiver.Hosting;
using Archiver.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.Bench.SinkOnly;

/// <summary>
/// Phase 4 of the harness on its own, for profiling the client: one campaign in its own MySQL
/// database (<see cref="BenchSeeder.SinkDatabase"/>) archived by the real CLI into the discard sink,
/// as many times as asked, each run measured like the harness's (wall time, CPU and peak RSS by GNU
/// time), optionally under <c>dotnet-trace collect</c> (<c>BENCH_DOTNET_TRACE</c> or on the PATH).
/// Nothing is recorded in BENCHMARKS.md: the figures are printed, per run, with CPU per row.
/// </summary>
internal sealed class SinkBenchmark(SinkBenchOptions options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var root = BenchRunner.Required("ARCHIVER_ROOT");
        var cli = options.Cli ?? BenchRunner.Required("BENCH_CLI");
        var mysql = new MySqlConnectionStringBuilder(BenchRunner.Required("ARCHIVER_MYSQL_CS")) { Database = "" };
        var seeder = new BenchSeeder(mysql.ConnectionString);
        var database = BenchSeeder.SinkDatabase;
        var campaignId = BenchSeeder.SinkCampaignId;
        var settings = Path.Combine(root, ArchiverConfiguration.FileName);
        ArchiveOptions archiveOptions;
        await using (var services = BenchServices.Build(root, new Dictionary<string, string?> { ["ConnectionStrings:MySql"] = seeder.ConnectionString(database) }))
        {
            archiveOptions = services.GetRequiredService<IOptions<ArchiveOptions>>().Value;
        }

        var seeded = options.Reuse && await HoldsAsync(seeder, database, campaignId, options.Entries, cancellationToken).ConfigureAwait(false);
        if (!seeded)
        {
            BenchConsole.Phase($"seed: database {database}, campaign {campaignId} with {options.Entries:N0} entries");
            await seeder.SeedSingleAsync(database, campaignId, options.Entries, cancellationToken).ConfigureAwait(false);
        }

        string[] command = ["dotnet", cli, "archive", "run", "--campaign", campaignId.ToString(CultureInfo.InvariantCulture)];
        if (options.TraceFile is { } trace)
        {
            var tool = Environment.GetEnvironmentVariable("BENCH_DOTNET_TRACE") is { Length: > 0 } path ? path
                : PurgeBenchmark.FindOnPath("dotnet-trace") ?? throw new InvalidOperationException("--trace needs dotnet-trace: set BENCH_DOTNET_TRACE or put it on the PATH");
            command = [tool, "collect", "--profile", "dotnet-sampled-thread-time", "--output", trace, "--show-child-io", "--", .. command];
        }

        var failed = false;
        for (var run = 1; run <= options.Runs; run++)
        {
            if (seeded || run > 1)
            {
                await seeder.ResetAsync(database, campaignId, cancellationToken).ConfigureAwait(false);
            }

            BenchConsole.Phase($"run {run}/{options.Runs}: campaign {campaignId} ({options.Entries:N0} entries) into the discard sink{(options.TraceFile is null ? "" : ", traced into " + options.TraceFile)}");
            await using var sink = await DiscardSink.StartAsync(cancellationToken).ConfigureAwait(false);
            var environment = BenchRunner.ChildEnvironment(settings, seeder.ConnectionString(database), sink.Address, archiveOptions, "archiver_bench_sink_", null);
            foreach (var (name, value) in options.ChildEnvironment)
            {
                environment[name] = value;
            }

            var measured = await MeasuredProcess.RunAsync(command[0], command[1..], environment, line => BenchConsole.Line("archiver | " + line), cancellationToken).ConfigureAwait(false);
            var result = new ArchiveResult("archive → discard sink", options.Entries, measured, await seeder.IsArchivedAsync(database, campaignId, cancellationToken).ConfigureAwait(false));
            var statistics = sink.Statistics;
            var copyRate = statistics.RowDocuments / Math.Max(statistics.CopyElapsed.TotalSeconds, 1e-9);
            BenchConsole.Line(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: exit {measured.ExitCode}, {(result.Flagged ? "flagged" : "NOT flagged")}, {options.Entries:N0} rows in {measured.Wall.TotalSeconds:F2} s = {result.DocumentsPerSecond:N0} documents/s; " +
                $"copy phase {copyRate:N0} documents/s; CPU {measured.CpuSeconds:F2} s (user {measured.UserSeconds:F2}, sys {measured.SystemSeconds:F2}) = {measured.CpuSeconds * 1e6 / options.Entries:F1} µs/row; peak RSS {measured.PeakRssMegabytes:F0} MB"));
            failed |= !result.Succeeded;
        }

        return failed ? 1 : 0;
    }

    private static async Task<bool> HoldsAsync(BenchSeeder seeder, string database, long campaignId, int entries, CancellationToken cancellationToken)
    {
        try
        {
            return await seeder.CountAsync(database, campaignId, cancellationToken).ConfigureAwait(false) == entries;
        }
        catch (MySqlException)
        {
            return false; // no such database yet
        }
    }
}

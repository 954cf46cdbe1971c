using System.Diagnostics;
using System.Globalization;
using System.Text;
using Archiver.Bench.Report;
using Archiver.CouchDb;
using Archiver.Hosting;
using Archiver.Jobs;
using Archiver.MySql.Demo;
using Archiver.MySql.Schema;
using Archiver.Options;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.Bench.Soak;

/// <summary>
/// Issue 15's worker soak: one process composed as <c>archiver worker</c> is (<c>AddArchiver</c> and
/// <c>AddArchiverJobs</c>) runs N <c>archive-campaign</c> jobs (2,000 by default), each archiving a
/// tiny campaign of its own into CouchDB; the managed heap after a full, compacting collection is
/// read after the warm-up and then every quarter of the jobs. What a run leaves behind in memory
/// shows as growth between the figures.
/// </summary>
internal sealed class SoakBenchmark(SoakBenchOptions options)
{
    private const string Database = "archiver_bench_soak";

    private readonly string _root = Environment.GetEnvironmentVariable("ARCHIVER_ROOT") ?? throw new InvalidOperationException("ARCHIVER_ROOT is not set");
    private readonly Uri _couch = new(Environment.GetEnvironmentVariable("ARCHIVER_COUCHDB_URL") ?? throw new InvalidOperationException("ARCHIVER_COUCHDB_URL is not set"));
    private readonly string _server = new MySqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ARCHIVER_MYSQL_CS") ?? throw new InvalidOperationException("ARCHIVER_MYSQL_CS is not set")) { Database = "" }.ConnectionString;

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var total = options.WarmUp + options.Jobs;
        var connectionString = new MySqlConnectionStringBuilder(_server) { Database = Database }.ConnectionString;
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(ArchiverConfiguration.Build(Path.Combine(_root, ArchiverConfiguration.FileName)))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:MySql"] = connectionString,
                ["CouchDb:Url"] = _couch.ToString(),
                ["Archive:Sets:0:Database"] = Database + "_entries",
                ["Archive:Sets:1:Database"] = Database + "_votes",
            })
            .Build();
        Console.WriteLine($"Worker soak: {options.WarmUp:N0} warm-up and {options.Jobs:N0} measured archive-campaign jobs, one tiny campaign each; MySQL database {Database}, CouchDB {_couch}");

        BenchConsole.Phase($"1/3 seed {total:N0} campaigns of 1 to 3 rows (contest and vote alternating)");
        string mysqlVersion;
        await using (var server = new MySqlConnection(_server))
        {
            await server.OpenAsync(cancellationToken).ConfigureAwait(false);
            mysqlVersion = await server.ExecuteScalarAsync<string>(
                $"DROP DATABASE IF EXISTS `{Database}`; CREATE DATABASE `{Database}` CHARACTER SET utf8mb4; SELECT VERSION()").ConfigureAwait(false) ?? "";
        }

        var campaigns = await SeedAsync(connectionString, total, cancellationToken).ConfigureAwait(false);

        await using var services = new ServiceCollection().AddLogging().AddArchiver(configuration).AddArchiverJobs(configuration).BuildServiceProvider();
        var couch = services.GetRequiredService<CouchDbClient>();
        foreach (var set in services.GetRequiredService<IOptions<ArchiveOptions>>().Value.Sets)
        {
            await couch.DeleteDatabaseAsync(set.Database, cancellationToken).ConfigureAwait(false);
        }

        var couchInfo = await couch.GetServerInfoAsync(cancellationToken).ConfigureAwait(false);

        BenchConsole.Phase($"2/3 warm-up: {options.WarmUp:N0} jobs");
        for (var i = 0; i < options.WarmUp; i++)
        {
            await RunJobAsync(services, campaigns[i], cancellationToken).ConfigureAwait(false);
        }

        var heap = new List<(int Jobs, long Bytes)> { (0, Heap()) };
        BenchConsole.Line($"heap after the warm-up: {heap[0].Bytes / 1048576.0:F1} MB");

        BenchConsole.Phase($"3/3 {options.Jobs:N0} jobs, the heap read every {Math.Max(1, options.Jobs / 4):N0}");
        var clock = Stopwatch.StartNew();
        var quarter = Math.Max(1, options.Jobs / 4);
        for (var i = 1; i <= options.Jobs; i++)
        {
            await RunJobAsync(services, campaigns[options.WarmUp + i - 1], cancellationToken).ConfigureAwait(false);
            if (i % quarter == 0 || i == options.Jobs)
            {
                clock.Stop();
                var elapsed = clock.Elapsed;
                heap.Add((i, Heap()));
                clock.Start();
                BenchConsole.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{i:N0} jobs: heap {heap[^1].Bytes / 1048576.0:F1} MB, {i / elapsed.TotalSeconds:F1} jobs/s"));
            }
        }

        var jobsPerSecond = options.Jobs / clock.Elapsed.TotalSeconds;
        var section = Section(started, couchInfo, mysqlVersion, heap.DistinctBy(h => h.Jobs).ToList(), jobsPerSecond);
        Console.WriteLine();
        Console.WriteLine(section);
        if (options.RecordKey is { } key)
        {
            await BenchmarksFile.RecordAsync(_root, key, section, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task RunJobAsync(IServiceProvider services, long campaign, CancellationToken cancellationToken)
    {
        // As Hangfire's activator does for every job: a scope, the job resolved in it.
        await using var scope = services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<ArchiveJobs>().ArchiveCampaignAsync(campaign, cancellationToken).ConfigureAwait(false);
        if (!outcome.Contains(" archived: ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"campaign {campaign}: {outcome}");
        }
    }

    /// <summary>The managed heap once everything unreachable is collected (twice, finalizers in between).</summary>
    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static async Task<List<long>> SeedAsync(string connectionString, int count, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SchemaInstaller.InstallAsync(connection, cancellationToken).ConfigureAwait(false);
        var values = string.Join(",\n", Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"({i}, 'Soak {i}', '{(i % 2 == 0 ? "vote" : "contest")}', UTC_TIMESTAMP(3) - INTERVAL 5 DAY, UTC_TIMESTAMP(3) - INTERVAL 3 DAY)")));
        await connection.ExecuteAsync(new CommandDefinition($"INSERT INTO campaigns (id, name, kind, starts_at, ends_at) VALUES {values}", cancellationToken: cancellationToken)).ConfigureAwait(false);
        var start = new DateTime(2026, 11, 1, 8, 0, 0);
        var entries = Enumerable.Range(1, count).Where(i => i % 2 == 1).SelectMany(i => Enumerable.Range(1, 1 + (i % 3)).Select(n => new EntryRow
        {
            CampaignId = i,
            UserId = 10_000 + n,
            EntryNumber = n,
            Winner = n == 1,
            Message = $"entry {n} of campaign {i}",
            CreatedAt = start.AddSeconds((i * 10) + n),
        })).ToList();
        var votes = Enumerable.Range(1, count).Where(i => i % 2 == 0).SelectMany(i => Enumerable.Range(1, 1 + (i % 3)).Select(n => new VoteRow
        {
            CampaignId = i,
            UserId = 20_000 + n,
            Choice = n % 2 == 0 ? "Margherita" : "Hawaii",
            CreatedAt = start.AddSeconds((i * 10) + n),
        })).ToList();
        await RowInserter.InsertEntriesAsync(connection, entries, cancellationToken: cancellationToken).ConfigureAwait(false);
        await RowInserter.InsertVotesAsync(connection, votes, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Enumerable.Range(1, count).Select(i => (long)i).ToList();
    }

    private string Section(DateTimeOffset started, CouchServerInfo couch, string mysql, List<(int Jobs, long Bytes)> heap, double jobsPerSecond)
    {
        var machine = MachineInfo.Current();
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"## {started:yyyy-MM-dd HH:mm} UTC: worker soak, managed heap over {options.Jobs:N0} archive-campaign jobs (shared, noisy 2-core machine)");
        text.AppendLine();
        text.AppendLine(c, $"- machine: {machine.Cores} cores, {machine.CpuModel}, {machine.MemoryGigabytes:F1} GB RAM, {machine.OperatingSystem}");
        text.AppendLine(c, $"- servers: MySQL {mysql}; {couch.Product} {couch.Version}");
        text.AppendLine(c, $"- data: {options.WarmUp + options.Jobs:N0} campaigns of 1 to 3 rows, contest and vote alternating; every job archives one (copy, rollups, verification, flag)");
        text.AppendLine(c, $"- method: one process composed as the worker (`AddArchiver`, `AddArchiverJobs`), `ArchiveJobs.ArchiveCampaignAsync` in a scope per job, one job at a time; heap = `GC.GetTotalMemory` after two forced compacting collections, first after {options.WarmUp:N0} warm-up jobs");
        text.AppendLine("- command: `./bench/soak.sh`");
        text.AppendLine();
        text.AppendLine("| jobs | managed heap | since the start |");
        text.AppendLine("|---|---|---|");
        foreach (var (jobs, bytes) in heap)
        {
            text.AppendLine(c, $"| {jobs:N0} | {bytes / 1048576.0:F2} MB | {(bytes - heap[0].Bytes) / 1024.0:+0;-0;0} KB |");
        }

        text.AppendLine();
        // The steady state: from the first quarter mark on, once pools and first-use caches have filled.
        var from = heap[Math.Min(1, heap.Count - 1)];
        var growth = (heap[^1].Bytes - from.Bytes) / 1024.0 / Math.Max(1, heap[^1].Jobs - from.Jobs) * 1000;
        text.AppendLine(c, $"Start {heap[0].Bytes / 1048576.0:F2} MB, after {heap[^1].Jobs:N0} jobs {heap[^1].Bytes / 1048576.0:F2} MB; from job {from.Jobs:N0} to {heap[^1].Jobs:N0}: {growth:+0.0;-0.0;0} KB per 1,000 jobs. {jobsPerSecond:F1} jobs/s (one at a time).");
        return text.ToString();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Archiver.Bench.Phases;
using Archiver.Bench.Report;
using Archiver.Bench.Sink;
using Archiver.Hosting;
using Archiver.Options;
using Archiver.Source;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.Bench;

/// <summary>
/// One harness run, phase by phase: seed, ceiling, archive (N and the RSS comparison's size),
/// discard sink, purge and pt-archiver, report. Services and build are bench/run.sh's job; this
/// program reads where they are from the environment the script exports.
/// </summary>
internal sealed class BenchRunner(BenchOptions options)
{
    private const string CeilingDatabase = "archiver_bench_ceiling";
    private static readonly string[] CouchPrefixes = ["archiver_bench_", "archiver_bench_rss_", ShardsPrefix];
    private const string ShardsPrefix = "archiver_bench_shards_";

    private readonly string _root = Required("ARCHIVER_ROOT");
    private readonly string _cli = Required("BENCH_CLI");
    private readonly Uri _couch = new(options.Server == BenchOptions.ExternalServer ? Required("ARCHIVER_BENCH_COUCHDB_URL") : Required("ARCHIVER_COUCHDB_URL"));

    // An external CouchDB's account (never printed); pouchdb-server here runs in admin party.
    private readonly (string User, string Password)? _credentials = options.Server == BenchOptions.ExternalServer && Environment.GetEnvironmentVariable("ARCHIVER_BENCH_COUCHDB_USER") is { Length: > 0 } user
        ? (user, Environment.GetEnvironmentVariable("ARCHIVER_BENCH_COUCHDB_PASSWORD") ?? "")
        : null;
    private readonly MySqlConnectionStringBuilder _mysql = new(Required("ARCHIVER_MYSQL_CS")) { Database = "" };

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        var settings = Path.Combine(_root, ArchiverConfiguration.FileName);
        var seeder = new BenchSeeder(_mysql.ConnectionString);
        await using var services = BenchServices.Build(_root, new Dictionary<string, string?>
        {
            ["ConnectionStrings:MySql"] = seeder.ConnectionString(BenchSeeder.Database),
            ["CouchDb:Url"] = _couch.ToString(),
            ["CouchDb:Username"] = _credentials?.User,
            ["CouchDb:Password"] = _credentials?.Password,
        });
        var archiveOptions = services.GetRequiredService<IOptions<ArchiveOptions>>().Value;
        var entriesSet = archiveOptions.Sets.FirstOrDefault(s => s.Table == "contest_campaign_entries")
            ?? throw new InvalidOperationException($"{settings} has no archive set for contest_campaign_entries");
        using var couch = new HttpClient { BaseAddress = _couch, Timeout = TimeSpan.FromMinutes(10) };
        if (_credentials is { } account)
        {
            couch.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(account.User + ":" + account.Password)));
        }

        Console.WriteLine($"Archiver benchmark: {options.Entries:N0} entries (RSS comparison at {options.RssEntries:N0}), " +
            $"batches of {archiveOptions.BatchSize:N0}, {archiveOptions.MaxConcurrentBatches} in flight; MySQL {_mysql.Server}:{_mysql.Port}, CouchDB {_couch}");
        var versions = await VersionsAsync(seeder, couch, cancellationToken).ConfigureAwait(false);

        BenchConsole.Phase($"1/{Phases} seed: databases {BenchSeeder.Database} and {BenchSeeder.CopyDatabase}; CouchDB databases archiver_bench_*");
        foreach (var database in BenchDatabases(archiveOptions).Append(CeilingDatabase))
        {
            using var response = await couch.DeleteAsync(database, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NotFound))
            {
                throw new HttpRequestException($"DELETE /{database} answered {(int)response.StatusCode}");
            }
        }

        var campaigns = await seeder.SeedAsync(options.Entries, options.RssEntries, cancellationToken).ConfigureAwait(false);
        var main = campaigns[0];
        var rssCampaign = campaigns[1];

        BenchConsole.Phase($"2/{Phases} raw _bulk_docs ceiling: {main.Entries:N0} pre-serialised documents into {CeilingDatabase}");
        var source = services.GetRequiredService<IArchiveSource>();
        var set = await source.DescribeAsync(entriesSet, cancellationToken).ConfigureAwait(false);
        var bodies = await CeilingBenchmark.SerializeAsync(source, set, main.Id, archiveOptions.BatchSize, main.Entries, cancellationToken).ConfigureAwait(false);
        (await couch.PutAsync(CeilingDatabase, null, cancellationToken).ConfigureAwait(false)).Dispose();
        var ceiling = await CeilingBenchmark.PostAsync(couch, CeilingDatabase, bodies, main.Entries, archiveOptions.MaxConcurrentBatches, cancellationToken).ConfigureAwait(false);
        bodies.Clear();
        BenchConsole.Line($"ceiling: {ceiling.DocumentsPerSecond:N0} documents/s ({ceiling.Bytes / 1048576.0:F0} MB in {ceiling.Elapsed.TotalSeconds:F1} s, {ceiling.Errors:N0} errors)");
        (await couch.DeleteAsync(CeilingDatabase, cancellationToken).ConfigureAwait(false)).Dispose();

        BenchConsole.Phase($"3/{Phases} archive campaign {main.Id} ({main.Entries:N0} entries) into CouchDB, then campaign {rssCampaign.Id} ({rssCampaign.Entries:N0}) for the RSS comparison");
        var archiveEnvironment = ChildEnvironment(settings, seeder.ConnectionString(BenchSeeder.Database), _couch, archiveOptions, "archiver_bench_");
        var archive = await ArchiveBenchmark.RunAsync("archive → CouchDB", _cli, main.Id, main.Entries, archiveEnvironment,
            ct => seeder.IsArchivedAsync(BenchSeeder.Database, main.Id, ct), cancellationToken).ConfigureAwait(false);
        var rss = await ArchiveBenchmark.RunAsync("archive → CouchDB (RSS comparison)", _cli, rssCampaign.Id, rssCampaign.Entries,
            ChildEnvironment(settings, seeder.ConnectionString(BenchSeeder.Database), _couch, archiveOptions, "archiver_bench_rss_"),
            ct => seeder.IsArchivedAsync(BenchSeeder.Database, rssCampaign.Id, ct), cancellationToken).ConfigureAwait(false);

        BenchConsole.Phase($"4/{Phases} archive the identical campaign {main.Id} of {BenchSeeder.CopyDatabase} into the discard sink");
        ArchiveResult sinkRun;
        double sinkCopyRate;
        await using (var sink = await DiscardSink.StartAsync(cancellationToken).ConfigureAwait(false))
        {
            BenchConsole.Line($"discard sink listening on {sink.Address}");
            sinkRun = await ArchiveBenchmark.RunAsync("archive → discard sink", _cli, main.Id, main.Entries,
                ChildEnvironment(settings, seeder.ConnectionString(BenchSeeder.CopyDatabase), sink.Address, archiveOptions, "archiver_bench_"),
                ct => seeder.IsArchivedAsync(BenchSeeder.CopyDatabase, main.Id, ct), cancellationToken).ConfigureAwait(false);
            var statistics = sink.Statistics;
            sinkCopyRate = statistics.RowDocuments / Math.Max(statistics.CopyElapsed.TotalSeconds, 1e-9);
            BenchConsole.Line($"sink saw {statistics.BulkRequests:N0} _bulk_docs requests, {statistics.Documents:N0} documents; copy phase {statistics.RowDocuments:N0} row documents in {statistics.CopyElapsed.TotalSeconds:F2} s = {sinkCopyRate:N0} documents/s");
        }

        BenchConsole.Phase($"5/{Phases} purge campaign {main.Id}: archiver purge on {BenchSeeder.Database}");
        var purge = archive.Succeeded
            ? await PurgeBenchmark.RunOursAsync(_cli, main.Id, archiveEnvironment, ct => seeder.CountAsync(BenchSeeder.Database, main.Id, ct), cancellationToken).ConfigureAwait(false)
            : PurgeResult.NotAvailable("archiver purge", "not run: the archive it needs failed");
        if (purge.Unavailable is { } why)
        {
            BenchConsole.Line($"purge: {why}");
        }

        BenchConsole.Phase($"6/{Phases} purge campaign {main.Id}: pt-archiver on {BenchSeeder.CopyDatabase}");
        var pt = await PurgeBenchmark.RunPtArchiverAsync(_mysql.Server + ",P=" + _mysql.Port.ToString(CultureInfo.InvariantCulture), _mysql.UserID, _mysql.Password,
            BenchSeeder.CopyDatabase, main.Id, ct => seeder.CountAsync(BenchSeeder.CopyDatabase, main.Id, ct), cancellationToken).ConfigureAwait(false);
        if (pt.Unavailable is { } ptWhy)
        {
            BenchConsole.Line($"pt-archiver: {ptWhy}");
        }

        IReadOnlyList<ArchiveResult> shards = [];
        if (options.ShardsEntries > 0)
        {
            BenchConsole.Phase($"7/{Phases} shards: a campaign of {options.ShardsEntries:N0} entries in {BenchSeeder.ShardsDatabase}, unsharded, then {ShardsBenchmark.Shards} shards with {string.Join(", ", ShardsBenchmark.Workers)} at once");
            var shardsCampaign = await seeder.SeedShardsAsync(options.ShardsEntries, cancellationToken).ConfigureAwait(false);
            shards = await ShardsBenchmark.RunAsync(_cli, shardsCampaign,
                ChildEnvironment(settings, seeder.ConnectionString(BenchSeeder.ShardsDatabase), _couch, archiveOptions, ShardsPrefix),
                async ct =>
                {
                    await seeder.ResetShardsAsync(ct).ConfigureAwait(false);
                    foreach (var database in archiveOptions.Sets.SelectMany(s => new[] { ShardsPrefix + s.Table, ShardsPrefix + s.Table + "_rollups" }))
                    {
                        (await couch.DeleteAsync(database, ct).ConfigureAwait(false)).Dispose();
                    }
                },
                ct => seeder.IsArchivedAsync(BenchSeeder.ShardsDatabase, BenchSeeder.ShardsCampaignId, ct), cancellationToken).ConfigureAwait(false);
        }

        var report = new BenchReport
        {
            Server = options.Server,
            ShardsEntries = options.ShardsEntries,
            Shards = shards,
            Started = started,
            Note = options.Note,
            Machine = MachineInfo.Current(),
            Versions = versions,
            Campaigns = campaigns,
            BatchSize = archiveOptions.BatchSize,
            Ceiling = ceiling,
            Archive = archive,
            RssArchive = rss,
            SinkArchive = sinkRun,
            SinkCopyDocumentsPerSecond = sinkCopyRate,
            Purge = purge,
            PtArchiver = pt,
        };
        var rows = ResultsTable.Build(report);
        ReportWriter.WriteConsole(Console.Out, rows);
        if (options.RecordKey is { } key)
        {
            await BenchmarksFile.RecordAsync(_root, key, ReportWriter.Markdown(report, rows), cancellationToken).ConfigureAwait(false);
        }

        Console.WriteLine($"benchmark finished in {total.Elapsed.TotalSeconds:F0} s");

        // Every phase must have worked end to end; a missed target is a figure, not a harness failure.
        // The sink run alone may fail (at verification, until the verifier checks ids and revisions
        // before bodies): its copy phase is reported regardless.
        var broken = ceiling.Errors > 0 || ReportWriter.Failures(report).Any(f => f.What != sinkRun.Label);
        return broken ? 1 : 0;
    }

    private int Phases => options.ShardsEntries > 0 ? 7 : 6;

    /// <summary>CouchDB databases the archive runs write to: one per set and prefix.</summary>
    private static IEnumerable<string> BenchDatabases(ArchiveOptions archiveOptions) =>
        CouchPrefixes.SelectMany(prefix => archiveOptions.Sets.Select(s => prefix + s.Table));

    /// <summary>
    /// The CLI's environment: the repository's settings file, overridden with <c>__</c> keys to point
    /// at a bench database and at bench CouchDB databases (every set gets its own, with a prefix), so
    /// the archive runs with the shipped options (batch size, concurrency, sets) and touches nothing else.
    /// </summary>
    private Dictionary<string, string> ChildEnvironment(string settings, string mysql, Uri couch, ArchiveOptions archiveOptions, string prefix) =>
        ChildEnvironment(settings, mysql, couch, archiveOptions, prefix, couch == _couch ? _credentials : null);

    /// <inheritdoc cref="ChildEnvironment(string, string, Uri, ArchiveOptions, string)"/>
    internal static Dictionary<string, string> ChildEnvironment(
        string settings, string mysql, Uri couch, ArchiveOptions archiveOptions, string prefix, (string User, string Password)? credentials)
    {
        ArgumentNullException.ThrowIfNull(archiveOptions);
        var environment = new Dictionary<string, string>
        {
            [ArchiverConfiguration.PathVariable] = settings,
            ["ConnectionStrings__MySql"] = mysql,
            ["CouchDb__Url"] = couch.ToString(),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        if (credentials is { } account)
        {
            environment["CouchDb__Username"] = account.User;
            environment["CouchDb__Password"] = account.Password;
        }

        for (var i = 0; i < archiveOptions.Sets.Count; i++)
        {
            environment[$"Archive__Sets__{i}__Database"] = prefix + archiveOptions.Sets[i].Table;
        }

        return environment;
    }

    private static async Task<Versions> VersionsAsync(BenchSeeder seeder, HttpClient couch, CancellationToken cancellationToken)
    {
        var mariaDb = await seeder.ServerVersionAsync(cancellationToken).ConfigureAwait(false);
        using var welcome = JsonDocument.Parse(await couch.GetStringAsync(new Uri("/", UriKind.Relative), cancellationToken).ConfigureAwait(false));
        var root = welcome.RootElement;
        var version = root.TryGetProperty("version", out var v) ? v.GetString() : "?";
        var couchDb = root.TryGetProperty("express-pouchdb", out _) ? $"pouchdb-server {version}" : $"CouchDB {version}";
        var sdk = Environment.GetEnvironmentVariable("BENCH_DOTNET_SDK");
        var dotnet = RuntimeInformation.FrameworkDescription + (string.IsNullOrEmpty(sdk) ? "" : $" (SDK {sdk})");
        var pt = PurgeBenchmark.FindOnPath("pt-archiver") is { } tool ? await FirstLineAsync(tool, "--version", cancellationToken).ConfigureAwait(false) : "pt-archiver not installed";
        return new Versions(mariaDb, couchDb, dotnet, pt);
    }

    private static async Task<string> FirstLineAsync(string file, string argument, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await errors.ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "?";
    }

    internal static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"environment variable {name} is not set: run the harness with ./bench/run.sh");
}

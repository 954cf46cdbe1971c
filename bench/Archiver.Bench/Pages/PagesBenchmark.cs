using System.Diagnostics;
using System.Globalization;
using System.Text;
using Archiver.Bench.Report;
using Archiver.CouchDb;
using Archiver.Engine;
using Archiver.MySql.Demo;
using Archiver.MySql.Schema;
using Archiver.Options;
using Archiver.Queries;
using Archiver.Views;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.Bench.Pages;

/// <summary>
/// Issue 8's measurement: a campaign of N entries (100,000 by default) live in MySQL and an
/// identical one archived in CouchDB, both read through the delegate; latency of page 1 against
/// page 1,000 (per_page 50) by page number and by token, on each store, medians of interleaved
/// reads; also the archive's one-time cost of its first deep page (building the page index).
/// </summary>
internal sealed class PagesBenchmark(PagesBenchOptions options)
{
    private const string Database = "archiver_bench_pages";
    private const int RowsPerTransaction = 20_000;

    private readonly string _root = Environment.GetEnvironmentVariable("ARCHIVER_ROOT") ?? throw new InvalidOperationException("ARCHIVER_ROOT is not set");
    private readonly Uri _couch = new(Environment.GetEnvironmentVariable("ARCHIVER_COUCHDB_URL") ?? throw new InvalidOperationException("ARCHIVER_COUCHDB_URL is not set"));
    private readonly string _server = new MySqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ARCHIVER_MYSQL_CS") ?? throw new InvalidOperationException("ARCHIVER_MYSQL_CS is not set")) { Database = "" }.ConnectionString;

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        await using var services = BenchServices.Build(
            _root,
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:MySql"] = new MySqlConnectionStringBuilder(_server) { Database = Database }.ConnectionString,
                ["CouchDb:Url"] = _couch.ToString(),
                ["Views:ProgressInterval"] = "00:00:10",
            },
            set => $"{Database}_{set.Table}");
        var couch = services.GetRequiredService<CouchDbClient>();
        var couchInfo = await couch.GetServerInfoAsync(cancellationToken).ConfigureAwait(false);
        var archiveOptions = services.GetRequiredService<IOptions<ArchiveOptions>>().Value;
        Console.WriteLine($"Pages benchmark: {options.Entries:N0} entries per campaign, page 1 against page {options.DeepPage:N0} of {options.PerPage}; CouchDB {_couch} ({couchInfo.Product} {couchInfo.Version})");

        BenchConsole.Phase($"1/4 MySQL: database {Database}, a live and an ended campaign of {options.Entries:N0} entries each");
        var dataSource = services.GetRequiredService<MySqlDataSource>();
        string mysqlVersion;
        long live, ended;
        await using (var server = new MySqlConnection(_server))
        {
            await server.OpenAsync(cancellationToken).ConfigureAwait(false);
            mysqlVersion = (string)(await Command(server, $"DROP DATABASE IF EXISTS `{Database}`; CREATE DATABASE `{Database}` CHARACTER SET utf8mb4; SELECT VERSION()").ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await SchemaInstaller.InstallAsync(connection, cancellationToken).ConfigureAwait(false);
            live = await AddCampaignAsync(connection, "UTC_TIMESTAMP(3) + INTERVAL 1 DAY", cancellationToken).ConfigureAwait(false);
            ended = await AddCampaignAsync(connection, "UTC_TIMESTAMP(3) - INTERVAL 3 DAY", cancellationToken).ConfigureAwait(false);
            foreach (var campaign in new[] { live, ended })
            {
                await SeedAsync(connection, campaign, cancellationToken).ConfigureAwait(false);
            }
        }

        BenchConsole.Phase($"2/4 archive campaign {ended} into {archiveOptions.Sets[0].Database} and deploy the shipped views");
        foreach (var set in archiveOptions.Sets)
        {
            await couch.DeleteDatabaseAsync(set.Database, cancellationToken).ConfigureAwait(false);
        }

        var engine = services.GetRequiredService<ArchiveEngine>();
        var archiveClock = Stopwatch.StartNew();
        var run = await engine.RunAsync(new ArchiveRequest(ended), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!run.Succeeded)
        {
            throw new InvalidOperationException($"the archive of campaign {ended} failed: {string.Join("; ", run.Campaigns.Select(c => c.Reason))}");
        }

        BenchConsole.Line(string.Create(CultureInfo.InvariantCulture, $"archived in {archiveClock.Elapsed.TotalSeconds:F1} s"));
        var folders = await ViewCatalog.LoadAsync(Path.Combine(_root, "views"), services.GetRequiredService<IFunctionChecker>(), cancellationToken).ConfigureAwait(false);
        var deployClock = Stopwatch.StartNew();
        await services.GetRequiredService<ViewDeployer>().DeployAsync(ViewTargets.Resolve(folders, archiveOptions.Sets, null), false, false, null, cancellationToken).ConfigureAwait(false);
        BenchConsole.Line(string.Create(CultureInfo.InvariantCulture, $"views deployed and built in {deployClock.Elapsed.TotalSeconds:F1} s"));

        var queries = services.GetRequiredService<ICampaignQueries>();

        BenchConsole.Phase($"3/4 first reads: page 1 and page {options.DeepPage:N0} of each campaign, cold");
        var coldLivePage1 = await TimeOnceAsync(() => queries.EntriesAsync(live, PageRequest.Number(1, options.PerPage), cancellationToken)).ConfigureAwait(false);
        var coldArchivePage1 = await TimeOnceAsync(() => queries.EntriesAsync(ended, PageRequest.Number(1, options.PerPage), cancellationToken)).ConfigureAwait(false);
        var coldArchiveDeep = await TimeOnceAsync(() => queries.EntriesAsync(ended, PageRequest.Number(options.DeepPage, options.PerPage), cancellationToken)).ConfigureAwait(false);
        BenchConsole.Line(string.Create(CultureInfo.InvariantCulture,
            $"live page 1 {coldLivePage1:F1} ms; archive page 1 {coldArchivePage1:F1} ms, first page {options.DeepPage:N0} {coldArchiveDeep:F1} ms (builds the page index)"));

        BenchConsole.Phase($"4/4 medians of {options.Repeats} interleaved reads per query");
        var results = new List<(string Store, long Campaign, double Page1, double DeepByNumber, double DeepByToken)>();
        foreach (var (store, campaign) in new[] { ("MySQL (live)", live), ("CouchDB (archived)", ended) })
        {
            var before = await queries.EntriesAsync(campaign, PageRequest.Number(options.DeepPage - 1, options.PerPage), cancellationToken).ConfigureAwait(false);
            var token = before.NextToken ?? throw new InvalidOperationException($"page {options.DeepPage - 1} of campaign {campaign} has no next token");
            var byNumber = await queries.EntriesAsync(campaign, PageRequest.Number(options.DeepPage, options.PerPage), cancellationToken).ConfigureAwait(false);
            var byToken = await queries.EntriesAsync(campaign, PageRequest.After(token), cancellationToken).ConfigureAwait(false);
            var expectedFirst = (long)(options.DeepPage - 1) * options.PerPage;
            if (!byNumber.Items.SequenceEqual(byToken.Items) || byNumber.Items.Count != options.PerPage || byNumber.Items[0].EntryNumber != expectedFirst + 1)
            {
                throw new InvalidOperationException($"campaign {campaign}: page {options.DeepPage} by number and by token differ, or do not start at entry {expectedFirst + 1}");
            }

            var page1 = new List<double>();
            var deepNumber = new List<double>();
            var deepToken = new List<double>();
            for (var i = 0; i < options.Repeats; i++)
            {
                page1.Add(await TimeOnceAsync(() => queries.EntriesAsync(campaign, PageRequest.Number(1, options.PerPage), cancellationToken)).ConfigureAwait(false));
                deepNumber.Add(await TimeOnceAsync(() => queries.EntriesAsync(campaign, PageRequest.Number(options.DeepPage, options.PerPage), cancellationToken)).ConfigureAwait(false));
                deepToken.Add(await TimeOnceAsync(() => queries.EntriesAsync(campaign, PageRequest.After(token), cancellationToken)).ConfigureAwait(false));
            }

            var row = (store, campaign, Median(page1), Median(deepNumber), Median(deepToken));
            results.Add(row);
            BenchConsole.Line(string.Create(CultureInfo.InvariantCulture,
                $"{store}: page 1 {row.Item3:F2} ms, page {options.DeepPage:N0} by number {row.Item4:F2} ms ({row.Item4 / row.Item3:F2} ×), by token {row.Item5:F2} ms ({row.Item5 / row.Item3:F2} ×)"));
        }

        var section = Section(started, couchInfo, mysqlVersion, coldLivePage1, coldArchivePage1, coldArchiveDeep, results);
        Console.WriteLine();
        Console.WriteLine(section);
        if (options.RecordKey is { } key)
        {
            await BenchmarksFile.RecordAsync(_root, key, section, cancellationToken).ConfigureAwait(false);
        }

        foreach (var set in archiveOptions.Sets)
        {
            await couch.DeleteDatabaseAsync(set.Database, cancellationToken).ConfigureAwait(false);
        }

        await using (var server = new MySqlConnection(_server))
        {
            await server.OpenAsync(cancellationToken).ConfigureAwait(false);
            await Command(server, $"DROP DATABASE IF EXISTS `{Database}`").ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static MySqlCommand Command(MySqlConnection connection, string sql) => new(sql, connection);

    private static async Task<long> AddCampaignAsync(MySqlConnection connection, string endsAt, CancellationToken cancellationToken)
    {
        var sql = $"INSERT INTO campaigns (name, kind, starts_at, ends_at) VALUES ('Bench: pages', 'contest', {endsAt} - INTERVAL 7 DAY, {endsAt}); SELECT LAST_INSERT_ID()";
        return Convert.ToInt64(await Command(connection, sql).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Two days of entries in time order, 0.3 % winners, 5 % without a user.</summary>
    private async Task SeedAsync(MySqlConnection connection, long campaign, CancellationToken cancellationToken)
    {
        var random = new Random(20_261_203);
        var start = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
        var span = TimeSpan.FromDays(2).TotalMilliseconds;
        var progress = BenchConsole.Progress($"seeding campaign {campaign}", "rows");
        var rows = new List<EntryRow>(RowsPerTransaction);
        for (var i = 0; i < options.Entries; i++)
        {
            rows.Add(new EntryRow
            {
                CampaignId = campaign,
                UserId = random.NextDouble() < 0.05 ? null : 1 + random.Next(200_000),
                EntryNumber = i + 1,
                Winner = random.NextDouble() < 0.003,
                Message = $"CODE {random.Next(1000, 999_999)} 🎉",
                CreatedAt = start.AddMilliseconds(Math.Floor(span * (i + random.NextDouble()) / options.Entries)),
            });
            if (rows.Count == RowsPerTransaction || i == options.Entries - 1)
            {
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
                {
                    await RowInserter.InsertEntriesAsync(connection, rows, transaction, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                rows.Clear();
                progress(i + 1, options.Entries, i == options.Entries - 1);
            }
        }
    }

    private static async Task<double> TimeOnceAsync<T>(Func<Task<T>> read)
    {
        var started = Stopwatch.GetTimestamp();
        await read().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Median(List<double> times)
    {
        times.Sort();
        return times[times.Count / 2];
    }

    private string Section(
        DateTimeOffset started, CouchServerInfo couch, string mysql, double coldLive, double coldArchive, double coldDeep,
        List<(string Store, long Campaign, double Page1, double DeepByNumber, double DeepByToken)> results)
    {
        var machine = MachineInfo.Current();
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"## {started:yyyy-MM-dd HH:mm} UTC: deep pages, page 1 against page {options.DeepPage:N0} (per_page {options.PerPage}, {options.Entries:N0} entries; shared, noisy 2-core machine)");
        text.AppendLine();
        text.AppendLine(c, $"- machine: {machine.Cores} cores, {machine.CpuModel}, {machine.MemoryGigabytes:F1} GB RAM, {machine.OperatingSystem}");
        text.AppendLine(c, $"- servers: MySQL {mysql}; {couch.Product} {couch.Version}");
        text.AppendLine(c, $"- data: two identical campaigns of {options.Entries:N0} entries over two days, one live in MySQL, one archived (and its views deployed) in CouchDB; both read through `CampaignQueries`, which routes by the archived flag");
        text.AppendLine(c, $"- method: client-side latency of `EntriesAsync` (items, totals and token), median of {options.Repeats} reads per query, the three queries interleaved; page {options.DeepPage:N0} by token uses the token of page {options.DeepPage - 1:N0}");
        text.AppendLine("- command: `./bench/pages.sh`");
        text.AppendLine();
        text.AppendLine(c, $"| store | page 1 | page {options.DeepPage:N0} by number | ratio | page {options.DeepPage:N0} by token | ratio | target | status |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (store, _, page1, byNumber, byToken) in results)
        {
            var worst = Math.Max(byNumber, byToken) / page1;
            text.AppendLine(c, $"| {store} | {page1:F2} ms | {byNumber:F2} ms | {byNumber / page1:F2} × | {byToken:F2} ms | {byToken / page1:F2} × | ≤ 1.5 × | {(worst <= 1.5 ? "met" : "not met")} |");
        }

        text.AppendLine();
        text.AppendLine(c, $"First reads, cold: live page 1 {coldLive:F1} ms; archived page 1 {coldArchive:F1} ms (reads the campaign's totals from its rollups); archived first page {options.DeepPage:N0} {coldDeep:F1} ms, which builds the campaign's page index once (every {new QueryOptions().PageIndexStride}th id, read from the view without documents) and keeps it in memory.");
        return text.ToString();
    }
}

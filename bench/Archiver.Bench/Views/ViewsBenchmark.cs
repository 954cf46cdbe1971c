using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Archiver.Bench.Report;
using Archiver.CouchDb;
using Archiver.Views;

namespace Archiver.Bench.Views;

/// <summary>
/// Issue 7's measurement: one campaign of N entries over two days and its per-minute rollups in one
/// database; the shipped rollup statistics view (<c>views/contest_campaign_entries/stats</c>) against
/// the same statistics from a per-entry view; index size on disk, build time and query time for
/// day, hour and minute statistics. Both views answer the same rows, checked on every query.
/// </summary>
internal sealed class ViewsBenchmark(ViewsBenchOptions options)
{
    private const string Database = "archiver_bench_views";
    private const long Campaign = 1;
    private const int BatchSize = 2500;

    private static readonly string PerEntryMap = """
        function (doc) {
          // The same statistics as stats/by_minute, from every entry instead of the minute rollups.
          if (doc.type === 'contest_campaign_entry') {
            var t = doc.created_at;
            emit([doc.campaign_id, t.substring(0, 10), t.substring(11, 13), t.substring(14, 16)], [1, doc.winner ? 1 : 0]);
          }
        }
        """;

    // Emits nothing: what pouchdb-server's index costs per document whatever the view emits (it
    // keeps a "_local/doc_<id>" record of every document the map function saw).
    private static readonly string EmptyMap = """
        function (doc) {
          // Emits nothing: the per-document cost of an index on this server.
        }
        """;

    private readonly string _root = Environment.GetEnvironmentVariable("ARCHIVER_ROOT") ?? throw new InvalidOperationException("ARCHIVER_ROOT is not set");
    private readonly Uri _couch = new(Environment.GetEnvironmentVariable("ARCHIVER_COUCHDB_URL") ?? throw new InvalidOperationException("ARCHIVER_COUCHDB_URL is not set"));

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var data = Environment.GetEnvironmentVariable("ARCHIVER_COUCHDB_DATA")
            ?? Path.Combine(Environment.GetEnvironmentVariable("ARCHIVER_LOCAL") ?? Path.Combine(_root, ".local"), "couchdb", "data");
        using var http = new HttpClient { BaseAddress = _couch, Timeout = Timeout.InfiniteTimeSpan };
        var couch = new CouchDbClient(http);
        var server = await couch.GetServerInfoAsync(cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"Views benchmark: {options.Entries:N0} entries, CouchDB {_couch} ({server.Product} {server.Version}), index files under {data}");

        BenchConsole.Phase($"1/4 documents: {options.Entries:N0} entries of campaign {Campaign} over two days and their rollups into {Database}");
        await couch.DeleteDatabaseAsync(Database, cancellationToken).ConfigureAwait(false);
        await couch.EnsureDatabaseAsync(Database, cancellationToken).ConfigureAwait(false);
        var rollups = await WriteDocumentsAsync(http, cancellationToken).ConfigureAwait(false);

        var views = Microsoft.Extensions.Options.Options.Create(new ViewsOptions { ProgressInterval = TimeSpan.FromSeconds(10) });
        var folders = await ViewCatalog.LoadAsync(Path.Combine(_root, "views"), new NodeFunctionChecker(views), cancellationToken).ConfigureAwait(false);
        var rollupDesign = folders.Single(f => f.Name == "contest_campaign_entries.rollups").Designs.Single(d => d.Name == "stats");
        var entryDesign = new DesignDocument("bench_entries", new Dictionary<string, ViewDefinition> { ["by_minute"] = new(PerEntryMap, "_sum") }, null);
        var deployer = new ViewDeployer(couch, views);
        var sizes = new IndexSizes(data, Database);

        var emptyDesign = new DesignDocument("bench_none", new Dictionary<string, ViewDefinition> { ["by_minute"] = new(EmptyMap, null) }, null);
        BenchConsole.Phase("2/4 rollup view: archiver views deploy of _design/stats (stage, build, copy)");
        var (rollupBuild, rollupBytes) = await DeployAsync(deployer, sizes, http, rollupDesign, cancellationToken).ConfigureAwait(false);
        BenchConsole.Phase($"3/4 per-entry view: _design/{entryDesign.Name} over {options.Entries:N0} entries");
        var (entryBuild, entryBytes) = await DeployAsync(deployer, sizes, http, entryDesign, cancellationToken).ConfigureAwait(false);
        BenchConsole.Line("baseline: a view that emits nothing, for the index's cost per document");
        var (_, emptyBytes) = await DeployAsync(deployer, sizes, http, emptyDesign, cancellationToken).ConfigureAwait(false);

        BenchConsole.Phase($"4/4 queries (stale=ok, median of {options.Repeats}): day, hour and minute statistics of campaign {Campaign}");
        var queries = new List<(string Name, int Level, double RollupMs, double EntryMs, int Rows)>();
        foreach (var (name, level) in new[] { ("day", 2), ("hour", 3), ("minute", 4) })
        {
            var (rollupMs, rollupRows) = await TimeAsync(couch, rollupDesign, level, cancellationToken).ConfigureAwait(false);
            var (entryMs, entryRows) = await TimeAsync(couch, entryDesign, level, cancellationToken).ConfigureAwait(false);
            if (!rollupRows.SequenceEqual(entryRows, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"{name} statistics differ between the rollup view ({rollupRows.Count} rows) and the per-entry view ({entryRows.Count} rows)");
            }

            queries.Add((name, level, rollupMs, entryMs, rollupRows.Count));
            BenchConsole.Line(string.Create(CultureInfo.InvariantCulture, $"{name}: {rollupRows.Count:N0} rows, rollup view {rollupMs:F0} ms, per-entry view {entryMs:F0} ms ({entryMs / rollupMs:F0} ×), results identical"));
        }

        var section = Section(started, server, data, rollups, rollupBuild, rollupBytes, entryBuild, entryBytes, emptyBytes, queries);
        Console.WriteLine();
        Console.WriteLine(section);
        if (options.RecordKey is { } key)
        {
            await BenchmarksFile.RecordAsync(_root, key, section, cancellationToken).ConfigureAwait(false);
        }

        await couch.DeleteDatabaseAsync(Database, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private async Task<int> WriteDocumentsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var start = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
        var spacing = 2.0 * 86_400_000 / options.Entries;
        var minutes = new SortedDictionary<string, (int Count, int Winners)>(StringComparer.Ordinal);
        var progress = BenchConsole.Progress("entries", "documents");
        var batch = new List<Action<Utf8JsonWriter>>(BatchSize);
        for (var i = 1; i <= options.Entries; i++)
        {
            var id = i;
            var created = start.AddMilliseconds(Math.Floor(i * spacing) + (i % 1000));
            var winner = i % 250 == 0;
            var minute = created.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
            var (count, winners) = minutes.GetValueOrDefault(minute);
            minutes[minute] = (count + 1, winners + (winner ? 1 : 0));
            batch.Add(writer =>
            {
                writer.WriteString("_id", $"contest_campaign_entries:{Campaign:D19}:{id:D19}");
                writer.WriteString("type", "contest_campaign_entry");
                writer.WriteNumber("id", id);
                writer.WriteNumber("campaign_id", Campaign);
                writer.WriteNumber("user_id", 10_000 + (id % 50_000));
                writer.WriteNumber("entry_number", 1 + (id % 5));
                writer.WriteBoolean("winner", winner);
                writer.WriteString("message", id % 3 == 0 ? "¡Quiero ganar! 🎉" : "ENTER");
                writer.WriteString("created_at", created.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            });
            if (batch.Count == BatchSize || i == options.Entries)
            {
                await PostAsync(http, batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                progress(i, options.Entries, i == options.Entries);
            }
        }

        foreach (var chunk in minutes.Chunk(BatchSize))
        {
            await PostAsync(http, [.. chunk.Select(m => (Action<Utf8JsonWriter>)(writer =>
            {
                writer.WriteString("_id", $"rollup:contest_campaign_entries:{Campaign:D19}:{m.Key}");
                writer.WriteString("type", "rollup");
                writer.WriteString("set", "contest_campaign_entries");
                writer.WriteNumber("campaign_id", Campaign);
                writer.WriteString("minute", m.Key);
                writer.WriteNumber("count", m.Value.Count);
                writer.WriteNumber("winners", m.Value.Winners);
            }))], cancellationToken).ConfigureAwait(false);
        }

        BenchConsole.Line($"{options.Entries:N0} entries and {minutes.Count:N0} rollups written");
        return minutes.Count;
    }

    private static async Task PostAsync(HttpClient http, IReadOnlyList<Action<Utf8JsonWriter>> documents, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("docs");
            foreach (var write in documents)
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync($"{Database}/_bulk_docs", content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new HttpRequestException($"POST /{Database}/_bulk_docs answered {(int)response.StatusCode}");
        }
    }

    private static async Task<(TimeSpan Build, long Bytes)> DeployAsync(ViewDeployer deployer, IndexSizes sizes, HttpClient http, DesignDocument design, CancellationToken cancellationToken)
    {
        var before = sizes.Snapshot();
        var results = await deployer.DeployAsync([new DeployTarget(Database, design)], false, false, new Progress(), cancellationToken).ConfigureAwait(false);
        var result = results.Single();
        var bytes = await IndexSizes.ServerFigureAsync(http, Database, design.Name, cancellationToken).ConfigureAwait(false) ?? sizes.NewFolderBytes(before, sizes.Snapshot());
        BenchConsole.Line(string.Create(CultureInfo.InvariantCulture, $"_design/{design.Name}: {result.Change}, built in {result.BuildTime.TotalSeconds:F1} s, index {bytes / 1048576.0:F2} MB on disk"));
        return (result.BuildTime, bytes);
    }

    private async Task<(double Milliseconds, List<string> Rows)> TimeAsync(CouchDbClient couch, DesignDocument design, int level, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        List<string> rows = [];
        var query = new ViewQuery { StartKey = $"[{Campaign}]", EndKey = $"[{Campaign},{{}}]", GroupLevel = level };
        for (var i = 0; i < options.Repeats; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await couch.QueryViewAsync(Database, design.Name, "by_minute", query, cancellationToken).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            rows = [.. result.Rows.Select(r => r.Key.GetRawText() + "=" + r.Value.GetRawText())];
        }

        times.Sort();
        return (times[times.Count / 2], rows);
    }

    private string Section(
        DateTimeOffset started, CouchServerInfo server, string data, int rollups, TimeSpan rollupBuild, long rollupBytes, TimeSpan entryBuild, long entryBytes, long emptyBytes,
        List<(string Name, int Level, double RollupMs, double EntryMs, int Rows)> queries)
    {
        var machine = MachineInfo.Current();
        static string Status(double ratio) => ratio >= 20 ? "met" : "not met";
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"## {started:yyyy-MM-dd HH:mm} UTC: statistics views, rollups against entries ({options.Entries:N0} entries; shared, noisy 2-core machine)");
        text.AppendLine();
        text.AppendLine(c, $"- machine: {machine.Cores} cores, {machine.CpuModel}, {machine.MemoryGigabytes:F1} GB RAM, {machine.OperatingSystem}");
        text.AppendLine(c, $"- server: {server.Product} {server.Version}");
        text.AppendLine(c, $"- data: one campaign of {options.Entries:N0} entry documents over two days and its {rollups:N0} rollup documents (one per minute), in one database");
        text.AppendLine("- views: the shipped `stats/by_minute` (rollups only, `[campaign, day, hour, minute]` → `[count, winners]`, `_sum`) against a per-entry view emitting the same key and `[1, winner]` per entry, `_sum`; every query's rows were identical");
        text.AppendLine(c, $"- index size: pouchdb-server's index folders (`{Database}-mrview-*` under the data folder, LevelDB, as left after the build) that appeared while each design document deployed; CouchDB's `_info` `sizes.file` where it reports one. Query time: `stale=ok`, `group_level` 2/3/4 over the campaign's key range, median of {options.Repeats}, client-side");
        text.AppendLine("- command: `./bench/views.sh`");
        text.AppendLine();
        text.AppendLine("| figure | rollup view | per-entry view | ratio | target | status |");
        text.AppendLine("|---|---|---|---|---|---|");
        text.AppendLine(c, $"| index build (deploy: stage, build, copy) | {rollupBuild.TotalSeconds:F1} s | {entryBuild.TotalSeconds:F1} s | {entryBuild / rollupBuild:F0} × |  |  |");
        var sizeRatio = (double)entryBytes / Math.Max(rollupBytes, 1);
        text.AppendLine(c, $"| index size on disk | {rollupBytes / 1048576.0:F2} MB | {entryBytes / 1048576.0:F2} MB | {sizeRatio:F0} × smaller | ≥ 20 × smaller | {Status(sizeRatio)} |");
        var entryRows = Math.Max(entryBytes - emptyBytes, 0);
        var baseline = $"| index size beyond the per-document record (minus a view that emits nothing: {emptyBytes / 1048576.0:F2} MB) |";
        if (rollupBytes > emptyBytes)
        {
            var rowsRatio = (double)entryRows / (rollupBytes - emptyBytes);
            text.AppendLine(c, $"{baseline} {(rollupBytes - emptyBytes) / 1048576.0:F2} MB | {entryRows / 1048576.0:F2} MB | {rowsRatio:F0} × smaller | ≥ 20 × smaller | {Status(rowsRatio)} |");
        }
        else
        {
            // LevelDB's folders are not compacted: a small index can come out below the baseline.
            text.AppendLine(c, $"{baseline} not measurable ({rollupBytes / 1048576.0:F2} MB, not above the baseline) | {entryRows / 1048576.0:F2} MB | n/a |  | the rollup rows are below what this method resolves |");
        }
        foreach (var (name, level, rollupMs, entryMs, rows) in queries)
        {
            var ratio = entryMs / rollupMs;
            text.AppendLine(c, $"| {name} statistics (`group_level={level}`, {rows:N0} rows) | {rollupMs:F0} ms | {entryMs:F0} ms | {ratio:F0} × faster | ≥ 20 × faster | {Status(ratio)} |");
        }

        text.AppendLine();
        text.AppendLine("pouchdb-server writes a `_local/doc_<id>` record into a view's index for every document its map function sees, emitted or not, so every view of a 200,000-document database carries that cost, the rollup view included; the baseline row subtracts it. CouchDB 3 keeps only documents that emitted in a view's id b-tree, so there an index holds little more than its emitted rows.");
        return text.ToString();
    }

    private sealed class Progress : IViewDeployProgress
    {
        public void Stepped(string database, string design, string message) => BenchConsole.Line($"_design/{design}: {message}");

        public void Building(string database, string design, string view, TimeSpan elapsed, int? percent) =>
            BenchConsole.Line(string.Create(CultureInfo.InvariantCulture, $"building {view}: {elapsed.TotalSeconds:F0} s{(percent is { } p ? $", {p} %" : "")}"));
    }
}

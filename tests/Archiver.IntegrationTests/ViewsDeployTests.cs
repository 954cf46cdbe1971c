using System.Diagnostics;
using System.Net.Http.Json;
using Archiver.CouchDb;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Views;
using Microsoft.Extensions.Options;

namespace Archiver.IntegrationTests;

/// <summary><c>archiver views deploy</c>'s engine against the real pouchdb-server: from empty, unchanged, changed under a reader, refused.</summary>
public sealed class ViewsDeployTests : DatabaseTest
{
    private static readonly IOptions<ViewsOptions> Views = Microsoft.Extensions.Options.Options.Create(new ViewsOptions { ProgressInterval = TimeSpan.FromMilliseconds(200) });

    private ViewDeployer Deployer() => new(Db.Couch, Views);

    private static Task<IReadOnlyList<ViewFolder>> LoadAsync(string root) => ViewCatalog.LoadAsync(root, new NodeFunctionChecker(Views));

    private async Task<IReadOnlyList<DeployTarget>> ShippedTargetsAsync() =>
        ViewTargets.Resolve(await LoadAsync(Repository.File("views")), Db.Options().Sets, null);

    [Fact]
    public async Task Deploy_from_empty_creates_every_shipped_design_document_built_and_in_sync()
    {
        var targets = await ShippedTargetsAsync();
        Assert.Equal(["entries", "stats", "stats", "votes"], targets.Select(t => t.Design.Name).Order().ToArray());

        // The statistics design documents go to the rollup databases, the entry views stay with the entries.
        Assert.Equal(
            [$"{Db.EntriesDb} entries", $"{Db.EntryRollupsDb} stats", $"{Db.VotesDb} votes", $"{Db.VoteRollupsDb} stats"],
            targets.Select(t => $"{t.Database} {t.Design.Name}").Order(StringComparer.Ordinal).ToArray());

        var results = await Deployer().DeployAsync(targets, dryRun: false, noWait: false, progress: null);

        Assert.All(results, r => Assert.Equal(DesignChange.Created, r.Change));
        var statuses = await new ViewStatusReader(Db.Couch).ReadAsync(targets);
        Assert.Equal(4, statuses.Count);
        Assert.All(statuses, s =>
        {
            Assert.True(s.InFiles && s.Deployed && s.InSync, $"{s.Database} {s.Design}");
            Assert.True(s.Built, $"{s.Database} {s.Design} behind: {string.Join(", ", s.StaleViews)}");
            Assert.False(s.Staging);
        });
        foreach (var database in Db.ArchiveDatabases)
        {
            Assert.DoesNotContain(await Db.Couch.ListDesignIdsAsync(database), id => id.EndsWith(ViewDeployer.StagingSuffix, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Redeploying_unchanged_files_writes_nothing()
    {
        var targets = await ShippedTargetsAsync();
        await Deployer().DeployAsync(targets, false, false, null);
        var archive = await Db.ArchiveStateAsync();

        var results = await Deployer().DeployAsync(await ShippedTargetsAsync(), false, false, null);

        Assert.All(results, r => Assert.Equal(DesignChange.Unchanged, r.Change));
        Assert.Equal(archive, await Db.ArchiveStateAsync());
    }

    [Fact]
    public async Task An_archive_deployed_with_the_earlier_entry_views_takes_the_shipped_ones_by_a_redeploy_and_reads_the_same()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 300);
        Assert.Equal(Archiver.Engine.CampaignOutcome.Archived, Assert.Single((await Db.Engine().RunAsync(new Archiver.Engine.ArchiveRequest())).Campaigns).Outcome);

        // The design documents of an archive deployed before the one entry view: four entry views, two vote views.
        using var earlier = new ViewFiles()
            .Write("contest_campaign_entries/entries/views/by_campaign/map.js", "function (doc) { if (doc.type === 'contest_campaign_entry') { emit([doc.campaign_id, doc.id], null); } }")
            .Write("contest_campaign_entries/entries/views/by_campaign/reduce.js", "_count")
            .Write("contest_campaign_entries/entries/views/by_user/map.js", "function (doc) { if (doc.type === 'contest_campaign_entry' && doc.user_id !== null) { emit([doc.user_id, doc.created_at, doc.campaign_id, doc.id], null); } }")
            .Write("contest_campaign_entries/entries/views/by_winner/map.js", "function (doc) { if (doc.type === 'contest_campaign_entry') { emit([doc.campaign_id, doc.winner === true, doc.id], null); } }")
            .Write("contest_campaign_entries/entries/views/winners/map.js", "function (doc) { if (doc.type === 'contest_campaign_entry' && doc.winner === true) { emit([doc.campaign_id, doc.id], doc.user_id); } }")
            .Write("vote_campaign_votes/votes/views/by_campaign/map.js", "function (doc) { if (doc.type === 'vote_campaign_vote') { emit([doc.campaign_id, doc.id], doc.choice); } }")
            .Write("vote_campaign_votes/votes/views/by_campaign/reduce.js", "_count")
            .Write("vote_campaign_votes/votes/views/by_user/map.js", "function (doc) { if (doc.type === 'vote_campaign_vote' && doc.user_id !== null) { emit([doc.user_id, doc.created_at, doc.campaign_id, doc.id], doc.choice); } }");
        await Deployer().DeployAsync(ViewTargets.Resolve(await LoadAsync(earlier.Root), Db.Options().Sets, null), false, false, null);

        var results = await Deployer().DeployAsync(await ShippedTargetsAsync(), false, false, null);

        Assert.Equal(DesignChange.Updated, results.Single(r => r.Database == Db.EntriesDb).Change);
        Assert.Equal(DesignChange.Updated, results.Single(r => r.Database == Db.VotesDb).Change);
        Assert.Equal(["_design/entries"], await Db.Couch.ListDesignIdsAsync(Db.EntriesDb));
        var entries = await Db.Couch.GetDesignAsync(Db.EntriesDb, "_design/entries");
        Assert.Equal(["keys"], entries!.Body.GetProperty("views").EnumerateObject().Select(v => v.Name).ToArray());
        var votes = await Db.Couch.GetDesignAsync(Db.VotesDb, "_design/votes");
        Assert.Equal(["by_user"], votes!.Body.GetProperty("views").EnumerateObject().Select(v => v.Name).ToArray());

        // The replaced views are gone; the new one answers every winner and non-winner of the campaign, built.
        var gone = await Assert.ThrowsAsync<CouchDbException>(() => Db.Couch.QueryViewAsync(Db.EntriesDb, "entries", "by_winner", new ViewQuery { Limit = 1 }));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        var sides = await Db.Couch.QueryViewAsync(Db.EntriesDb, "entries", "keys", new ViewQuery { StartKey = $"[\"c\",{campaign}]", EndKey = $"[\"c\",{campaign},{{}}]" });
        Assert.Equal(300, sides.Rows.Count);
        Assert.All(await new ViewStatusReader(Db.Couch).ReadAsync(await ShippedTargetsAsync()), s => Assert.True(s.InSync && s.Built == true && !s.Staging, $"{s.Database} {s.Design}"));
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_and_names_what_it_would_deploy()
    {
        var results = await Deployer().DeployAsync(await ShippedTargetsAsync(), dryRun: true, noWait: false, progress: null);

        Assert.All(results, r => Assert.Equal(DesignChange.WouldCreate, r.Change));
        Assert.Null(await Db.Couch.GetDatabaseInfoAsync(Db.EntriesDb));
        Assert.Null(await Db.Couch.GetDatabaseInfoAsync(Db.VotesDb));
    }

    [Fact]
    public async Task No_wait_stages_the_change_beside_the_live_one_and_the_next_deploy_makes_it_live()
    {
        var targets = await ShippedTargetsAsync();
        var entries = targets.Where(t => t.Database == Db.EntriesDb || t.Database == Db.EntryRollupsDb).ToList();

        var staged = await Deployer().DeployAsync(entries, dryRun: false, noWait: true, progress: null);

        Assert.All(staged, r => Assert.Equal(DesignChange.Staged, r.Change));
        Assert.Equal(["_design/entries.staging"], await Db.Couch.ListDesignIdsAsync(Db.EntriesDb));
        Assert.Equal(["_design/stats.staging"], await Db.Couch.ListDesignIdsAsync(Db.EntryRollupsDb));

        var promoted = await Deployer().DeployAsync(entries, false, false, null);

        Assert.All(promoted, r => Assert.Equal(DesignChange.Created, r.Change));
        Assert.Equal(["_design/entries"], await Db.Couch.ListDesignIdsAsync(Db.EntriesDb));
        Assert.Equal(["_design/stats"], await Db.Couch.ListDesignIdsAsync(Db.EntryRollupsDb));
    }

    [Fact]
    public async Task A_changed_view_goes_live_while_a_reader_of_the_live_view_never_errors_nor_sees_an_empty_or_partial_result()
    {
        // Enough documents that building the changed view takes pouchdb-server a few seconds.
        const int documents = 2000;
        await Db.Couch.EnsureDatabaseAsync(Db.EntriesDb);
        for (var start = 0; start < documents; start += 500)
        {
            var docs = Enumerable.Range(start, 500).Select(i => new { _id = $"rollup:t:{i:D6}", type = "rollup", campaign_id = 1 + (i % 3), count = 1 + (i % 5) });
            using var response = await Db.Http.PostAsJsonAsync($"{Db.EntriesDb}/_bulk_docs", new { docs });
            response.EnsureSuccessStatusCode();
        }

        var total = Enumerable.Range(0, documents).Sum(i => 1 + (i % 5));
        using var files = new ViewFiles();
        void Version(string value) => files.Write("contest_campaign_entries/live/views/total/map.js",
            $"function (doc) {{\n  if (doc.type === 'rollup') {{\n    emit(doc.campaign_id, {value});\n  }}\n}}\n").Write("contest_campaign_entries/live/views/total/reduce.js", "_sum\n");
        Version("doc.count");
        var v1 = ViewTargets.Resolve(await LoadAsync(files.Root), Db.Options().Sets, null);
        await Deployer().DeployAsync(v1, false, false, null);

        Version("doc.count * 2");
        var v2 = ViewTargets.Resolve(await LoadAsync(files.Root), Db.Options().Sets, null);
        using var stop = new CancellationTokenSource();
        var reads = new List<(long Started, double Value)>();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await Db.Couch.QueryViewAsync(Db.EntriesDb, "live", "total", new ViewQuery());
                reads.Add((started, result.Rows.Count == 0 ? 0 : result.Rows[0].Value.GetDouble()));
                await Task.Delay(50);
            }
        });

        var progress = new RecordingProgress();
        var results = await Deployer().DeployAsync(v2, false, false, progress);
        var deployed = Stopwatch.GetTimestamp();
        while (reads.Count(r => r.Started > deployed) < 2)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await reader;

        Assert.Equal(DesignChange.Updated, Assert.Single(results).Change);
        Assert.All(reads, r => Assert.True(r.Value == total || r.Value == 2 * total, $"a reader saw {r.Value}, neither {total} nor {2 * total}"));
        Assert.Contains(reads, r => r.Value == total);
        Assert.All(reads.Where(r => r.Started > deployed), r => Assert.Equal(2 * total, r.Value));
        if ((await Db.Couch.GetServerInfoAsync()).Product == "express-pouchdb")
        {
            // pouchdb-server takes seconds for this build and reports no percentage (_active_tasks is always empty).
            Assert.NotEmpty(progress.Builds);
            Assert.All(progress.Builds, b => Assert.Null(b.Percent));
        }
        else
        {
            // CouchDB 3 builds 2,000 documents within a progress interval; a percentage, when reported, is one.
            Assert.All(progress.Builds, b => Assert.True(b.Percent is null or >= 0 and <= 100, $"progress {b.Percent}"));
        }

        Assert.Equal(["_design/live"], await Db.Couch.ListDesignIdsAsync(Db.EntriesDb));
    }

    [Fact]
    public async Task A_function_that_does_not_compile_is_refused_with_its_file_and_line_before_anything_is_loaded()
    {
        using var files = new ViewFiles();
        files.Write("contest_campaign_entries/good/views/all/map.js", "function (doc) {\n  emit(doc._id, null);\n}\n");
        files.Write("contest_campaign_entries/zbad/views/broken/map.js", "function (doc) {\n  if (doc.type === 'rollup') {\n    emit(doc.minute doc.count);\n  }\n}\n");

        var error = await Assert.ThrowsAsync<ViewSourceException>(() => LoadAsync(files.Root));

        Assert.Equal("views/contest_campaign_entries/zbad/views/broken/map.js", error.File);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("views/contest_campaign_entries/zbad/views/broken/map.js:3: does not compile:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_shows_a_design_document_out_of_sync_after_its_files_change_and_one_the_files_do_not_describe()
    {
        using var files = new ViewFiles();
        files.Write("contest_campaign_entries/one/views/all/map.js", "function (doc) {\n  emit(doc._id, null);\n}\n");
        await Deployer().DeployAsync(ViewTargets.Resolve(await LoadAsync(files.Root), Db.Options().Sets, null), false, false, null);
        // autoupdate=false: CouchDB 3 otherwise builds every design document's index in the background
        // (ken) within milliseconds, and this one must stay unbuilt to show as such (pouchdb-server ignores it).
        using (var response = await Db.Http.PutAsJsonAsync($"{Db.EntriesDb}/_design/handmade", new { autoupdate = false, views = new { v = new { map = "function (doc) { emit(1, 1); }" } } }))
        {
            response.EnsureSuccessStatusCode();
        }

        files.Write("contest_campaign_entries/one/views/all/map.js", "function (doc) {\n  emit(doc._id, 1);\n}\n");
        var statuses = await new ViewStatusReader(Db.Couch).ReadAsync(ViewTargets.Resolve(await LoadAsync(files.Root), Db.Options().Sets, null));

        var one = Assert.Single(statuses, s => s.Design == "one");
        Assert.True(one.Deployed);
        Assert.False(one.InSync);
        var handmade = Assert.Single(statuses, s => s.Design == "handmade");
        Assert.False(handmade.InFiles);
        Assert.False(handmade.Built);
    }

    [Fact]
    public async Task The_index_built_under_the_staging_copy_survives_the_cleanup_that_follows_the_copy()
    {
        // Regression: pouchdb-server's _view_cleanup destroyed the index shared by the staging copy and
        // the live design document when the live one had not been queried yet, so readers had to wait
        // for a full rebuild. A stale read right after the cleanup must still see every document.
        await Db.Couch.EnsureDatabaseAsync(Db.EntriesDb);
        var docs = Enumerable.Range(0, 300).Select(i => new { _id = $"rollup:t:{i:D6}", type = "rollup", campaign_id = 1, count = 2 });
        using (var response = await Db.Http.PostAsJsonAsync($"{Db.EntriesDb}/_bulk_docs", new { docs }))
        {
            response.EnsureSuccessStatusCode();
        }

        using var files = new ViewFiles();
        files.Write("contest_campaign_entries/live/views/total/map.js", "function (doc) {\n  emit(doc.campaign_id, doc.count);\n}\n")
            .Write("contest_campaign_entries/live/views/total/reduce.js", "_sum");
        var probe = new CleanupProbe(Db.Couch, () => Db.Couch.QueryViewAsync(Db.EntriesDb, "live", "total", new ViewQuery()));

        await new ViewDeployer(probe, Views).DeployAsync(ViewTargets.Resolve(await LoadAsync(files.Root), Db.Options().Sets, null), false, false, null);

        var afterCleanup = Assert.Single(probe.Reads);
        Assert.Equal(600, Assert.Single(afterCleanup.Rows).Value.GetInt32());

        // A change: the new index survives the cleanup, and the replaced one is no longer recorded as used by the live document.
        files.Write("contest_campaign_entries/live/views/total/map.js", "function (doc) {\n  emit(doc.campaign_id, doc.count * 3);\n}\n");
        var changed = ViewTargets.Resolve(await LoadAsync(files.Root), Db.Options().Sets, null);
        await new ViewDeployer(probe, Views).DeployAsync(changed, false, false, null);
        Assert.Equal(1800, Assert.Single(probe.Reads[1].Rows).Value.GetInt32());
        if (await Db.Couch.GetIndexInfoAsync(Db.EntriesDb, "_design/live") is { } info)
        {
            // CouchDB 3: no _local/mrviews; indexes are files named by signature, and the live design
            // document's index is the one the staging copy built, complete.
            Assert.Equal(0, info.PendingUpdates);
            Assert.False(string.IsNullOrEmpty(info.Signature));
            return;
        }

        using var record = await Db.Http.GetFromJsonAsync<System.Text.Json.JsonDocument>($"{Db.EntriesDb}/_local/mrviews");
        var live = record!.RootElement.GetProperty("views").GetProperty("live/total").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal([CouchDbClient.PouchIndexName(Db.EntriesDb, changed[0].Design.Views["total"])], live);
    }

    /// <summary>The real store, reading the live view right after every <c>_view_cleanup</c>.</summary>
    private sealed class CleanupProbe(CouchDbClient couch, Func<Task<ViewResult>> read) : IDesignStore
    {
        public List<ViewResult> Reads { get; } = [];

        public async Task CleanupViewsAsync(string database, CancellationToken cancellationToken = default)
        {
            await couch.CleanupViewsAsync(database, cancellationToken);
            Reads.Add(await read());
        }

        public Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default) => couch.EnsureDatabaseAsync(database, cancellationToken);

        public Task<string?> GetUpdateSeqAsync(string database, CancellationToken cancellationToken = default) => couch.GetUpdateSeqAsync(database, cancellationToken);

        public Task<StoredDesign?> GetDesignAsync(string database, string id, CancellationToken cancellationToken = default) => couch.GetDesignAsync(database, id, cancellationToken);

        public Task<IReadOnlyList<string>> ListDesignIdsAsync(string database, CancellationToken cancellationToken = default) => couch.ListDesignIdsAsync(database, cancellationToken);

        public Task<string> PutDesignAsync(string database, string id, byte[] body, CancellationToken cancellationToken = default) => couch.PutDesignAsync(database, id, body, cancellationToken);

        public Task CopyDesignAsync(string database, string fromId, string toId, string? toRev, CancellationToken cancellationToken = default) =>
            couch.CopyDesignAsync(database, fromId, toId, toRev, cancellationToken);

        public Task DeleteDesignAsync(string database, string id, string rev, CancellationToken cancellationToken = default) => couch.DeleteDesignAsync(database, id, rev, cancellationToken);

        public Task WaitForIndexCommitAsync(IReadOnlyCollection<(string Database, string DesignId)> designs, CancellationToken cancellationToken = default) =>
            couch.WaitForIndexCommitAsync(designs, cancellationToken);

        public Task AdoptIndexesAsync(string database, string stagingId, DesignDocument design, CancellationToken cancellationToken = default) =>
            couch.AdoptIndexesAsync(database, stagingId, design, cancellationToken);

        public Task BuildViewAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default) =>
            couch.BuildViewAsync(database, designId, view, hasReduce, cancellationToken);

        public Task StartViewBuildAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default) =>
            couch.StartViewBuildAsync(database, designId, view, hasReduce, cancellationToken);

        public Task<string?> GetViewSeqAsync(string database, string designId, string view, bool hasReduce, CancellationToken cancellationToken = default) =>
            couch.GetViewSeqAsync(database, designId, view, hasReduce, cancellationToken);

        public Task<DesignIndexInfo?> GetIndexInfoAsync(string database, string designId, CancellationToken cancellationToken = default) =>
            couch.GetIndexInfoAsync(database, designId, cancellationToken);

        public Task<IReadOnlyList<IndexerTask>> GetIndexerTasksAsync(CancellationToken cancellationToken = default) => couch.GetIndexerTasksAsync(cancellationToken);
    }

    private sealed class RecordingProgress : IViewDeployProgress
    {
        public List<(string View, int? Percent)> Builds { get; } = [];

        public void Stepped(string database, string design, string message)
        {
        }

        public void Building(string database, string design, string view, TimeSpan elapsed, int? percent)
        {
            lock (Builds)
            {
                Builds.Add((view, percent));
            }
        }
    }
}

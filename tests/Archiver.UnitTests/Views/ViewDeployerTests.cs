using Archiver.UnitTests.Fakes;
using Archiver.Views;

namespace Archiver.UnitTests.Views;

/// <summary>The deployer's decisions and the CouchDB 3 paths pouchdb-server cannot show (progress figures, a copy that did not take).</summary>
public sealed class ViewDeployerTests
{
    private static readonly Microsoft.Extensions.Options.IOptions<ViewsOptions> Fast =
        Microsoft.Extensions.Options.Options.Create(new ViewsOptions { ProgressInterval = TimeSpan.FromMilliseconds(100) });

    private static DesignDocument Design(string value = "1") => new("stats",
        new Dictionary<string, ViewDefinition> { ["by_minute"] = new($"function (doc) {{ emit(doc._id, {value}); }}", "_sum") }, null, "views/t/stats");

    private static DeployTarget[] Target(DesignDocument design) => [new("db", design)];

    [Fact]
    public async Task A_new_design_document_is_staged_built_copied_and_the_staging_copy_removed()
    {
        var store = new FakeDesignStore();

        var result = Assert.Single(await new ViewDeployer(store, Fast).DeployAsync(Target(Design()), false, false, null));

        Assert.Equal(DesignChange.Created, result.Change);

        // The live document adopts the staging copy's indexes and is queried before the staging copy is
        // deleted and old indexes are cleaned up: pouchdb-server's cleanup would otherwise destroy them.
        // The deletion waits for the index work to be on disk: CouchDB 3 would otherwise lose it on
        // the cluster's copies the live document has not opened yet.
        Assert.Equal(
            ["PUT _design/stats.staging", "BUILD _design/stats.staging/by_minute", "COPY _design/stats.staging _design/stats", "ADOPT _design/stats.staging _design/stats", "BUILD _design/stats/by_minute",
             "WAIT _design/stats", "DELETE _design/stats.staging", "CLEANUP", "BUILD _design/stats/by_minute"],
            store.Writes);
        Assert.Equal(["_design/stats"], store.Designs.Keys.ToArray());
    }

    [Fact]
    public async Task Several_design_documents_go_live_first_then_one_wait_and_their_staging_copies_go()
    {
        var store = new FakeDesignStore();
        var votes = new DesignDocument("votes", new Dictionary<string, ViewDefinition> { ["by_choice"] = new("function (doc) { emit(doc._id, 1); }", null) }, null, "views/t/votes");

        await new ViewDeployer(store, Fast).DeployAsync([new("db", Design()), new("other", votes)], false, false, null);

        var writes = store.Writes.Where(w => !w.StartsWith("BUILD", StringComparison.Ordinal) && !w.StartsWith("ADOPT", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            ["PUT _design/stats.staging", "COPY _design/stats.staging _design/stats", "PUT _design/votes.staging", "COPY _design/votes.staging _design/votes",
             "WAIT _design/stats _design/votes", "DELETE _design/stats.staging", "DELETE _design/votes.staging", "CLEANUP", "CLEANUP"],
            writes);
    }

    [Fact]
    public async Task An_unchanged_design_document_is_not_written_and_a_changed_one_reports_the_previous_hash()
    {
        var store = new FakeDesignStore();
        var deployer = new ViewDeployer(store, Fast);
        await deployer.DeployAsync(Target(Design()), false, false, null);
        store.Writes.Clear();

        Assert.Equal(DesignChange.Unchanged, Assert.Single(await deployer.DeployAsync(Target(Design()), false, false, null)).Change);
        Assert.Empty(store.Writes);
        Assert.Equal(2, store.Builds.Count(b => b == "_design/stats/by_minute"));

        var changed = Assert.Single(await deployer.DeployAsync(Target(Design("2")), false, false, null));
        Assert.Equal(DesignChange.Updated, changed.Change);
        Assert.Equal(Design().Hash, changed.PreviousHash);
    }

    [Fact]
    public async Task Progress_comes_from_the_servers_indexer_tasks_when_it_reports_them()
    {
        var store = new FakeDesignStore
        {
            FinishBuilds = new TaskCompletionSource(),
            Tasks = [new IndexerTask("shards/00000000-7fffffff/db.1700000000", "_design/stats.staging", 40), new IndexerTask("shards/80000000-ffffffff/db.1700000000", "_design/stats.staging", 60)],
        };
        var progress = new Recorder(store);

        await new ViewDeployer(store, Fast).DeployAsync(Target(Design()), false, false, progress);

        Assert.Equal(40, progress.Percent);
    }

    [Fact]
    public async Task No_wait_stages_and_starts_the_build_and_the_next_deploy_makes_it_live_without_uploading_again()
    {
        var store = new FakeDesignStore();
        var deployer = new ViewDeployer(store, Fast);

        Assert.Equal(DesignChange.Staged, Assert.Single(await deployer.DeployAsync(Target(Design()), false, noWait: true, null)).Change);
        Assert.Equal(["PUT _design/stats.staging"], store.Writes);
        Assert.Equal(["start _design/stats.staging/by_minute"], store.Builds);

        Assert.Equal(DesignChange.Created, Assert.Single(await deployer.DeployAsync(Target(Design()), false, false, null)).Change);
        Assert.Equal(["PUT _design/stats.staging", "COPY _design/stats.staging _design/stats", "WAIT _design/stats", "DELETE _design/stats.staging", "CLEANUP"], store.Writes.Where(w => !w.StartsWith("BUILD", StringComparison.Ordinal) && !w.StartsWith("ADOPT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_copy_that_leaves_other_content_live_fails_naming_both_hashes()
    {
        var store = new FakeDesignStore();
        await new ViewDeployer(store, Fast).DeployAsync(Target(Design()), false, false, null);
        store.CopyResult = store.Designs["_design/stats"].Body;

        var error = await Assert.ThrowsAsync<ViewDeployException>(() => new ViewDeployer(store, Fast).DeployAsync(Target(Design("2")), false, false, null));

        Assert.Contains($"the live one has content {Design().ShortHash}, not {Design("2").ShortHash}", error.Message, StringComparison.Ordinal);
    }

    private sealed class Recorder(FakeDesignStore store) : IViewDeployProgress
    {
        public int? Percent { get; private set; }

        public void Stepped(string database, string design, string message)
        {
        }

        public void Building(string database, string design, string view, TimeSpan elapsed, int? percent)
        {
            Percent = percent;
            store.FinishBuilds.TrySetResult();
        }
    }
}

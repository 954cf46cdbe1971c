using System.Text;
using System.Text.Json;
using Archiver.CouchDb;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests.Replication;

/// <summary>
/// Design documents reach a replica through <c>replicas sync</c>, never through the replication
/// (CouchDB 3's replicator cannot write them into a pouchdb-server: docs/couchdb-compat.md), at the
/// central server's revisions, and follow its changes: added, changed and removed.
/// </summary>
public sealed class ReplicaDesignTests : DatabaseTest
{
    [Fact]
    public async Task Design_documents_reach_a_replica_by_sync_at_the_central_revisions_and_follow_added_changed_and_removed_ones()
    {
        var contest = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(contest, 40);
        Assert.True((await Db.Engine().RunAsync(new ArchiveRequest())).Succeeded);
        await Db.DeployViewsAsync();

        await using var replica = await PouchServer.StartAsync();
        await using var host = new ReplicaHost(Db, null, [("r", replica.Url, "Continuous")], ["r", "central"]);
        using var http = new HttpClient { BaseAddress = replica.Url };
        var target = new CouchDbClient(http);

        await host.SyncUntilCaughtUpAsync(TimeSpan.FromSeconds(90));
        var central = await DesignsAsync(Db.Couch, Db.EntriesDb);
        Assert.Contains("_design/entries", central.Keys);
        Assert.Equal(central, await DesignsAsync(target, Db.EntriesDb));

        // Added and changed on the central server: the running replication carries neither (a
        // document of the set's type written after them arrives, they do not); the next sync does.
        var extra = await Db.Couch.PutDesignAsync(Db.EntriesDb, "_design/extra", Design("function (doc) { emit(doc._id, 1); }", null));
        var changed = await Db.Couch.PutDesignAsync(Db.EntriesDb, "_design/extra2", Design("function (doc) { emit(doc.type, 1); }", null));
        changed = await Db.Couch.PutDesignAsync(Db.EntriesDb, "_design/extra2", Design("function (doc) { emit(doc.type, 2); }", changed));
        var type = Db.Options().Sets[0].Type;
        await Db.Couch.PutDocumentJsonAsync(Db.EntriesDb, "zz-marker", Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\"}}"));
        await WaitForAsync(async () => await target.GetDocumentJsonAsync(Db.EntriesDb, "zz-marker") is { } marker && marker.RootElement.ValueKind == JsonValueKind.Object);
        Assert.False((await DesignsAsync(target, Db.EntriesDb)).ContainsKey("_design/extra"));

        await host.Sync.SyncAsync();
        var there = await DesignsAsync(target, Db.EntriesDb);
        Assert.Equal(extra, there["_design/extra"]);
        Assert.Equal(changed, there["_design/extra2"]);
        Assert.StartsWith("2-", there["_design/extra2"], StringComparison.Ordinal);

        // Its views are built there (the copy starts the build): a stale read finds every document.
        await WaitForAsync(async () => (await target.QueryViewAsync(Db.EntriesDb, "extra", "default", new ViewQuery())).Rows.Count > 40);

        // Removed on the central server: removed there by the next sync; the rest stay as they are.
        await Db.Couch.DeleteDesignAsync(Db.EntriesDb, "_design/extra", extra);
        await host.Sync.SyncAsync();
        there = await DesignsAsync(target, Db.EntriesDb);
        Assert.False(there.ContainsKey("_design/extra"));
        Assert.Equal(await DesignsAsync(Db.Couch, Db.EntriesDb), there);
        Assert.DoesNotContain("_design/archiver_replication", there.Keys);
    }

    private static byte[] Design(string map, string? rev) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
    {
        ["_rev"] = rev,
        ["language"] = "javascript",
        ["views"] = new Dictionary<string, object> { ["default"] = new Dictionary<string, string> { ["map"] = map } },
    }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));

    private static async Task<Dictionary<string, string>> DesignsAsync(CouchDbClient client, string database)
    {
        var designs = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var doc in client.ReadRangeAsync(database, "_design/", "_design0", includeDocs: false, pageSize: 100))
        {
            if (doc.Id != "_design/archiver_replication")
            {
                designs[doc.Id] = doc.Rev!;
            }
        }

        return designs;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the replica");
            await Task.Delay(200);
        }
    }
}

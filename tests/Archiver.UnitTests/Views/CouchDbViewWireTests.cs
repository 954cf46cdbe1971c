using System.Net;
using Archiver.CouchDb;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests.Views;

/// <summary>The CouchDB client's design document and view requests, on the wire, for the CouchDB 3 side that pouchdb-server cannot show.</summary>
public sealed class CouchDbViewWireTests
{
    private static (CouchDbClient Client, FakeHttpHandler Handler) Client(Func<HttpRequestMessage, string, HttpResponseMessage> respond)
    {
        var handler = new FakeHttpHandler(respond);
        return (new CouchDbClient(new HttpClient(handler) { BaseAddress = new Uri("http://couch.test:5984/") }), handler);
    }

    [Fact]
    public async Task Copy_uses_the_plain_design_path_on_CouchDB_with_the_live_revision_in_the_destination()
    {
        string? destination = null;
        var (client, handler) = Client((request, _) =>
        {
            destination = string.Join(",", request.Headers.GetValues("Destination"));
            return FakeHttpHandler.Json(HttpStatusCode.Created, """{"ok":true,"id":"_design/stats","rev":"4-b"}""");
        });

        await client.CopyDesignAsync("db", "_design/stats.staging", "_design/stats", "3-a");

        var (method, path, _) = Assert.Single(handler.Requests);
        Assert.Equal("COPY", method.Method);
        Assert.Equal("/db/_design/stats.staging", path);
        Assert.Equal("_design/stats?rev=3-a", destination);
    }

    [Fact]
    public async Task Copy_falls_back_to_the_encoded_path_that_pouchdb_server_needs()
    {
        var (client, handler) = Client((request, _) => request.RequestUri!.AbsolutePath.Contains("%2F", StringComparison.Ordinal)
            ? FakeHttpHandler.Json(HttpStatusCode.Created, """{"ok":true}""")
            : FakeHttpHandler.Json(HttpStatusCode.NotFound, """{"error":"not_found","reason":"missing"}"""));

        await client.CopyDesignAsync("db", "_design/stats.staging", "_design/stats", null);

        Assert.Equal(["/db/_design/stats.staging", "/db/_design%2Fstats.staging"], handler.Requests.Select(r => r.Path).ToArray());
    }

    [Fact]
    public async Task A_copy_refused_on_both_paths_fails_naming_the_request()
    {
        var (client, _) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.Conflict, """{"error":"conflict","reason":"Document update conflict."}"""));

        var error = await Assert.ThrowsAsync<CouchDbException>(() => client.CopyDesignAsync("db", "_design/stats.staging", "_design/stats", "1-old"));

        Assert.Equal("conflict", error.Error);
        Assert.Equal("COPY", error.Method);
    }

    [Fact]
    public async Task Active_tasks_yield_indexer_progress_and_nothing_for_a_member_without_admin_rights()
    {
        var (client, _) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK,
            """[{"type":"replication"},{"type":"indexer","database":"shards/00000000-7fffffff/db.1700000000","design_document":"_design/stats.staging","progress":42}]"""));
        var task = Assert.Single(await client.GetIndexerTasksAsync());
        Assert.Equal(new Archiver.Views.IndexerTask("shards/00000000-7fffffff/db.1700000000", "_design/stats.staging", 42), task);

        var (member, _) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.Forbidden, """{"error":"forbidden","reason":"You are not a server admin."}"""));
        Assert.Empty(await member.GetIndexerTasksAsync());
    }

    private static string Info(long preferred, long total, bool running = false) =>
        "{\"name\":\"stats\",\"view_index\":{\"signature\":\"5f2c\",\"update_seq\":7,\"updater_running\":" + (running ? "true" : "false")
        + ",\"updates_pending\":{\"minimum\":" + total + ",\"preferred\":" + preferred + ",\"total\":" + total + "}}}";

    [Fact]
    public async Task A_cluster_index_report_is_read_again_until_a_preferred_copy_shows_changes_pending()
    {
        // Measured on a 3-node cluster: one unbuilt index answered preferred 0, 3, 4, 7, 0 in consecutive reads.
        var answers = new Queue<string>([Info(0, 7), Info(0, 7), Info(3, 7)]);
        var (client, handler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK, answers.Dequeue()));

        var info = await client.GetIndexInfoAsync("db", "_design/stats");

        Assert.Equal(3, info!.PendingUpdates);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task A_cluster_index_report_with_nothing_pending_anywhere_or_never_a_preferred_copy_behind_is_built()
    {
        var (done, doneHandler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK, Info(0, 0)));
        Assert.Equal(0, (await done.GetIndexInfoAsync("db", "_design/stats"))!.PendingUpdates);
        Assert.Single(doneHandler.Requests);

        // Other copies (that no stable read uses) still catching up: read a bounded number of times.
        var (others, othersHandler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK, Info(0, 2)));
        Assert.Equal(0, (await others.GetIndexInfoAsync("db", "_design/stats"))!.PendingUpdates);
        Assert.Equal(20, othersHandler.Requests.Count);

        var (running, runningHandler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK, Info(0, 2, running: true)));
        Assert.True((await running.GetIndexInfoAsync("db", "_design/stats"))!.UpdaterRunning);
        Assert.Single(runningHandler.Requests);
    }

    [Fact]
    public async Task Application_view_reads_are_always_stale_ok()
    {
        var (client, handler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK, """{"rows":[{"key":[7,"2026-11-20"],"value":[41,2]}]}"""));

        var result = await client.QueryViewAsync("db", "stats", "by_minute", new ViewQuery { StartKey = "[7]", EndKey = "[7,{}]", GroupLevel = 2 });

        Assert.Equal("/db/_design/stats/_view/by_minute?stale=ok&startkey=%5B7%5D&endkey=%5B7%2C%7B%7D%5D&group_level=2", Assert.Single(handler.Requests).Path);
        Assert.Equal(41, Assert.Single(result.Rows).Value[0].GetInt32());
    }

    [Fact]
    public async Task A_page_read_sends_skip_limit_docs_and_unreduced_rows_in_one_stale_query()
    {
        var (client, handler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK,
            """{"total_rows":3,"offset":1,"rows":[{"id":"e:1","key":[7,true,12],"value":null,"doc":{"_id":"e:1","id":12}}]}"""));

        var result = await client.QueryViewAsync("db", "entries", "by_winner",
            new ViewQuery { StartKey = "[7,true,10]", EndKey = "[7,true,{}]", Reduce = false, Skip = 3, Limit = 50, IncludeDocs = true });

        Assert.Equal(
            "/db/_design/entries/_view/by_winner?stale=ok&startkey=%5B7%2Ctrue%2C10%5D&endkey=%5B7%2Ctrue%2C%7B%7D%5D&reduce=false&limit=50&skip=3&include_docs=true",
            Assert.Single(handler.Requests).Path);
        var row = Assert.Single(result.Rows);
        Assert.Equal(12, row.Doc!.Value.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Skip_zero_is_left_out_and_a_negative_skip_is_refused_before_sending()
    {
        var (client, handler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK, """{"rows":[]}"""));

        await client.QueryViewAsync("db", "entries", "by_user", new ViewQuery { StartKey = "[5,{}]", EndKey = "[5]", Descending = true, Skip = 0, Limit = 2 });
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.QueryViewAsync("db", "entries", "by_user", new ViewQuery { Skip = -1 }));

        Assert.Equal("/db/_design/entries/_view/by_user?stale=ok&startkey=%5B5%2C%7B%7D%5D&endkey=%5B5%5D&limit=2&descending=true", Assert.Single(handler.Requests).Path);
    }

    [Fact]
    public void The_pouchdb_server_index_name_is_the_one_it_creates_for_the_view_code()
    {
        // Measured: pouchdb-server 4.2.0 stored this view's index in archiver_test_probe_views2-mrview-19a562d6b2478568074524e6df3757e3.
        var name = CouchDbClient.PouchIndexName("archiver_test_probe_views2", new Archiver.Views.ViewDefinition("function (doc) {\n  emit(doc.c, doc.n);\n}", "_sum"));

        Assert.Equal("archiver_test_probe_views2-mrview-19a562d6b2478568074524e6df3757e3", name);
    }
}

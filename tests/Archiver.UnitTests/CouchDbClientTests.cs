using System.Net;
using System.Text;
using System.Text.Json;
using Archiver.CouchDb;
using Archiver.Documents;
using Archiver.Hosting;
using Archiver.Resilience;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests;

public sealed class CouchDbClientTests
{
    private static (CouchDbClient Client, FakeHttpHandler Handler) Client(Func<HttpRequestMessage, string, HttpResponseMessage> respond)
    {
        var handler = new FakeHttpHandler(respond);
        return (new CouchDbClient(new HttpClient(handler) { BaseAddress = Endpoint }, pipelines: ImmediateRetries()), handler);
    }

    private static readonly Uri Endpoint = new("http://couch.test:5984/");

    /// <summary>The composition root's pipelines with three tries in all, without pauses, and a breaker that does not open (a fresh one per client).</summary>
    private static Polly.Registry.ResiliencePipelineRegistry<string> ImmediateRetries() => ArchiverPipelines.Create(
        new ResilienceOptions { MaxAttempts = 3, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, BreakerMinimumThroughput = 10_000 },
        [Endpoint],
        Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

    /// <summary>A database's info on one copy (a single node, pouchdb-server): no <c>cluster</c> member.</summary>
    private const string SingleCopy = """{"db_name":"db","update_seq":3,"doc_count":3,"doc_del_count":0}""";

    private static DocumentWrite Write(long id, string? rev = null) =>
        new(TestSets.Entry(id, message: "ü", createdAt: new DateTime(2026, 1, 1)), rev);

    [Fact]
    public async Task Bulk_body_carries_id_rev_and_fields_of_every_document()
    {
        var (client, handler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.Created,
            """[{"id":"contest_campaign_entries:0000000000000000001:0000000000000000001","rev":"1-a"},{"id":"contest_campaign_entries:0000000000000000001:0000000000000000002","rev":"2-b"}]"""));

        await client.SaveAsync("db", [Write(1), Write(2, "1-x")]);

        var (method, path, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, method);
        Assert.Equal("/db/_bulk_docs", path);
        using var json = JsonDocument.Parse(body);
        var docs = json.RootElement.GetProperty("docs");
        Assert.Equal(2, docs.GetArrayLength());
        Assert.False(docs[0].TryGetProperty("_rev", out _));
        Assert.Equal("1-x", docs[1].GetProperty("_rev").GetString());
        Assert.Equal("ü", docs[1].GetProperty("message").GetString());
        Assert.Equal("contest_campaign_entry", docs[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_replicated_document_is_written_as_read_with_new_edits_false_and_an_answered_refusal_names_it()
    {
        using var design = JsonDocument.Parse("""{"_id":"_design/entries","_rev":"2-b","_revisions":{"start":2,"ids":["b","a"]},"views":{}}""");
        var (client, handler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.Created, "[]"));

        await client.PutReplicatedDocumentAsync("db", design.RootElement);

        var (method, path, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, method);
        Assert.Equal("/db/_bulk_docs", path);
        using var json = JsonDocument.Parse(body);
        Assert.False(json.RootElement.GetProperty("new_edits").GetBoolean());
        Assert.True(JsonElement.DeepEquals(design.RootElement, Assert.Single(json.RootElement.GetProperty("docs").EnumerateArray())));

        var (refusing, _) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.Created,
            """[{"id":"_design/entries","error":"forbidden","reason":"You are not a db or server admin."}]"""));
        var error = await Assert.ThrowsAsync<DocumentWriteException>(() => refusing.PutReplicatedDocumentAsync("db", design.RootElement));
        Assert.Equal("CouchDB database db refused document _design/entries (copied from another server): forbidden: You are not a db or server admin.", error.Message);
    }

    [Fact]
    public async Task The_answer_counts_the_bytes_of_the_body_the_server_received()
    {
        var (client, handler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.Created, """[{"id":"a","rev":"1-a"},{"id":"b","rev":"1-b"}]"""));

        var answer = await client.SaveAsync("db", [Write(1), Write(2, "1-x")]);

        var (_, _, body) = Assert.Single(handler.Requests);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), answer.BodyBytes);
        Assert.True(answer.BodyBytes > 200, $"{answer.BodyBytes} bytes");
    }

    [Fact]
    public async Task Per_document_errors_are_results_not_exceptions()
    {
        var (client, _) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.Created,
            """[{"id":"a","rev":"1-a"},{"id":"b","error":"conflict","reason":"Document update conflict."},{"id":"c","error":"forbidden","reason":"nope"}]"""));

        var results = await client.SaveAsync("db", [Write(1), Write(2), Write(3)]);

        Assert.True(results[0].Succeeded);
        Assert.True(results[1].IsConflict);
        Assert.Equal(("forbidden", "nope"), (results[2].Error, results[2].Reason));
    }

    [Fact]
    public async Task A_whole_request_error_carries_status_error_and_reason()
    {
        var (client, _) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.RequestEntityTooLarge, """{"error":"document_too_large","reason":"contest_campaign_entries:1"}"""));

        var error = await Assert.ThrowsAsync<CouchDbException>(() => client.SaveAsync("db", [Write(1)]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.StatusCode);
        Assert.Equal("document_too_large", error.Error);
        Assert.Equal("CouchDB POST /db/_bulk_docs failed: 413 document_too_large: contest_campaign_entries:1", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task An_html_500_becomes_a_readable_transient_error()
    {
        // pouchdb-server answers a malformed _bulk_docs body with an HTML page.
        var (client, _) = Client((_, _) => new HttpResponseMessage(HttpStatusCode.InternalServerError)
        {
            Content = new StringContent("<!DOCTYPE html><html><body><pre>TypeError: docs.map is not a function</pre></body></html>", Encoding.UTF8, "text/html"),
        });

        var error = await Assert.ThrowsAsync<CouchDbException>(() => client.SaveAsync("db", [Write(1)]));

        Assert.Contains("500 http_500: TypeError: docs.map is not a function", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task A_truncated_answer_breaks_the_protocol_and_is_not_retried()
    {
        var (client, handler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.Created, """[{"id":"a","rev":"1-a"},{"id":"b","re"""));

        var error = await Assert.ThrowsAsync<CouchDbProtocolException>(() => client.SaveAsync("db", [Write(1), Write(2)]));

        Assert.Equal("POST /db/_bulk_docs", error.Request);
        Assert.StartsWith("CouchDB POST /db/_bulk_docs: the answer breaks the protocol: the answer is not the expected JSON", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task An_answer_entry_without_rev_or_error_breaks_the_protocol()
    {
        var (client, _) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.Created, """[{"id":"a"}]"""));

        var error = await Assert.ThrowsAsync<CouchDbProtocolException>(() => client.SaveAsync("db", [Write(1)]));

        Assert.Equal("result 0 has neither an id with a rev nor an error", error.Problem);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_error_naming_the_address()
    {
        var (client, _) = Client((_, _) => throw new HttpRequestException("Connection refused (couch.test:5984)"));

        var error = await Assert.ThrowsAsync<CouchDbException>(() => client.EnsureDatabaseAsync("db"));

        Assert.Null(error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("no complete answer from http://couch.test:5984/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ensure_database_creates_a_missing_database()
    {
        var (client, handler) = Client((request, _) => (request.Method.Method, request.RequestUri!.AbsolutePath) switch
        {
            ("GET", _) => FakeHttpHandler.Json(HttpStatusCode.NotFound, """{"error":"not_found","reason":"missing"}"""),
            ("PUT", _) => FakeHttpHandler.Json(HttpStatusCode.Created, """{"ok":true}"""),
            _ => throw new InvalidOperationException(),
        });

        await client.EnsureDatabaseAsync("a/b");

        Assert.Equal(
            ["GET /a%2Fb", "PUT /a%2Fb"],
            handler.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task Ensure_database_never_asks_to_create_an_existing_database()
    {
        // CouchDB 3 answers PUT /db with 401 to anyone but a server admin, even when the database exists.
        var (client, handler) = Client((request, _) => request.Method == HttpMethod.Get
                ? FakeHttpHandler.Json(HttpStatusCode.OK, """{"db_name":"db","doc_count":1,"update_seq":"1-a"}""")
                : FakeHttpHandler.Json(HttpStatusCode.Unauthorized, """{"error":"unauthorized","reason":"You are not a server admin."}"""));

        await client.EnsureDatabaseAsync("db");

        Assert.Equal(["GET /db"], handler.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task Ensure_database_reports_other_statuses()
    {
        var (client, _) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.Forbidden, """{"error":"forbidden","reason":"You are not allowed to access this db."}"""));

        var error = await Assert.ThrowsAsync<CouchDbException>(() => client.EnsureDatabaseAsync("db"));

        Assert.Equal("CouchDB GET /db failed: 403 forbidden: You are not allowed to access this db; refused (403): reading database db needs a member of it (its _security members); 'archiver couchdb setup --member <user>' grants that", error.Message);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_then_succeeds()
    {
        var calls = 0;
        var (client, handler) = Client((_, _) => ++calls switch
        {
            1 => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
            2 => throw new HttpRequestException("Connection reset by peer"),
            _ => FakeHttpHandler.Json(HttpStatusCode.Created, """[{"id":"contest_campaign_entries:0000000000000000001:0000000000000000001","rev":"1-a"}]"""),
        });

        var results = await client.SaveAsync("db", [Write(1)]);

        Assert.True(results[0].Succeeded);
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Contains("\"_id\":\"contest_campaign_entries:0000000000000000001:0000000000000000001\"", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_permanent_error_is_not_retried()
    {
        var (client, handler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.BadRequest, """{"error":"bad_request","reason":"invalid UTF-8 JSON"}"""));

        await Assert.ThrowsAsync<CouchDbException>(() => client.SaveAsync("db", [Write(1)]));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_key_range_is_read_in_pages_that_start_at_the_last_id_seen()
    {
        var pages = new Queue<string>([
            """{"rows":[{"id":"p:a","key":"p:a","value":{"rev":"1-a"}},{"id":"p:b","key":"p:b","value":{"rev":"1-b"}},{"id":"p:c","key":"p:c","value":{"rev":"1-c"}}]}""",
            """{"rows":[{"id":"p:b","key":"p:b","value":{"rev":"1-b"}},{"id":"p:c","key":"p:c","value":{"rev":"1-c"}},{"id":"p:d","key":"p:d","value":{"rev":"1-d"}}]}""",
            """{"rows":[{"id":"p:d","key":"p:d","value":{"rev":"1-d"}}]}""",
        ]);
        var (client, handler) = Client((request, _) => FakeHttpHandler.Json(HttpStatusCode.OK, request.RequestUri!.AbsolutePath == "/db" ? SingleCopy : pages.Dequeue()));

        var ids = new List<string>();
        await foreach (var document in client.ReadRangeAsync("db", "p:", "p;", includeDocs: false, pageSize: 2))
        {
            ids.Add($"{document.Id}@{document.Rev}");
        }

        // First the database's copies (one: the range's answer is the answer), then the pages.
        Assert.Equal(["p:a@1-a", "p:b@1-b", "p:c@1-c", "p:d@1-d"], ids);
        Assert.Equal("/db", handler.Requests[0].Path);
        Assert.Equal("/db/_all_docs?include_docs=false&inclusive_end=false&limit=3&startkey=" + Uri.EscapeDataString("\"p:\"") + "&endkey=" + Uri.EscapeDataString("\"p;\""), handler.Requests[1].Path);
        Assert.Contains("startkey=" + Uri.EscapeDataString("\"p:b\"") + "&", handler.Requests[2].Path, StringComparison.Ordinal);
        Assert.Equal(4, handler.Requests.Count);
        Assert.DoesNotContain("skip", handler.Requests[2].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paging_goes_on_when_the_last_row_of_a_page_was_deleted_meanwhile()
    {
        var pages = new Queue<string>([
            """{"rows":[{"id":"a","key":"a","value":{"rev":"1-a"}},{"id":"b","key":"b","value":{"rev":"1-b"}}]}""",
            // "a" is gone by the second request, "b" by the third: each page then starts at the next
            // document, which must not be skipped.
            """{"rows":[{"id":"b","key":"b","value":{"rev":"1-b"}},{"id":"c","key":"c","value":{"rev":"1-c"}}]}""",
            """{"rows":[{"id":"c","key":"c","value":{"rev":"1-c"}}]}""",
        ]);
        var (client, _) = Client((request, _) => FakeHttpHandler.Json(HttpStatusCode.OK, request.RequestUri!.AbsolutePath == "/db" ? SingleCopy : pages.Dequeue()));

        var ids = new List<string>();
        await foreach (var document in client.ReadRangeAsync("db", "a", "z", includeDocs: false, pageSize: 1))
        {
            ids.Add(document.Id);
        }

        Assert.Equal(["a", "b", "c"], ids);
    }

    [Fact]
    public async Task Each_attempt_gets_its_own_timeout_through_the_pipeline_and_the_last_timeout_is_reported()
    {
        using var handler = new NeverAnswers();
        var client = new CouchDbClient(
            new HttpClient(handler) { BaseAddress = Endpoint },
            options: Microsoft.Extensions.Options.Options.Create(new CouchDbOptions { Timeout = TimeSpan.FromMilliseconds(50) }),
            pipelines: ImmediateRetries());

        var error = await Assert.ThrowsAsync<CouchDbException>(() => client.GetServerInfoAsync());

        Assert.Equal("timeout", error.Error);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task Once_the_endpoints_circuit_opens_requests_fail_at_once_as_service_unavailable_for_every_client_of_the_endpoint()
    {
        var calls = 0;
        using var handler = new FakeHttpHandler((_, _) =>
        {
            Interlocked.Increment(ref calls);
            return FakeHttpHandler.Json(HttpStatusCode.ServiceUnavailable, """{"error":"unavailable","reason":"restarting"}""");
        });
        var pipelines = ArchiverPipelines.Create(
            new ResilienceOptions { MaxAttempts = 3, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, BreakerMinimumThroughput = 4, BreakDuration = TimeSpan.FromMinutes(5) },
            [Endpoint],
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var first = new CouchDbClient(new HttpClient(handler) { BaseAddress = Endpoint }, pipelines: pipelines);
        var second = new CouchDbClient(new HttpClient(handler) { BaseAddress = Endpoint }, pipelines: pipelines);

        // Three failed attempts: an error answer, the breaker still closed.
        var failed = await Assert.ThrowsAsync<CouchDbException>(() => first.GetServerInfoAsync());
        Assert.Equal(503, (int)failed.StatusCode!);
        Assert.Equal(3, calls);

        // The fourth failure opens the circuit; the retry after it is refused without a request.
        var open = await Assert.ThrowsAsync<ServiceUnavailableException>(() => first.GetServerInfoAsync());
        Assert.Equal(4, calls);
        Assert.Equal("http://couch.test:5984/", open.Endpoint);
        Assert.True(open.IsTransient);

        // The breaker is the endpoint's, not the client's: another client is refused at once too.
        await Assert.ThrowsAsync<ServiceUnavailableException>(() => second.GetServerInfoAsync());
        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task A_request_that_outlives_its_timeout_is_a_transient_timeout_error()
    {
        using var handler = new NeverAnswers();
        var client = new CouchDbClient(
            new HttpClient(handler) { BaseAddress = new Uri("http://couch.test:5984/") },
            options: Microsoft.Extensions.Options.Options.Create(new CouchDbOptions { Timeout = TimeSpan.FromMilliseconds(50) }));

        var error = await Assert.ThrowsAsync<CouchDbException>(() => client.GetServerInfoAsync());

        Assert.Equal("timeout", error.Error);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Lookup_by_ids_reads_live_deleted_and_missing_rows()
    {
        var (client, handler) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK, """
            {"total_rows":2,"offset":0,"rows":[
              {"id":"a","key":"a","value":{"rev":"1-a"},"doc":{"_id":"a","_rev":"1-a","x":1}},
              {"id":"b","key":"b","value":{"rev":"2-b","deleted":true},"doc":null},
              {"key":"c","error":"not_found"}
            ]}
            """));

        var rows = await client.GetAsync("db", ["a", "b", "c"]);

        Assert.Equal("/db/_all_docs?include_docs=true", handler.Requests[0].Path);
        Assert.Equal("""{"keys":["a","b","c"]}""", handler.Requests[0].Body);
        Assert.True(rows[0].Exists);
        Assert.Equal(1, rows[0].Body!.Value.GetProperty("x").GetInt32());
        Assert.False(rows[1].Exists);
        Assert.True(rows[1].Deleted);
        Assert.Equal(("c", false), (rows[2].Id, rows[2].Exists));
    }

    [Fact]
    public async Task Database_info_reads_numeric_and_string_update_seq()
    {
        var answers = new Queue<string>(["""{"db_name":"db","doc_count":5,"doc_del_count":1,"update_seq":7}""", """{"db_name":"db","doc_count":5,"update_seq":"7-g1AAAA"}"""]);
        var (client, _) = Client((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK, answers.Dequeue()));

        var pouch = await client.GetDatabaseInfoAsync("db");
        var couch = await client.GetDatabaseInfoAsync("db");

        Assert.Equal(("7", 5L, 1L), (pouch!.UpdateSeq, pouch.DocCount, pouch.DocDeleteCount));
        Assert.Equal("7-g1AAAA", couch!.UpdateSeq);
    }

    private sealed class NeverAnswers : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task On_a_cluster_a_range_read_takes_revisions_and_bodies_from_a_quorum_keys_read(bool includeDocs)
    {
        // A copy behind lists revisions since replaced or deleted: a purge checking revisions must not take them for proof.
        var (client, handler) = Client((request, _) => request.RequestUri!.AbsolutePath switch
        {
            "/db" => FakeHttpHandler.Json(HttpStatusCode.OK, """{"db_name":"db","update_seq":"3-g1A","doc_count":2,"doc_del_count":0,"cluster":{"q":2,"n":3,"w":2,"r":2}}"""),
            "/db/_all_docs" when request.Method == HttpMethod.Get => FakeHttpHandler.Json(HttpStatusCode.OK,
                """{"rows":[{"id":"p:1","key":"p:1","value":{"rev":"1-a"}},{"id":"p:2","key":"p:2","value":{"rev":"1-b"}},{"id":"p:3","key":"p:3","value":{"rev":"1-c"}}]}"""),
            _ => FakeHttpHandler.Json(HttpStatusCode.OK,
                """{"rows":[{"id":"p:1","key":"p:1","value":{"rev":"2-q"},"doc":{"_id":"p:1","_rev":"2-q","n":1}},{"key":"p:2","error":"not_found"},{"id":"p:3","key":"p:3","value":{"rev":"2-d","deleted":true},"doc":null}]}"""),
        });

        var documents = new List<StoredDocument>();
        await foreach (var document in client.ReadRangeAsync("db", "p:", "p;", includeDocs, pageSize: 10))
        {
            documents.Add(document);
        }

        // The quorum's answer wins: a newer revision; a document no quorum holds, or deleted, is not there.
        var only = Assert.Single(documents);
        Assert.Equal(("p:1", "2-q"), (only.Id, only.Rev));
        Assert.True(!includeDocs || only.Body!.Value.GetProperty("n").GetInt32() == 1);
        Assert.Equal(["GET /db", "GET /db/_all_docs", "POST /db/_all_docs"], handler.Requests.Select(r => $"{r.Method} {r.Path.Split('?')[0]}"));
        Assert.Contains("include_docs=false", handler.Requests[1].Path, StringComparison.Ordinal);
        Assert.Contains($"include_docs={(includeDocs ? "true" : "false")}", handler.Requests[2].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_single_copy_a_range_read_with_documents_is_one_request_a_page()
    {
        var (client, handler) = Client((request, _) => request.RequestUri!.AbsolutePath == "/db"
            ? FakeHttpHandler.Json(HttpStatusCode.OK, """{"db_name":"db","update_seq":3,"doc_count":1,"doc_del_count":0}""")
            : FakeHttpHandler.Json(HttpStatusCode.OK, """{"rows":[{"id":"p:1","key":"p:1","value":{"rev":"1-a"},"doc":{"_id":"p:1","_rev":"1-a","n":1}}]}"""));

        await foreach (var unused in client.ReadRangeAsync("db", "p:", "p;", includeDocs: true, pageSize: 10))
        {
        }

        Assert.Equal(["GET /db", "GET /db/_all_docs"], handler.Requests.Select(r => $"{r.Method} {r.Path.Split('?')[0]}"));
    }
}

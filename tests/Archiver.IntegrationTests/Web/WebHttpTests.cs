using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Archiver.Queries;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.IntegrationTests.Web;

/// <summary>Every route of <c>archiver serve</c> over HTTP (in memory), against the real servers; the contest and the vote are archived and purged, one contest is live.</summary>
[Collection(WebCollection.Name)]
public sealed partial class WebHttpTests(ArchivedWebSite fixture) : IClassFixture<ArchivedWebSite>
{
    private WebSite Site => fixture.Site;

    private async Task<(HttpResponseMessage Response, string Body)> GetAsync(string path, Action<HttpRequestMessage>? configure = null)
    {
        using var client = Site.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_page_answers_with_security_headers_and_a_csp_without_inline_script()
    {
        string[] paths =
        [
            "/campaigns", "/campaigns?state=archived&kind=contest&q=summer", $"/campaigns/{Site.Contest}", $"/campaigns/{Site.Contest}?granularity=minute&page=2&per_page=10",
            $"/campaigns/{Site.Contest}?filter=winners", $"/campaigns/{Site.Contest}?filter=non-winners&page=3", $"/campaigns/{Site.Vote}", $"/campaigns/{Site.Live}",
            "/users/501", "/assets/site.css",
        ];
        foreach (var path in paths)
        {
            var (response, body) = await GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        }

        var (root, _) = await GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/campaigns", root.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task User_text_is_encoded_and_shown_as_written()
    {
        var (_, page) = await GetAsync($"/campaigns/{Site.Contest}?per_page=10");
        Assert.Contains("Summer &lt;script&gt;alert(1)&lt;/script&gt; &quot;Sweeps&quot; 🎉", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; #7", page, StringComparison.Ordinal);
        Assert.Contains("&quot;quoted&quot; &amp; &#x27;single&#x27; #1", page, StringComparison.Ordinal);
        Assert.Contains("emoji 🎉👍🏽 #2", page, StringComparison.Ordinal);
        Assert.Contains("<td class=\"message\" dir=\"auto\">שלום עולם #3</td>", page, StringComparison.Ordinal);
        Assert.Contains("مرحبا &lt;b&gt;bold&lt;/b&gt; #4", page, StringComparison.Ordinal);

        var (_, vote) = await GetAsync($"/campaigns/{Site.Vote}");
        Assert.Contains("&lt;i&gt;no&lt;/i&gt;", vote, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>no</i>", vote, StringComparison.Ordinal);

        // A choice a spreadsheet would run stays text in the CSV.
        var (_, csv) = await GetAsync($"/campaigns/{Site.Vote}/votes.csv");
        Assert.StartsWith("choice,votes\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("<i>no</i>,", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/campaigns/abc", "campaign id 'abc' is not an id")]
    [InlineData("/campaigns/0", "campaign id '0' is not an id")]
    [InlineData("/campaigns/99999999999999999999", "is not an id")]
    [InlineData("/campaigns?page=0", "page '0' is not a whole number from 1")]
    [InlineData("/campaigns?per_page=1000", "per_page '1000' is not a whole number from 1 to 500")]
    [InlineData("/campaigns?state=sleeping", "state 'sleeping' is not one of live, eligible")]
    [InlineData("/campaigns/{contest}?per_page=1001", "per_page '1001' is not a whole number from 1 to 1000")]
    [InlineData("/campaigns/{contest}?granularity=week", "granularity 'week' is not one of minute, hour, day")]
    [InlineData("/campaigns/{contest}?since=yesterday&until=2026-11-02", "since 'yesterday' is not a UTC time")]
    [InlineData("/campaigns/{contest}?since=2026-11-02&until=2026-11-01", "until (2026-11-01T00:00Z) is before since")]
    [InlineData("/campaigns/{contest}?granularity=minute&since=2026-01-01&until=2026-11-01", "at most 2000")]
    [InlineData("/api/campaigns/{contest}/stats?granularity=minute&since=2000-01-01", "buckets; at most 100000")]
    [InlineData("/api/campaigns/{vote}/votes?granularity=minute&until=2030-01-01", "buckets; at most 100000")]
    [InlineData("/campaigns/{contest}/stats.csv?granularity=minute&since=2000-01-01", "buckets; at most 100000")]
    [InlineData("/campaigns/{contest}?filter=losers", "filter 'losers' is not one of all, winners, non-winners")]
    [InlineData("/campaigns/{contest}/stats.xml", "format 'xml' is not one of csv, json")]
    [InlineData("/campaigns/{contest}/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.csv", "series 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' is not one of")]
    [InlineData("/campaigns/{contest}/stats.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "format 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' is not one of")]
    [InlineData("/users/-4", "user id '-4' is not an id")]
    [InlineData("/api/campaigns/{contest}/entries?after=bm9wZQ", "token")]
    [InlineData("/api/campaigns/{contest}/entries?after=x&page=2", "give either after")]
    [InlineData("/api/users/501/entries?per_page=0", "per_page '0'")]
    public async Task Bad_input_is_a_400_that_says_what_is_wrong(string path, string reason)
    {
        var (response, body) = await GetAsync(path.Replace("{contest}", Site.Contest.ToString(), StringComparison.Ordinal).Replace("{vote}", Site.Vote.ToString(), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, WebUtility.HtmlDecode(body), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_argument_exception_from_below_the_query_api_is_a_500_that_shows_nothing_of_it()
    {
        var broken = Site.Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton(DispatchProxy.Create<ICampaignQueries, ThrowingQueries>())));
        try
        {
            using var client = broken.CreateClient();
            var response = await client.GetAsync($"/api/campaigns/{Site.Contest}/count");
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("""{"status":500,"error":"the server could not answer this request; the reason is in its log"}""", body);
        }
        finally
        {
            await broken.DisposeAsync();

            // As WebSite does: Hangfire's process-wide log provider pointed at the disposed host's loggers.
            global::Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        }
    }

    /// <summary>A query API whose store has a bug: a row of the wrong shape, found deep below the API.</summary>
    public class ThrowingQueries : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new ArgumentException("expected 9 values, got 8", nameof(args));
    }

    [Fact]
    public async Task A_too_long_parameter_is_refused_before_it_is_read()
    {
        var (response, body) = await GetAsync("/campaigns?q=" + new string('a', 500));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("q is 500 characters long; at most 100", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_campaigns_and_paths_are_404s_without_detail()
    {
        var (page, pageBody) = await GetAsync("/campaigns/987654");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("campaign 987654 does not exist", pageBody, StringComparison.Ordinal);
        var (api, apiBody) = await GetAsync("/api/campaigns/987654/entries");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("""{"status":404,"error":"campaign 987654 does not exist (no row in campaigns)"}""", apiBody);
        var (none, _) = await GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task The_api_answers_what_the_read_api_answers_and_its_tokens_continue()
    {
        var queries = Site.Factory.Services.GetRequiredService<ICampaignQueries>();
        string Json<T>(T value) => JsonSerializer.Serialize(value, Archiver.Web.Pages.Responses.Json);
        var contest = Site.Contest;

        var (_, page2) = await GetAsync($"/api/campaigns/{contest}/entries?page=2&per_page=7");
        Assert.Equal(Json(await queries.EntriesAsync(contest, PageRequest.Number(2, 7))), page2);
        var token = JsonDocument.Parse(page2).RootElement.GetProperty("next_token").GetString()!;
        var (_, page3) = await GetAsync($"/api/campaigns/{contest}/entries?after={Uri.EscapeDataString(token)}");
        Assert.Equal(Json(await queries.EntriesAsync(contest, PageRequest.Number(3, 7))), page3);

        var (_, nonWinners) = await GetAsync($"/api/campaigns/{contest}/entries?filter=non-winners&page=4&per_page=20");
        Assert.Equal(Json(await queries.NonWinnersAsync(contest, PageRequest.Number(4, 20))), nonWinners);
        var (_, winners) = await GetAsync($"/api/campaigns/{contest}/entries?filter=winners");
        Assert.Equal(Json(await queries.WinnersAsync(contest)), winners);
        var (_, count) = await GetAsync($"/api/campaigns/{contest}/count");
        Assert.Equal(WebSite.ContestEntries.ToString(), count);

        var since = new DateTime(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc);
        var until = since.AddHours(2);
        var (_, stats) = await GetAsync($"/api/campaigns/{contest}/stats?granularity=minute&since=2026-11-01T10:00Z&until=2026-11-01T12:00Z");
        Assert.Equal(Json(await queries.StatisticsAsync(contest, Granularity.Minute, since, until)), stats);
        // Without a range, a series is the campaign's life (its days with data), not 1970 to 9999.
        var (_, minutes) = await GetAsync($"/api/campaigns/{contest}/stats?granularity=minute");
        Assert.Equal(Json(await queries.StatisticsAsync(contest, Granularity.Minute, new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc))), minutes);
        var (_, votes) = await GetAsync($"/api/campaigns/{Site.Vote}/votes");
        Assert.Equal(Json(await queries.VoteTotalsAsync(Site.Vote)), votes);
        var (_, series) = await GetAsync($"/api/campaigns/{Site.Vote}/votes?granularity=hour");
        Assert.Equal(Json(await queries.VoteSeriesAsync(Site.Vote, Granularity.Hour, new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc))), series);

        // A user's entries merge the archived contest and the live one.
        var (_, user) = await GetAsync("/api/users/501/entries?per_page=5");
        Assert.Equal(Json(await queries.UserEntriesAsync(501, PageRequest.Number(1, 5))), user);
        Assert.Contains($"\"campaign_id\":{Site.Live}", user, StringComparison.Ordinal);

        var (_, list) = await GetAsync("/api/campaigns?state=archived");
        using var listed = JsonDocument.Parse(list);
        Assert.Equal(2, listed.RootElement.GetProperty("total_entries").GetInt64());
    }

    [Fact]
    public async Task The_api_shows_a_campaign_without_the_run_journals_attempts_and_errors()
    {
        var failed = await Site.Db.AddCampaignAsync(TimeSpan.FromDays(2), name: "Failed contest");
        var journal = Site.Factory.Services.GetRequiredService<Archiver.Source.IRunJournal>();
        var reason = $"MySQL error while reading rows of {Site.Db.Name}";
        await journal.RecordStartAsync(failed);
        await journal.RecordOutcomeAsync(failed, false, reason, 0);

        var (_, one) = await GetAsync($"/api/campaigns/{failed}");
        using var campaign = JsonDocument.Parse(one);
        Assert.Equal(["campaign_id", "name", "kind", "ends_at", "state", "archived_at"], campaign.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.EndsWith("Z", campaign.RootElement.GetProperty("ends_at").GetString(), StringComparison.Ordinal);
        var (_, list) = await GetAsync("/api/campaigns?q=Failed%20contest");
        foreach (var body in new[] { one, list })
        {
            Assert.Contains("Failed contest", body, StringComparison.Ordinal);
            Assert.DoesNotContain(Site.Db.Name, body, StringComparison.Ordinal);
            Assert.DoesNotContain("last_error", body, StringComparison.Ordinal);
            Assert.DoesNotContain("attempts", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Archived_answers_carry_validators_and_may_be_kept_live_ones_are_revalidated()
    {
        foreach (var path in new[] { $"/api/campaigns/{Site.Contest}/entries?page=2", $"/campaigns/{Site.Contest}", $"/campaigns/{Site.Contest}/stats.csv" })
        {
            var (first, body) = await GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.True(first.Headers.CacheControl!.Public, path);
            Assert.Equal(TimeSpan.FromHours(1), first.Headers.CacheControl.MaxAge);
            var etag = first.Headers.ETag!;
            var (again, againBody) = await GetAsync(path, r => r.Headers.IfNoneMatch.Add(etag));
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Empty(againBody);
            var (other, _) = await GetAsync(path, r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\"")));
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            Assert.NotEmpty(body);
        }

        var (live, _) = await GetAsync($"/api/campaigns/{Site.Live}/entries");
        Assert.True(live.Headers.CacheControl!.NoCache);
        Assert.NotNull(live.Headers.ETag);
    }

    [Fact]
    public async Task Series_download_as_csv_and_json()
    {
        var (csvResponse, csv) = await GetAsync($"/campaigns/{Site.Contest}/stats.csv?granularity=hour");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        Assert.Contains("attachment", csvResponse.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("bucket_start,entries,winners", lines[0]);
        var hours = WebSite.ContestRows().GroupBy(r => r.CreatedAt.Date.AddHours(r.CreatedAt.Hour)).ToList();
        Assert.Equal(hours.Count, lines.Length - 1);
        Assert.Equal($"{hours[0].Key:yyyy-MM-dd'T'HH:mm:ss'Z'},{hours[0].Count()},{hours[0].Count(r => r.Winner)}", lines[1]);

        var (_, json) = await GetAsync($"/campaigns/{Site.Contest}/stats.json?granularity=hour");
        Assert.Equal(hours.Count, JsonDocument.Parse(json).RootElement.GetArrayLength());
        var (_, voteSeries) = await GetAsync($"/campaigns/{Site.Vote}/vote-series.csv?granularity=day");
        Assert.StartsWith("bucket_start,choice,votes\r\n", voteSeries, StringComparison.Ordinal);
        Assert.Equal(90, voteSeries.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Sum(l => int.Parse(l[(l.LastIndexOf(',') + 1)..])));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var (response, body) = await GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(body);
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/campaigns", "/api/campaigns/{id}", "/api/campaigns/{id}/entries", "/api/campaigns/{id}/count", "/api/campaigns/{id}/stats", "/api/campaigns/{id}/votes", "/api/users/{id}/entries" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        Assert.False(paths.TryGetProperty("/campaigns", out _));
    }

    [Fact]
    public async Task Health_reports_each_check()
    {
        var (live, liveBody) = await GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", liveBody, StringComparison.Ordinal);
        var (ready, readyBody) = await GetAsync("/health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, readyBody);
        using var report = JsonDocument.Parse(readyBody);
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal(["mysql", "couchdb", "job-storage", "views", "replicas"], checks.EnumerateObject().Select(c => c.Name));
        Assert.Contains("in sync", checks.GetProperty("views").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("no replicas configured", checks.GetProperty("replicas").GetProperty("description").GetString());
        Assert.DoesNotContain("Password", readyBody, StringComparison.OrdinalIgnoreCase);

        // Anyone else (a remote address, or a request a proxy relayed) gets the statuses only: the
        // descriptions carry drivers' messages (user names, addresses, databases).
        foreach (var configure in new Action<HttpRequestMessage>[] { r => r.Headers.Add("X-Test-Remote", "203.0.113.9"), r => r.Headers.Add("X-Forwarded-For", "203.0.113.9") })
        {
            var (remote, remoteBody) = await GetAsync("/health/ready", configure);
            Assert.True(remote.StatusCode == HttpStatusCode.OK, remoteBody);
            using var remoteReport = JsonDocument.Parse(remoteBody);
            foreach (var check in remoteReport.RootElement.GetProperty("checks").EnumerateObject())
            {
                Assert.Equal("Healthy", check.Value.GetProperty("status").GetString());
                Assert.Equal(JsonValueKind.Null, check.Value.GetProperty("description").ValueKind);
            }

            Assert.DoesNotContain("MySQL answers", remoteBody, StringComparison.Ordinal);
            Assert.DoesNotContain("in sync", remoteBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Metrics_are_exported_in_prometheus_text_format()
    {
        await GetAsync("/campaigns");
        Archiver.Diagnostics.ArchiverMeter.Record(new Archiver.Engine.CampaignResult
        {
            CampaignId = 1, Outcome = Archiver.Engine.CampaignOutcome.Archived, RowsRead = 1234, Documents = new(1234, 0, 0, 0), BytesWritten = 456_789, Elapsed = TimeSpan.FromSeconds(2),
        });
        var (response, body) = await GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_request_duration_seconds histogram", body, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_count{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/campaigns\"}", body, StringComparison.Ordinal);
        Assert.Matches("(?m)^archiver_archive_rows_total [1-9]", body);
        Assert.Matches("(?m)^archiver_archive_bytes_total [1-9]", body);
        Assert.Matches("(?m)^archiver_archive_campaigns_total\\{outcome=\"archived\"\\} [1-9]", body);
        Assert.Matches("(?m)^archiver_archive_last_success [1-9]", body);
        Assert.Contains("# TYPE archiver_archive_duration_seconds histogram", body, StringComparison.Ordinal);

        // The journal's gauges are read in the background; the first read is at start.
        for (var i = 0; i < 50 && !body.Contains("archiver_web_campaigns{state=\"archived\"} 2", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            (_, body) = await GetAsync("/metrics");
        }

        Assert.Contains("archiver_web_campaigns{state=\"archived\"} 2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_failed_start_is_left_to_the_callers_one_line_the_host_logs_no_trace_of_it()
    {
        var filters = Site.Factory.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value;
        var rule = Assert.Single(filters.Rules, r => r.CategoryName == Archiver.Web.ArchiverWebHost.HostCategory);
        Assert.Equal(LogLevel.Critical, rule.LogLevel);
    }

    [Fact]
    public async Task Post_is_not_allowed_on_pages()
    {
        using var client = Site.Client();
        var response = await client.PostAsync("/campaigns", new StringContent("x", Encoding.UTF8));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Archiver.Jobs;
using Hangfire;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.IntegrationTests.Web;

/// <summary>The Hangfire Dashboard on our MySQL storage: every page, and who may open it.</summary>
public sealed partial class WebHttpTests
{
    [Fact]
    public async Task Every_dashboard_page_works_on_our_storage_and_shows_the_engines_reason()
    {
        var storage = Site.Factory.Services.GetRequiredService<JobStorage>();
        // No filters: AutomaticRetry would turn the failed state into a retry.
        var client = new BackgroundJobClient(storage, new global::Hangfire.Common.JobFilterCollection());
        var reason = $"campaign {Site.Contest} not archived: MySQL error while reading rows <b>{Guid.NewGuid():N}</b>";
        var failed = client.Create<ArchiveJobs>(j => j.ArchiveCampaignAsync(Site.Contest, CancellationToken.None), new FailedState(new ArchiveJobException(reason)));
        var succeeded = client.Create<ArchiveJobs>(j => j.ArchiveCampaignAsync(Site.Vote, CancellationToken.None), new SucceededState("campaign archived: 90 rows", 12, 345));
        client.Create<ArchiveJobs>(j => j.ArchiveCampaignAsync(1, CancellationToken.None), new EnqueuedState(JobNames.ArchiveQueue));
        client.Create<ArchiveJobs>(j => j.ArchiveCampaignAsync(2, CancellationToken.None), new ScheduledState(TimeSpan.FromHours(1)));
        client.Create<ArchiveJobs>(j => j.ArchiveCampaignAsync(4, CancellationToken.None), new DeletedState());
        client.Create<ArchiveJobs>(j => j.ArchiveCampaignAsync(5, CancellationToken.None), new AwaitingState(succeeded));
        var retrying = client.Create<ArchiveJobs>(j => j.ArchiveCampaignAsync(6, CancellationToken.None), new ScheduledState(TimeSpan.FromMinutes(5)));
        using (var connection = storage.GetConnection())
        {
            connection.AnnounceServer("web-test-server", new ServerContext { Queues = [.. JobNames.Queues], WorkerCount = 2 });
            using var transaction = connection.CreateWriteTransaction();
            transaction.AddToSet("retries", retrying);
            transaction.Commit();
        }

        new RecurringJobManager(storage).AddOrUpdate<ArchiveJobs>("web-test-nightly", j => j.ArchiveCompletedCampaignsAsync(CancellationToken.None), "0 2 * * *");

        string[] pages =
        [
            "/hangfire", "/hangfire/jobs/enqueued", $"/hangfire/jobs/enqueued/{JobNames.ArchiveQueue}", "/hangfire/jobs/enqueued/fetched/archive", "/hangfire/jobs/scheduled",
            "/hangfire/jobs/processing", "/hangfire/jobs/succeeded", "/hangfire/jobs/failed", "/hangfire/jobs/deleted", "/hangfire/jobs/awaiting",
            "/hangfire/retries", "/hangfire/recurring", "/hangfire/servers", $"/hangfire/jobs/details/{failed}", $"/hangfire/jobs/details/{succeeded}",
        ];
        foreach (var page in pages)
        {
            var (response, body) = await GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 2000)]}");
            Assert.DoesNotContain("Password", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Site.Db.Name, body, StringComparison.Ordinal);
        }

        var (_, failedPage) = await GetAsync("/hangfire/jobs/failed");
        Assert.Contains(WebUtility.HtmlEncode(reason), failedPage, StringComparison.Ordinal);
        var (_, details) = await GetAsync($"/hangfire/jobs/details/{failed}");
        Assert.Contains(WebUtility.HtmlEncode(reason), details, StringComparison.Ordinal);
        var (_, recurring) = await GetAsync("/hangfire/recurring");
        Assert.Contains("web-test-nightly", recurring, StringComparison.Ordinal);
        var (_, servers) = await GetAsync("/hangfire/servers");
        Assert.Contains("web-test-server", servers, StringComparison.Ordinal);

        // The graphs and counters the dashboard polls, with the token its pages carry.
        using var http = Site.Client();
        var stats = await DashboardPostAsync(http, "/hangfire/stats", [new("metrics[]", "enqueued:count"), new("metrics[]", "failed:count")]);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Contains("\"failed:count\"", await stats.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dashboard_post_without_the_pages_token_or_from_another_site_is_refused_and_does_nothing()
    {
        var storage = Site.Factory.Services.GetRequiredService<JobStorage>();
        var id = $"web-test-csrf-{Guid.NewGuid():N}";
        new RecurringJobManager(storage).AddOrUpdate<ArchiveJobs>(id, j => j.ArchiveCompletedCampaignsAsync(CancellationToken.None), Cron.Never());
        string? LastJob()
        {
            using var connection = storage.GetConnection();
            return connection.GetAllEntriesFromHash($"recurring-job:{id}")?.GetValueOrDefault("LastJobId");
        }

        try
        {
            using var http = Site.Client();

            // What a form on another site's page makes the operator's browser send: no token.
            var forged = await http.PostAsync("/hangfire/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", id)]));
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            Assert.Null(LastJob());

            // With the token but sent from another site (a browser says so in Sec-Fetch-Site or Origin).
            var crossSite = await DashboardPostAsync(http, "/hangfire/recurring/trigger", [new("jobs[]", id)], r => r.Headers.Add("Sec-Fetch-Site", "cross-site"));
            Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
            var otherOrigin = await DashboardPostAsync(http, "/hangfire/recurring/trigger", [new("jobs[]", id)], r => r.Headers.Add("Origin", "http://evil.example"));
            Assert.Equal(HttpStatusCode.Forbidden, otherOrigin.StatusCode);
            Assert.Null(LastJob());

            // The dashboard's own "Trigger now": its page's token, same origin.
            var own = await DashboardPostAsync(http, "/hangfire/recurring/trigger", [new("jobs[]", id)], r =>
            {
                r.Headers.Add("Sec-Fetch-Site", "same-origin");
                r.Headers.Add("Origin", http.BaseAddress!.GetLeftPart(UriPartial.Authority));
            });
            Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
            Assert.NotNull(LastJob());
            new BackgroundJobClient(storage).Delete(LastJob());
        }
        finally
        {
            new RecurringJobManager(storage).RemoveIfExists(id);
        }
    }

    /// <summary>A POST as the dashboard's script sends it: the token from one of its pages in the header the page names (its cookie stays in <paramref name="http"/>).</summary>
    private static async Task<HttpResponseMessage> DashboardPostAsync(HttpClient http, string path, KeyValuePair<string, string>[] form, Action<HttpRequestMessage>? configure = null)
    {
        var page = await http.GetStringAsync("/hangfire/recurring");
        var header = Regex.Match(page, "<meta name=\"csrf-header\" content=\"([^\"]+)\"").Groups[1].Value;
        var token = Regex.Match(page, "<meta name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(header);
        Assert.NotEmpty(token);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(header, WebUtility.HtmlDecode(token));
        configure?.Invoke(request);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task The_dashboard_is_local_only_unless_the_configured_credentials_are_given()
    {
        var (remote, _) = await GetAsync("/hangfire", r => r.Headers.Add("X-Test-Remote", "203.0.113.9"));
        Assert.Equal(HttpStatusCode.Unauthorized, remote.StatusCode);
        Assert.Contains("Basic", remote.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var (wrong, _) = await GetAsync("/hangfire", r =>
        {
            r.Headers.Add("X-Test-Remote", "203.0.113.9");
            r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:wrong password")));
        });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var (right, body) = await GetAsync("/hangfire", r =>
        {
            r.Headers.Add("X-Test-Remote", "203.0.113.9");
            r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:correct horse battery")));
        });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Archiver jobs", body, StringComparison.Ordinal);

        var (local, _) = await GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);

        // A reverse proxy on this machine connects from loopback for every client: what it relays is remote.
        foreach (var (header, value) in new[] { ("X-Forwarded-For", "203.0.113.9"), ("Forwarded", "for=203.0.113.9"), ("X-Real-IP", "203.0.113.9") })
        {
            var (proxied, _) = await GetAsync("/hangfire", r => r.Headers.Add(header, value));
            Assert.True(proxied.StatusCode == HttpStatusCode.Unauthorized, $"{header}: {(int)proxied.StatusCode}");
        }

        var (proxiedWithCredentials, _) = await GetAsync("/hangfire", r =>
        {
            r.Headers.Add("X-Forwarded-For", "203.0.113.9");
            r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:correct horse battery")));
        });
        Assert.Equal(HttpStatusCode.OK, proxiedWithCredentials.StatusCode);
    }
}

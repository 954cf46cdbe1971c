using System.Diagnostics;
using System.Text.RegularExpressions;
using Archiver.IntegrationTests.Infrastructure;
using Dapper;
using Xunit.Abstractions;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>
/// Real <c>archiver worker</c> processes on the real servers: several sharing a night's campaigns,
/// one killed in the middle of a campaign, schedules from a jobs directory, and the jobs commands.
/// </summary>
public sealed class WorkerTests(ITestOutputHelper output) : DatabaseTest, IAsyncLifetime
{
    private readonly string _jobs = Directory.CreateTempSubdirectory("archiver-worker-jobs-").FullName;

    [Fact]
    public async Task Two_workers_archive_50_campaigns_each_exactly_once()
    {
        var campaigns = new List<long>();
        for (var i = 0; i < 50; i++)
        {
            var campaign = await Db.AddCompletedCampaignAsync(kind: i % 5 == 0 ? "vote" : "contest");
            await Db.AddEntriesAsync(campaign, 5 + (i % 7));
            if (i % 5 == 0)
            {
                await Db.AddVotesAsync(campaign, 4);
            }

            campaigns.Add(campaign);
        }

        WriteJob("nightly-archive", "archive-completed-campaigns");
        var settings = Settings();
        var stopwatch = Stopwatch.StartNew();
        await using var first = WorkerProcess.Start(settings);
        await using var second = WorkerProcess.Start(settings);
        await WaitForAsync(() => RecurringJobExistsAsync("nightly-archive"), TimeSpan.FromSeconds(60), first, second);

        // Both Hangfire servers are up before the night starts, so that both can take a share.
        await WaitForAsync(async () => await Db.ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_server") == 2, TimeSpan.FromSeconds(60), first, second);
        var trigger = await CliRunner.RunAsync(["jobs", "trigger", "nightly-archive"], settings);
        Assert.True(trigger.ExitCode == 0, trigger.Output + trigger.Error);
        Assert.Matches("^triggered nightly-archive: job [0-9]+ enqueued", trigger.Output);

        await WaitForAsync(async () => await Db.ScalarAsync<long>("SELECT COUNT(*) FROM campaigns WHERE archived = 1") == 50, TimeSpan.FromSeconds(150), first, second);
        await WaitForAsync(async () => await Db.ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_job WHERE StateName = 'Succeeded'") == 51, TimeSpan.FromSeconds(30), first, second);
        output.WriteLine($"50 campaigns archived by two workers in {stopwatch.Elapsed.TotalSeconds:F1} s");
        // One stopped as Ctrl+C does, one as systemd and container runtimes do.
        Assert.Equal(0, await first.StopAsync(signal: "INT"));
        Assert.Equal(0, await second.StopAsync(signal: "TERM"));

        foreach (var campaign in campaigns)
        {
            await ArchiveOracle.AssertExactAsync(Db, campaign);
        }

        // Exactly once: one attempt per campaign in the engine's journal, one archive-campaign job per campaign.
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var journal = (await connection.QueryAsync<(long Campaign, string State, int Attempts)>("SELECT campaign_id, state, attempts FROM archiver_campaign_runs ORDER BY campaign_id")).ToList();
        Assert.Equal(campaigns.Select(c => (c, "archived", 1)), journal);
        var perCampaign = await connection.QueryAsync<string>(
            "SELECT Arguments FROM hangfire_job WHERE InvocationData LIKE '%ArchiveCampaignAsync%' ORDER BY Id");
        Assert.Equal(50, perCampaign.Count());
        Assert.Equal(50, perCampaign.Distinct().Count());

        // Both processes took a share of the night: each ran at least one campaign.
        var servers = (await connection.QueryAsync<string>(
            """
            SELECT DISTINCT JSON_UNQUOTE(JSON_EXTRACT(s.Data, '$.ServerId')) FROM hangfire_state s JOIN hangfire_job j ON j.Id = s.JobId
            WHERE s.Name = 'Processing' AND j.InvocationData LIKE '%ArchiveCampaignAsync%'
            """)).ToList();
        output.WriteLine($"servers that ran campaigns: {string.Join(", ", servers)}");
        Assert.Equal(2, servers.Count);
    }

    [Fact]
    public async Task A_worker_killed_in_the_middle_of_a_campaign_leaves_it_to_another_worker_after_the_invisibility_timeout()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 500);
        WriteJob("nightly-archive", "archive-completed-campaigns");
        var settings = Settings(batchSize: 100);
        settings["Hangfire__Storage__InvisibilityTimeout"] = "00:00:05";

        var killedSettings = new Dictionary<string, string>(settings) { ["ARCHIVER_KILL_AT"] = "after-batch:2" };
        await using (var doomed = WorkerProcess.Start(killedSettings))
        {
            await WaitForAsync(() => RecurringJobExistsAsync("nightly-archive"), TimeSpan.FromSeconds(60), doomed);
            var trigger = await CliRunner.RunAsync(["jobs", "trigger", "nightly-archive"], settings);
            Assert.True(trigger.ExitCode == 0, trigger.Output + trigger.Error);
            await doomed.WaitForExitAsync(TimeSpan.FromSeconds(90));
            Assert.Contains("ARCHIVER_KILL_AT=after-batch:2: killing this process", doomed.Output, StringComparison.Ordinal);
        }

        Assert.False(await Db.IsArchivedAsync(campaign));
        Assert.Equal("Processing", await Db.ScalarAsync<string>("SELECT StateName FROM hangfire_job WHERE InvocationData LIKE '%ArchiveCampaignAsync%'"));
        var killedAt = DateTime.UtcNow;

        await using var survivor = WorkerProcess.Start(settings);
        await WaitForAsync(() => Db.IsArchivedAsync(campaign), TimeSpan.FromSeconds(90), survivor);
        var redeliveredAfter = DateTime.UtcNow - killedAt;
        output.WriteLine($"redelivered and archived {redeliveredAfter.TotalSeconds:F1} s after the kill");
        Assert.Equal(0, await survivor.StopAsync());

        await ArchiveOracle.AssertExactAsync(Db, campaign);
        Assert.Equal(2, await Db.ScalarAsync<int>("SELECT attempts FROM archiver_campaign_runs WHERE campaign_id = @campaign", new { campaign }));
        Assert.Equal("Succeeded", await Db.ScalarAsync<string>("SELECT StateName FROM hangfire_job WHERE InvocationData LIKE '%ArchiveCampaignAsync%'"));
        Assert.Equal(2, await Db.ScalarAsync<long>(
            "SELECT COUNT(*) FROM hangfire_state s JOIN hangfire_job j ON j.Id = s.JobId WHERE s.Name = 'Processing' AND j.InvocationData LIKE '%ArchiveCampaignAsync%'"));
    }

    [Fact]
    public async Task A_worker_stopped_in_the_middle_of_a_campaign_exits_cleanly_and_the_job_is_finished_later()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        // Big enough (160 batches) that the stop always lands in the middle of the campaign.
        await Db.AddEntriesAsync(campaign, 8000);
        WriteJob("nightly-archive", "archive-completed-campaigns");
        var settings = Settings(batchSize: 50);
        settings["Archive__MaxConcurrentBatches"] = "1";

        await using (var stopping = WorkerProcess.Start(settings))
        {
            await WaitForAsync(() => RecurringJobExistsAsync("nightly-archive"), TimeSpan.FromSeconds(60), stopping);
            var trigger = await CliRunner.RunAsync(["jobs", "trigger", "nightly-archive"], settings);
            Assert.True(trigger.ExitCode == 0, trigger.Output + trigger.Error);

            // The campaign's attempt has started and some documents are in CouchDB: stop in the middle.
            await WaitForAsync(async () => await Db.ScalarAsync<long>("SELECT COUNT(*) FROM archiver_campaign_runs WHERE state = 'running'") == 1
                && (await Db.CouchInfoAsync())?.DocCount > 100, TimeSpan.FromSeconds(60), stopping);
            var stopwatch = Stopwatch.StartNew();
            Assert.Equal(0, await stopping.StopAsync());
            output.WriteLine($"stopped in {stopwatch.Elapsed.TotalSeconds:F1} s");
            Assert.Contains("archiver: worker stopped", stopping.Output, StringComparison.Ordinal);
        }

        // Nothing flagged half-way; the job went back to its queue (not failed), ready for the next worker.
        Assert.False(await Db.IsArchivedAsync(campaign));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_job WHERE StateName = 'Failed'"));
        Assert.Equal(1, await Db.ScalarAsync<long>(
            "SELECT COUNT(*) FROM hangfire_jobqueue q JOIN hangfire_job j ON j.Id = q.JobId WHERE q.Queue = 'archive' AND q.FetchToken IS NULL AND j.InvocationData LIKE '%ArchiveCampaignAsync%'"));

        await using var next = WorkerProcess.Start(settings);
        await WaitForAsync(() => Db.IsArchivedAsync(campaign), TimeSpan.FromSeconds(120), next);
        Assert.Equal(0, await next.StopAsync());
        await ArchiveOracle.AssertExactAsync(Db, campaign);
        Assert.Equal(2, await Db.ScalarAsync<int>("SELECT attempts FROM archiver_campaign_runs WHERE campaign_id = @campaign", new { campaign }));
    }

    [Fact]
    public async Task Schedules_follow_the_files_and_jobs_list_shows_them()
    {
        WriteJob("nightly-archive", "archive-completed-campaigns");
        WriteJob("weekly-purge", "purge-archived-campaigns", cron: "0 4 * * 0", queue: "maintenance");
        var settings = Settings();
        await using (var worker = WorkerProcess.Start(settings))
        {
            await WaitForAsync(() => RecurringJobExistsAsync("weekly-purge"), TimeSpan.FromSeconds(60), worker);
            Assert.Equal(0, await worker.StopAsync());
        }

        var list = await CliRunner.RunAsync(["jobs", "list"], settings);
        Assert.True(list.ExitCode == 0, list.Output + list.Error);
        Assert.True(Regex.IsMatch(list.Output, @"nightly-archive +0 2 \* \* \* +UTC +default +\d{4}-\d\d-\d\d 02:00 +- +- +ArchiveJobs.ArchiveCompletedCampaignsAsync"), list.Output);
        Assert.True(Regex.IsMatch(list.Output, @"weekly-purge +0 4 \* \* 0 +UTC +maintenance +\d{4}-\d\d-\d\d 04:00 +- +- +PurgeJobs.PurgeArchivedCampaignsAsync"), list.Output);
        Assert.Contains("2 recurring job(s)", list.Output, StringComparison.Ordinal);

        // The purge's file disabled and the archive's removed: the next start removes both recurring jobs.
        File.Delete(Path.Combine(_jobs, "nightly-archive.json"));
        WriteJob("weekly-purge", "purge-archived-campaigns", cron: "0 4 * * 0", queue: "maintenance", enabled: false);
        await using (var worker = WorkerProcess.Start(settings))
        {
            await WaitForAsync(async () => !await RecurringJobExistsAsync("weekly-purge") && !await RecurringJobExistsAsync("nightly-archive"), TimeSpan.FromSeconds(60), worker);
            Assert.Equal(0, await worker.StopAsync());
        }

        var trigger = await CliRunner.RunAsync(["jobs", "trigger", "weekly-purge"], settings);
        Assert.Equal(1, trigger.ExitCode);
        Assert.Contains("no recurring job 'weekly-purge'", trigger.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_started_before_its_MySQL_keeps_trying_one_line_at_a_time_and_works_once_MySQL_answers()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 20);
        WriteJob("nightly-archive", "archive-completed-campaigns");
        var settings = Settings();
        var port = TcpForwarder.FreePort();
        var closed = new MySqlConnector.MySqlConnectionStringBuilder(settings["ConnectionStrings__MySql"]) { Port = (uint)port }.ConnectionString;
        var workerSettings = new Dictionary<string, string>(settings)
        {
            ["ConnectionStrings__MySql"] = closed,
            ["Resilience__BaseDelay"] = "00:00:00.100",
            ["Resilience__MaxDelay"] = "00:00:00.300",
            ["Logging__LogLevel__Archiver.MySql"] = "Warning",
        };

        await using var worker = WorkerProcess.Start(workerSettings);
        var unreachable = $"MySQL at 127.0.0.1:{port} is not reachable";
        await WaitForAsync(() => Task.FromResult(worker.Output.Contains(unreachable + " (attempt 3)", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), worker);

        await using (TcpForwarder.Open(port, (int)new MySqlConnector.MySqlConnectionStringBuilder(settings["ConnectionStrings__MySql"]).Port))
        {
            await WaitForAsync(() => RecurringJobExistsAsync("nightly-archive"), TimeSpan.FromSeconds(60), worker);
            var trigger = await CliRunner.RunAsync(["jobs", "trigger", "nightly-archive"], settings);
            Assert.True(trigger.ExitCode == 0, trigger.Output + trigger.Error);
            await WaitForAsync(() => Db.IsArchivedAsync(campaign), TimeSpan.FromSeconds(90), worker);
            Assert.Equal(0, await worker.StopAsync());
        }

        // One line per attempt, naming the server; no stack trace anywhere.
        var attempts = worker.Output.Split('\n').Where(l => l.Contains(unreachable, StringComparison.Ordinal)).ToList();
        output.WriteLine(string.Join("\n", attempts.Take(3)));
        Assert.True(attempts.Count >= 3, worker.Output);
        Assert.All(attempts, l => Assert.Matches(@"is not reachable \(attempt \d+\): .+; trying again in \d+\.\d s", l));
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
        Assert.Contains($"MySQL at 127.0.0.1:{port} answers", worker.Output, StringComparison.Ordinal);
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    [Fact]
    public async Task A_bad_cron_in_a_job_file_stops_the_worker_at_start_naming_the_file()
    {
        WriteJob("nightly-archive", "archive-completed-campaigns", cron: "0 2 * *");
        await using var worker = WorkerProcess.Start(Settings());
        Assert.Equal(2, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"archiver: {Path.Combine(_jobs, "nightly-archive.json")}: \"cron\" '0 2 * *' is not a valid cron expression", worker.Output, StringComparison.Ordinal);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Directory.Delete(_jobs, recursive: true);
        await DisposeAsync();
    }

    private Dictionary<string, string> Settings(int batchSize = 2500)
    {
        var settings = Db.CliEnvironment(batchSize: batchSize);
        settings["Worker__JobsDirectory"] = _jobs;
        settings["Worker__WorkerCount"] = "2";
        settings["Worker__SchedulePollingInterval"] = "00:00:01";
        settings["Hangfire__Storage__QueuePollInterval"] = "00:00:00.500";
        settings["Logging__LogLevel__Default"] = "Warning";
        settings["Logging__LogLevel__Archiver.Jobs"] = "Information";
        return settings;
    }

    private void WriteJob(string id, string job, string cron = "0 2 * * *", string queue = "default", bool enabled = true) =>
        File.WriteAllText(Path.Combine(_jobs, id + ".json"), $$"""
            { "id": "{{id}}", "cron": "{{cron}}", "timeZone": "UTC", "job": "{{job}}", "queue": "{{queue}}", "enabled": {{(enabled ? "true" : "false")}}, "arguments": {} }
            """);

    private async Task<bool> RecurringJobExistsAsync(string id)
    {
        var tables = await Db.ScalarAsync<long>("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'hangfire_set'");
        return tables > 0 && await Db.ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_set WHERE `Key` = 'recurring-jobs' AND Value = @id", new { id }) == 1;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, params WorkerProcess[] workers)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || workers.Any(w => w.HasExited))
            {
                Assert.Fail($"condition not met within {timeout}{(workers.Any(w => w.HasExited) ? " (a worker exited)" : "")}:\n" + string.Join("\n----\n", workers.Select(w => w.Output)));
            }

            await Task.Delay(250);
        }
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Archiver.Engine;
using Dapper;
using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

/// <summary>
/// What an operator controls and sees: view indexes kept current for stale readers, the time limit,
/// dry runs that write nothing anywhere, and the statistics a run ends with.
/// </summary>
public sealed class RunControlTests : DatabaseTest
{
    private const string StatisticsDesign = """
        {
          "views": {
            "by_campaign": { "map": "function (doc) { if (doc.type === 'contest_campaign_entry') { emit(doc.campaign_id, 1); } }", "reduce": "_count" },
            "winners": { "map": "function (doc) { if (doc.winner === true) { emit(doc.campaign_id, null); } }" }
          }
        }
        """;

    [Fact]
    public async Task Views_are_brought_up_to_date_before_the_flag_so_that_stale_readers_see_the_campaign()
    {
        await Db.Couch.EnsureDatabaseAsync(Db.EntriesDb);
        await PutAsync(Db.EntriesDb, "_design/stats", StatisticsDesign);
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 1234);

        // Built now, over nothing: a stale read shows exactly what the last refresh saw.
        Assert.Equal(0, await StaleCountAsync(campaign));
        var options = Db.Options(batchSize: 100);
        options.ViewRefreshEvery = 300;

        var result = await Db.Engine(options: options).RunAsync(new ArchiveRequest());

        Assert.Equal(CampaignOutcome.Archived, Assert.Single(result.Campaigns).Outcome);
        Assert.Equal(1234, await StaleCountAsync(campaign));
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    [Fact]
    public async Task The_time_limit_stops_the_cli_between_batches_and_the_next_run_finishes()
    {
        var first = await Db.AddCompletedCampaignAsync();
        var second = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(first, 12_000);
        await Db.AddEntriesAsync(second, 10);

        // Batches of two, one at a time: six thousand round trips to both servers, one after the other,
        // take far longer than the limit on any machine. The limit counts from the engine's start
        // (describing the sets, selecting the campaigns), which took seconds on a machine under a load
        // of 90 against a slow server, so a run may stop before its first batch, saving nothing: then
        // the same stop is tried with a longer limit, until one stops between batches.
        CliRunner.Result stopped;
        int saved;
        var attempts = new[] { "00:00:08", "00:00:25", "00:01:15" };
        var attempt = 0;
        do
        {
            stopped = await CliRunner.RunAsync(["archive", "run", "--max-runtime", attempts[attempt++]], Db.CliEnvironment(batchSize: 2, maxConcurrentBatches: 1));

            Assert.True(stopped.ExitCode == 3, $"exit {stopped.ExitCode}: {stopped.Output}{stopped.Error}");
            Assert.Contains($"stopped     time limit reached (--max-runtime {attempts[attempt - 1]}); the next run carries on", stopped.Output, StringComparison.Ordinal);
            // Stopped before the first campaign, the run has not even created the archive database.
            saved = await Db.CouchInfoAsync(Db.EntriesDb) is null ? 0 : (await Db.RangeAsync(Db.EntriesDb, "contest_campaign_entries:", "contest_campaign_entries;")).Count;
        }
        while (saved == 0 && attempt < attempts.Length);

        Assert.Contains($"stopped campaign {first} (Test campaign): stopped by the time limit after ", stopped.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"campaign {second} ", stopped.Output, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(first));
        Assert.InRange(saved, 2, 11_998);
        Assert.Equal(0, saved % 2); // whole batches only
        Assert.Equal("running", await Db.ScalarAsync<string>("SELECT state FROM archiver_campaign_runs WHERE campaign_id = @first", new { first }));

        var status = await CliRunner.RunAsync(["archive", "status", "--state", "interrupted"], Db.CliEnvironment());
        Assert.Contains(first.ToString(CultureInfo.InvariantCulture), status.Output, StringComparison.Ordinal);

        var rerun = await CliRunner.RunAsync(["archive", "run", "--max-runtime", "1h"], Db.CliEnvironment());

        Assert.True(rerun.ExitCode == 0, $"exit {rerun.ExitCode}: {rerun.Output}{rerun.Error}");
        await ArchiveOracle.AssertExactAsync(Db, first);
        await ArchiveOracle.AssertExactAsync(Db, second);
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_to_either_database()
    {
        var archived = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(archived, 50);
        await Db.AddVotesAsync(archived, 20);
        Assert.Equal(0, (await CliRunner.RunAsync(["archive", "run"], Db.CliEnvironment())).ExitCode);
        var pending = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(pending, 2600);
        await Db.AddVotesAsync(pending, 30);
        var before = await SnapshotAsync();

        var result = await CliRunner.RunAsync(["archive", "run", "--dry-run"], Db.CliEnvironment());

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains($"would copy 2,600 contest_campaign_entries rows in 2 batches to {Db.EntriesDb}, 30 vote_campaign_votes rows in 1 batches to {Db.VotesDb}", result.Output, StringComparison.Ordinal);
        Assert.Contains("Archive dry run (nothing written)", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
        Assert.False(await Db.IsArchivedAsync(pending));
    }

    [Fact]
    public async Task Every_run_ends_with_a_statistics_table_and_why_it_stopped()
    {
        var first = await Db.AddCompletedCampaignAsync();
        var second = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(first, 30);
        await Db.AddEntriesAsync(second, 20);
        await Db.AddVotesAsync(second, 5);

        var result = await CliRunner.RunAsync(["archive", "run"], Db.CliEnvironment());

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var lines = result.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var header = lines.FindIndex(l => l.StartsWith("  campaign  outcome", StringComparison.Ordinal));
        Assert.True(header >= 0, result.Output);
        Assert.Matches(@"^  campaign  outcome\s+rows\s+written\s+unchanged\s+conflicts\s+rollups\s+seconds\s+docs/s$", lines[header]);
        Assert.Matches($@"^  {first}\s+archived\s+30\s+30\s+0\s+0\s+\d+\s+[\d.]+\s+[\d,]+$", lines[header + 1]);
        Assert.Matches($@"^  {second}\s+archived\s+25\s+25\s+0\s+0\s+\d+\s+[\d.]+\s+[\d,]+$", lines[header + 2]);
        Assert.Contains("  campaigns   2 archived, 0 skipped, 0 failed", lines);
        Assert.Contains(lines, l => l.StartsWith("  resources   ", StringComparison.Ordinal) && l.Contains("s CPU, peak RSS", StringComparison.Ordinal));
        Assert.Equal("  stopped     all eligible campaigns processed", lines.Last(l => l.Length > 0));
    }

    /// <summary>Every MySQL table's checksum, the journal's existence, and both CouchDB databases' update sequences.</summary>
    private async Task<string> SnapshotAsync()
    {
        var tables = await Db.ScalarAsync<string>(
            "SELECT GROUP_CONCAT(CONCAT('`', table_name, '`') ORDER BY table_name) FROM information_schema.tables WHERE table_schema = DATABASE()");
        var checksums = new StringBuilder(tables);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            // CHECKSUM TABLE reads every row: any insert, update or delete changes it.
            foreach (var (table, checksum) in await connection.QueryAsync<(string, long?)>($"CHECKSUM TABLE {tables}"))
            {
                checksums.Append('|').Append(table).Append('=').Append(checksum);
            }
        }

        checksums.Append('|').Append(await Db.ArchiveStateAsync());

        return checksums.ToString();
    }

    private async Task PutAsync(string database, string id, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Db.Http.PutAsync($"{database}/{id}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>The view's count for the campaign as readers get it: <c>stale=ok</c>, no index update.</summary>
    private async Task<long> StaleCountAsync(long campaign)
    {
        using var response = await Db.Http.GetAsync($"{Db.EntriesDb}/_design/stats/_view/by_campaign?stale=ok&key={campaign}");
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rows = body.RootElement.GetProperty("rows");
        return rows.GetArrayLength() == 0 ? 0 : rows[0].GetProperty("value").GetInt64();
    }
}

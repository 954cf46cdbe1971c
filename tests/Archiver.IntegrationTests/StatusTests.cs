using System.Globalization;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Dapper;
using MySqlConnector;

namespace Archiver.IntegrationTests;

/// <summary><c>archiver archive status</c>, run as the real program, over campaigns in every state.</summary>
public sealed class StatusTests : DatabaseTest
{
    private const string Header = "  campaign  state        kind      ends (UTC)        attempts  last attempt (UTC)  name";

    /// <summary>The line the status table prints for a campaign, built from the database's own values.</summary>
    private async Task<string> LineAsync(long campaign, string state)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var (kind, ends, attempts, lastAttempt, name) = await connection.QuerySingleAsync<(string, string, int, string, string)>(
            """
            SELECT c.kind, DATE_FORMAT(c.ends_at, '%Y-%m-%d %H:%i'), COALESCE(r.attempts, 0), COALESCE(DATE_FORMAT(r.started_at, '%Y-%m-%d %H:%i'), '-'), c.name
            FROM campaigns c LEFT JOIN archiver_campaign_runs r ON r.campaign_id = c.id WHERE c.id = @campaign
            """,
            new { campaign });
        return string.Create(CultureInfo.InvariantCulture, $"{campaign,10}  {state,-11}  {kind,-8}  {ends}  {attempts,8}  {lastAttempt,-18}  {name}");
    }

    /// <summary>The output's lines with runs of spaces made one: the table's columns are as wide as their contents (Spectre.Console), the cells are what is checked.</summary>
    private static List<string> Lines(CliRunner.Result result) => Normalized(result.Output.Split('\n'));

    private static List<string> Normalized(IEnumerable<string> lines) =>
        lines.Select(l => System.Text.RegularExpressions.Regex.Replace(l.TrimEnd('\r').Trim(), " +", " ")).ToList();

    [Fact]
    public async Task Status_shows_every_campaign_in_its_state_with_the_last_error_and_totals_and_filters_by_state()
    {
        var live = await Db.AddCampaignAsync(TimeSpan.FromDays(-2), name: "Still running");
        var recent = await Db.AddCampaignAsync(TimeSpan.FromHours(47), name: "Ended 47 hours ago");
        var eligible = await Db.AddCampaignAsync(TimeSpan.FromDays(3), kind: "vote", name: "Pizza vote 🍕");
        var archived = await Db.AddCampaignAsync(TimeSpan.FromDays(4), name: "Archived by a run");
        var flagged = await Db.AddCampaignAsync(TimeSpan.FromDays(30), archived: true, name: "Flagged long ago");
        var failed = await Db.AddCampaignAsync(TimeSpan.FromDays(5), name: "Has a zero date");
        var interrupted = await Db.AddCampaignAsync(TimeSpan.FromDays(6), name: "Killed mid-run");
        var running = await Db.AddCampaignAsync(TimeSpan.FromDays(7), name: "Being archived now");
        await Db.AddEntriesAsync(archived, 5);
        await Db.AddEntriesAsync(interrupted, 5);
        await Db.AddEntriesAsync(failed, 3);
        await Db.ExecuteAsync(
            "SET SESSION sql_mode = ''; INSERT INTO contest_campaign_entries (campaign_id, entry_number, created_at) VALUES (@failed, 4, '0000-00-00 00:00:00')",
            new { failed });
        var bad = (await Db.EntryKeysAsync(failed))[^1];

        Assert.Equal(CampaignOutcome.Archived, Assert.Single((await Db.Engine().RunAsync(new ArchiveRequest(archived))).Campaigns).Outcome);
        Assert.Equal(CampaignOutcome.Failed, Assert.Single((await Db.Engine().RunAsync(new ArchiveRequest(failed))).Campaigns).Outcome);

        // A run killed mid-campaign (as kill -9 would) leaves its journal row 'running' and no lock.
        var killed = Db.CliEnvironment(batchSize: 2);
        killed["ARCHIVER_KILL_AT"] = "after-batch:1";
        var kill = await CliRunner.RunAsync(["archive", "run", "--campaign", interrupted.ToString(CultureInfo.InvariantCulture)], killed);
        Assert.True(kill.Error.Contains("ARCHIVER_KILL_AT=after-batch:1: killing this process", StringComparison.Ordinal), kill.Output + kill.Error);
        Assert.NotEqual(0, kill.ExitCode);

        // A run in progress elsewhere holds the campaign's lock (its journal row says 'running' too).
        await Db.ExecuteAsync(
            "INSERT INTO archiver_campaign_runs (campaign_id, state, attempts, started_at, host) VALUES (@running, 'running', 1, UTC_TIMESTAMP(3), 'elsewhere')",
            new { running });
        await using var holder = new MySqlConnection(TestServers.MySql);
        await holder.OpenAsync();
        Assert.Equal(1, await holder.ExecuteScalarAsync<int>("SELECT GET_LOCK(@name, 0)", new { name = CampaignLockName.For(Db.Name, running) }));

        var result = await CliRunner.RunAsync(["archive", "status"], Db.CliEnvironment());

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var error = $"contest_campaign_entries id={bad}: column created_at holds the zero date 0000-00-00, which has no ISO-8601 form";
        Assert.Equal(
            Normalized([
                Header,
                await LineAsync(live, "live"),
                await LineAsync(recent, "live"),
                await LineAsync(eligible, "eligible"),
                await LineAsync(archived, "archived"),
                await LineAsync(flagged, "archived"),
                await LineAsync(failed, "failed"),
                "            last error: " + error,
                await LineAsync(interrupted, "interrupted"),
                await LineAsync(running, "running"),
                "",
                "8 campaigns: 2 live, 1 eligible, 1 running, 1 interrupted, 1 failed, 2 archived",
                "",
            ]),
            Lines(result));
        Assert.Matches(@"^ +\d+  failed       contest   \d{4}-\d\d-\d\d \d\d:\d\d         1  \d{4}-\d\d-\d\d \d\d:\d\d    Has a zero date$", await LineAsync(failed, "failed"));
        Assert.Matches(@"^ +\d+  archived     contest   \d{4}-\d\d-\d\d \d\d:\d\d         0  -                   Flagged long ago$", await LineAsync(flagged, "archived"));

        var onlyFailed = await CliRunner.RunAsync(["archive", "status", "--state", "failed"], Db.CliEnvironment());

        Assert.True(onlyFailed.ExitCode == 0, onlyFailed.Output + onlyFailed.Error);
        Assert.Equal(
            Normalized([
                Header,
                await LineAsync(failed, "failed"),
                "            last error: " + error,
                "",
                "8 campaigns: 2 live, 1 eligible, 1 running, 1 interrupted, 1 failed, 2 archived",
                "",
            ]),
            Lines(onlyFailed));

        // Once the lock is released, the campaign a run was working on counts as interrupted.
        await holder.ExecuteAsync("DO RELEASE_LOCK(@name)", new { name = CampaignLockName.For(Db.Name, running) });
        var released = await CliRunner.RunAsync(["archive", "status", "--state", "interrupted"], Db.CliEnvironment());

        Assert.Equal(
            Normalized([
                Header,
                await LineAsync(interrupted, "interrupted"),
                await LineAsync(running, "interrupted"),
                "",
                "8 campaigns: 2 live, 1 eligible, 0 running, 2 interrupted, 1 failed, 2 archived",
                "",
            ]),
            Lines(released));
    }
}

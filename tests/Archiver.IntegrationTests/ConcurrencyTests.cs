using System.Text.RegularExpressions;
using Archiver.IntegrationTests.Infrastructure;
using Dapper;
using MySqlConnector;
using Xunit.Abstractions;

namespace Archiver.IntegrationTests;

/// <summary>
/// Archivers started at the same time on the same campaigns (two cron hosts, or a manual run beside
/// the nightly one): the per-campaign <c>GET_LOCK</c> makes each campaign archived by exactly one.
/// </summary>
public sealed partial class ConcurrencyTests(ITestOutputHelper output) : DatabaseTest
{
    private const string LockedReason = "another archiver is working on it (it holds the campaign's MySQL lock)";

    [Fact]
    public async Task Two_archivers_started_together_archive_every_campaign_exactly_once()
    {
        var campaigns = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var campaign = await Db.AddCompletedCampaignAsync(kind: i % 2 == 0 ? "contest" : "vote");
            await Db.AddEntriesAsync(campaign, 300 + (i * 50));
            await Db.AddVotesAsync(campaign, 120);
            campaigns.Add(campaign);
        }

        var settings = Db.CliEnvironment(batchSize: 100);

        // Both children are started before either is awaited.
        var first = CliRunner.RunAsync(["archive", "run"], settings);
        var second = CliRunner.RunAsync(["archive", "run"], settings);
        var results = await Task.WhenAll(first, second);

        var context = string.Join("\n----\n", results.Select(r => $"exit {r.ExitCode}\n{r.Output}{r.Error}"));
        output.WriteLine(context);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, context));
        var outcomes = results.Select(r => Outcomes(r.Output)).ToList();
        foreach (var campaign in campaigns)
        {
            var archivedBy = outcomes.Count(o => o.TryGetValue(campaign, out var outcome) && outcome == "archived");
            Assert.True(archivedBy == 1, $"campaign {campaign} archived by {archivedBy} processes\n{context}");
            foreach (var outcome in outcomes)
            {
                // The other process skipped it while it was locked, found it flagged, or never selected it
                // (flagged before it looked). "another run flagged it first" would mean both copied it.
                Assert.True(
                    !outcome.TryGetValue(campaign, out var seen) || seen is "archived" or LockedReason || seen.StartsWith("already archived at ", StringComparison.Ordinal),
                    $"campaign {campaign}: {seen}\n{context}");
            }

            Assert.True(await Db.IsArchivedAsync(campaign));
            await ArchiveOracle.AssertExactAsync(Db, campaign);
        }

        // Only the process that archived a campaign started an attempt on it.
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var journal = (await connection.QueryAsync<(long Campaign, string State, int Attempts)>(
            "SELECT campaign_id, state, attempts FROM archiver_campaign_runs ORDER BY campaign_id")).ToList();
        Assert.Equal(campaigns.Select(c => (c, "archived", 1)), journal);
        Assert.Equal(6, results.Sum(r => int.Parse(SummaryLine().Match(r.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_campaign_whose_lock_is_held_elsewhere_is_skipped_and_left_alone()
    {
        var locked = await Db.AddCompletedCampaignAsync();
        var free = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(locked, 30);
        await Db.AddEntriesAsync(free, 30);

        // The lock an archiver of this database takes (the name MySqlCampaignLock uses), held by this test.
        await using var holder = new MySqlConnection(Db.ConnectionString);
        await holder.OpenAsync();
        const string name = "CONCAT('archiver:', LEFT(SHA2(DATABASE(), 256), 12), ':', @locked)";
        Assert.Equal(1, await holder.ExecuteScalarAsync<int>($"SELECT GET_LOCK({name}, 0)", new { locked }));

        var result = await CliRunner.RunAsync(["archive", "run"], Db.CliEnvironment());

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        Assert.Equal(LockedReason, Outcomes(result.Output)[locked]);
        Assert.Equal("archived", Outcomes(result.Output)[free]);
        Assert.False(await Db.IsArchivedAsync(locked));
        Assert.Equal(0, await Db.ScalarAsync<int>("SELECT COUNT(*) FROM archiver_campaign_runs WHERE campaign_id = @locked", new { locked }));
        Assert.Empty(await Db.ArchivedDocumentsAsync(locked));

        Assert.Equal(1, await holder.ExecuteScalarAsync<int>($"SELECT RELEASE_LOCK({name})", new { locked }));
        var again = await CliRunner.RunAsync(["archive", "run"], Db.CliEnvironment());

        Assert.True(again.ExitCode == 0, $"exit {again.ExitCode}: {again.Output}{again.Error}");
        Assert.Equal("archived", Outcomes(again.Output)[locked]);
        await ArchiveOracle.AssertExactAsync(Db, locked);
        await ArchiveOracle.AssertExactAsync(Db, free);
    }

    /// <summary>Each campaign a run's output reports on: "archived", or the reason it was skipped; a campaign reported twice fails.</summary>
    private static Dictionary<long, string> Outcomes(string output)
    {
        var outcomes = new Dictionary<long, string>();
        foreach (var line in output.Split('\n'))
        {
            var match = OutcomeLine().Match(line.TrimEnd('\r'));
            if (match.Success)
            {
                var campaign = long.Parse(match.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
                var outcome = match.Groups["verb"].Value == "archived" ? "archived" : match.Groups["verb"].Value == "FAILED" ? "FAILED: " + match.Groups["reason"].Value : match.Groups["reason"].Value;
                Assert.True(outcomes.TryAdd(campaign, outcome), $"campaign {campaign} reported twice:\n{output}");
            }
        }

        return outcomes;
    }

    [GeneratedRegex(@"^(?<verb>archived|skipped|FAILED) campaign (?<id>\d+) \([^)]*\): (?<reason>.*)$")]
    private static partial Regex OutcomeLine();

    [GeneratedRegex(@"campaigns   (\d+) archived")]
    private static partial Regex SummaryLine();
}

using Archiver.Documents;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql.Demo;
using Dapper;
using Xunit.Abstractions;

namespace Archiver.IntegrationTests;

/// <summary>
/// A real <c>archiver</c> process killed as abruptly as <c>kill -9</c> (at named checkpoints through
/// <c>ARCHIVER_KILL_AT</c>, or at random moments from outside), then run again: a campaign is never
/// flagged before its archive is exact, and the next run always converges to an exact archive.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : DatabaseTest
{
    private const int BatchSize = 200;
    private const string Entries = "contest_campaign_entries";
    private const string Votes = "vote_campaign_votes";

    /// <summary>The exit code of a process killed by SIGKILL, as <see cref="System.Diagnostics.Process.ExitCode"/> reports it.</summary>
    private const int KilledExitCode = 137;

    private long _first;
    private long _second;

    protected override async Task InitializeDatabasesAsync()
    {
        // 900 entries and 300 votes in batches of 200: entry batches 1-5, vote batches 6-7. The
        // second campaign ends later, so it is archived after the first and shows the run stopping.
        _first = await Db.AddCompletedCampaignAsync();
        _second = await Db.AddCompletedCampaignAsync(kind: "vote");
        await Db.AddEntriesAsync(_first, 900);
        await Db.AddVotesAsync(_first, 300);
        await Db.AddEntriesAsync(_second, 40);
        await Db.AddVotesAsync(_second, 60);
    }

    private Dictionary<string, string> Settings(string? killAt = null, int maxConcurrentBatches = 1)
    {
        // One batch in flight, so that a kill point leaves exactly the batches before it (the pipelined case has a test of its own).
        var settings = Db.CliEnvironment(batchSize: BatchSize, maxConcurrentBatches: maxConcurrentBatches);
        if (killAt is not null)
        {
            settings["ARCHIVER_KILL_AT"] = killAt;
        }

        return settings;
    }

    [Theory]
    [InlineData("in-batch:1", 200, false, 0, false)]
    [InlineData("in-batch:3", 600, false, 0, false)]
    [InlineData("after-batch:2", 400, false, 0, false)]
    [InlineData("after-rows:contest_campaign_entries", 900, false, 0, false)]
    [InlineData("after-rollups:contest_campaign_entries", 900, true, 0, false)]
    [InlineData("in-batch:6", 900, true, 200, false)]
    [InlineData("after-rows:vote_campaign_votes", 900, true, 300, false)]
    [InlineData("after-rollups:vote_campaign_votes", 900, true, 300, true)]
    [InlineData("after-verify", 900, true, 300, true)]
    [InlineData("after-flag", 900, true, 300, true)]
    public async Task A_run_killed_at_a_checkpoint_then_run_again_ends_exact_and_flagged(
        string point, int entryDocuments, bool entryRollups, int voteDocuments, bool voteRollups)
    {
        var killed = await CliRunner.RunAsync(["archive", "run"], Settings(point));

        AssertKilledAt(point, killed);
        var flagged = point == "after-flag";
        Assert.Equal(flagged, await Db.IsArchivedAsync(_first));
        Assert.False(await Db.IsArchivedAsync(_second)); // the run stopped with the first campaign
        Assert.Equal((1, "running"), await JournalAsync(_first)); // the start is recorded; the outcome never was

        // The kill happened exactly where it was asked for: the archive holds what was written up to there.
        Assert.Equal(entryDocuments, await CountAsync(Db.EntriesDb, DocumentIds.RowRange(Entries, _first)));
        Assert.Equal(entryRollups ? await MinutesAsync(Entries, _first) : 0, await CountAsync(Db.EntryRollupsDb, DocumentIds.RollupRange(Entries, _first)));
        Assert.Equal(voteDocuments, await CountAsync(Db.VotesDb, DocumentIds.RowRange(Votes, _first)));
        Assert.Equal(voteRollups ? await MinutesAsync(Votes, _first) : 0, await CountAsync(Db.VoteRollupsDb, DocumentIds.RollupRange(Votes, _first)));
        Assert.Equal(0, await CountAsync(Db.EntriesDb, DocumentIds.RowRange(Entries, _second)));
        Assert.Equal(0, await CountAsync(Db.VotesDb, DocumentIds.RowRange(Votes, _second)));
        var survivors = await RevisionsAsync(_first);

        var rerun = await RerunToAnExactArchiveAsync();
        Assert.Contains($"archived campaign {_second} ", rerun.Output, StringComparison.Ordinal);
        Assert.Equal((1, "archived"), await JournalAsync(_second));
        if (flagged)
        {
            // Flagged before the kill: the re-run does not touch it.
            Assert.DoesNotContain($"campaign {_first} ", rerun.Output, StringComparison.Ordinal);
            Assert.Contains("campaigns   1 archived, 0 skipped, 0 failed", rerun.Output, StringComparison.Ordinal);
            Assert.Equal((1, "running"), await JournalAsync(_first));
        }
        else
        {
            Assert.Contains($"archived campaign {_first} ", rerun.Output, StringComparison.Ordinal);
            Assert.Contains("campaigns   2 archived, 0 skipped, 0 failed", rerun.Output, StringComparison.Ordinal);
            Assert.Equal((2, "archived"), await JournalAsync(_first));
        }

        // What the killed run had saved was already right: the re-run left every such document at its revision.
        var after = await RevisionsAsync(_first);
        var rewritten = survivors.Where(s => after.GetValueOrDefault(s.Key) != s.Value).Select(s => s.Key).ToList();
        Assert.True(rewritten.Count == 0, $"{rewritten.Count} documents saved before the kill were rewritten, e.g. {string.Join(", ", rewritten.Take(3))}");
    }

    [Theory]
    [InlineData("in-batch:3")]
    [InlineData("after-rollups:contest_campaign_entries")]
    [InlineData("after-verify")]
    public async Task Rows_changed_after_a_killed_run_are_archived_as_they_are_now(string point)
    {
        var killed = await CliRunner.RunAsync(["archive", "run"], Settings(point));
        AssertKilledAt(point, killed);
        Assert.False(await Db.IsArchivedAsync(_first));

        // Until the flag, MySQL is the truth: change rows the killed run had already copied.
        var entries = await Db.EntryKeysAsync(_first);
        var votes = await VoteKeysAsync(_first);
        var edited = entries[10];
        var deleted = entries[50];
        var lastMinute = await Db.ScalarAsync<string>(
            "SELECT DATE_FORMAT(MAX(created_at), '%Y-%m-%d %H:%i:00') FROM contest_campaign_entries WHERE campaign_id = @campaign", new { campaign = _first });
        var emptiedMinute = DocumentIds.ForRollup(Entries, _first, DateTime.Parse(lastMinute, System.Globalization.CultureInfo.InvariantCulture));
        var minuteKeys = await Db.ScalarAsync<long>(
            "SELECT COUNT(*) FROM contest_campaign_entries WHERE campaign_id = @campaign AND created_at >= @lastMinute", new { campaign = _first, lastMinute });
        var before = await RevisionsAsync(_first);
        await Db.ExecuteAsync("UPDATE contest_campaign_entries SET message = 'edited after the kill ✎', winner = 1 WHERE id = @edited", new { edited });
        await Db.ExecuteAsync("DELETE FROM contest_campaign_entries WHERE id = @deleted", new { deleted });
        await Db.ExecuteAsync("DELETE FROM contest_campaign_entries WHERE campaign_id = @campaign AND created_at >= @lastMinute", new { campaign = _first, lastMinute });
        await Db.AddEntriesAsync([new EntryRow
        {
            CampaignId = _first,
            UserId = 4242,
            EntryNumber = 9001,
            Winner = true,
            Message = "inserted after the kill",
            CreatedAt = new DateTime(2026, 11, 1, 9, 30, 0, 123),
        }]);
        await Db.ExecuteAsync("UPDATE vote_campaign_votes SET choice = 'Funghi 🍄' WHERE id = @id", new { id = votes[3] });
        await Db.ExecuteAsync("UPDATE vote_campaign_votes SET created_at = '2026-11-03 05:00:00.500' WHERE id = @id", new { id = votes[4] });
        await Db.ExecuteAsync("UPDATE vote_campaign_votes SET campaign_id = @second WHERE id = @id", new { id = votes[5], second = _second });
        await Db.ExecuteAsync("DELETE FROM vote_campaign_votes WHERE id = @id", new { id = votes[6] });
        var inserted = (await Db.EntryKeysAsync(_first))[^1];

        var rerun = await RerunToAnExactArchiveAsync();

        // The oracle already fails on anything extra; these name the changes, so a failure says which one broke.
        var documents = await Db.ArchivedDocumentsAsync(_first);
        Assert.Equal(900 - 1 - minuteKeys + 1, documents.Count);
        Assert.Equal("edited after the kill ✎", documents[edited].Body!.Value.GetProperty("message").GetString());
        Assert.True(documents[edited].Body!.Value.GetProperty("winner").GetBoolean());
        Assert.DoesNotContain(deleted, documents.Keys);
        Assert.Equal("inserted after the kill", documents[inserted].Body!.Value.GetProperty("message").GetString());
        var entryRollups = await Db.RangeAsync(Db.EntryRollupsDb, DocumentIds.RollupRange(Entries, _first).Start, DocumentIds.RollupRange(Entries, _first).End);
        Assert.DoesNotContain(emptiedMinute, entryRollups.Keys);
        Assert.Equal(point != "in-batch:3", before.ContainsKey(emptiedMinute)); // once written, the emptied minute's rollup is removed
        Assert.Contains(DocumentIds.ForRow(Entries, _first, edited), before.Keys); // the changed rows had been copied
        Assert.Contains(DocumentIds.ForRow(Entries, _first, deleted), before.Keys);
        Assert.Equal(point == "after-verify", before.ContainsKey(DocumentIds.ForRow(Votes, _first, votes[5])));
        Assert.Contains(DocumentIds.ForRollup(Entries, _first, new DateTime(2026, 11, 1, 9, 30, 0)), entryRollups.Keys);
        var voteDocuments = await Db.RangeAsync(Db.VotesDb, DocumentIds.RowRange(Votes, _first).Start, DocumentIds.RowRange(Votes, _first).End);
        Assert.Equal("Funghi 🍄", voteDocuments[DocumentIds.ForRow(Votes, _first, votes[3])].Body!.Value.GetProperty("choice").GetString());
        Assert.DoesNotContain(DocumentIds.ForRow(Votes, _first, votes[5]), voteDocuments.Keys);
        Assert.DoesNotContain(DocumentIds.ForRow(Votes, _first, votes[6]), voteDocuments.Keys);
        Assert.Equal(298, voteDocuments.Count);
        var moved = await Db.RangeAsync(Db.VotesDb, DocumentIds.RowRange(Votes, _second).Start, DocumentIds.RowRange(Votes, _second).End);
        Assert.Contains(DocumentIds.ForRow(Votes, _second, votes[5]), moved.Keys);
        var voteRollups = await Db.RangeAsync(Db.VoteRollupsDb, DocumentIds.RollupRange(Votes, _first).Start, DocumentIds.RollupRange(Votes, _first).End);
        Assert.Contains(DocumentIds.ForRollup(Votes, _first, new DateTime(2026, 11, 3, 5, 0, 0)), voteRollups.Keys);
    }

    [Fact]
    public async Task Runs_killed_at_random_moments_never_flag_an_inexact_archive_and_a_last_run_completes_it()
    {
        // More, bigger campaigns in smaller batches than the other tests: a kill lands inside real work.
        var campaigns = new List<long> { _first, _second };
        for (var i = 0; i < 2; i++)
        {
            var campaign = await Db.AddCompletedCampaignAsync();
            await Db.AddEntriesAsync(campaign, 1500);
            await Db.AddVotesAsync(campaign, 400);
            campaigns.Add(campaign);
        }

        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var settings = Db.CliEnvironment(batchSize: 100);
        var kills = 0;
        var log = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // Each attempt waits for a later campaign of those left to start, so the kills move through the run.
            var unflagged = new List<long>();
            foreach (var campaign in campaigns)
            {
                if (!await Db.IsArchivedAsync(campaign))
                {
                    unflagged.Add(campaign);
                }
            }

            if (unflagged.Count == 0)
            {
                break;
            }

            var target = unflagged[Math.Min(attempt, unflagged.Count - 1)];
            var delay = TimeSpan.FromMilliseconds(random.Next(0, 700));
            var result = await CliRunner.RunAndKillAsync(["archive", "run"], settings, delay, after: $"campaign {target} (Test campaign): archiving");
            log.Add(result.Killed
                ? $"attempt {attempt + 1}: killed {delay.TotalMilliseconds} ms after campaign {target} started"
                : $"attempt {attempt + 1}: exited {result.ExitCode} before the kill {delay.TotalMilliseconds} ms after campaign {target} started");
            var context = $"seed {seed}; {string.Join("; ", log)}\n{result.Output}{result.Error}";
            if (result.Killed)
            {
                Assert.True(result.ExitCode == KilledExitCode, context);

                // A kill that lands after the run printed its summary only cut its shutdown short (seen
                // on a loaded machine): its work was done, so it is not counted as a kill inside the work.
                if (!result.Output.Contains("Archive run summary", StringComparison.Ordinal))
                {
                    kills++;
                }
            }
            else
            {
                Assert.True(result.ExitCode == 0, context);
            }

            // Whenever it died, every campaign it had flagged was already exact.
            foreach (var campaign in campaigns)
            {
                if (await Db.IsArchivedAsync(campaign))
                {
                    await ArchiveOracle.AssertExactAsync(Db, campaign);
                }
            }
        }

        output.WriteLine($"seed {seed}; {string.Join("; ", log)}");
        Assert.True(kills > 0, $"seed {seed}: no run was still working when it was killed; {string.Join("; ", log)}");

        var last = await CliRunner.RunAsync(["archive", "run"], settings);

        Assert.True(last.ExitCode == 0, $"seed {seed}: exit {last.ExitCode}: {last.Output}{last.Error}");
        foreach (var campaign in campaigns)
        {
            Assert.True(await Db.IsArchivedAsync(campaign), $"seed {seed}: campaign {campaign} not flagged; {string.Join("; ", log)}");
            await ArchiveOracle.AssertExactAsync(Db, campaign);
        }
    }

    [Fact]
    public async Task A_run_after_success_with_the_flag_lost_writes_nothing_and_flags_again()
    {
        // A crash and a completing run first, so that what is compared is what crash recovery left behind.
        AssertKilledAt("in-batch:3", await CliRunner.RunAsync(["archive", "run"], Settings("in-batch:3")));
        var completed = await CliRunner.RunAsync(["archive", "run"], Settings());
        Assert.True(completed.ExitCode == 0, $"exit {completed.ExitCode}: {completed.Output}{completed.Error}");
        var archive = await Db.ArchiveStateAsync();

        await Db.ExecuteAsync("UPDATE campaigns SET archived = 0, archived_at = NULL");
        var rerun = await RerunToAnExactArchiveAsync();

        Assert.Contains($"archived campaign {_first} (Test campaign): 1,200 rows, 0 written, 1,200 unchanged", rerun.Output, StringComparison.Ordinal);
        Assert.Contains("documents   0 written (0 new, 0 updated), 1,300 unchanged, 0 removed", rerun.Output, StringComparison.Ordinal);
        Assert.Contains("rollups     0 written (0 new, 0 updated)", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(archive, await Db.ArchiveStateAsync());
    }

    /// <summary>Runs the archiver without a kill point: it must exit 0 with both campaigns flagged and exact.</summary>
    [Theory]
    [InlineData("in-batch:3")]
    [InlineData("after-batch:2")]
    public async Task A_run_killed_with_several_batches_in_flight_then_run_again_ends_exact_and_flagged(string point)
    {
        var killed = await CliRunner.RunAsync(["archive", "run"], Settings(point, maxConcurrentBatches: 3));

        AssertKilledAt(point, killed);
        Assert.False(await Db.IsArchivedAsync(_first));

        // The batches before the point were answered; up to three more were with CouchDB at the kill,
        // whole, in part or not at all (a _bulk_docs request is not atomic).
        var saved = await CountAsync(Db.EntriesDb, DocumentIds.RowRange(Entries, _first));
        Assert.InRange(saved, 2 * BatchSize, 900);

        await RerunToAnExactArchiveAsync();
    }

    private async Task<CliRunner.Result> RerunToAnExactArchiveAsync()
    {
        var rerun = await CliRunner.RunAsync(["archive", "run"], Settings());

        Assert.True(rerun.ExitCode == 0, $"exit {rerun.ExitCode}: {rerun.Output}{rerun.Error}");
        Assert.True(await Db.IsArchivedAsync(_first));
        Assert.True(await Db.IsArchivedAsync(_second));
        await ArchiveOracle.AssertExactAsync(Db, _first);
        await ArchiveOracle.AssertExactAsync(Db, _second);
        return rerun;
    }

    private static void AssertKilledAt(string point, CliRunner.Result killed)
    {
        var context = $"exit {killed.ExitCode}: {killed.Output}{killed.Error}";
        Assert.True(killed.ExitCode == KilledExitCode, context);
        Assert.Contains($"archiver: ARCHIVER_KILL_AT={point}: killing this process", killed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Archive run summary", killed.Output, StringComparison.Ordinal);
    }

    /// <summary>Live documents in a range; 0 when the database was never created.</summary>
    private async Task<int> CountAsync(string database, (string Start, string End) range) =>
        await Db.CouchInfoAsync(database) is null ? 0 : (await Db.RangeAsync(database, range.Start, range.End)).Count;

    /// <summary>The number of distinct minutes of a campaign's rows, counted by MySQL: how many rollups it has.</summary>
    private Task<int> MinutesAsync(string table, long campaign) =>
        Db.ScalarAsync<int>($"SELECT COUNT(DISTINCT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i')) FROM {table} WHERE campaign_id = @campaign", new { campaign });

    private async Task<(int Attempts, string State)> JournalAsync(long campaign)
    {
        var attempts = await Db.ScalarAsync<int>("SELECT attempts FROM archiver_campaign_runs WHERE campaign_id = @campaign", new { campaign });
        var state = await Db.ScalarAsync<string>("SELECT state FROM archiver_campaign_runs WHERE campaign_id = @campaign", new { campaign });
        return (attempts, state);
    }

    private async Task<List<long>> VoteKeysAsync(long campaign)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<long>("SELECT id FROM vote_campaign_votes WHERE campaign_id = @campaign ORDER BY id", new { campaign })).AsList();
    }

    /// <summary>Every live document of a campaign in both databases, with its revision.</summary>
    private async Task<Dictionary<string, string?>> RevisionsAsync(long campaign)
    {
        var revisions = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (database, range) in new[]
        {
            (Db.EntriesDb, DocumentIds.RowRange(Entries, campaign)),
            (Db.EntryRollupsDb, DocumentIds.RollupRange(Entries, campaign)),
            (Db.VotesDb, DocumentIds.RowRange(Votes, campaign)),
            (Db.VoteRollupsDb, DocumentIds.RollupRange(Votes, campaign)),
        })
        {
            if (await Db.CouchInfoAsync(database) is null)
            {
                continue;
            }

            foreach (var (id, document) in await Db.RangeAsync(database, range.Start, range.End))
            {
                revisions[id] = document.Rev;
            }
        }

        return revisions;
    }
}

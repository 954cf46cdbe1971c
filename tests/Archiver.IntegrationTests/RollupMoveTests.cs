using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Rollups;

namespace Archiver.IntegrationTests;

/// <summary>An archive written before rollups had their own database, moved once with <see cref="RollupMover"/>.</summary>
public sealed class RollupMoveTests : DatabaseTest
{
    [Fact]
    public async Task Rollups_written_beside_the_entries_move_to_the_rollup_database_exactly_once_and_the_archive_stays_exact()
    {
        var contest = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(contest, 900);
        var vote = await Db.AddCompletedCampaignAsync("vote");
        await Db.AddVotesAsync(vote, 300);

        // The old layout: RollupDatabase equal to Database.
        var old = Db.Options();
        foreach (var set in old.Sets)
        {
            set.RollupDatabase = set.Database;
        }

        Assert.Equal(2, (await Db.Engine(options: old).RunAsync(new ArchiveRequest())).Campaigns.Count(c => c.Outcome == CampaignOutcome.Archived));
        var entryRollups = await Db.RangeAsync(Db.EntriesDb, "rollup:", "rollup;");
        var voteRollups = await Db.RangeAsync(Db.VotesDb, "rollup:", "rollup;");
        Assert.NotEmpty(entryRollups);
        Assert.NotEmpty(voteRollups);

        var mover = new RollupMover(Db.Couch);
        var sets = Db.Options().Sets;
        Assert.Equal((entryRollups.Count, 0L), await mover.MoveAsync(sets[0]));
        Assert.Equal((voteRollups.Count, 0L), await mover.MoveAsync(sets[1]));

        Assert.Empty(await Db.RangeAsync(Db.EntriesDb, "rollup:", "rollup;"));
        Assert.Empty(await Db.RangeAsync(Db.VotesDb, "rollup:", "rollup;"));
        Assert.Equal(
            entryRollups.Values.Select(d => Fields(d.Body!.Value)).Order(StringComparer.Ordinal),
            (await Db.RangeAsync(Db.EntryRollupsDb, "rollup:", "rollup;")).Values.Select(d => Fields(d.Body!.Value)).Order(StringComparer.Ordinal));
        await ArchiveOracle.AssertExactAsync(Db, contest);
        await ArchiveOracle.AssertExactAsync(Db, vote);

        // Again: nothing left to move. The archive under the new layout still re-verifies without writing.
        Assert.Equal((0L, 0L), await mover.MoveAsync(sets[0]));
        var state = await Db.ArchiveStateAsync();
        await Db.ExecuteAsync("UPDATE campaigns SET archived = 0, archived_at = NULL");
        var rerun = await Db.Engine().RunAsync(new ArchiveRequest());
        Assert.All(rerun.Campaigns, c => Assert.Equal(CampaignOutcome.Archived, c.Outcome));
        Assert.Equal(state, await Db.ArchiveStateAsync());
    }

    private static string Fields(System.Text.Json.JsonElement body) =>
        string.Join(",", body.EnumerateObject().Where(p => p.Name != "_rev").Select(p => $"{p.Name}={p.Value.GetRawText()}"));
}

using System.Globalization;
using System.Text.Json;
using Archiver.CouchDb;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Options;
using Archiver.Sets;

namespace Archiver.IntegrationTests;

/// <summary>
/// Rows that have no faithful document stop their own campaign, named by table, key and column, and
/// nothing is altered to make them fit: the row stays as it is, no document is written for it, the
/// flag stays unset and the journal keeps the reason. The other campaigns of the run are archived.
/// (A BIGINT beyond 2^53−1 is covered by RoundTripTests, a document the server refuses by ArchiveRunTests.)
/// </summary>
public sealed class BadRowTests : DatabaseTest
{
    /// <summary>A campaign beside the broken one, archived in the same run.</summary>
    private async Task<long> AddHealthyCampaignAsync()
    {
        var campaign = await Db.AddCampaignAsync(TimeSpan.FromDays(2.5));
        await Db.AddEntriesAsync(campaign, 40);
        await Db.AddVotesAsync(campaign, 30);
        return campaign;
    }

    private Task<ArchiveRunResult> RunAsync(ArchiveOptions? options = null, IDocumentStore? store = null) =>
        Db.Engine(options: options, wrapStore: store is null ? null : _ => store).RunAsync(new ArchiveRequest());

    /// <summary>The campaign failed with <paramref name="reason"/> (or a reason starting with it), is not flagged, and the bad row got no document.</summary>
    private async Task<CampaignResult> AssertRefusedAsync(ArchiveRunResult result, long campaign, string database, string badDocumentId, string reason, bool prefix = false)
    {
        var outcome = result.Campaigns.Single(c => c.CampaignId == campaign);
        Assert.Equal(CampaignOutcome.Failed, outcome.Outcome);
        if (prefix)
        {
            Assert.StartsWith(reason, outcome.Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(reason, outcome.Reason);
        }

        Assert.False(await Db.IsArchivedAsync(campaign));
        Assert.False(Assert.Single(await Db.Couch.GetAsync(database, [badDocumentId])).Exists, $"{badDocumentId} was written");
        Assert.Equal(
            ("failed", outcome.Reason),
            (await Db.ScalarAsync<string>("SELECT state FROM archiver_campaign_runs WHERE campaign_id = @campaign", new { campaign }),
             await Db.ScalarAsync<string>("SELECT last_error FROM archiver_campaign_runs WHERE campaign_id = @campaign", new { campaign })));
        return outcome;
    }

    private async Task AssertArchivedAsync(ArchiveRunResult result, long campaign)
    {
        var outcome = result.Campaigns.Single(c => c.CampaignId == campaign);
        Assert.True(outcome.Outcome == CampaignOutcome.Archived, outcome.Reason);
        Assert.True(await Db.IsArchivedAsync(campaign));
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    private async Task<long> LastEntryKeyAsync(long campaign) => (await Db.EntryKeysAsync(campaign))[^1];

    [Fact]
    public async Task A_zero_date_and_an_impossible_date_each_fail_their_campaign_and_the_run_archives_the_others()
    {
        var zeroDate = await Db.AddCampaignAsync(TimeSpan.FromDays(5), kind: "vote");
        var impossibleDate = await Db.AddCampaignAsync(TimeSpan.FromDays(4));
        var healthy = await AddHealthyCampaignAsync();
        await Db.AddVotesAsync(zeroDate, 6);
        await Db.ExecuteAsync(
            "SET SESSION sql_mode = ''; INSERT INTO vote_campaign_votes (campaign_id, choice, created_at) VALUES (@zeroDate, 'Margherita', '0000-00-00 00:00:00')",
            new { zeroDate });
        var badVote = await Db.ScalarAsync<long>("SELECT MAX(id) FROM vote_campaign_votes WHERE campaign_id = @zeroDate", new { zeroDate });
        await Db.AddVotesAsync(zeroDate, 3);

        // The impossible date sits between good rows, not at the end.
        await Db.AddEntriesAsync(impossibleDate, 4);
        await Db.ExecuteAsync(
            "SET SESSION sql_mode = ''; INSERT INTO contest_campaign_entries (campaign_id, entry_number, created_at) VALUES (@impossibleDate, 5, '2026-11-00 10:00:00')",
            new { impossibleDate });
        var badEntry = await LastEntryKeyAsync(impossibleDate);
        await Db.AddEntriesAsync(impossibleDate, 4);

        var result = await RunAsync();

        Assert.Equal((1, 2), (result.Archived, result.Failed));
        await AssertRefusedAsync(result, zeroDate, Db.VotesDb, DocumentIds.ForRow("vote_campaign_votes", zeroDate, badVote),
            $"vote_campaign_votes id={badVote}: column created_at holds the zero date 0000-00-00, which has no ISO-8601 form");
        await AssertRefusedAsync(result, impossibleDate, Db.EntriesDb, DocumentIds.ForRow("contest_campaign_entries", impossibleDate, badEntry),
            $"contest_campaign_entries id={badEntry}: column created_at cannot be read: ", prefix: true);
        await AssertArchivedAsync(result, healthy);

        // The rows are as they were.
        Assert.Equal("0000-00-00 00:00:00.000", await Db.ScalarAsync<string>("SELECT CAST(created_at AS CHAR) FROM vote_campaign_votes WHERE id = @badVote", new { badVote }));
        Assert.Equal("2026-11-00 10:00:00.000", await Db.ScalarAsync<string>("SELECT CAST(created_at AS CHAR) FROM contest_campaign_entries WHERE id = @badEntry", new { badEntry }));
    }

    [Fact]
    public async Task A_boolean_column_holding_2_is_refused_not_turned_into_true()
    {
        var campaign = await Db.AddCampaignAsync(TimeSpan.FromDays(4));
        var healthy = await AddHealthyCampaignAsync();
        await Db.AddEntriesAsync(campaign, 10);
        var bad = (await Db.EntryKeysAsync(campaign))[3];
        await Db.ExecuteAsync("UPDATE contest_campaign_entries SET winner = 2 WHERE id = @bad", new { bad });

        var result = await RunAsync();

        await AssertRefusedAsync(result, campaign, Db.EntriesDb, DocumentIds.ForRow("contest_campaign_entries", campaign, bad),
            $"contest_campaign_entries id={bad}: column winner holds 2; a tinyint(1) column is archived as a boolean, so only 0 and 1 are faithful");
        await AssertArchivedAsync(result, healthy);
        Assert.Equal(2, await Db.ScalarAsync<int>("SELECT CAST(winner AS SIGNED) FROM contest_campaign_entries WHERE id = @bad", new { bad }));
    }

    [Fact]
    public async Task A_row_that_would_make_a_document_above_MaxDocumentBytes_is_refused_naming_its_largest_column()
    {
        var campaign = await Db.AddCampaignAsync(TimeSpan.FromDays(4));
        var healthy = await AddHealthyCampaignAsync();
        await Db.AddEntriesAsync(campaign, 10);
        var bad = (await Db.EntryKeysAsync(campaign))[6];
        var message = string.Concat(Enumerable.Repeat("🎉", 480)); // the column's 480 characters, each sent as a 12-byte escape pair
        await Db.ExecuteAsync("UPDATE contest_campaign_entries SET message = @message WHERE id = @bad", new { message, bad });

        // Just under the limit: 150 emoji make a document of about 1,950 bytes, which must pass.
        var nearLimit = (await Db.EntryKeysAsync(healthy))[1];
        await Db.ExecuteAsync("UPDATE contest_campaign_entries SET message = @message WHERE id = @nearLimit", new { message = string.Concat(Enumerable.Repeat("🎉", 150)), nearLimit });
        var couch = new CouchDbClient(Db.Http, options: Microsoft.Extensions.Options.Options.Create(new CouchDbOptions { MaxDocumentBytes = 2048 }), retry: TestDatabases.FastRetries);

        var result = await RunAsync(store: couch);

        var id = DocumentIds.ForRow("contest_campaign_entries", campaign, bad);
        var outcome = await AssertRefusedAsync(result, campaign, Db.EntriesDb, id, $"contest_campaign_entries id={bad} (document {id}): column message makes a document of ", prefix: true);
        var size = long.Parse(outcome.Reason!.Split("makes a document of ")[1].Split(" bytes")[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.InRange(size, 480 * 12, (480 * 12) + 300);
        Assert.EndsWith(" bytes, above CouchDb:MaxDocumentBytes (2,048); this column is its largest field", outcome.Reason, StringComparison.Ordinal);
        await AssertArchivedAsync(result, healthy); // ordinary rows fit well under the same limit
        Assert.Equal(message, await Db.ScalarAsync<string>("SELECT message FROM contest_campaign_entries WHERE id = @bad", new { bad }));
    }

    [Fact]
    public async Task Text_not_valid_in_its_character_set_is_refused_and_a_third_set_needs_only_configuration()
    {
        await Db.ExecuteAsync(
            """
            CREATE TABLE notes (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              campaign_id BIGINT NOT NULL,
              body VARCHAR(50) CHARACTER SET ascii NULL,
              created_at DATETIME(3) NOT NULL,
              KEY ix_notes_campaign (campaign_id, id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
            """);
        var broken = await Db.AddCampaignAsync(TimeSpan.FromDays(4));
        var healthy = await AddHealthyCampaignAsync();
        const string Insert = "INSERT INTO notes (campaign_id, body, created_at) VALUES (@campaign, @body, @at)";
        foreach (var (body, at) in new[] { ("first", "2026-11-03 09:00:00.250"), (null, "2026-11-03 09:00:59.999"), ("third ~!", "2026-11-03 09:01:00.000"), ("fourth", "2026-11-03 09:03:10.007") })
        {
            await Db.ExecuteAsync(Insert, new { campaign = healthy, body, at });
            await Db.ExecuteAsync(Insert, new { campaign = broken, body, at });
        }

        // MariaDB stores a byte that is not ASCII in an ASCII column when strict mode is off.
        await Db.ExecuteAsync("SET SESSION sql_mode = ''; INSERT INTO notes (campaign_id, body, created_at) VALUES (@broken, X'41C3', '2026-11-03 09:02:00')", new { broken });
        var bad = await Db.ScalarAsync<long>("SELECT MAX(id) FROM notes WHERE campaign_id = @broken", new { broken });
        var options = Db.Options();
        options.Sets.Add(new ArchiveSetOptions
        {
            Table = "notes",
            Type = "note",
            Database = Db.Name,
            Measures = { new MeasureOptions { Name = "count", Kind = "Count" } },
        });

        var result = await RunAsync(options);

        await AssertRefusedAsync(result, broken, Db.Name, DocumentIds.ForRow("notes", broken, bad),
            $"notes id={bad}: column body holds bytes that are not valid ascii (stored as hex 41C3); archiving would replace them");
        Assert.Equal("41C3", await Db.ScalarAsync<string>("SELECT HEX(body) FROM notes WHERE id = @bad", new { bad }));
        await AssertArchivedAsync(result, healthy);

        // The third set's documents and rollups, as configured and nothing else.
        var keys = (await Db.ScalarAsync<string>("SELECT GROUP_CONCAT(id ORDER BY id) FROM notes WHERE campaign_id = @healthy", new { healthy })).Split(',').Select(long.Parse).ToList();
        var (start, end) = DocumentIds.RowRange("notes", healthy);
        var rows = await Db.RangeAsync(Db.Name, start, end);
        Assert.Equal(
            [
                $$"""{"type":"note","id":{{keys[0]}},"campaign_id":{{healthy}},"body":"first","created_at":"2026-11-03T09:00:00.250Z"}""",
                $$"""{"type":"note","id":{{keys[1]}},"campaign_id":{{healthy}},"body":null,"created_at":"2026-11-03T09:00:59.999Z"}""",
                $$"""{"type":"note","id":{{keys[2]}},"campaign_id":{{healthy}},"body":"third ~!","created_at":"2026-11-03T09:01:00.000Z"}""",
                $$"""{"type":"note","id":{{keys[3]}},"campaign_id":{{healthy}},"body":"fourth","created_at":"2026-11-03T09:03:10.007Z"}""",
            ],
            keys.Select(k => Fields(rows[DocumentIds.ForRow("notes", healthy, k)])));
        var (rollupStart, rollupEnd) = DocumentIds.RollupRange("notes", healthy);
        var rollups = await Db.RangeAsync(Db.Name + "_rollups", rollupStart, rollupEnd);
        Assert.Equal(
            [
                $$"""{"type":"rollup","set":"notes","campaign_id":{{healthy}},"minute":"2026-11-03T09:00Z","count":2}""",
                $$"""{"type":"rollup","set":"notes","campaign_id":{{healthy}},"minute":"2026-11-03T09:01Z","count":1}""",
                $$"""{"type":"rollup","set":"notes","campaign_id":{{healthy}},"minute":"2026-11-03T09:03Z","count":1}""",
            ],
            rollups.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Fields(p.Value)));
    }

    [Fact]
    public async Task A_datetime_finer_than_milliseconds_is_refused_not_rounded()
    {
        await Db.ExecuteAsync(
            """
            CREATE TABLE readings (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              campaign_id BIGINT NOT NULL,
              reading INT NOT NULL,
              created_at DATETIME(6) NOT NULL,
              KEY ix_readings_campaign (campaign_id, id)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
            """);
        var broken = await Db.AddCampaignAsync(TimeSpan.FromDays(4));
        var healthy = await AddHealthyCampaignAsync();
        const string Insert = "INSERT INTO readings (campaign_id, reading, created_at) VALUES (@campaign, @reading, @at)";
        await Db.ExecuteAsync(Insert, new { campaign = healthy, reading = 1, at = "2026-11-04 12:30:45.123000" });
        await Db.ExecuteAsync(Insert, new { campaign = broken, reading = 1, at = "2026-11-04 12:30:45.123000" });
        await Db.ExecuteAsync(Insert, new { campaign = broken, reading = 2, at = "2026-11-04 12:30:45.123456" });
        var bad = await Db.ScalarAsync<long>("SELECT MAX(id) FROM readings WHERE campaign_id = @broken", new { broken });
        var options = Db.Options();
        options.Sets.Add(new ArchiveSetOptions
        {
            Table = "readings",
            Type = "reading",
            Database = Db.Name,
            Measures = { new MeasureOptions { Name = "count", Kind = "Count" }, new MeasureOptions { Name = "total", Kind = "Sum", Column = "reading" } },
        });

        var result = await RunAsync(options);

        await AssertRefusedAsync(result, broken, Db.Name, DocumentIds.ForRow("readings", broken, bad),
            $"readings id={bad}: column created_at holds 2026-11-04 12:30:45.123456, finer than the archive's milliseconds");
        Assert.Equal("2026-11-04 12:30:45.123456", await Db.ScalarAsync<string>("SELECT CAST(created_at AS CHAR) FROM readings WHERE id = @bad", new { bad }));
        await AssertArchivedAsync(result, healthy);
        var (start, end) = DocumentIds.RowRange("readings", healthy);
        var document = Assert.Single(await Db.RangeAsync(Db.Name, start, end)).Value;
        Assert.Equal("2026-11-04T12:30:45.123Z", document.Body!.Value.GetProperty("created_at").GetString()); // whole milliseconds in DATETIME(6) are fine
    }

    /// <summary>A stored document without <c>_id</c> and <c>_rev</c>, as compact JSON in stored order.</summary>
    private static string Fields(StoredDocument document)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var property in document.Body!.Value.EnumerateObject().Where(p => p.Name is not ("_id" or "_rev")))
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}

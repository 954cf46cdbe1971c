using System.Text.Json;
using Archiver.Documents;
using Dapper;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// An independent check that a campaign's archive is exact: the expected documents and rollups are
/// computed here in SQL (DATE_FORMAT, GROUP BY minute), not by the engine's code, and compared with
/// every field of every document in the campaign's CouchDB ranges, which must hold nothing else.
/// </summary>
public static class ArchiveOracle
{
    private const string Millis = "CONCAT(DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.'), LPAD(FLOOR(MICROSECOND(created_at) / 1000), 3, '0'), 'Z')";
    private const string Minute = "DATE_FORMAT(created_at, '%Y-%m-%dT%H:%iZ')";

    /// <summary>
    /// Compares the campaign's archive with its rows in <paramref name="entriesTable"/> and
    /// <paramref name="votesTable"/>: the live tables, or copies taken before a purge (whose rows then
    /// exist only in the archive).
    /// </summary>
    public static async Task AssertExactAsync(TestDatabases db, long campaignId, string entriesTable = "contest_campaign_entries", string votesTable = "vote_campaign_votes")
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();

        var entries = (await connection.QueryAsync(
            $"SELECT id, campaign_id, user_id, entry_number, winner, message, {Millis} AS created_at FROM {entriesTable} WHERE campaign_id = @campaignId ORDER BY id",
            new { campaignId })).Select(r => (IDictionary<string, object?>)r).ToList();
        var expectedEntries = entries.ToDictionary(
            r => DocumentIds.ForRow("contest_campaign_entries", campaignId, Convert.ToInt64(r["id"])),
            r => Json(w =>
            {
                w.WriteString("type", "contest_campaign_entry");
                w.WriteNumber("id", Convert.ToInt64(r["id"]));
                w.WriteNumber("campaign_id", Convert.ToInt64(r["campaign_id"]));
                WriteNullableNumber(w, "user_id", r["user_id"]);
                w.WriteNumber("entry_number", Convert.ToInt64(r["entry_number"]));
                w.WriteBoolean("winner", Convert.ToInt64(r["winner"]) == 1);
                w.WriteString("message", (string?)r["message"]);
                w.WriteString("created_at", (string)r["created_at"]!);
            }));
        await AssertRangeAsync(db, db.EntriesDb, DocumentIds.RowRange("contest_campaign_entries", campaignId), expectedEntries);

        var votes = (await connection.QueryAsync(
            $"SELECT id, campaign_id, user_id, choice, {Millis} AS created_at FROM {votesTable} WHERE campaign_id = @campaignId ORDER BY id",
            new { campaignId })).Select(r => (IDictionary<string, object?>)r).ToList();
        var expectedVotes = votes.ToDictionary(
            r => DocumentIds.ForRow("vote_campaign_votes", campaignId, Convert.ToInt64(r["id"])),
            r => Json(w =>
            {
                w.WriteString("type", "vote_campaign_vote");
                w.WriteNumber("id", Convert.ToInt64(r["id"]));
                w.WriteNumber("campaign_id", Convert.ToInt64(r["campaign_id"]));
                WriteNullableNumber(w, "user_id", r["user_id"]);
                w.WriteString("choice", (string)r["choice"]!);
                w.WriteString("created_at", (string)r["created_at"]!);
            }));
        await AssertRangeAsync(db, db.VotesDb, DocumentIds.RowRange("vote_campaign_votes", campaignId), expectedVotes);

        var entryMinutes = await connection.QueryAsync<(string Minute, long Count, long Winners)>(
            $"SELECT {Minute} AS m, COUNT(*), SUM(winner) FROM {entriesTable} WHERE campaign_id = @campaignId GROUP BY m ORDER BY m", new { campaignId });
        var expectedEntryRollups = entryMinutes.ToDictionary(
            m => $"rollup:contest_campaign_entries:{campaignId:D19}:{m.Minute}",
            m => Json(w =>
            {
                Rollup(w, "contest_campaign_entries", campaignId, m.Minute, m.Count);
                w.WriteNumber("winners", m.Winners);
            }));
        await AssertRangeAsync(db, db.EntryRollupsDb, DocumentIds.RollupRange("contest_campaign_entries", campaignId), expectedEntryRollups);

        var voteMinutes = (await connection.QueryAsync<(string Minute, string Choice, long Count)>(
            $"SELECT {Minute} AS m, choice, COUNT(*) FROM {votesTable} WHERE campaign_id = @campaignId GROUP BY m, choice ORDER BY m, choice", new { campaignId })).ToList();
        var expectedVoteRollups = voteMinutes.GroupBy(m => m.Minute).ToDictionary(
            g => $"rollup:vote_campaign_votes:{campaignId:D19}:{g.Key}",
            g => Json(w =>
            {
                Rollup(w, "vote_campaign_votes", campaignId, g.Key, g.Sum(x => x.Count));
                w.WriteStartObject("choices");
                foreach (var choice in g.OrderBy(x => x.Choice, StringComparer.Ordinal))
                {
                    w.WritePropertyName(choice.Choice);
                    w.WriteNumberValue(choice.Count);
                }

                w.WriteEndObject();
            }));
        await AssertRangeAsync(db, db.VoteRollupsDb, DocumentIds.RollupRange("vote_campaign_votes", campaignId), expectedVoteRollups);
    }

    private static async Task AssertRangeAsync(TestDatabases db, string database, (string Start, string End) range, Dictionary<string, JsonElement> expected)
    {
        var stored = await db.RangeAsync(database, range.Start, range.End);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, document) in stored)
        {
            var actual = document.Body!.Value;
            var fields = actual.EnumerateObject().Where(p => p.Name is not ("_id" or "_rev")).ToDictionary(p => p.Name, p => p.Value);
            var wanted = expected[id].EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            Assert.True(
                wanted.Count == fields.Count && wanted.All(p => fields.TryGetValue(p.Key, out var v) && JsonElement.DeepEquals(p.Value, v)),
                $"{database}/{id}: expected {expected[id].GetRawText()}, archive holds {actual.GetRawText()}");
        }
    }

    private static void Rollup(Utf8JsonWriter w, string set, long campaignId, string minute, long count)
    {
        w.WriteString("type", "rollup");
        w.WriteString("set", set);
        w.WriteNumber("campaign_id", campaignId);
        w.WriteString("minute", minute);
        w.WriteNumber("count", count);
    }

    private static void WriteNullableNumber(Utf8JsonWriter w, string name, object? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, Convert.ToInt64(value));
        }
    }

    private static JsonElement Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }
}

using System.Text.Json;
using Archiver.Engine;
using Archiver.MySql.Demo;
using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

public sealed class RoundTripTests : DatabaseTest
{
    [Fact]
    public async Task Nulls_unicode_and_millisecond_times_survive_mysql_and_couchdb_exactly()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        string?[] messages =
        [
            null, "", "plain ASCII", "¡Quiero ganar! 🎉", "参加します", "응모합니다", "Привет", "أنا مشارك", "שלום 👋",
            "👨‍👩‍👧‍👦 🇮🇹 👍🏽", "quotes \" back\\slash", "line\nbreak\ttab", "naïve façade – “curly”", new string('x', 480),
            "𝄞 musical symbol (4-byte UTF-8)",
        ];
        DateTime[] times =
        [
            new(2026, 11, 20, 14, 5, 9, 123), new(2026, 11, 20, 0, 0, 0, 0), new(2026, 12, 31, 23, 59, 59, 999),
            new(2026, 11, 20, 14, 5, 9, 1), new(2000, 2, 29, 12, 0, 0, 500),
        ];
        var rows = messages.Select((message, i) => new EntryRow
        {
            CampaignId = campaign,
            UserId = i % 3 == 0 ? null : Documents.JsonSafeInteger.Max - i,
            EntryNumber = i % 2 == 0 ? i : int.MaxValue - i,
            Winner = i % 2 == 1,
            Message = message,
            CreatedAt = times[i % times.Length],
        }).ToList();
        await Db.AddEntriesAsync(rows);

        var result = await Db.Engine().RunAsync(new ArchiveRequest());
        Assert.Equal(CampaignOutcome.Archived, Assert.Single(result.Campaigns).Outcome);

        var documents = await Db.ArchivedDocumentsAsync(campaign);
        var keys = await Db.EntryKeysAsync(campaign);
        Assert.Equal(rows.Count, documents.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var body = documents[keys[i]].Body!.Value;
            var row = rows[i];
            Assert.Equal($"contest_campaign_entries:{campaign:D19}:{keys[i]:D19}", body.GetProperty("_id").GetString());
            Assert.Equal("contest_campaign_entry", body.GetProperty("type").GetString());
            Assert.Equal(keys[i], body.GetProperty("id").GetInt64());
            Assert.Equal(campaign, body.GetProperty("campaign_id").GetInt64());
            if (row.UserId is null)
            {
                Assert.Equal(JsonValueKind.Null, body.GetProperty("user_id").ValueKind);
            }
            else
            {
                Assert.Equal(row.UserId, body.GetProperty("user_id").GetInt64());
            }

            Assert.Equal(row.EntryNumber, body.GetProperty("entry_number").GetInt32());
            Assert.Equal(row.Winner ? JsonValueKind.True : JsonValueKind.False, body.GetProperty("winner").ValueKind);
            if (row.Message is null)
            {
                Assert.Equal(JsonValueKind.Null, body.GetProperty("message").ValueKind);
            }
            else
            {
                Assert.Equal(row.Message, body.GetProperty("message").GetString());
            }

            Assert.Equal(row.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("created_at").GetString());
        }

        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    [Fact]
    public async Task A_bigint_beyond_what_json_readers_keep_exactly_fails_naming_the_row()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync([new EntryRow { CampaignId = campaign, UserId = Documents.JsonSafeInteger.Max + 2, EntryNumber = 1, CreatedAt = new DateTime(2026, 11, 1) }]);
        var key = (await Db.EntryKeysAsync(campaign))[0];

        var result = await Db.Engine().RunAsync(new ArchiveRequest());

        Assert.StartsWith($"contest_campaign_entries id={key}: column user_id holds 9007199254740993", Assert.Single(result.Campaigns).Reason, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));
    }

    [Fact]
    public async Task A_third_table_with_TIMESTAMP_DECIMAL_DATE_and_JSON_columns_archives_by_configuration_alone()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.ExecuteAsync("""
            CREATE TABLE payments (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              campaign_id BIGINT NOT NULL,
              amount DECIMAL(30,10) NOT NULL,
              paid_on DATE NULL,
              details JSON NULL,
              created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              KEY ix_payments_campaign (campaign_id, id)
            ) DEFAULT CHARSET=utf8mb4;
            SET time_zone = '+00:00';
            INSERT INTO payments (campaign_id, amount, paid_on, details, created_at) VALUES
              (@campaign, 12345678901234567890.0123456789, '2026-11-20', '{"card": "visa"}', '2026-11-20 14:05:09.123'),
              (@campaign, 0.5, NULL, NULL, '2026-11-20 14:05:59.999'),
              (@campaign, -7, '2026-11-21', '[1, 2]', '2026-11-20 14:06:00.000');
            """, new { campaign });
        var options = Db.Options();
        var payments = new Archiver.Sets.ArchiveSetOptions { Table = "payments", Type = "payment", Database = Db.Name + "_payments" };
        payments.Measures.Add(new Archiver.Sets.MeasureOptions { Name = "count", Kind = "Count" });
        options.Sets.Add(payments);
        var engine = Db.Engine(options: options);

        try
        {
            var result = await engine.RunAsync(new ArchiveRequest());

            Assert.Equal(CampaignOutcome.Archived, Assert.Single(result.Campaigns).Outcome);
            var (start, end) = Documents.DocumentIds.RowRange("payments", campaign);
            var documents = (await Db.RangeAsync(payments.Database, start, end)).Values
                .Select(d => string.Join(",", d.Body!.Value.EnumerateObject().Where(p => p.Name is not ("_id" or "_rev")).Select(p => $"{p.Name}={p.Value.GetRawText()}")))
                .ToList();
            Assert.Equal(
            [
                $"type=\"payment\",id=1,campaign_id={campaign},amount=\"12345678901234567890.0123456789\",paid_on=\"2026-11-20\",details=\"{{\\\"card\\\": \\\"visa\\\"}}\",created_at=\"2026-11-20T14:05:09.123Z\"",
                $"type=\"payment\",id=2,campaign_id={campaign},amount=\"0.5000000000\",paid_on=null,details=null,created_at=\"2026-11-20T14:05:59.999Z\"",
                $"type=\"payment\",id=3,campaign_id={campaign},amount=\"-7.0000000000\",paid_on=\"2026-11-21\",details=\"[1, 2]\",created_at=\"2026-11-20T14:06:00.000Z\"",
            ], documents);
            var (rollupStart, rollupEnd) = Documents.DocumentIds.RollupRange("payments", campaign);
            var rollups = await Db.RangeAsync(payments.EffectiveRollupDatabase, rollupStart, rollupEnd);
            Assert.Equal(
                [$"rollup:payments:{campaign:D19}:2026-11-20T14:05Z=2", $"rollup:payments:{campaign:D19}:2026-11-20T14:06Z=1"],
                rollups.Values.Select(r => $"{r.Id}={r.Body!.Value.GetProperty("count").GetInt64()}"));
            await ArchiveOracle.AssertExactAsync(Db, campaign);
        }
        finally
        {
            await Db.Couch.DeleteDatabaseAsync(payments.Database);
            await Db.Couch.DeleteDatabaseAsync(payments.EffectiveRollupDatabase);
        }
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using Archiver.Documents;
using Archiver.Entries;

namespace Archiver.UnitTests;

public sealed class ContestEntryDocumentTests
{
    private static string Write(IArchiveDocument document)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, ArchiveJson.WriterOptions))
        {
            writer.WriteStartObject();
            document.WriteFields(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Writes_the_pinned_contract()
    {
        var row = new ContestEntryRow
        {
            Id = 42,
            CampaignId = 7,
            UserId = 1234,
            EntryNumber = 3,
            Winner = true,
            Message = "YES",
            CreatedAt = new DateTime(2026, 11, 20, 14, 5, 9, 123),
        };

        Assert.Equal(
            """{"type":"contest_campaign_entry","id":42,"campaign_id":7,"user_id":1234,"entry_number":3,"winner":true,"message":"YES","created_at":"2026-11-20T14:05:09.123Z"}""",
            Write(new ContestEntryDocument(row)));
    }

    [Fact]
    public void Null_user_and_message_are_json_null_and_winner_is_a_boolean()
    {
        var json = Write(new ContestEntryDocument(new ContestEntryRow { Id = 1, CampaignId = 1, CreatedAt = new DateTime(2026, 1, 1) }));
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("user_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.False, document.RootElement.GetProperty("winner").ValueKind);
    }

    [Theory]
    [InlineData("¡Quiero ganar! 🎉")]
    [InlineData("参加します 👍🏽")]
    [InlineData("שלום أنا مشارك")]
    [InlineData("quotes \" and \\ backslash, <html> & 'apostrophes'")]
    [InlineData("line\nbreak\ttab\u0001control")]
    [InlineData("👨‍👩‍👧‍👦 family, 🇮🇹 flag")]
    [InlineData("")]
    public void Message_text_round_trips_exactly(string message)
    {
        var json = Write(new ContestEntryDocument(new ContestEntryRow { Id = 1, CampaignId = 1, Message = message, CreatedAt = new DateTime(2026, 1, 1) }));
        using var document = JsonDocument.Parse(json);
        Assert.Equal(message, document.RootElement.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(2026, 11, 20, 0, 0, 0, 0, "2026-11-20T00:00:00.000Z")]
    [InlineData(2026, 12, 31, 23, 59, 59, 999, "2026-12-31T23:59:59.999Z")]
    [InlineData(1999, 1, 2, 3, 4, 5, 1, "1999-01-02T03:04:05.001Z")]
    public void Created_at_is_iso_8601_utc_with_milliseconds(int y, int mo, int d, int h, int mi, int s, int ms, string expected)
    {
        var json = Write(new ContestEntryDocument(new ContestEntryRow { Id = 1, CampaignId = 1, CreatedAt = new DateTime(y, mo, d, h, mi, s, ms, DateTimeKind.Unspecified) }));
        using var document = JsonDocument.Parse(json);
        Assert.Equal(expected, document.RootElement.GetProperty("created_at").GetString());
    }

    [Fact]
    public void Zero_date_is_refused_naming_table_key_and_column()
    {
        var error = Assert.Throws<InvalidRowException>(() => new ContestEntryDocument(new ContestEntryRow { Id = 99, CampaignId = 1, CreatedAt = DateTime.MinValue }));
        Assert.Equal(
            "contest_campaign_entries id=99 (document contest_campaign_entries:0000000000000000099): column created_at holds the zero date 0000-00-00, which has no ISO-8601 form",
            error.Message);
    }

    [Fact]
    public void Id_comes_from_table_and_key_only()
    {
        var a = new ContestEntryDocument(new ContestEntryRow { Id = 5, CampaignId = 1, Message = "a", CreatedAt = new DateTime(2026, 1, 1) });
        var b = new ContestEntryDocument(new ContestEntryRow { Id = 5, CampaignId = 2, Message = "b", CreatedAt = new DateTime(2025, 1, 1) });
        Assert.Equal("contest_campaign_entries:0000000000000000005", a.Id);
        Assert.Equal(a.Id, b.Id);
    }

    [Theory]
    [InlineData("contest_campaign_entries:0000000000000000042", true, 42)]
    [InlineData("contest_campaign_entries:42", false, 0)]
    [InlineData("contest_campaign_entries:00000000000000000042", false, 0)]
    [InlineData("vote_campaign_votes:0000000000000000042", false, 0)]
    [InlineData("contest_campaign_entries:", false, 0)]
    [InlineData("_design/archiver", false, 0)]
    public void Only_ids_made_for_the_table_parse_back_to_their_key(string id, bool parses, long key)
    {
        Assert.Equal(parses, DocumentIds.TryParseKey(ContestEntries.Table, id, out var parsed));
        Assert.Equal(key, parses ? parsed : 0);
    }

    [Fact]
    public void Ids_sort_as_strings_in_key_order()
    {
        long[] keys = [1, 9, 10, 99, 100, 123_456_789, long.MaxValue];
        var ids = keys.Select(k => DocumentIds.ForRow("t", k)).ToList();
        Assert.Equal(ids, ids.OrderBy(i => i, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(9_007_199_254_740_991, true)]
    [InlineData(-9_007_199_254_740_991, true)]
    [InlineData(9_007_199_254_740_992, false)]
    [InlineData(long.MaxValue, false)]
    public void Integers_beyond_2_pow_53_are_refused_naming_the_column(long userId, bool accepted)
    {
        var row = new ContestEntryRow { Id = 3, CampaignId = 1, UserId = userId, CreatedAt = new DateTime(2026, 1, 1) };
        if (accepted)
        {
            _ = new ContestEntryDocument(row);
        }
        else
        {
            var error = Assert.Throws<InvalidRowException>(() => new ContestEntryDocument(row));
            Assert.StartsWith($"contest_campaign_entries id=3 (document contest_campaign_entries:0000000000000000003): column user_id holds {userId}", error.Message, StringComparison.Ordinal);
        }
    }
}

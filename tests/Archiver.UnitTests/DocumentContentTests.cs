using System.Text.Json;
using Archiver.Documents;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests;

public sealed class DocumentContentTests
{
    private static readonly RowDocument Document = TestSets.Entry(1, campaignId: 2, entryNumber: 3, message: "Café ☕", createdAt: new DateTime(2026, 11, 20, 14, 5, 9, 123));

    [Fact]
    public void Stored_copy_with_id_and_rev_matches()
    {
        using var stored = JsonDocument.Parse("""{"_id":"x","_rev":"1-a","type":"contest_campaign_entry","id":1,"campaign_id":2,"user_id":null,"entry_number":3,"winner":false,"message":"Café ☕","created_at":"2026-11-20T14:05:09.123Z"}""");
        Assert.True(DocumentContent.Matches(Document, stored.RootElement));
    }

    [Fact]
    public void Member_order_and_string_escapes_do_not_matter()
    {
        using var stored = JsonDocument.Parse("""{"message":"Caf\u00e9 \u2615","created_at":"2026-11-20T14:05:09.123Z","winner":false,"entry_number":3,"user_id":null,"campaign_id":2,"id":1,"type":"contest_campaign_entry","_rev":"1-a"}""");
        Assert.True(DocumentContent.Matches(Document, stored.RootElement));
    }

    [Theory]
    [InlineData("""{"type":"contest_campaign_entry","id":1,"campaign_id":2,"user_id":null,"entry_number":3,"winner":true,"message":"Café ☕","created_at":"2026-11-20T14:05:09.123Z"}""")]
    [InlineData("""{"type":"contest_campaign_entry","id":1,"campaign_id":2,"user_id":null,"entry_number":3,"winner":false,"message":"Café ☕"}""")]
    [InlineData("""{"type":"contest_campaign_entry","id":1,"campaign_id":2,"user_id":null,"entry_number":3,"winner":false,"message":"Café ☕","created_at":"2026-11-20T14:05:09.123Z","extra":1}""")]
    [InlineData("""{"type":"contest_campaign_entry","id":1,"campaign_id":2,"user_id":0,"entry_number":3,"winner":false,"message":"Café ☕","created_at":"2026-11-20T14:05:09.123Z"}""")]
    [InlineData("""[]""")]
    public void Any_difference_is_a_mismatch(string json)
    {
        using var stored = JsonDocument.Parse(json);
        Assert.False(DocumentContent.Matches(Document, stored.RootElement));
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Archiver.Documents;
using Archiver.Sets;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests;

public sealed class DocumentHashTests
{
    private const string Id = "contest_campaign_entries:0000000000000000002:0000000000000000001";

    private const string Body = """{"type":"contest_campaign_entry","id":1,"campaign_id":2,"user_id":null,"entry_number":3,"winner":false,"message":"Café ☕","created_at":"2026-11-20T14:05:09.123Z"}""";

    private static readonly RowDocument Document = TestSets.Entry(1, campaignId: 2, entryNumber: 3, message: "Café ☕", createdAt: new DateTime(2026, 11, 20, 14, 5, 9, 123));

    private static ContentHash Hash(string json, string id = Id)
    {
        using var parsed = JsonDocument.Parse(json);
        return DocumentContent.Hash(id, parsed.RootElement);
    }

    private static string? FirstDifference(string json)
    {
        using var parsed = JsonDocument.Parse(json);
        return DocumentContent.FirstDifference(Document, parsed.RootElement);
    }

    private static ContentHash HashOf(byte fill) => new(Enumerable.Repeat(fill, 32).ToArray());

    [Fact]
    public void A_document_hashes_like_its_own_serialisation()
    {
        Assert.Equal(Id, Document.Id);
        Assert.Equal(Hash(Body), DocumentContent.Hash(Document));
        Assert.Equal(64, DocumentContent.Hash(Document).ToString().Length);
    }

    [Theory]
    [InlineData("""{"created_at":"2026-11-20T14:05:09.123Z","message":"Café ☕","winner":false,"entry_number":3,"user_id":null,"campaign_id":2,"id":1,"type":"contest_campaign_entry"}""")]
    [InlineData("""{"type":"contest_campaign_entry","id":1,"campaign_id":2,"user_id":null,"entry_number":3,"winner":false,"message":"Caf\u00e9 \u2615","created_at":"2026-11-20T14:05:09.123Z"}""")]
    [InlineData("""{"type":"contest_campaign_entr\u0079","id":1,"campaign_id":2,"user_id":null,"entry_number":3,"winner":false,"message":"Café ☕","created_at":"2026\u002d11-20T14:05:09.123Z"}""")]
    [InlineData("""{"type":"contest_campaign_entry","id":1.0,"campaign_id":2e0,"user_id":null,"entry_number":30E-1,"winner":false,"message":"Café ☕","created_at":"2026-11-20T14:05:09.123Z"}""")]
    [InlineData("""{"_id":"contest_campaign_entries:0000000000000000002:0000000000000000001","_rev":"3-abc","type":"contest_campaign_entry","id":1,"campaign_id":2,"user_id":null,"entry_number":3,"winner":false,"message":"Café ☕","created_at":"2026-11-20T14:05:09.123Z"}""")]
    [InlineData("""{"type":"contest_campaign_entry","id":1,"campaign_id":2,"_rev":"1-x","user_id":null,"entry_number":3,"winner":false,"message":"Café ☕","created_at":"2026-11-20T14:05:09.123Z","_id":"something else"}""")]
    [InlineData(""" { "type" : "contest_campaign_entry" , "id" : 1 , "campaign_id" : 2 , "user_id" : null , "entry_number" : 3 , "winner" : false , "message" : "Café ☕" , "created_at" : "2026-11-20T14:05:09.123Z" } """)]
    public void Equal_contents_hash_equal(string stored)
    {
        Assert.Equal(Hash(Body), Hash(stored));
        Assert.Equal(DocumentContent.Hash(Document), Hash(stored));
        using var parsed = JsonDocument.Parse(stored);
        Assert.True(DocumentContent.Matches(Document, parsed.RootElement));
        Assert.Null(DocumentContent.FirstDifference(Document, parsed.RootElement));
    }

    [Theory]
    [InlineData("""{"n":5}""", """{"n":5.0}""")]
    [InlineData("""{"n":5}""", """{"n":5e0}""")]
    [InlineData("""{"n":5}""", """{"n":0.5e1}""")]
    [InlineData("""{"n":-0.25}""", """{"n":-2.5e-1}""")]
    [InlineData("""{"n":9007199254740991}""", """{"n":9007199254740991.0}""")]
    [InlineData("""{"n":1000000000000000}""", """{"n":1e15}""")]
    [InlineData("""{"n":0}""", """{"n":-0.0}""")]
    [InlineData("""{"n":-4503599627370496}""", """{"n":-4503599627370496.0}""")]
    [InlineData("""{"s":"a\/b\u0041"}""", """{"s":"a/bA"}""")]
    [InlineData("""{"o":{"b":1,"a":[1,{"y":2,"x":"\u00e9"}]}}""", """{"o":{"a":[1.0,{"x":"é","y":2}],"b":1}}""")]
    public void Numbers_by_value_and_strings_unescaped_hash_equal(string left, string right)
    {
        Assert.Equal(Hash(left), Hash(right));
    }

    [Theory]
    [InlineData("""{"n":5}""", """{"n":5.5}""")]
    [InlineData("""{"n":5}""", """{"n":"5"}""")]
    [InlineData("""{"n":1}""", """{"n":true}""")]
    [InlineData("""{"n":0}""", """{"n":false}""")]
    [InlineData("""{"n":0}""", """{"n":null}""")]
    [InlineData("""{"n":null}""", """{}""")]
    [InlineData("""{"s":""}""", """{"s":null}""")]
    [InlineData("""{"s":"a"}""", """{"s":"A"}""")]
    [InlineData("""{"s":"e\u0301"}""", """{"s":"é"}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[2,1]}""")]
    [InlineData("""{"o":{"_id":1}}""", """{"o":{}}""")]
    [InlineData("""{"_ids":1}""", """{}""")]
    [InlineData("""{"a":1,"b":2}""", """{"a":1,"c":2}""")]
    [InlineData("""{"ab":1}""", """{"a":1,"b":1}""")]
    public void Different_contents_hash_differently(string left, string right)
    {
        Assert.NotEqual(Hash(left), Hash(right));
    }

    [Theory]
    [InlineData("type", "\"contest_campaign_entries\"", "\"contest_campaign_entry\"")]
    [InlineData("id", "2", "1")]
    [InlineData("campaign_id", "1", "2")]
    [InlineData("user_id", "0", "null")]
    [InlineData("entry_number", "-3", "3")]
    [InlineData("winner", "true", "false")]
    [InlineData("message", "\"Café ☕ \"", "\"Café ☕\"")]
    [InlineData("created_at", "\"2026-11-20T14:05:09.124Z\"", "\"2026-11-20T14:05:09.123Z\"")]
    public void Any_field_differing_changes_the_hash_and_is_named(string field, string value, string original)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Body)!;
        using var replacement = JsonDocument.Parse(value);
        fields[field] = replacement.RootElement;
        var stored = JsonSerializer.Serialize(fields);

        Assert.NotEqual(DocumentContent.Hash(Document), Hash(stored));
        Assert.Equal($"{field} ({value} in the archive, {original} in MySQL)", FirstDifference(stored));
    }

    [Fact]
    public void A_missing_or_extra_field_changes_the_hash()
    {
        Assert.NotEqual(Hash(Body), Hash(Body.Replace(",\"user_id\":null", "", StringComparison.Ordinal)));
        Assert.NotEqual(Hash(Body), Hash(Body.Replace("}", ",\"extra\":null}", StringComparison.Ordinal)));
        Assert.NotEqual(Hash(Body), Hash("{}"));
    }

    [Fact]
    public void The_id_is_part_of_the_hash()
    {
        Assert.NotEqual(Hash(Body), Hash(Body, Id.Replace("0001", "0002", StringComparison.Ordinal)));
        Assert.NotEqual(Hash("""{"a":1}""", "x"), Hash("""{"a":1}""", "y"));
        Assert.NotEqual(Hash("{}", ""), Hash("{}", "x"));
    }

    [Fact]
    public void Only_top_level_couchdb_members_are_ignored()
    {
        Assert.Equal(Hash("""{"a":1}"""), Hash("""{"_id":"z","a":1,"_rev":"9-z"}"""));
        Assert.NotEqual(Hash("""{"a":1}"""), Hash("""{"_deleted":true,"a":1}"""));
    }

    [Fact]
    public void First_difference_names_the_field_and_shows_both_values()
    {
        Assert.Equal(
            "entry_number (4 in the archive, 3 in MySQL)",
            FirstDifference(Body.Replace("\"entry_number\":3", "\"entry_number\":4", StringComparison.Ordinal)));
        Assert.Equal(
            "message (\"Cafe \"latte\"\" in the archive, \"Café ☕\" in MySQL)",
            FirstDifference(Body.Replace("\"Café ☕\"", "\"Caf\\u0065 \\\"latte\\\"\"", StringComparison.Ordinal)));
        Assert.Equal(
            "user_id (42 in the archive, null in MySQL)",
            FirstDifference(Body.Replace("\"user_id\":null", "\"user_id\":42", StringComparison.Ordinal)));
    }

    [Fact]
    public void First_difference_is_the_first_by_name()
    {
        var stored = Body
            .Replace("\"winner\":false", "\"winner\":true", StringComparison.Ordinal)
            .Replace("\"entry_number\":3", "\"entry_number\":4", StringComparison.Ordinal)
            .Replace("\"message\":\"Café ☕\"", "\"message\":\"x\"", StringComparison.Ordinal);

        Assert.Equal("entry_number (4 in the archive, 3 in MySQL)", FirstDifference(stored));
    }

    [Fact]
    public void First_difference_names_missing_and_extra_fields()
    {
        Assert.Equal("created_at (missing in the archive)", FirstDifference(Body.Replace(",\"created_at\":\"2026-11-20T14:05:09.123Z\"", "", StringComparison.Ordinal)));
        Assert.Equal("aaa (only in the archive)", FirstDifference(Body.Replace("}", ",\"aaa\":1}", StringComparison.Ordinal)));
        Assert.Equal("campaign_id (missing in the archive)", FirstDifference("""{"_id":"x"}"""));
        Assert.Equal("campaign_id (missing in the archive)", FirstDifference("[1]"));
    }

    [Fact]
    public void First_difference_shortens_long_values()
    {
        var stored = Body.Replace("\"Café ☕\"", $"\"{new string('y', 100)}\"", StringComparison.Ordinal);

        Assert.Equal($"message (\"{new string('y', 59)}… in the archive, \"Café ☕\" in MySQL)", FirstDifference(stored));
    }

    [Fact]
    public void Content_hashes_compare_by_bytes()
    {
        var a = HashOf(1);
        var b = HashOf(1);
        var c = HashOf(2);

        Assert.True(a.Equals(b));
        Assert.True(ContentHash.Equals(a, b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Equals(c));
        Assert.False(ContentHash.Equals(a, null));
        Assert.True(ContentHash.Equals(null, null));
        Assert.Equal(string.Concat(Enumerable.Repeat("01", 32)), a.ToString());
    }

    [Fact]
    public void An_empty_checksum_is_the_hash_of_nothing()
    {
        using var checksum = new ArchiveChecksum();

        Assert.Equal("e3b0c44298fc1c14", checksum.Value);
    }

    [Fact]
    public void A_checksum_is_sha256_over_the_hashes_in_order()
    {
        using var checksum = new ArchiveChecksum();
        checksum.Add(HashOf(1));
        checksum.Add(HashOf(2));

        var expected = Convert.ToHexStringLower(SHA256.HashData([.. HashOf(1).Bytes, .. HashOf(2).Bytes]))[..16];
        Assert.Equal(expected, checksum.Value);
    }

    [Fact]
    public void Checksums_of_equal_sequences_are_equal_and_order_matters()
    {
        using var first = new ArchiveChecksum();
        using var same = new ArchiveChecksum();
        using var swapped = new ArchiveChecksum();
        using var shorter = new ArchiveChecksum();
        foreach (var fill in new byte[] { 1, 2, 3 })
        {
            first.Add(HashOf(fill));
            same.Add(HashOf(fill));
        }

        foreach (var fill in new byte[] { 2, 1, 3 })
        {
            swapped.Add(HashOf(fill));
        }

        shorter.Add(HashOf(1));
        shorter.Add(HashOf(2));

        Assert.Equal(first.Value, same.Value);
        Assert.NotEqual(first.Value, swapped.Value);
        Assert.NotEqual(first.Value, shorter.Value);
        Assert.Equal(16, first.Value.Length);
    }

    [Fact]
    public void Reading_a_checksum_does_not_disturb_it()
    {
        using var read = new ArchiveChecksum();
        using var unread = new ArchiveChecksum();
        read.Add(HashOf(1));
        _ = read.Value;
        _ = read.Value;
        read.Add(HashOf(2));
        unread.Add(HashOf(1));
        unread.Add(HashOf(2));

        Assert.Equal(unread.Value, read.Value);
    }
    /// <summary>A row of every column kind, hashed through its serialisation and through the direct canonical writer.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_row_hashes_directly_to_the_same_value_as_through_its_serialisation(int seed)
    {
        IReadOnlyList<SourceColumn> columns =
        [
            new("zeta", ColumnKind.Text, true, "varchar(40)", "utf8mb4"),
            new("id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("campaign_id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("Amount", ColumnKind.ExactDecimal, true, "decimal(30,10)"),
            new("ratio", ColumnKind.FloatingPoint, true, "double"),
            new("flag", ColumnKind.Boolean, true, "tinyint(1)"),
            new("day", ColumnKind.Date, true, "date"),
            new("created_at", ColumnKind.DateTime, false, "datetime(3)"),
            new("été", ColumnKind.Text, true, "varchar(40)", "utf8mb4"),
        ];
        var options = new ArchiveSetOptions { Table = "kinds", Type = "kind", Database = "kinds", TimestampColumn = "created_at" };
        options.Measures.Add(new MeasureOptions { Name = "count", Kind = "Count" });
        var set = new ArchiveSet(options, columns);
        var random = new Random(seed);
        double[] doubles = [0.0, -0.0, 5.0, 1.1, 1e15, 9007199254740993.0, 1e20, -3.5e-7, double.MaxValue, double.Epsilon];
        string?[] texts = [null, "", "plain", "Café ☕", "quote \" back\\slash", "emoji 😀", "tab\tnew\nline", "<script>&amp;"];
        for (var i = 0; i < 200; i++)
        {
            object?[] raw =
            [
                texts[random.Next(texts.Length)],
                (long)i,
                (long)random.Next(1, 5),
                random.Next(3) == 0 ? null : "12345.6789000000",
                random.Next(4) == 0 ? null : doubles[random.Next(doubles.Length)],
                random.Next(3) == 0 ? null : (long)random.Next(2),
                random.Next(3) == 0 ? null : new DateTime(2026, 1, 1).AddDays(random.Next(400)),
                new DateTime(2026, 11, 20, 10, 0, 0).AddMilliseconds(random.Next(1_000_000)),
                texts[random.Next(texts.Length)],
            ];
            var row = RowDocument.Create(set, raw, 8_000_000);
            using var serialised = DocumentContent.Serialize(row);
            Assert.Equal(DocumentContent.Hash(row.Id, serialised.RootElement), DocumentContent.Hash(row));
        }
    }
}

using System.Text.Json;
using Archiver.CouchDb.Queries;
using Archiver.Documents;
using Archiver.Queries;

namespace Archiver.CouchDb.Internal;

/// <summary>
/// Reads an archived <c>contest_campaign_entries</c> document back into the record MySQL gives,
/// strictly: a field missing or of another JSON type is an error naming the document, never a
/// default, because a reader cannot tell a default from the truth.
/// </summary>
internal static class EntryDocument
{
    public static ContestEntry Read(string database, string documentId, JsonElement? body, string type)
    {
        if (body is not { ValueKind: JsonValueKind.Object } doc)
        {
            throw new ArchiveReadException(database, documentId, "the document is missing");
        }

        var actualType = doc.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (!string.Equals(actualType, type, StringComparison.Ordinal))
        {
            throw Malformed(database, documentId, $"its type is {(actualType is null ? "missing" : "'" + actualType + "'")}, not '{type}'");
        }

        return new ContestEntry(
            Int64(database, documentId, doc, "id"),
            Int64(database, documentId, doc, "campaign_id"),
            NullableInt64(database, documentId, doc, "user_id"),
            Int32(database, documentId, doc, "entry_number"),
            Boolean(database, documentId, doc, "winner"),
            NullableString(database, documentId, doc, "message"),
            Timestamp(database, documentId, Field(database, documentId, doc, "created_at")));
    }

    /// <summary>A <c>created_at</c> in the pinned format, as UTC.</summary>
    public static bool TryParseTimestamp(JsonElement value, out DateTime time)
    {
        time = default;
        return value.ValueKind == JsonValueKind.String && UtcTimestamp.TryParse(value.GetString(), out time);
    }

    private static DateTime Timestamp(string database, string documentId, JsonElement value) =>
        TryParseTimestamp(value, out var time)
            ? time
            : throw Malformed(database, documentId, $"created_at is {Describe(value)}, not a UTC timestamp like 2026-11-20T14:05:09.123Z");

    private static JsonElement Field(string database, string documentId, JsonElement doc, string name) =>
        doc.TryGetProperty(name, out var value) ? value : throw Malformed(database, documentId, $"it has no {name} field");

    private static long Int64(string database, string documentId, JsonElement doc, string name)
    {
        var value = Field(database, documentId, doc, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw Malformed(database, documentId, $"{name} is {Describe(value)}, not an integer");
    }

    private static long? NullableInt64(string database, string documentId, JsonElement doc, string name) =>
        Field(database, documentId, doc, name).ValueKind == JsonValueKind.Null ? null : Int64(database, documentId, doc, name);

    private static int Int32(string database, string documentId, JsonElement doc, string name)
    {
        var value = Field(database, documentId, doc, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Malformed(database, documentId, $"{name} is {Describe(value)}, not a 32-bit integer");
    }

    private static bool Boolean(string database, string documentId, JsonElement doc, string name) =>
        Field(database, documentId, doc, name) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            var other => throw Malformed(database, documentId, $"{name} is {Describe(other)}, not true or false"),
        };

    private static string? NullableString(string database, string documentId, JsonElement doc, string name) =>
        Field(database, documentId, doc, name) switch
        {
            { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } text => text.GetString(),
            var other => throw Malformed(database, documentId, $"{name} is {Describe(other)}, not text or null"),
        };

    private static ArchiveReadException Malformed(string database, string documentId, string problem) =>
        new(database, documentId, "malformed contest entry: " + problem);

    private static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "…";
    }
}

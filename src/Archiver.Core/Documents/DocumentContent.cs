using System.Buffers;
using System.Text.Json;

namespace Archiver.Documents;

/// <summary>Compares what a row would be written as with what the archive already holds.</summary>
public static class DocumentContent
{
    /// <summary>
    /// True when <paramref name="stored"/> has exactly the fields the document writes, with equal
    /// JSON values; CouchDB's own members (<c>_id</c>, <c>_rev</c>) are ignored. Comparing parsed
    /// values, not bytes, because servers may re-encode strings and reorder members.
    /// </summary>
    public static bool Matches(IArchiveDocument document, JsonElement stored)
    {
        if (stored.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        using var desired = Serialize(document);
        var expected = desired.RootElement;
        var storedFields = 0;
        foreach (var property in stored.EnumerateObject())
        {
            if (property.Name is "_id" or "_rev")
            {
                continue;
            }

            storedFields++;
            if (!expected.TryGetProperty(property.Name, out var value) || !JsonElement.DeepEquals(value, property.Value))
            {
                return false;
            }
        }

        var expectedFields = 0;
        foreach (var unused in expected.EnumerateObject())
        {
            expectedFields++;
        }

        return storedFields == expectedFields;
    }

    /// <summary>The document's fields as a parsed object (tests and comparisons; the write path streams instead).</summary>
    public static JsonDocument Serialize(IArchiveDocument document)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, ArchiveJson.WriterOptions))
        {
            writer.WriteStartObject();
            document.WriteFields(writer);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }
}

using System.Text.Json;

namespace Archiver.Bench.Sink;

/// <summary>
/// Reads a <c>_bulk_docs</c> body forward-only with <see cref="Utf8JsonReader"/>, keeping only
/// <c>_id</c>, <c>_rev</c> and <c>_deleted</c> of each document: no DOM and no field values are
/// materialised, so the sink costs far less per document than the archive that produces them.
/// </summary>
internal static class BulkDocsReader
{
    /// <summary>The documents of the body, in order; a <see cref="FormatException"/> says what is wrong with a body CouchDB would refuse too.</summary>
    public static List<BulkDocsItem> Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        var items = new List<BulkDocsItem>();
        var sawDocs = false;
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the body must be a JSON object");
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                var isDocs = reader.ValueTextEquals("docs"u8);
                var isNewEdits = reader.ValueTextEquals("new_edits"u8);
                Next(ref reader);
                if (isDocs)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new FormatException("docs must be an array");
                    }

                    sawDocs = true;
                    ReadDocs(ref reader, items);
                }
                else if (isNewEdits && reader.TokenType == JsonTokenType.False)
                {
                    // Replication-style writes keep the posted revisions; the archive never sends them.
                    throw new FormatException("new_edits=false is not supported by the discard sink");
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException("the body is not valid JSON: " + ex.Message, ex);
        }

        return sawDocs ? items : throw new FormatException("the body has no docs array");
    }

    private static void ReadDocs(ref Utf8JsonReader reader, List<BulkDocsItem> items)
    {
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException($"docs[{items.Count}] is not an object");
            }

            string? id = null, rev = null;
            var deleted = false;
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                // Only underscore members matter; every other field is skipped without being decoded.
                if (reader.ValueTextEquals("_id"u8))
                {
                    Next(ref reader);
                    id = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new FormatException($"docs[{items.Count}]._id is not a string");
                }
                else if (reader.ValueTextEquals("_rev"u8))
                {
                    Next(ref reader);
                    rev = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("_deleted"u8))
                {
                    Next(ref reader);
                    deleted = reader.TokenType == JsonTokenType.True;
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
                }
            }

            items.Add(new BulkDocsItem(id, rev, deleted));
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("the body ends too early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        if (Next(ref reader) != type)
        {
            throw new FormatException(message);
        }
    }
}

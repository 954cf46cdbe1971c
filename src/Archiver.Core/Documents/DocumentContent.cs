using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Archiver.Documents;

/// <summary>
/// Compares what a row would be written as with what the archive holds, through a canonical form:
/// members sorted by name, CouchDB's own members (<c>_id</c>, <c>_rev</c>) left out, strings
/// unescaped, numbers by value. Servers may reorder members and re-encode strings and numbers
/// (pouchdb-server stores numbers as doubles), so bytes prove nothing; values do.
/// </summary>
public static class DocumentContent
{
    /// <summary>True when <paramref name="stored"/> holds exactly the fields the document writes, with equal values.</summary>
    public static bool Matches(IArchiveDocument document, JsonElement stored) =>
        ContentHash.Equals(Hash(document), Hash(document?.Id ?? "", stored));

    /// <summary>
    /// Reused per thread by <see cref="Hash(IArchiveDocument)"/> for rows: hashing a row allocates only
    /// its hash. The hash object too: the one-shot <see cref="SHA256.HashData(ReadOnlySpan{byte})"/>
    /// creates and frees an OpenSSL context per call, which a 200,000-row profile showed as a visible
    /// share of the run (allocation, free and error-queue clearing, twice per row).
    /// </summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer, IncrementalHash Sha256)? t_rowHashing;

    /// <summary>SHA-256 of the id and the canonical form of the document's fields.</summary>
    public static ContentHash Hash(IArchiveDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document is RowDocument row)
        {
            return HashRow(row);
        }

        using var parsed = Serialize(document);
        return Hash(document.Id, parsed.RootElement);
    }

    /// <summary>The same bytes as <see cref="Hash(string, JsonElement)"/> over the row's serialisation, written directly.</summary>
    private static ContentHash HashRow(RowDocument row)
    {
        if (t_rowHashing is not var (buffer, writer, sha256))
        {
            buffer = new ArrayBufferWriter<byte>(1024);
            writer = new Utf8JsonWriter(buffer, ArchiveJson.WriterOptions);
            sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            t_rowHashing = (buffer, writer, sha256);
        }

        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        var idBytes = Encoding.UTF8.GetMaxByteCount(row.Id.Length);
        buffer.Advance(Encoding.UTF8.GetBytes(row.Id, buffer.GetSpan(idBytes + 1)));
        buffer.Write<byte>([0]);
        row.WriteCanonical(writer);
        writer.Flush();
        sha256.AppendData(buffer.WrittenSpan);
        return new ContentHash(sha256.GetHashAndReset());
    }

    /// <summary>SHA-256 of the id and the canonical form of a stored body.</summary>
    public static ContentHash Hash(string id, JsonElement body)
    {
        ArgumentNullException.ThrowIfNull(id);
        var buffer = new ArrayBufferWriter<byte>(512);
        buffer.Write<byte>(Encoding.UTF8.GetBytes(id));
        buffer.Write<byte>([0]);
        using (var writer = new Utf8JsonWriter(buffer, ArchiveJson.WriterOptions))
        {
            WriteCanonical(writer, body, topLevel: true);
        }

        return new ContentHash(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>The first field (by name) whose value differs, or that only one side has; null when they match.</summary>
    public static string? FirstDifference(IArchiveDocument document, JsonElement stored)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var parsed = Serialize(document);
        var expected = Fields(parsed.RootElement);
        var actual = Fields(stored);
        foreach (var name in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            if (!expected.TryGetValue(name, out var e))
            {
                return $"{name} (only in the archive)";
            }

            if (!actual.TryGetValue(name, out var a))
            {
                return $"{name} (missing in the archive)";
            }

            if (!JsonElement.DeepEquals(e, a))
            {
                return $"{name} ({Show(a)} in the archive, {Show(e)} in MySQL)";
            }
        }

        return null;
    }

    /// <summary>The document's fields as a parsed object.</summary>
    public static JsonDocument Serialize(IArchiveDocument document) => JsonDocument.Parse(Bytes(document).WrittenMemory);

    /// <summary>The size of the document's fields as serialised for <c>_bulk_docs</c>, without <c>_id</c>.</summary>
    public static int SerializedLength(IArchiveDocument document) => Bytes(document).WrittenCount;

    private static ArrayBufferWriter<byte> Bytes(IArchiveDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, ArchiveJson.WriterOptions))
        {
            writer.WriteStartObject();
            document.WriteFields(writer);
            writer.WriteEndObject();
        }

        return buffer;
    }

    private static Dictionary<string, JsonElement> Fields(JsonElement element)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name is not ("_id" or "_rev"))
                {
                    fields[property.Name] = property.Value;
                }
            }
        }

        return fields;
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool topLevel = false)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var members = element.EnumerateObject()
                    .Where(p => !topLevel || p.Name is not ("_id" or "_rev"))
                    .OrderBy(p => p.Name, StringComparer.Ordinal);
                foreach (var property in members)
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                // 5 and 5.0 are the same number to every JSON reader, and pouchdb-server may answer either.
                if (element.TryGetInt64(out var integer))
                {
                    writer.WriteNumberValue(integer);
                }
                else
                {
                    var value = element.GetDouble();
                    if (value == Math.Floor(value) && Math.Abs(value) <= JsonSafeInteger.Max)
                    {
                        writer.WriteNumberValue((long)value);
                    }
                    else
                    {
                        writer.WriteNumberValue(value);
                    }
                }

                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static string Show(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? $"\"{value.GetString()}\"" : value.GetRawText();
        return text.Length <= 60 ? text : text[..60] + "…";
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using Archiver.Documents;

namespace Archiver.UnitTests.Fakes;

/// <summary>Serialises a document exactly as the archive writes it (without <c>_id</c>), independently of <see cref="DocumentContent"/>.</summary>
public static class TestJson
{
    public static string Write(IArchiveDocument document)
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

    /// <summary>The raw JSON text of one field of the document.</summary>
    public static string Field(IArchiveDocument document, string name)
    {
        using var parsed = JsonDocument.Parse(Write(document));
        return parsed.RootElement.GetProperty(name).GetRawText();
    }
}

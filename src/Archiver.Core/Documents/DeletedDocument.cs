using System.Text.Json;

namespace Archiver.Documents;

/// <summary>A deletion (<c>_deleted: true</c>), sent through the same batch path as the documents.</summary>
public sealed class DeletedDocument(string id, string origin) : IArchiveDocument
{
    public string Id { get; } = id;

    public string Origin { get; } = origin;

    public void WriteFields(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBoolean("_deleted", true);
    }
}

using System.Text.Json;

namespace Archiver.Documents;

/// <summary>A deletion (<c>_deleted: true</c>) of an archived row's document, sent through the same batch path.</summary>
public sealed class DeletedDocument(string id, string sourceTable, long sourceKey) : IArchiveDocument
{
    public string Id { get; } = id;

    public string SourceTable { get; } = sourceTable;

    public long SourceKey { get; } = sourceKey;

    public void WriteFields(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBoolean("_deleted", true);
    }
}

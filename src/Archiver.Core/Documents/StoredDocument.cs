using System.Text.Json;

namespace Archiver.Documents;

/// <summary>What the archive holds for one id: nothing (<see cref="Exists"/> false), a deleted stub, or a live revision.</summary>
public sealed record StoredDocument(string Id, string? Rev, bool Deleted, JsonElement? Body)
{
    public bool Exists => Rev is not null && !Deleted;
}

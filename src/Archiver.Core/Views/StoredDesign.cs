using System.Text.Json;

namespace Archiver.Views;

/// <summary>A design document as the server holds it.</summary>
public sealed record StoredDesign(string Id, string Rev, JsonElement Body);

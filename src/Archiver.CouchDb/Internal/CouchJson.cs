using System.Text.Json.Serialization;

namespace Archiver.CouchDb.Internal;

internal sealed record BulkDocsResultItem(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("rev")] string? Rev,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("reason")] string? Reason);

internal sealed record ErrorBody(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("reason")] string? Reason);

/// <summary>Source-generated (de)serialisers for the fixed-shape answers we read.</summary>
[JsonSerializable(typeof(List<BulkDocsResultItem>))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class CouchJsonContext : JsonSerializerContext;

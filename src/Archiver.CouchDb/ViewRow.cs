using System.Text.Json;

namespace Archiver.CouchDb;

/// <summary>One row of a view answer; <see cref="Id"/> is null for reduced rows, <see cref="Doc"/> set with <c>include_docs</c>.</summary>
public sealed record ViewRow(string? Id, JsonElement Key, JsonElement Value, JsonElement? Doc);

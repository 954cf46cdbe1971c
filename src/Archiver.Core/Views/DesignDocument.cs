using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Archiver.Views;

/// <summary>
/// A design document as the files under <c>views/</c> describe it (or as it is deployed), with a
/// content hash over exactly what CouchDB uses: its views' map and reduce functions and its
/// <c>validate_doc_update</c>. A deployed design document is compared by this hash of its own
/// content, so a hand edit on the server shows as "out of sync" too.
/// </summary>
public sealed class DesignDocument
{
    public const string IdPrefix = "_design/";

    public DesignDocument(string name, IReadOnlyDictionary<string, ViewDefinition> views, string? validateDocUpdate, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(views);
        Name = name;
        Views = new SortedDictionary<string, ViewDefinition>(views.ToDictionary(), StringComparer.Ordinal);
        ValidateDocUpdate = validateDocUpdate;
        Source = source;
        Hash = ComputeHash(Views, validateDocUpdate);
    }

    /// <summary>The name after <c>_design/</c>.</summary>
    public string Name { get; }

    public string Id => IdPrefix + Name;

    /// <summary>Views by name, in ordinal order.</summary>
    public IReadOnlyDictionary<string, ViewDefinition> Views { get; }

    public string? ValidateDocUpdate { get; }

    /// <summary>The folder it was read from (e.g. <c>views/contest_campaign_entries/stats</c>); null for a deployed one.</summary>
    public string? Source { get; }

    /// <summary>SHA-256 of the content, lower-case hex.</summary>
    public string Hash { get; }

    /// <summary>The first 12 hex digits of <see cref="Hash"/>, for people.</summary>
    public string ShortHash => Hash[..12];

    /// <summary>The content of a deployed design document (its <c>views</c> and <c>validate_doc_update</c>); other members are ignored.</summary>
    public static DesignDocument FromJson(string name, JsonElement body)
    {
        var views = new Dictionary<string, ViewDefinition>(StringComparer.Ordinal);
        if (body.TryGetProperty("views", out var viewsElement) && viewsElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var view in viewsElement.EnumerateObject())
            {
                var map = view.Value.TryGetProperty("map", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
                var reduce = view.Value.TryGetProperty("reduce", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                views[view.Name] = new ViewDefinition(map, reduce);
            }
        }

        var validate = body.TryGetProperty("validate_doc_update", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new DesignDocument(name, views, validate);
    }

    /// <summary>
    /// The body to upload under <paramref name="id"/> (the live id or the staging one). The
    /// <c>archiver</c> member records where it came from and its hash for people reading the
    /// server; CouchDB ignores it when indexing, so it does not change the index signature.
    /// </summary>
    public byte[] ToJson(string id, string? rev)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("_id", id);
            if (rev is not null)
            {
                writer.WriteString("_rev", rev);
            }

            writer.WriteString("language", "javascript");
            writer.WriteStartObject("views");
            foreach (var (viewName, view) in Views)
            {
                writer.WriteStartObject(viewName);
                writer.WriteString("map", view.Map);
                if (view.Reduce is not null)
                {
                    writer.WriteString("reduce", view.Reduce);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            if (ValidateDocUpdate is not null)
            {
                writer.WriteString("validate_doc_update", ValidateDocUpdate);
            }

            writer.WriteStartObject("archiver");
            writer.WriteString("hash", Hash);
            if (Source is not null)
            {
                writer.WriteString("source", Source);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string ComputeHash(IReadOnlyDictionary<string, ViewDefinition> views, string? validate)
    {
        // Every part is length-prefixed, so no two different documents hash the same text.
        var text = new StringBuilder();
        void Part(string? value) => text.Append(value is null ? "-1:" : $"{value.Length}:{value}");
        foreach (var (name, view) in views)
        {
            Part("view");
            Part(name);
            Part(view.Map);
            Part(view.Reduce);
        }

        Part("validate_doc_update");
        Part(validate);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

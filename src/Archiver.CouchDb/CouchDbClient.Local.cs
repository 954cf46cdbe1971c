using System.Net;
using System.Text.Json;

namespace Archiver.CouchDb;

public sealed partial class CouchDbClient
{
    /// <summary>
    /// The local document <c>_local/{id}</c> of the database: a document that is never replicated and
    /// appears in no view nor in <c>_all_docs</c>, so a mark kept there changes nothing an archive
    /// read sees. Null when the document or the database does not exist.
    /// </summary>
    public Task<JsonDocument?> GetLocalAsync(string database, string id, CancellationToken cancellationToken = default) =>
        GetJsonOrNullAsync(LocalPath(database, id), cancellationToken);

    /// <summary>
    /// Writes the local document <c>_local/{id}</c> with <paramref name="fields"/> (string values),
    /// replacing what it held: a local document still has a revision, which the write names.
    /// </summary>
    public async Task PutLocalAsync(string database, string id, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var path = LocalPath(database, id);
        string? rev = null;
        using (var current = await GetJsonOrNullAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (current is not null && current.RootElement.TryGetProperty("_rev", out var r) && r.ValueKind == JsonValueKind.String)
            {
                rev = r.GetString();
            }
        }

        var body = WriteJson(writer =>
        {
            writer.WriteStartObject();
            if (rev is not null)
            {
                writer.WriteString("_rev", rev);
            }

            foreach (var (name, value) in fields)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        });
        using var _ = await SendForJsonAsync(HttpMethod.Put, path, () => JsonContent(body), [HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Accepted], cancellationToken).ConfigureAwait(false);
    }

    private static string LocalPath(string database, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return DatabasePath(database) + "/_local/" + Uri.EscapeDataString(id);
    }
}

using System.Net;
using System.Text.Json;

namespace Archiver.CouchDb;

public sealed partial class CouchDbClient
{
    /// <summary>The user the requests run as (<c>GET /_session</c>): name (null in pouchdb-server's admin party) and roles.</summary>
    public async Task<(string? Name, IReadOnlyList<string> Roles)> GetSessionUserAsync(CancellationToken cancellationToken = default)
    {
        using var document = await SendForJsonAsync(HttpMethod.Get, "_session", null, [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false);
        if (!document.RootElement.TryGetProperty("userCtx", out var user) || user.ValueKind != JsonValueKind.Object)
        {
            return (null, []);
        }

        var name = user.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var roles = user.TryGetProperty("roles", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
        return (name, roles);
    }

    /// <summary>
    /// Makes <paramref name="user"/> a member of the database (<c>_security.members.names</c>), keeping
    /// whatever else <c>_security</c> holds; false when it was a member already. Needs an admin.
    /// </summary>
    public async Task<bool> EnsureMemberAsync(string database, string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        var path = DatabasePath(database) + "/_security";
        System.Text.Json.Nodes.JsonObject security;
        using (var document = await SendForJsonAsync(HttpMethod.Get, path, null, [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false))
        {
            security = System.Text.Json.Nodes.JsonNode.Parse(document.RootElement.GetRawText()) as System.Text.Json.Nodes.JsonObject ?? [];
        }

        var members = security["members"] as System.Text.Json.Nodes.JsonObject ?? [];
        var names = members["names"] as System.Text.Json.Nodes.JsonArray ?? [];
        if (names.Any(n => n?.GetValueKind() == JsonValueKind.String && n.GetValue<string>() == user))
        {
            return false;
        }

        names.Add(user);
        members["names"] = names;
        members["roles"] ??= new System.Text.Json.Nodes.JsonArray();
        security["members"] = members;
        if (security["admins"] is null)
        {
            security["admins"] = new System.Text.Json.Nodes.JsonObject { ["names"] = new System.Text.Json.Nodes.JsonArray(), ["roles"] = new System.Text.Json.Nodes.JsonArray() };
        }

        var body = System.Text.Encoding.UTF8.GetBytes(security.ToJsonString());
        using var _ = await SendForJsonAsync(HttpMethod.Put, path, () => JsonContent(body), [HttpStatusCode.OK, HttpStatusCode.Created], cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Creates the CouchDB user <paramref name="user"/> (a <c>_users</c> document, no roles) unless it
    /// exists; false when it existed (its password is left alone). Needs a server admin. The password
    /// goes only into the request body.
    /// </summary>
    public async Task<bool> EnsureUserAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var path = "_users/" + Uri.EscapeDataString("org.couchdb.user:" + user);
        using (var existing = await GetJsonOrNullAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (existing is not null)
            {
                return false;
            }
        }

        var body = WriteJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("_id", "org.couchdb.user:" + user);
            writer.WriteString("name", user);
            writer.WriteString("type", "user");
            writer.WriteStartArray("roles");
            writer.WriteEndArray();
            writer.WriteString("password", password);
            writer.WriteEndObject();
        });
        using var response = await SendAsync(HttpMethod.Put, path, () => JsonContent(body), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.Conflict)
        {
            return response.StatusCode != HttpStatusCode.Conflict;
        }

        throw await ErrorAsync(HttpMethod.Put, path, response, cancellationToken).ConfigureAwait(false);
    }
}

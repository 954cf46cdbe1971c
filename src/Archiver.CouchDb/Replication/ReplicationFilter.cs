using System.Text;
using System.Text.Json;

namespace Archiver.CouchDb.Replication;

/// <summary>
/// The filter the central server's replications run through, a design document in each replicated
/// database: archive documents of the listed types (a set's documents and its rollups), nothing else.
/// Design documents are not replicated: <see cref="ReplicaSync"/> copies them itself, because
/// CouchDB 3's replicator writes each design document with its own <c>PUT ?new_edits=false</c>, which
/// pouchdb-server 4.2.0 answers with <c>[]</c>, and the replication then crashes and retries forever
/// (docs/couchdb-compat.md). A filter function, not a selector:
/// pouchdb-server 4.2.0 ignores selectors in <c>_replicate</c> and crashes on a selector replication
/// that reads from a pouchdb-server over HTTP (docs/couchdb-compat.md).
/// </summary>
public static class ReplicationFilter
{
    public const string DesignId = "_design/archiver_replication";

    /// <summary>The filter's name as a replication names it.</summary>
    public const string Name = "archiver_replication/archive";

    // ES5: CouchDB builds running SpiderMonkey 1.8.5 know nothing newer (views/README.md).
    private const string Function =
        "function (doc, req) {\n" +
        "  if (doc._id.indexOf('_design/') === 0) { return false; }\n" +
        "  return typeof doc.type === 'string' && (',' + (req.query.types || '') + ',').indexOf(',' + doc.type + ',') >= 0;\n" +
        "}";

    /// <summary>True when <paramref name="existing"/> (the stored design document) has this filter.</summary>
    public static bool IsCurrent(JsonElement existing) =>
        existing.TryGetProperty("filters", out var filters) && filters.ValueKind == JsonValueKind.Object &&
        filters.TryGetProperty("archive", out var archive) && archive.ValueKind == JsonValueKind.String && archive.GetString() == Function;

    /// <summary>The design document's body, replacing <paramref name="rev"/> when given.</summary>
    public static byte[] Body(string? rev)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            if (rev is not null)
            {
                writer.WriteString("_rev", rev);
            }

            writer.WriteString("language", "javascript");
            writer.WriteStartObject("filters");
            writer.WriteString("archive", Function);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The <c>types</c> query parameter: the document types a database's replication copies.</summary>
    public static string Types(IEnumerable<string> types) => string.Join(',', types.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    internal static string BasicAuthorization(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}

using System.Net;

namespace Archiver.CouchDb.Internal;

/// <summary>
/// What a refused request (401/403) needed, in words an operator can act on: the database, the
/// operation and the CouchDB role. Archiving, verifying, purging and reading need a member of the
/// archive databases; creating databases, <c>_security</c> and design documents need an admin, which
/// <c>archiver couchdb setup</c> is run as once.
/// </summary>
internal static class CouchDbPermissions
{
    public static string Hint(HttpMethod method, string path, HttpStatusCode status)
    {
        var resource = path.Split('?', 2)[0];
        var parts = resource.Split('/', 3);
        var first = Uri.UnescapeDataString(parts[0]);
        var second = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        if (second == "_design" && parts.Length > 2)
        {
            // db/_design/x/… (the encoded form db/_design%2Fx is unescaped above).
            second = "_design/" + Uri.UnescapeDataString(parts[2].Split('/', 2)[0]);
        }

        var refused = status == HttpStatusCode.Unauthorized ? "refused (401: the credentials are missing or wrong, or the user lacks the role)" : "refused (403)";
        if (first.Length == 0 || first.StartsWith('_'))
        {
            return $"{refused}: {method.Method} /{first} needs a CouchDB server admin";
        }

        if (parts.Length == 1 && method != HttpMethod.Get && method != HttpMethod.Head)
        {
            return $"{refused}: creating or deleting database {first} needs a CouchDB server admin; run 'archiver couchdb setup' as one";
        }

        var writesDesign = second.StartsWith("_design", StringComparison.Ordinal) && method != HttpMethod.Get && method != HttpMethod.Head;
        if (writesDesign || second is "_security" && method != HttpMethod.Get || second is "_view_cleanup" or "_compact" or "_purge")
        {
            return $"{refused}: {Operation(method, second)} of database {first} needs an admin of that database (or a server admin); run 'archiver couchdb setup' as a server admin";
        }

        var reading = method == HttpMethod.Get || method == HttpMethod.Head || second is "_all_docs" or "_find" || second.StartsWith("_design", StringComparison.Ordinal);
        return $"{refused}: {(reading ? "reading" : "writing")} database {first} needs a member of it (its _security members); 'archiver couchdb setup --member <user>' grants that";
    }

    private static string Operation(HttpMethod method, string second) => second switch
    {
        "_security" => "setting _security",
        "_view_cleanup" => "cleaning up view indexes",
        "_compact" => "compaction",
        "_purge" => "purging documents",
        _ => $"{(method == HttpMethod.Delete ? "deleting" : "writing")} design document {second}",
    };
}

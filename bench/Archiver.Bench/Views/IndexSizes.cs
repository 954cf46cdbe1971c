using System.Text.Json;

namespace Archiver.Bench.Views;

/// <summary>
/// Index size on disk. pouchdb-server keeps each view's index in its own LevelDB folder,
/// <c>&lt;data&gt;/&lt;db&gt;-mrview-&lt;md5 of the view code&gt;</c>, and its <c>_info</c> is a stub, so
/// the folders that appear while a design document builds are its indexes and their bytes are
/// summed. CouchDB 3 reports <c>view_index.sizes.file</c> in <c>_design/x/_info</c>, used when present.
/// </summary>
internal sealed class IndexSizes(string dataDirectory, string database)
{
    public HashSet<string> Snapshot() =>
        Directory.Exists(dataDirectory)
            ? [.. Directory.GetDirectories(dataDirectory, database + "-mrview-*").Select(Path.GetFileName).OfType<string>()]
            : [];

    /// <summary>Bytes of the index folders that are in <paramref name="after"/> but not in <paramref name="before"/>.</summary>
    public long NewFolderBytes(HashSet<string> before, HashSet<string> after) =>
        after.Except(before).Sum(name => new DirectoryInfo(Path.Combine(dataDirectory, name)).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length));

    /// <summary>CouchDB 3's own figure; null on pouchdb-server (whose <c>_info</c> says "Not implemented").</summary>
    public static async Task<long?> ServerFigureAsync(HttpClient couch, string database, string design, CancellationToken cancellationToken)
    {
        using var response = await couch.GetAsync($"{database}/_design/{design}/_info", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return document.RootElement.TryGetProperty("view_index", out var index) && index.ValueKind == JsonValueKind.Object
            && index.TryGetProperty("sizes", out var sizes) && sizes.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.Number
            ? file.GetInt64()
            : null;
    }
}

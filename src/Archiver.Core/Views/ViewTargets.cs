using Archiver.Sets;

namespace Archiver.Views;

/// <summary>
/// Maps the database folders of <c>views/</c> to CouchDB databases: a folder is named after an
/// archive set's table (<c>views/contest_campaign_entries/</c>) and deploys to that set's configured
/// <c>Database</c>; <c>views/&lt;table&gt;.rollups/</c> deploys to the set's <c>RollupDatabase</c> (the
/// statistics views, which read rollups only). So the same files serve production, the demo and
/// every test's own databases.
/// </summary>
public static class ViewTargets
{
    /// <summary>The suffix of a folder whose design documents go to its set's rollup database.</summary>
    public const string RollupsSuffix = ".rollups";

    /// <param name="folders">The loaded <c>views/</c> tree.</param>
    /// <param name="sets">The configured archive sets.</param>
    /// <param name="database">Only this database (a configured <c>Database</c> or <c>RollupDatabase</c>, or a folder's name); null for all.</param>
    public static IReadOnlyList<DeployTarget> Resolve(IReadOnlyList<ViewFolder> folders, IEnumerable<ArchiveSetOptions> sets, string? database)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var byTable = sets.ToDictionary(s => s.Table, StringComparer.Ordinal);
        var targets = new List<DeployTarget>();
        var resolved = new List<string>();
        foreach (var folder in folders)
        {
            var rollups = folder.Name.EndsWith(RollupsSuffix, StringComparison.Ordinal);
            var table = rollups ? folder.Name[..^RollupsSuffix.Length] : folder.Name;
            if (!byTable.TryGetValue(table, out var set))
            {
                throw new ViewSourceException($"views/{folder.Name}", null,
                    $"no archive set has the table {table} (Archive:Sets: {string.Join(", ", byTable.Keys)}); a database folder is named after its set's table");
            }

            var target = rollups ? set.EffectiveRollupDatabase : set.Database;
            resolved.Add(target);
            if (database is null || database == target || database == folder.Name)
            {
                targets.AddRange(folder.Designs.Select(design => new DeployTarget(target, design)));
            }
        }

        if (database is not null && targets.Count == 0)
        {
            throw new ArchiverConfigurationException(
                $"--database {database}: no folder under views/ deploys to it (databases: {string.Join(", ", resolved.Distinct(StringComparer.Ordinal))})");
        }

        return targets;
    }
}

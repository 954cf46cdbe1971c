using Archiver.Sets;

namespace Archiver.Views;

/// <summary>
/// Maps the database folders of <c>views/</c> to CouchDB databases: a folder is named after an
/// archive set's table (<c>views/contest_campaign_entries/</c>) and deploys to that set's configured
/// <c>Database</c>, so the same files serve production, the demo and every test's own databases.
/// </summary>
public static class ViewTargets
{
    /// <param name="folders">The loaded <c>views/</c> tree.</param>
    /// <param name="sets">The configured archive sets.</param>
    /// <param name="database">Only this database (a configured <c>Database</c>, or a folder's name); null for all.</param>
    public static IReadOnlyList<DeployTarget> Resolve(IReadOnlyList<ViewFolder> folders, IEnumerable<ArchiveSetOptions> sets, string? database)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var byTable = sets.ToDictionary(s => s.Table, s => s.Database, StringComparer.Ordinal);
        var targets = new List<DeployTarget>();
        foreach (var folder in folders)
        {
            if (!byTable.TryGetValue(folder.Name, out var target))
            {
                throw new ViewSourceException($"views/{folder.Name}", null,
                    $"no archive set has the table {folder.Name} (Archive:Sets: {string.Join(", ", byTable.Keys)}); a database folder is named after its set's table");
            }

            if (database is null || database == target || database == folder.Name)
            {
                targets.AddRange(folder.Designs.Select(design => new DeployTarget(target, design)));
            }
        }

        if (database is not null && targets.Count == 0)
        {
            throw new ArchiverConfigurationException(
                $"--database {database}: no folder under views/ deploys to it (databases: {string.Join(", ", folders.Select(f => byTable[f.Name]))})");
        }

        return targets;
    }
}

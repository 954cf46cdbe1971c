using Archiver.Views;

namespace Archiver.Cli.Output;

/// <summary>The table of <c>archiver views status</c>: per design document deployed, in sync with the files, built.</summary>
internal static class ViewStatusTable
{
    public static void Write(TextWriter output, IReadOnlyList<DesignStatus> statuses)
    {
        var table = Terminal.Table("database", "design", "deployed", "in sync", "built", "note");
        foreach (var status in statuses)
        {
            var inSync = !status.InFiles ? "not in views/" : !status.Deployed ? "no" : status.InSync ? "yes" : "no (files changed)";
            var built = status.Built switch { true => "yes", false => "no", null => "-" };
            var notes = new List<string>();
            if (status.StaleViews.Count > 0)
            {
                notes.Add("behind: " + string.Join(", ", status.StaleViews));
            }

            if (status.Staging)
            {
                notes.Add($"a staging copy _design/{status.Design}{ViewDeployer.StagingSuffix} exists");
            }

            var hash = status.DeployedHash ?? status.FileHash;
            notes.Add(hash is null ? "" : hash[..12]);
            table.AddTextRow([status.Database, "_design/" + status.Design, status.Deployed ? "yes" : "no", inSync, built, string.Join("; ", notes.Where(n => n.Length > 0))]);
        }

        Terminal.Write(output, table);
        var inSyncCount = statuses.Count(s => s.InFiles && s.InSync);
        var files = statuses.Count(s => s.InFiles);
        // Status only reads: what is missing is deployed (its database created) by the deploy command.
        var deploy = files > inSyncCount ? " (`archiver views deploy` deploys them)" : "";
        output.WriteLine($"{files} design documents in views/: {inSyncCount} deployed and in sync, {files - inSyncCount} to deploy{deploy}; {statuses.Count(s => s.Built == true)} built");
    }
}

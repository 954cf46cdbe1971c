using Archiver.Views;

namespace Archiver.Cli.Output;

/// <summary>The table of <c>archiver views status</c>: per design document deployed, in sync with the files, built.</summary>
internal static class ViewStatusTable
{
    public static void Write(TextWriter output, IReadOnlyList<DesignStatus> statuses)
    {
        var databaseWidth = Math.Max("database".Length, statuses.Select(s => s.Database.Length).DefaultIfEmpty(0).Max());
        var designWidth = Math.Max("design".Length, statuses.Select(s => s.Design.Length + 8).DefaultIfEmpty(0).Max());
        output.WriteLine($"{"database".PadRight(databaseWidth)}  {"design".PadRight(designWidth)}  {"deployed",-8}  {"in sync",-22}  {"built",-5}  note");
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
            output.WriteLine($"{status.Database.PadRight(databaseWidth)}  {("_design/" + status.Design).PadRight(designWidth)}  {(status.Deployed ? "yes" : "no"),-8}  {inSync,-22}  {built,-5}  {string.Join("; ", notes.Where(n => n.Length > 0))}");
        }

        var inSyncCount = statuses.Count(s => s.InFiles && s.InSync);
        var files = statuses.Count(s => s.InFiles);
        // Status only reads: what is missing is deployed (its database created) by the deploy command.
        var deploy = files > inSyncCount ? " (`archiver views deploy` deploys them)" : "";
        output.WriteLine($"{files} design documents in views/: {inSyncCount} deployed and in sync, {files - inSyncCount} to deploy{deploy}; {statuses.Count(s => s.Built == true)} built");
    }
}

using System.Globalization;
using Archiver.CouchDb.Replication;

namespace Archiver.Cli.Output;

/// <summary>The table <c>archiver replicas sync|status</c> prints: one row per replica and database, then one line per replica.</summary>
internal static class ReplicaStatusTable
{
    public static void Write(TextWriter output, IReadOnlyList<ReplicaStatus> replicas)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(replicas);
        if (replicas.Count == 0)
        {
            output.WriteLine("no replicas configured (Replicas:Servers)");
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var table = Terminal.Table("replica", "database", "state", ">docs written", ">pending", "checkpoint", ">lag (campaigns)");
        foreach (var database in replicas.SelectMany(r => r.Databases))
        {
            table.AddTextRow([
                database.Replica, database.Database, database.State, database.DocsWritten?.ToString("N0", c) ?? "-", database.Pending?.ToString("N0", c) ?? "-",
                database.Checkpoint ?? "-", database.LagCampaigns.ToString("N0", c),
            ]);
        }

        Terminal.Write(output, table);
        output.WriteLine();
        foreach (var replica in replicas)
        {
            var line = $"{replica.Replica} ({replica.Url}, {replica.Mode.ToLowerInvariant()}): lag {replica.LagCampaigns.ToString("N0", c)} campaign(s)" +
                (replica.NewlyComplete > 0 ? $", {replica.NewlyComplete.ToString("N0", c)} newly complete" : "") +
                (replica.Reachable ? "" : ", unreachable") + (replica.Problem is { } problem ? $"; {problem}" : "");
            output.WriteLine(line);
        }
    }
}

using System.Globalization;
using Archiver.Views;

namespace Archiver.Cli.Output;

/// <summary>One line per design document and a total line, after <c>archiver views deploy</c>.</summary>
internal static class ViewDeploySummary
{
    public static void Write(TextWriter output, IReadOnlyList<DesignDeployResult> results)
    {
        foreach (var result in results)
        {
            var change = Describe(result.Change) switch
            {
                "staged" => "staged (building; deploy again to make it live)",
                "would create" or "would update" => Describe(result.Change) + " (dry run)",
                var word => word,
            };
            var from = result.PreviousHash is { } previous && result.Change != DesignChange.Unchanged ? $" (was {previous[..12]})" : "";
            var built = result.BuildTime > TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $", built in {result.BuildTime.TotalSeconds:F1} s") : "";
            output.WriteLine($"{result.Database} _design/{result.Design}: {change}, {result.Hash[..12]}{from}{built}");
        }

        var counts = results.GroupBy(r => r.Change).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Describe(g.Key)}");
        output.WriteLine($"{results.Count} design documents: {string.Join(", ", counts)}");
    }

    private static string Describe(DesignChange change) => change switch
    {
        DesignChange.Unchanged => "unchanged",
        DesignChange.Created => "created",
        DesignChange.Updated => "updated",
        DesignChange.Staged => "staged",
        DesignChange.WouldCreate => "would create",
        DesignChange.WouldUpdate => "would update",
        _ => change.ToString(),
    };
}

using System.Globalization;
using Archiver.Source;

namespace Archiver.Cli.Output;

/// <summary>The table <c>archiver archive status</c> prints: one row per campaign, the last error under a failed or interrupted one, then totals per state.</summary>
internal static class StatusTable
{
    public static void Write(TextWriter output, IReadOnlyList<CampaignStatus> campaigns, CampaignState? only)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(campaigns);
        var c = CultureInfo.InvariantCulture;
        var table = Terminal.Table(">campaign", "state", "kind", "ends (UTC)", ">attempts", "last attempt (UTC)", "name");
        foreach (var campaign in campaigns.Where(x => only is null || x.State == only))
        {
            var attempt = campaign.LastAttemptAt is { } at ? at.ToString("yyyy-MM-dd HH:mm", c) : "-";
            table.AddTextRow([
                campaign.CampaignId.ToString(c), campaign.State.ToString().ToLowerInvariant(), campaign.Kind, campaign.EndsAt.ToString("yyyy-MM-dd HH:mm", c),
                campaign.Attempts.ToString(c), attempt, campaign.Name,
            ]);
            if (campaign.State is CampaignState.Failed or CampaignState.Interrupted && campaign.LastError is { } error)
            {
                table.AddTextRow(["", "", "", "", "", "last error:", error]);
            }
        }

        Terminal.Write(output, table);
        var counts = Enum.GetValues<CampaignState>().Select(s => $"{campaigns.Count(x => x.State == s):N0} {s.ToString().ToLowerInvariant()}");
        output.WriteLine();
        output.WriteLine(string.Create(c, $"{campaigns.Count:N0} campaigns: {string.Join(", ", counts)}"));
    }
}

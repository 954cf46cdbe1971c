using System.Globalization;
using Archiver.Source;

namespace Archiver.Cli.Output;

/// <summary>The table <c>archiver archive status</c> prints: one line per campaign, the last error under a failed one, then totals per state.</summary>
internal static class StatusTable
{
    public static void Write(TextWriter output, IReadOnlyList<CampaignStatus> campaigns, CampaignState? only)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(campaigns);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{"campaign",10}  {"state",-11}  {"kind",-8}  {"ends (UTC)",-16}  {"attempts",8}  {"last attempt (UTC)",-18}  name"));
        foreach (var campaign in campaigns.Where(x => only is null || x.State == only))
        {
            var state = campaign.State.ToString().ToLowerInvariant();
            var attempt = campaign.LastAttemptAt is { } at ? at.ToString("yyyy-MM-dd HH:mm", c) : "-";
            output.WriteLine(string.Create(c, $"{campaign.CampaignId,10}  {state,-11}  {campaign.Kind,-8}  {campaign.EndsAt:yyyy-MM-dd HH:mm}  {campaign.Attempts,8}  {attempt,-18}  {campaign.Name}"));
            if (campaign.State is CampaignState.Failed or CampaignState.Interrupted && campaign.LastError is { } error)
            {
                output.WriteLine($"{"",12}last error: {error}");
            }
        }

        var counts = Enum.GetValues<CampaignState>().Select(s => $"{campaigns.Count(x => x.State == s):N0} {s.ToString().ToLowerInvariant()}");
        output.WriteLine();
        output.WriteLine(string.Create(c, $"{campaigns.Count:N0} campaigns: {string.Join(", ", counts)}"));
    }
}

namespace Archiver.Engine;

/// <summary>What <c>archiver archive run</c> asked for.</summary>
/// <param name="CampaignId">Only this campaign (it must still be eligible); null for every eligible campaign.</param>
/// <param name="DryRun">Report what would be done and write nothing.</param>
public sealed record ArchiveRequest(long? CampaignId = null, bool DryRun = false);

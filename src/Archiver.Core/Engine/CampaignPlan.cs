namespace Archiver.Engine;

/// <summary>
/// What a dry run counted for one campaign, from the (campaign, key) index alone: its rows and
/// batches over every set, and <see cref="Sets"/>, each set's share as the engine describes it.
/// </summary>
internal sealed record CampaignPlan(long Rows, int Batches, string Sets);

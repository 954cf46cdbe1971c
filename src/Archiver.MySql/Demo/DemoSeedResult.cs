namespace Archiver.MySql.Demo;

/// <summary>What the seeder inserted.</summary>
public sealed record DemoSeedResult(int Campaigns, int EligibleCampaigns, long Entries, long EligibleEntries, long Votes, TimeSpan Elapsed);

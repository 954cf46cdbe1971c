namespace Archiver.Bench.Phases;

/// <summary>A campaign the seeder made: its id, rows, and the minutes they fall in (the rollups the archive will write).</summary>
internal sealed record SeededCampaign(long Id, string Name, long Entries, long Minutes);

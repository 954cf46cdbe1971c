namespace Archiver.MySql.Demo;

/// <summary>Size and randomness of the demo data set.</summary>
public sealed record DemoSeedOptions
{
    public int Campaigns { get; init; } = 20;

    /// <summary>Contest entries across all contest campaigns.</summary>
    public int Entries { get; init; } = 200_000;

    /// <summary>Same seed, same data (relative to the database's clock).</summary>
    public int Seed { get; init; } = 20_261_125;
}

namespace Archiver.Source;

/// <summary>A row of <c>campaigns</c>, with the database's UTC clock at the time it was read.</summary>
public sealed class CampaignInfo
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    /// <summary><c>contest</c> or <c>vote</c>.</summary>
    public string Kind { get; init; } = "";

    public DateTime StartsAt { get; init; }

    public DateTime EndsAt { get; init; }

    public bool Archived { get; init; }

    public DateTime? ArchivedAt { get; init; }

    /// <summary><c>UTC_TIMESTAMP(3)</c> when the row was read: eligibility follows the database's clock, not ours.</summary>
    public DateTime DatabaseNow { get; init; }

    public bool HasEndedFor(TimeSpan completedAfter) => EndsAt <= DatabaseNow - completedAfter;

    public override string ToString() => $"campaign {Id} ({Name})";
}

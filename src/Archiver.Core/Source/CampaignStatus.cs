namespace Archiver.Source;

/// <summary>One line of <c>archiver archive status</c>.</summary>
public sealed record CampaignStatus(
    long CampaignId,
    string Name,
    string Kind,
    DateTime EndsAt,
    CampaignState State,
    DateTime? ArchivedAt,
    int Attempts,
    DateTime? LastAttemptAt,
    string? LastError);

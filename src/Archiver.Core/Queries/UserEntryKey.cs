namespace Archiver.Queries;

/// <summary>
/// Where an entry sits in a user's list: newest first, and among entries of the same millisecond
/// the higher campaign id, then the higher entry id, first. Both stores list a user's entries in
/// this order, so merging them is a plain merge.
/// </summary>
public readonly record struct UserEntryKey(DateTime CreatedAt, long CampaignId, long Id) : IComparable<UserEntryKey>
{
    /// <summary>Negative when this key comes first in a user's list (it is newer).</summary>
    public int CompareTo(UserEntryKey other)
    {
        var byTime = other.CreatedAt.CompareTo(CreatedAt);
        if (byTime != 0)
        {
            return byTime;
        }

        var byCampaign = other.CampaignId.CompareTo(CampaignId);
        return byCampaign != 0 ? byCampaign : other.Id.CompareTo(Id);
    }

    public static UserEntryKey Of(ContestEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.CreatedAt, entry.CampaignId, entry.Id);
    }

    public static bool operator <(UserEntryKey left, UserEntryKey right) => left.CompareTo(right) < 0;

    public static bool operator >(UserEntryKey left, UserEntryKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(UserEntryKey left, UserEntryKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(UserEntryKey left, UserEntryKey right) => left.CompareTo(right) >= 0;
}

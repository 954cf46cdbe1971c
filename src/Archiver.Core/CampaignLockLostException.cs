namespace Archiver;

/// <summary>
/// The campaign's MySQL lock was lost (its connection dropped): another archiver may hold the
/// campaign now, so this one stops before the next step that needs it (the flag, the next delete).
/// </summary>
public sealed class CampaignLockLostException(string lockName, string consequence)
    : ArchiverException($"lost the campaign's MySQL lock {lockName} (its connection dropped) {consequence}")
{
    public string LockName { get; } = lockName;

    /// <summary>Lost before the flag: the archive run's consequence.</summary>
    public static CampaignLockLostException BeforeFlag(string lockName) => new(lockName, "before the flag; not flagged, run again");
}

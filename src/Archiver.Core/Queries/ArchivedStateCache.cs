using System.Collections.Concurrent;

namespace Archiver.Queries;

/// <summary>
/// Campaigns seen archived recently, so that their reads go straight to the archive. Only the
/// archived state is kept: it is safe to act on late (the archive was verified before the flag was
/// set, and the MySQL rows stay until a purge long after), whereas a live state acted on late could
/// send a read to MySQL after a purge. Expired entries are dropped as they are met, and the whole
/// map when it outgrows its bound.
/// </summary>
internal sealed class ArchivedStateCache(TimeSpan lifetime, TimeProvider time)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<long, long> _expiresAt = new();

    public bool IsArchived(long campaignId)
    {
        if (!_expiresAt.TryGetValue(campaignId, out var expiresAt))
        {
            return false;
        }

        if (time.GetTimestamp() < expiresAt)
        {
            return true;
        }

        _expiresAt.TryRemove(KeyValuePair.Create(campaignId, expiresAt));
        return false;
    }

    public void MarkArchived(long campaignId)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        if (_expiresAt.Count >= MaxEntries)
        {
            _expiresAt.Clear();
        }

        _expiresAt[campaignId] = time.GetTimestamp() + (long)(lifetime.TotalSeconds * time.TimestampFrequency);
    }
}

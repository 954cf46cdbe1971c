namespace Archiver.Queries;

/// <summary>
/// Where a read of a campaign's entries (in id order) starts: after the entry with id
/// <see cref="AfterId"/> when it is set (keyset), else after skipping <see cref="Offset"/> entries
/// of the filter. A store must find an offset without reading the entries before it.
/// </summary>
public readonly record struct EntrySeek(long Offset, long? AfterId)
{
    public static EntrySeek Start => new(0, null);

    public static EntrySeek AtOffset(long offset) => new(offset, null);

    public static EntrySeek After(long id) => new(0, id);
}

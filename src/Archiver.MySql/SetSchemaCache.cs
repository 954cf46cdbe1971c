using System.Collections.Concurrent;
using Archiver.Sets;

namespace Archiver.MySql;

/// <summary>
/// The <see cref="SetSchema"/> of each set's table, derived once and reused by every run. Keyed by
/// table, not by <see cref="ArchiveSet"/>: a set is described afresh at the start of every run (a
/// worker runs one per campaign job), so a cache keyed by it would gain an entry per job for as long
/// as the process lives. A table whose columns changed gets its SQL derived again, in place of the
/// old: the cache never holds more than one entry per table.
/// </summary>
internal sealed class SetSchemaCache
{
    private readonly ConcurrentDictionary<string, SetSchema> _byTable = new(StringComparer.Ordinal);

    /// <summary>How many tables have SQL cached.</summary>
    public int Count => _byTable.Count;

    public SetSchema For(ArchiveSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (_byTable.TryGetValue(set.Table, out var cached) && cached.Matches(set))
        {
            return cached;
        }

        var fresh = new SetSchema(set);
        _byTable[set.Table] = fresh;
        return fresh;
    }
}

using System.Globalization;

namespace Archiver.Bench.Sink;

/// <summary>
/// One database of the discard sink: it remembers only <c>id → rev</c> (and deletions), in ordinal
/// order like CouchDB's raw <c>_all_docs</c> collation, so that the archive's conflict handling,
/// range reads and verification by id and revision see what they would see on CouchDB, at a few
/// dozen bytes per document and no bodies.
/// </summary>
internal sealed class SinkDatabase
{
    // A sorted list rather than a tree: the archive writes ids in ascending order, which makes an
    // insert an append, and range reads are a binary search plus a walk by index.
    private readonly SortedList<string, Entry> _docs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _revisions;
    private long _updateSeq;
    private long _deleted;

    public SinkDatabase(string name) => Name = name;

    public string Name { get; }

    public (long DocCount, long DeletedCount, long UpdateSeq) Info
    {
        get
        {
            lock (_lock)
            {
                return (_docs.Count - _deleted, _deleted, _updateSeq);
            }
        }
    }

    /// <summary>Applies a <c>_bulk_docs</c> request as CouchDB does with <c>new_edits=true</c>: each document on its own, in order.</summary>
    public BulkDocsResult[] Save(IReadOnlyList<BulkDocsItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new BulkDocsResult[items.Count];
        lock (_lock)
        {
            for (var i = 0; i < items.Count; i++)
            {
                results[i] = SaveOne(items[i]);
            }
        }

        return results;
    }

    /// <summary>The live documents between the query's keys, in id order.</summary>
    public AllDocsPage Range(AllDocsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = new List<AllDocsRow>();
        lock (_lock)
        {
            var keys = _docs.Keys;
            var values = _docs.Values;
            var start = query.StartKey is null ? 0 : LowerBound(keys, query.StartKey);
            var skip = query.Skip;
            var limit = query.Limit ?? int.MaxValue;
            for (var i = start; i < keys.Count && rows.Count < limit; i++)
            {
                if (query.EndKey is not null)
                {
                    var order = string.CompareOrdinal(keys[i], query.EndKey);
                    if (order > 0 || (order == 0 && !query.InclusiveEnd))
                    {
                        break;
                    }
                }

                if (values[i].Deleted)
                {
                    continue;
                }

                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                rows.Add(new AllDocsRow(keys[i], values[i].Rev, false));
            }

            // The offset counts deleted documents before the start too; nothing the archive reads uses it.
            return new AllDocsPage(_docs.Count - _deleted, start, rows);
        }
    }

    /// <summary>One row per key, in the order asked: live, deleted (with its last revision) or not found.</summary>
    public AllDocsPage Keys(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var rows = new List<AllDocsRow>(keys.Count);
        lock (_lock)
        {
            foreach (var key in keys)
            {
                rows.Add(_docs.TryGetValue(key, out var entry) ? new AllDocsRow(key, entry.Rev, entry.Deleted) : new AllDocsRow(key, null, false));
            }

            return new AllDocsPage(_docs.Count - _deleted, 0, rows);
        }
    }

    private BulkDocsResult SaveOne(BulkDocsItem item)
    {
        // CouchDB makes up an id for a document without one; the archive always sends its own.
        var id = item.Id ?? Guid.NewGuid().ToString("N");
        var exists = _docs.TryGetValue(id, out var current);
        int generation;
        if (exists && !current.Deleted)
        {
            if (!string.Equals(item.Rev, current.Rev, StringComparison.Ordinal))
            {
                return BulkDocsResult.Conflict(id);
            }

            generation = Generation(current.Rev) + 1;
        }
        else if (exists)
        {
            // A deleted document is re-created with or without its last revision, and continues its history.
            if (item.Rev is not null && !string.Equals(item.Rev, current.Rev, StringComparison.Ordinal))
            {
                return BulkDocsResult.Conflict(id);
            }

            generation = Generation(current.Rev) + 1;
        }
        else
        {
            if (item.Rev is not null || item.Deleted)
            {
                // Updating or deleting a revision that was never there.
                return BulkDocsResult.Conflict(id);
            }

            generation = 1;
        }

        var rev = string.Create(CultureInfo.InvariantCulture, $"{generation}-{++_revisions:x32}");
        if (exists && current.Deleted != item.Deleted)
        {
            _deleted += item.Deleted ? 1 : -1;
        }

        _docs[id] = new Entry(rev, item.Deleted);
        _updateSeq++;
        return new BulkDocsResult(id, rev, null, null);
    }

    private static int Generation(string rev)
    {
        var dash = rev.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && int.TryParse(rev.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var generation) ? generation : 0;
    }

    private static int LowerBound(IList<string> keys, string key)
    {
        int low = 0, high = keys.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (string.CompareOrdinal(keys[middle], key) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private readonly record struct Entry(string Rev, bool Deleted);
}

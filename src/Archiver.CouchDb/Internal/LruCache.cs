namespace Archiver.CouchDb.Internal;

/// <summary>A bounded map that forgets the least recently used entry first; safe for concurrent use.</summary>
internal sealed class LruCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>> _nodes = [];
    private readonly LinkedList<KeyValuePair<TKey, TValue>> _recent = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>The entry for <paramref name="key"/>, made by <paramref name="create"/> (under the lock: keep it cheap) when missing.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (_gate)
        {
            if (_nodes.TryGetValue(key, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value.Value;
            }

            var value = create(key);
            _nodes[key] = _recent.AddFirst(KeyValuePair.Create(key, value));
            if (_nodes.Count > capacity)
            {
                var oldest = _recent.Last!;
                _recent.RemoveLast();
                _nodes.Remove(oldest.Value.Key);
            }

            return value;
        }
    }

    public bool ContainsKey(TKey key)
    {
        lock (_gate)
        {
            return _nodes.ContainsKey(key);
        }
    }
}

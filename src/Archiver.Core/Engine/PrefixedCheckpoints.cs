namespace Archiver.Engine;

/// <summary>A shard's checkpoints: the engine's names (<c>in-batch:N</c>, <c>after-batch:N</c>, …) as <c>shard:{table}#{n}:{point}</c>, batches numbered within the shard.</summary>
internal sealed class PrefixedCheckpoints(string prefix, IArchiveCheckpoints inner) : IArchiveCheckpoints
{
    public void Reached(string point) => inner.Reached(prefix + point);
}

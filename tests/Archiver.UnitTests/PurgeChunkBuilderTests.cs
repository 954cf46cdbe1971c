using Archiver.Purge;
using Archiver.Source;

namespace Archiver.UnitTests;

public sealed class PurgeChunkBuilderTests
{
    [Theory]
    [InlineData(0, 1000, new int[0])]
    [InlineData(1, 1000, new[] { 1 })]
    [InlineData(1000, 1000, new[] { 1000 })]
    [InlineData(1001, 1000, new[] { 1000, 1 })]
    [InlineData(7, 3, new[] { 3, 3, 1 })]
    public void Rows_are_cut_into_chunks_of_the_batch_size_in_key_order(int rows, int batchSize, int[] sizes)
    {
        var builder = new PurgeChunkBuilder(batchSize);
        for (var i = 0; i < rows; i++)
        {
            builder.Add(10 + (3L * i), 100 + i); // gaps between keys, as other campaigns' rows leave them
        }

        var chunks = builder.Build();

        Assert.Equal(sizes, chunks.Select(c => (int)c.Fingerprint.Count));
        var first = 0;
        foreach (var chunk in chunks)
        {
            var keys = Enumerable.Range(first, (int)chunk.Fingerprint.Count).Select(i => 10 + (3L * i)).ToList();
            Assert.Equal((keys[0], keys[^1]), (chunk.FirstKey, chunk.LastKey));
            Assert.Equal(keys.Sum(), chunk.Fingerprint.KeySum);
            Assert.Equal(Enumerable.Range(first, keys.Count).Sum(i => 100m + i), chunk.Fingerprint.ContentSum);
            first += keys.Count;
        }

        Assert.Equal(rows, builder.Rows);
    }

    [Fact]
    public void Keys_out_of_order_are_refused_since_chunks_are_key_ranges()
    {
        var builder = new PurgeChunkBuilder(10);
        builder.Add(5, 0);

        var error = Assert.Throws<ArgumentException>(() => builder.Add(5, 0));
        Assert.Contains("ascending order: 5 after 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunks_match_only_with_the_same_keys_and_sum_to_the_set_fingerprint()
    {
        PurgeChunk[] chunks = [new(1, 3, new SetFingerprint(2, 4, 700)), new(7, 7, new SetFingerprint(1, 7, 50))];

        Assert.Equal(new SetFingerprint(3, 11, 750), PurgeVerifier.Sum(chunks));
        Assert.True(PurgeVerifier.SameKeys(chunks, [new(1, 3, new SetFingerprint(2, 4, 0)), new(7, 7, new SetFingerprint(1, 7, 0))]));
        Assert.False(PurgeVerifier.SameKeys(chunks, [new(1, 3, new SetFingerprint(2, 4, 0)), new(8, 8, new SetFingerprint(1, 8, 0))]));
        Assert.False(PurgeVerifier.SameKeys(chunks, [new(1, 3, new SetFingerprint(2, 4, 0))]));
        Assert.False(PurgeVerifier.SameKeys(chunks, [new(1, 3, new SetFingerprint(3, 6, 0)), new(7, 7, new SetFingerprint(1, 7, 0))]));
    }
}

using Archiver.Engine;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests;

public sealed class DocumentRangeJoinTests
{
    private readonly FakeDocumentStore _store = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(100)]
    public async Task Ids_the_range_leaves_out_are_read_by_id_and_handed_out_in_id_order_whatever_the_page(int pageSize)
    {
        foreach (var id in new[] { "a", "b", "c", "d", "e", "f", "x" })
        {
            _store.Put(id, "{}");
        }

        _store.Delete("e");
        _store.Lagging = id => id is "b" or "c" or "f";
        _store.LaggingRangeReads = 1;

        var steps = new List<(string? Expected, string? Document, bool ReadById)>();
        await foreach (var step in DocumentRangeJoin.JoinAsync(new[] { "a", "b", "c", "d", "e", "f", "g" }.ToAsyncEnumerable(), id => id, _store, "db", "a", "z", includeDocs: false, pageSize,
                           CancellationToken.None))
        {
            steps.Add((step.Expected, step.Document?.Id, step.ReadById));
            Assert.True(step.Document is null || step.Document.Rev == _store.RevisionOf(step.Document.Id));
        }

        // e is deleted and g was never written: still missing; x was not expected: a document alone.
        Assert.Equal(
            [("a", "a", false), ("b", "b", true), ("c", "c", true), ("d", "d", false), ("e", null, false), ("f", "f", true), ("g", null, false), (null, "x", false)],
            steps);
        Assert.Equal(0, _store.LaggingRangeReads);
    }

    [Fact]
    public async Task Nothing_is_read_by_id_when_the_range_lists_everything()
    {
        _store.Put("a", "{}");
        _store.Put("b", "{}");

        var steps = await DocumentRangeJoin.JoinAsync(new[] { "a", "b" }.ToAsyncEnumerable(), id => id, _store, "db", "a", "z", includeDocs: true, 1, CancellationToken.None).ToListAsync();

        Assert.All(steps, s => Assert.False(s.ReadById));
        Assert.Equal(2, steps.Count);
        Assert.Equal(0, _store.GetRequests);
    }
}

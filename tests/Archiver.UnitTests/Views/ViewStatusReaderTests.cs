using Archiver.UnitTests.Fakes;
using Archiver.Views;

namespace Archiver.UnitTests.Views;

/// <summary>"Built" on CouchDB 3: the changes pending on the shard copies readers use; sequences are never compared.</summary>
public sealed class ViewStatusReaderTests
{
    private static readonly DesignDocument Stats = new("stats",
        new Dictionary<string, ViewDefinition>
        {
            ["by_minute"] = new("function (doc) { emit(doc._id, 1); }", "_sum"),
            ["choices_by_minute"] = new("function (doc) { emit(doc._id, 2); }", "_sum"),
        },
        null,
        "views/t.rollups/stats");

    private static async Task<DesignStatus> StatusAsync(DesignIndexInfo? info, long? pending)
    {
        var store = new FakeDesignStore();
        await new ViewDeployer(store, Microsoft.Extensions.Options.Options.Create(new ViewsOptions())).DeployAsync([new("db", Stats)], false, false, null);
        if (info is not null)
        {
            store.IndexInfo[Stats.Id] = info;
        }

        if (pending is { } count)
        {
            store.Pending[Stats.Id] = count;
        }

        return Assert.Single(await new ViewStatusReader(store).ReadAsync([new("db", Stats)]));
    }

    [Fact]
    public async Task Nothing_pending_on_the_copies_readers_use_is_built_whatever_the_opaque_sequences_say()
    {
        // A cluster's view sequence is a per-shard sum that never equals the database's opaque string.
        var status = await StatusAsync(new DesignIndexInfo("5f2c", "7"), 0);

        Assert.True(status.Built);
        Assert.Empty(status.StaleViews);
    }

    [Fact]
    public async Task Pending_changes_mean_every_view_of_the_design_document_is_behind()
    {
        var status = await StatusAsync(new DesignIndexInfo("5f2c", "2380-g1AAAACdeJzLYWBgYMpgTmEQSM7LT0k1dDA0"), 12);

        Assert.False(status.Built);
        Assert.Equal(["by_minute", "choices_by_minute"], status.StaleViews.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_server_that_does_not_count_pending_changes_is_unknown_not_built()
    {
        var status = await StatusAsync(new DesignIndexInfo("5f2c", "7"), null);

        Assert.Null(status.Built);
    }
}

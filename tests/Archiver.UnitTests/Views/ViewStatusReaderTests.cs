using Archiver.UnitTests.Fakes;
using Archiver.Views;

namespace Archiver.UnitTests.Views;

/// <summary>"Built" on CouchDB 3 comes from the design document's <c>_info</c>, whose sequences are never compared.</summary>
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

    private static async Task<DesignStatus> StatusAsync(DesignIndexInfo? info)
    {
        var store = new FakeDesignStore();
        await new ViewDeployer(store, Microsoft.Extensions.Options.Options.Create(new ViewsOptions())).DeployAsync([new("db", Stats)], false, false, null);
        if (info is not null)
        {
            store.IndexInfo[Stats.Id] = info;
        }

        return Assert.Single(await new ViewStatusReader(store).ReadAsync([new("db", Stats)]));
    }

    [Fact]
    public async Task Nothing_pending_and_no_updater_is_built_whatever_the_opaque_sequences_say()
    {
        // A cluster's view sequence is a per-shard sum that never equals the database's opaque string.
        var status = await StatusAsync(new DesignIndexInfo("5f2c", "7", false, 0));

        Assert.True(status.Built);
        Assert.Empty(status.StaleViews);
    }

    [Theory]
    [InlineData(12L, false)]
    [InlineData(0L, true)]
    public async Task Pending_changes_or_a_running_updater_mean_every_view_of_the_design_document_is_behind(long pending, bool running)
    {
        var status = await StatusAsync(new DesignIndexInfo("5f2c", "2380-g1AAAACdeJzLYWBgYMpgTmEQSM7LT0k1dDA0", running, pending));

        Assert.False(status.Built);
        Assert.Equal(["by_minute", "choices_by_minute"], status.StaleViews.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_report_without_pending_counts_is_unknown_not_built()
    {
        var status = await StatusAsync(new DesignIndexInfo("5f2c", "7", false, null));

        Assert.Null(status.Built);
    }
}

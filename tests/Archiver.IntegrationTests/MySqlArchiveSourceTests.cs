using Archiver.IntegrationTests.Infrastructure;
using Archiver.Source;

namespace Archiver.IntegrationTests;

public sealed class MySqlArchiveSourceTests : DatabaseTest
{
    [Fact]
    public async Task Entries_stream_in_key_order_across_chunk_boundaries_and_only_for_their_campaign()
    {
        var a = await Db.AddCompletedCampaignAsync();
        var b = await Db.AddCompletedCampaignAsync();
        for (var i = 0; i < 5; i++)
        {
            await Db.AddEntriesAsync(a, 3);
            await Db.AddEntriesAsync(b, 2);
        }

        var source = Db.Source(batchSize: 4);
        var rows = new List<long>();
        await foreach (var row in source.StreamEntriesAsync(a))
        {
            Assert.Equal(a, row.CampaignId);
            rows.Add(row.Id);
        }

        var keys = new List<long>();
        await foreach (var key in source.StreamEntryKeysAsync(a))
        {
            keys.Add(key);
        }

        Assert.Equal(await Db.EntryKeysAsync(a), rows);
        Assert.Equal(rows, keys);
        Assert.Equal(15, rows.Count);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(11)]
    [InlineData(13)]
    public async Task Chunks_that_end_exactly_on_the_last_row_finish_cleanly(int rows)
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, rows);

        var count = 0;
        await foreach (var unused in Db.Source(batchSize: 4).StreamEntriesAsync(campaign))
        {
            count++;
        }

        Assert.Equal(rows, count);
    }

    [Fact]
    public async Task Completion_follows_the_database_clock()
    {
        var justOver = await Db.AddCampaignAsync(TimeSpan.FromHours(48) + TimeSpan.FromMinutes(1));
        var justUnder = await Db.AddCampaignAsync(TimeSpan.FromHours(48) - TimeSpan.FromMinutes(1));
        await Db.AddCampaignAsync(TimeSpan.FromDays(4), archived: true);

        var found = await Db.Source().FindCompletedCampaignsAsync(TimeSpan.FromDays(2));

        Assert.Equal([justOver], found.Select(c => c.Id));
        var campaign = (await Db.Source().GetCampaignAsync(justUnder))!;
        Assert.False(campaign.HasEndedFor(TimeSpan.FromDays(2)));
        Assert.True(campaign.HasEndedFor(TimeSpan.FromHours(47)));
        Assert.Null(await Db.Source().GetCampaignAsync(123_456));
    }

    [Fact]
    public async Task The_flag_is_set_only_for_the_verified_rows()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 10);
        var source = Db.Source();
        var verified = await source.GetEntryFingerprintAsync(campaign);
        Assert.Equal(10, verified.Count);

        await Db.AddEntriesAsync(campaign, 1);
        Assert.Equal(FlagOutcome.RowsChanged, await source.FlagArchivedAsync(campaign, verified));
        Assert.False(await Db.IsArchivedAsync(campaign));

        // Same count, different keys: still refused.
        await Db.ExecuteAsync("DELETE FROM contest_campaign_entries WHERE id = (SELECT MIN(id) FROM (SELECT id FROM contest_campaign_entries WHERE campaign_id = @campaign) k)", new { campaign });
        Assert.Equal(FlagOutcome.RowsChanged, await source.FlagArchivedAsync(campaign, verified));

        var current = await source.GetEntryFingerprintAsync(campaign);
        Assert.Equal(FlagOutcome.Flagged, await source.FlagArchivedAsync(campaign, current));
        Assert.True(await Db.IsArchivedAsync(campaign));
        Assert.Equal(FlagOutcome.AlreadyArchived, await source.FlagArchivedAsync(campaign, current));
        Assert.Equal(FlagOutcome.CampaignMissing, await source.FlagArchivedAsync(987_654, RowFingerprint.Empty));
    }

    [Fact]
    public async Task An_unreachable_server_is_an_error_naming_the_operation()
    {
        var builder = new MySqlConnector.MySqlConnectionStringBuilder(Db.ConnectionString) { Port = 1, ConnectionTimeout = 2 };
        await using var dataSource = Archiver.MySql.MySqlDataSourceFactory.Create(builder.ConnectionString);
        var source = new Archiver.MySql.MySqlArchiveSource(dataSource, Microsoft.Extensions.Options.Options.Create(new Archiver.Options.ArchiveOptions()));

        var error = await Assert.ThrowsAsync<ArchiveSourceException>(() => source.FindCompletedCampaignsAsync(TimeSpan.FromDays(2)));

        Assert.StartsWith("MySQL error while finding completed campaigns: ", error.Message, StringComparison.Ordinal);
    }
}

using Archiver.Documents;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.IntegrationTests;

public sealed class MySqlArchiveSourceTests : DatabaseTest
{
    private async Task<(ArchiveSet Entries, ArchiveSet Votes)> SetsAsync(int batchSize = 2500)
    {
        var options = Db.Options(batchSize);
        var source = Db.Source(batchSize);
        return (await source.DescribeAsync(options.Sets[0]), await source.DescribeAsync(options.Sets[1]));
    }

    private static async Task<List<RowDocument>> ReadAllAsync(IAsyncEnumerable<RowDocument> rows)
    {
        var list = new List<RowDocument>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }

    [Fact]
    public async Task The_shipped_sets_map_every_column_by_its_MySQL_type()
    {
        var (entries, votes) = await SetsAsync();

        Assert.Equal(
            ["id:WholeNumber", "campaign_id:WholeNumber", "user_id:WholeNumber?", "entry_number:WholeNumber", "winner:Boolean", "message:Text?", "created_at:DateTime"],
            entries.Columns.Select(c => $"{c.Name}:{c.Kind}{(c.Nullable ? "?" : "")}"));
        Assert.Equal(
            ["id:WholeNumber", "campaign_id:WholeNumber", "user_id:WholeNumber?", "choice:Text", "created_at:DateTime"],
            votes.Columns.Select(c => $"{c.Name}:{c.Kind}{(c.Nullable ? "?" : "")}"));
    }

    [Fact]
    public async Task A_set_whose_table_or_columns_do_not_fit_is_a_configuration_error_naming_them()
    {
        var source = Db.Source();
        var missing = Db.Options().Sets[0];
        missing.Table = "no_such_table";
        var wrongTimestamp = Db.Options().Sets[1];
        wrongTimestamp.TimestampColumn = "choice";
        await Db.ExecuteAsync("CREATE TABLE blobs (id BIGINT PRIMARY KEY, campaign_id BIGINT NOT NULL, created_at DATETIME(3) NOT NULL, payload BLOB)");
        var blobs = Db.Options().Sets[1];
        blobs.Table = "blobs";

        Assert.Equal("archive set no_such_table: the table does not exist in the MySQL database (or the account may not see it)",
            (await Assert.ThrowsAsync<ArchiverConfigurationException>(() => source.DescribeAsync(missing))).Message);
        Assert.Equal("archive set vote_campaign_votes: Archive:Sets TimestampColumn column choice is varchar(64); it must be datetime",
            (await Assert.ThrowsAsync<ArchiverConfigurationException>(() => source.DescribeAsync(wrongTimestamp))).Message);
        Assert.Equal("archive set blobs: column payload is blob, which has no faithful JSON form (binary, bit, time and spatial types are not archived)",
            (await Assert.ThrowsAsync<ArchiverConfigurationException>(() => source.DescribeAsync(blobs))).Message);

        await Db.ExecuteAsync("CREATE TABLE keyless (id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, created_at DATETIME(3) NOT NULL, KEY (campaign_id, id))");
        var keyless = Db.Options().Sets[1];
        keyless.Table = "keyless";
        keyless.Measures.RemoveAt(1);
        Assert.Equal("archive set keyless: PrimaryKey column id has no unique index of its own; the key must identify one row",
            (await Assert.ThrowsAsync<ArchiverConfigurationException>(() => source.DescribeAsync(keyless))).Message);
    }

    [Fact]
    public async Task Rows_stream_in_key_order_across_chunk_boundaries_and_only_for_their_campaign()
    {
        var a = await Db.AddCompletedCampaignAsync();
        var b = await Db.AddCompletedCampaignAsync();
        for (var i = 0; i < 5; i++)
        {
            await Db.AddEntriesAsync(a, 3);
            await Db.AddEntriesAsync(b, 2);
        }

        var (entries, _) = await SetsAsync(batchSize: 4);
        var rows = await ReadAllAsync(Db.Source(batchSize: 4).StreamRowsAsync(entries, a, 8_000_000));

        Assert.All(rows, row => Assert.Equal(a, row.CampaignId));
        Assert.Equal(await Db.EntryKeysAsync(a), rows.Select(r => r.Key));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(11)]
    [InlineData(13)]
    public async Task Chunks_that_end_exactly_on_the_last_row_finish_cleanly(int rows)
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, rows);
        var (entries, _) = await SetsAsync(batchSize: 4);

        Assert.Equal(rows, (await ReadAllAsync(Db.Source(batchSize: 4).StreamRowsAsync(entries, campaign, 8_000_000))).Count);
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
    public async Task The_flag_is_set_only_while_every_set_is_as_verified()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 10);
        await Db.AddVotesAsync(campaign, 4);
        var source = Db.Source();
        var (entries, votes) = await SetsAsync();
        async Task<IReadOnlyList<VerifiedSet>> NowAsync() =>
        [
            new(entries, await source.GetFingerprintAsync(entries, campaign), ""),
            new(votes, await source.GetFingerprintAsync(votes, campaign), ""),
        ];
        var verified = await NowAsync();
        Assert.Equal((10L, 4L), (verified[0].Fingerprint.Count, verified[1].Fingerprint.Count));
        var archiveChecks = 0;
        Task<FlagOutcome> Flag(long id, IReadOnlyList<VerifiedSet> sets) => source.FlagArchivedAsync(id, TimeSpan.FromDays(2), sets, _ =>
        {
            archiveChecks++;
            return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(new Dictionary<string, IReadOnlyList<string>>());
        });

        // A row added, a row's content changed (same count and keys), a row deleted: each refused, naming the set.
        await Db.AddEntriesAsync(campaign, 1);
        var added = await Assert.ThrowsAsync<ArchiveVerificationException>(() => Flag(campaign, verified));
        Assert.StartsWith($"verification of contest_campaign_entries failed: campaign {campaign}, set contest_campaign_entries: its rows changed after they were verified", added.Message, StringComparison.Ordinal);

        verified = await NowAsync();
        await Db.ExecuteAsync("UPDATE vote_campaign_votes SET choice = 'changed' WHERE campaign_id = @campaign ORDER BY id LIMIT 1", new { campaign });
        var changed = await Assert.ThrowsAsync<ArchiveVerificationException>(() => Flag(campaign, verified));
        Assert.Equal("vote_campaign_votes", changed.Table);
        Assert.False(await Db.IsArchivedAsync(campaign));

        // Re-opened (ends_at moved a day ahead): not flagged, and the archive is not even looked at.
        verified = await NowAsync();
        await Db.ExecuteAsync("UPDATE campaigns SET ends_at = UTC_TIMESTAMP(3) + INTERVAL 1 DAY WHERE id = @campaign", new { campaign });
        Assert.Equal(FlagOutcome.NoLongerEligible, await Flag(campaign, verified));
        Assert.Equal(0, archiveChecks);
        await Db.ExecuteAsync("UPDATE campaigns SET ends_at = UTC_TIMESTAMP(3) - INTERVAL 3 DAY WHERE id = @campaign", new { campaign });

        // The archive check is the last step before the commit: when it throws, nothing is committed.
        var archiveChanged = await Assert.ThrowsAsync<ArchiveVerificationException>(() => source.FlagArchivedAsync(campaign, TimeSpan.FromDays(2), verified,
            _ => throw new ArchiveVerificationException(campaign, "contest_campaign_entries", "the archive changed")));
        Assert.Equal("contest_campaign_entries", archiveChanged.Table);
        Assert.False(await Db.IsArchivedAsync(campaign));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM archiver_archived_sets WHERE campaign_id = @campaign", new { campaign }));

        Assert.Equal(FlagOutcome.Flagged, await Flag(campaign, verified));
        Assert.Equal(1, archiveChecks);
        Assert.True(await Db.IsArchivedAsync(campaign));
        Assert.Equal(FlagOutcome.AlreadyArchived, await Flag(campaign, verified));
        Assert.Equal(FlagOutcome.CampaignMissing, await Flag(987_654, []));
    }

    [Fact]
    public async Task A_campaign_lock_is_exclusive_across_connections_until_released()
    {
        var source = Db.Source();
        var other = Db.Source();

        await using (var held = await source.TryLockCampaignAsync(7))
        {
            Assert.NotNull(held);
            Assert.True(await held.IsHeldAsync());
            Assert.Null(await other.TryLockCampaignAsync(7));
            await using var unrelated = await other.TryLockCampaignAsync(8);
            Assert.NotNull(unrelated);
        }

        await using var again = await other.TryLockCampaignAsync(7);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task An_unreachable_server_is_an_error_naming_the_operation_after_bounded_retries()
    {
        var builder = new MySqlConnector.MySqlConnectionStringBuilder(Db.ConnectionString) { Port = 1, ConnectionTimeout = 2 };
        await using var dataSource = Archiver.MySql.MySqlDataSourceFactory.Create(builder.ConnectionString);
        var source = new Archiver.MySql.MySqlArchiveSource(dataSource, Microsoft.Extensions.Options.Options.Create(new Archiver.Options.ArchiveOptions()), TestDatabases.Pipelines());

        var error = await Assert.ThrowsAsync<ArchiveSourceException>(() => source.FindCompletedCampaignsAsync(TimeSpan.FromDays(2)));

        Assert.StartsWith("MySQL error while finding completed campaigns: ", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);
    }
}

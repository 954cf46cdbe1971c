using System.Net;
using Archiver.CouchDb;
using Archiver.CouchDb.Queries;
using Archiver.Options;
using Archiver.Queries;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests.Queries;

/// <summary>The CouchDB store's configuration and its strictness about what the archive answers, on a fake wire.</summary>
public sealed class CouchCampaignStoreTests
{
    private const string Good = """{"_id":"x","type":"contest_campaign_entry","id":12,"campaign_id":7,"user_id":null,"entry_number":3,"winner":true,"message":null,"created_at":"2026-11-20T14:05:09.123Z"}""";

    private static ArchiveOptions Archive()
    {
        var options = new ArchiveOptions();
        options.Sets.Add(TestSets.EntryOptions("entries_db"));
        options.Sets.Add(TestSets.VoteOptions("votes_db"));
        return options;
    }

    private static (CouchCampaignStore Store, FakeHttpHandler Handler) Store(Func<HttpRequestMessage, string, HttpResponseMessage> respond, QueryOptions? queries = null)
    {
        var handler = new FakeHttpHandler(respond);
        var client = new CouchDbClient(new HttpClient(handler) { BaseAddress = new Uri("http://couch.test:5984/") });
        return (new CouchCampaignStore(client, Microsoft.Extensions.Options.Options.Create(Archive()), Microsoft.Extensions.Options.Options.Create(queries ?? new QueryOptions())), handler);
    }

    private static HttpResponseMessage Rows(string document) =>
        FakeHttpHandler.Json(HttpStatusCode.OK, $$"""{"rows":[{"id":"contest_campaign_entries:0000000000000000007:0000000000000000012","key":"contest_campaign_entries:0000000000000000007:0000000000000000012","value":{},"doc":{{document}}}]}""");

    [Fact]
    public void A_queries_table_without_an_archive_set_is_a_configuration_error_naming_both_keys()
    {
        var client = new CouchDbClient(new HttpClient(new FakeHttpHandler((_, _) => throw new InvalidOperationException("no request expected"))));

        var error = Assert.Throws<ArchiverConfigurationException>(() => new CouchCampaignStore(client,
            Microsoft.Extensions.Options.Options.Create(Archive()), Microsoft.Extensions.Options.Options.Create(new QueryOptions { VotesTable = "poll_votes" })));

        Assert.Contains("Queries:VotesTable is 'poll_votes'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Archive:Sets", error.Message, StringComparison.Ordinal);
        Assert.Contains("contest_campaign_entries, vote_campaign_votes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_maps_to_the_exact_record_with_its_time_in_UTC()
    {
        var (store, handler) = Store((_, _) => Rows(Good));

        var slice = await store.ReadEntriesAsync(7, EntryFilter.All, EntrySeek.Start, 1, withTotal: false, default);

        var entry = Assert.Single(slice.Items);
        Assert.Equal(new ContestEntry(12, 7, null, 3, true, null, new DateTime(2026, 11, 20, 14, 5, 9, 123, DateTimeKind.Utc)), entry);
        Assert.Equal(DateTimeKind.Utc, entry.CreatedAt.Kind);
        Assert.Equal("/entries_db/_all_docs?startkey=%22contest_campaign_entries%3A0000000000000000007%3A%22&endkey=%22contest_campaign_entries%3A0000000000000000007%3B%22&inclusive_end=false&limit=1&include_docs=true",
            Assert.Single(handler.Requests).Path);
    }

    [Theory]
    [InlineData("\"created_at\":\"2026-11-20T14:05:09.123Z\"", "\"created_at\":\"2026-11-20T14:05:09Z\"", "created_at")]
    [InlineData("\"user_id\":null", "\"user_id\":\"15\"", "user_id")]
    [InlineData("\"winner\":true", "\"winner\":1", "winner")]
    [InlineData("\"message\":null,", "", "no message field")]
    [InlineData("\"type\":\"contest_campaign_entry\"", "\"type\":\"vote_campaign_vote\"", "type")]
    [InlineData("\"entry_number\":3", "\"entry_number\":3000000000", "entry_number")]
    public async Task A_malformed_document_is_an_error_naming_database_document_and_field(string field, string replacement, string named)
    {
        var (store, _) = Store((_, _) => Rows(Good.Replace(field, replacement, StringComparison.Ordinal)));

        var error = await Assert.ThrowsAsync<ArchiveReadException>(() => store.ReadEntriesAsync(7, EntryFilter.All, EntrySeek.Start, 1, withTotal: false, default));

        Assert.Equal("entries_db", error.Database);
        Assert.Equal("contest_campaign_entries:0000000000000000007:0000000000000000012", error.DocumentId);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_page_index_that_disagrees_with_the_rollups_is_refused_rather_than_paging_wrongly()
    {
        // The rollups count 10 entries, but the view lists 9 (say, an index that is not built yet).
        var (store, _) = Store((request, _) => request.RequestUri!.AbsolutePath.EndsWith("/by_minute", StringComparison.Ordinal)
            ? FakeHttpHandler.Json(HttpStatusCode.OK, """{"rows":[{"key":[7],"value":[10,4]}]}""")
            : FakeHttpHandler.Json(HttpStatusCode.OK, "{\"rows\":[" + string.Join(",", Enumerable.Range(1, 9).Select(i => $"{{\"id\":\"contest_campaign_entries:0000000000000000007:{i:D19}\",\"key\":\"contest_campaign_entries:0000000000000000007:{i:D19}\",\"value\":{{}}}}")) + "]}"),
            new QueryOptions { PageIndexStride = 2 });

        var error = await Assert.ThrowsAsync<ArchiveReadException>(() => store.ReadEntriesAsync(7, EntryFilter.All, EntrySeek.AtOffset(4), 2, withTotal: false, default));

        Assert.Contains("lists 9 entries of campaign 7 (All) but its rollups count 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Totals_are_read_once_per_campaign_from_the_rollups_and_non_winners_are_entries_less_winners()
    {
        var (store, handler) = Store((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK, """{"rows":[{"key":[7],"value":[1.0e3,250]}]}"""));

        var totals = new List<long>();
        foreach (var filter in new[] { EntryFilter.All, EntryFilter.Winners, EntryFilter.NonWinners })
        {
            totals.Add((await store.ReadEntriesAsync(7, filter, EntrySeek.AtOffset(5000), 10, withTotal: true, default)).Total);
        }

        Assert.Equal([1000, 250, 750], totals);
        // Rollups and their statistics view live in the set's rollup database (<Database>_rollups by default).
        Assert.Equal("/entries_db_rollups/_design/stats/_view/by_minute?stale=ok&startkey=%5B7%5D&endkey=%5B7%2C%7B%7D%5D&group_level=1", Assert.Single(handler.Requests).Path);
    }

    [Fact]
    public async Task Vote_totals_sum_rows_of_the_same_choice_and_order_choices_ordinally()
    {
        // The view keys choices as UTF-16 hex; rows of one choice may still come apart (grouped per minute) and arrive in any order.
        var (store, _) = Store((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK,
            $$"""{"rows":[{"key":[9,"{{Hex("yes")}}"],"value":2},{"key":[9,"{{Hex("Yes")}}"],"value":3},{"key":[9,"{{Hex("Yes ")}}"],"value":1},{"key":[9,"{{Hex("yes")}}"],"value":4},{"key":[9,"{{Hex("Zero")}}"],"value":0}]}"""));

        var totals = await store.VoteTotalsAsync(9, default);

        Assert.Equal([new ChoiceVotes("Yes", 3), new ChoiceVotes("Yes ", 1), new ChoiceVotes("yes", 6)], totals);
    }

    [Fact]
    public async Task Canonically_equivalent_choices_stay_apart_because_the_key_is_their_code_units()
    {
        // é as U+00E9 and as e + U+0301: one ICU group if keyed as text; two hex keys here.
        var (store, _) = Store((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK,
            $$"""{"rows":[{"key":[9,"00e9"],"value":5},{"key":[9,"00650301"],"value":7},{"key":[9,"{{Hex("😀")}}"],"value":1}]}"""));

        var totals = await store.VoteTotalsAsync(9, default);

        Assert.Equal([new ChoiceVotes("e\u0301", 7), new ChoiceVotes("\u00e9", 5), new ChoiceVotes("😀", 1)], totals);
    }

    [Theory]
    [InlineData("0065030")]
    [InlineData("00zz")]
    [InlineData("Yes")]
    public async Task A_choice_key_that_is_not_hex_code_units_is_an_error_naming_the_view(string key)
    {
        var (store, _) = Store((_, _) => FakeHttpHandler.Json(HttpStatusCode.OK, $$"""{"rows":[{"key":[9,"{{key}}"],"value":5}]}"""));

        var error = await Assert.ThrowsAsync<ArchiveReadException>(() => store.VoteTotalsAsync(9, default));

        Assert.Contains("stats/choices_by_minute", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Yes")]
    [InlineData("e\u0301")]
    [InlineData("Hawaii 🍍")]
    [InlineData("")]
    public void A_choice_round_trips_through_its_hex_key(string choice) =>
        Assert.Equal(choice, CouchCampaignStore.DecodeChoice(Hex(choice)));

    /// <summary>What views/vote_campaign_votes/stats/views/choices_by_minute/map.js emits for a choice.</summary>
    private static string Hex(string choice) => string.Concat(choice.Select(c => ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
}

using System.Net;
using Archiver.CouchDb;
using Archiver.CouchDb.Queries;
using Archiver.CouchDb.Replication;
using Archiver.Options;
using Archiver.Queries;
using Archiver.Replication;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests.Replication;

/// <summary>The failover store's routing on fake wires: which server answers, and what moves a read on.</summary>
public sealed class FailoverCampaignStoreTests
{
    private const string Entry = """{"rows":[{"id":"contest_campaign_entries:0000000000000000007:0000000000000000012","key":[7,12],"value":null,"doc":{"_id":"x","type":"contest_campaign_entry","id":12,"campaign_id":7,"user_id":null,"entry_number":3,"winner":true,"message":null,"created_at":"2026-11-20T14:05:09.123Z"}}]}""";

    private const string AllDocsEntry = """{"rows":[{"id":"contest_campaign_entries:0000000000000000007:0000000000000000012","key":"contest_campaign_entries:0000000000000000007:0000000000000000012","value":{"rev":"1-a"},"doc":{"_id":"contest_campaign_entries:0000000000000000007:0000000000000000012","type":"contest_campaign_entry","id":12,"campaign_id":7,"user_id":null,"entry_number":3,"winner":true,"message":null,"created_at":"2026-11-20T14:05:09.123Z"}}]}""";

    private static readonly ReplicaOptions Options = new() { IncompleteRecheck = TimeSpan.Zero };

    private static ReadEndpoint Endpoint(string name, int rank, Func<HttpRequestMessage, HttpResponseMessage> respond, out FakeHttpHandler handler)
    {
        var fake = new FakeHttpHandler((request, _) => respond(request));
        handler = fake;
        var http = new HttpClient(fake) { BaseAddress = new Uri($"http://{name}.test:5984/") };
        var client = new CouchDbClient(http);
        var archive = new ArchiveOptions();
        archive.Sets.Add(TestSets.EntryOptions("entries_db"));
        archive.Sets.Add(TestSets.VoteOptions("votes_db"));
        var store = new CouchCampaignStore(client, Microsoft.Extensions.Options.Options.Create(archive), Microsoft.Extensions.Options.Options.Create(new QueryOptions()));
        return new ReadEndpoint(name, http.BaseAddress, name == "central", client, store, new ReadEndpointHealth(name, rank, TimeSpan.FromSeconds(30)), http);
    }

    // _all_docs keys its rows by document id, a view by its emitted key: each read gets the row its endpoint gives.
    private static HttpResponseMessage Answer(HttpRequestMessage request) => request.RequestUri!.AbsolutePath switch
    {
        "/" => FakeHttpHandler.Json(HttpStatusCode.OK, "{}"),
        var path when path.EndsWith("/_all_docs", StringComparison.Ordinal) => FakeHttpHandler.Json(HttpStatusCode.OK, AllDocsEntry),
        _ => FakeHttpHandler.Json(HttpStatusCode.OK, Entry),
    };

    // A campaign's entries come from _all_docs (ids sort in campaign order), other reads from views.
    private static int Reads(FakeHttpHandler handler) =>
        handler.Requests.Count(r => r.Path.Contains("_view", StringComparison.Ordinal) || r.Path.Contains("_all_docs", StringComparison.Ordinal));

    private static Task<EntrySlice> FirstEntryAsync(FailoverCampaignStore store) =>
        store.ReadEntriesAsync(7, EntryFilter.All, EntrySeek.AtOffset(0), 1, withTotal: false, default);

    [Fact]
    public async Task A_replica_that_does_not_hold_the_campaign_complete_is_passed_over_without_a_request()
    {
        var local = Endpoint("local", 0, Answer, out var localWire);
        var central = Endpoint("central", 1, Answer, out var centralWire);
        var journal = new Journal();
        using var store = new FailoverCampaignStore([local, central], journal, Options);

        var slice = await FirstEntryAsync(store);
        Assert.Equal(12, Assert.Single(slice.Items).Id);
        Assert.Equal((0, 1), (Reads(localWire), Reads(centralWire)));

        journal.Complete.Add(("local", 7));
        await FirstEntryAsync(store);
        Assert.Equal((1, 1), (Reads(localWire), Reads(centralWire)));
        Assert.Equal(new ReadStatistics(2, 0, 0), store.Statistics);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, """{"error":"unknown_error","reason":"badarg"}""")]
    [InlineData(HttpStatusCode.NotFound, """{"error":"not_found","reason":"Database does not exist."}""")]
    [InlineData(HttpStatusCode.NotFound, """{"error":"not_found","reason":"missing_named_view"}""")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "<html>maintenance</html>")]
    public async Task A_failing_server_hands_the_read_to_the_next_one_and_is_tried_last_afterwards(HttpStatusCode status, string body)
    {
        var local = Endpoint("local", 0, r => r.RequestUri!.AbsolutePath == "/" ? Answer(r) : FakeHttpHandler.Json(status, body), out var localWire);
        var central = Endpoint("central", 1, Answer, out var centralWire);
        using var store = new FailoverCampaignStore([local, central], new Journal { Complete = { ("local", 7) } }, Options);

        Assert.Equal(12, Assert.Single((await FirstEntryAsync(store)).Items).Id);
        Assert.False(local.Health.IsHealthy);
        Assert.Equal(new ReadStatistics(1, 1, 0), store.Statistics);

        // Marked down: the next read goes straight to the central server.
        await FirstEntryAsync(store);
        Assert.Equal((1, 2), (Reads(localWire), Reads(centralWire)));
    }

    [Fact]
    public async Task A_refused_connection_fails_over_and_when_every_server_fails_the_error_names_each()
    {
        var local = Endpoint("local", 0, _ => throw new HttpRequestException("Connection refused (local.test:5984)"), out _);
        var central = Endpoint("central", 1, r => r.RequestUri!.AbsolutePath == "/" ? Answer(r) : FakeHttpHandler.Json(HttpStatusCode.BadGateway, "{}"), out _);
        var peer = Endpoint("peer", ReadEndpointHealth.PeerRank, Answer, out var peerWire);
        using var store = new FailoverCampaignStore([local, central, peer], new Journal { Complete = { ("local", 7) } }, Options);

        var error = await Assert.ThrowsAsync<ArchiveUnavailableException>(() => FirstEntryAsync(store));
        Assert.Contains("local: unreachable: no complete answer from http://local.test:5984/", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("central: 502 http_502", error.Message, StringComparison.Ordinal);
        Assert.Contains("peer: not complete there", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);
        Assert.Equal(0, Reads(peerWire));
        Assert.Equal(1, store.Statistics.FailedReads);
    }

    [Fact]
    public async Task A_user_read_spans_every_campaign_so_only_a_caught_up_replica_takes_it()
    {
        const string keys = """{"rows":[]}""";
        var local = Endpoint("local", 0, r => FakeHttpHandler.Json(HttpStatusCode.OK, keys), out var localWire);
        var central = Endpoint("central", 1, r => FakeHttpHandler.Json(HttpStatusCode.OK, keys), out var centralWire);
        var journal = new Journal { Complete = { ("local", 7) } };
        using var store = new FailoverCampaignStore([local, central], journal, Options);

        await store.UserEntryKeysAsync(5, default);
        Assert.Equal((0, 1), (Reads(localWire), Reads(centralWire)));

        journal.CaughtUp.Add("local");
        await store.UserEntryKeysAsync(5, default);
        Assert.Equal((1, 1), (Reads(localWire), Reads(centralWire)));
    }

    private sealed class Journal : IReplicaJournal
    {
        public HashSet<(string, long)> Complete { get; } = [];

        public HashSet<string> CaughtUp { get; } = [];

        public Task<bool> IsCompleteAsync(string replica, long campaignId, CancellationToken cancellationToken = default) =>
            Task.FromResult(Complete.Contains((replica, campaignId)));

        public Task<bool> IsCaughtUpAsync(string replica, CancellationToken cancellationToken = default) => Task.FromResult(CaughtUp.Contains(replica));

        public Task<IReadOnlyList<ArchivedSetCount>> PendingAsync(string replica, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task MarkCompleteAsync(string replica, long campaignId, long documents, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}

using System.Net;
using Archiver.CouchDb;
using Archiver.CouchDb.Queries;
using Archiver.Documents;
using Archiver.Hosting;
using Archiver.Queries;
using Archiver.Resilience;
using Archiver.UnitTests.Fakes;
using Archiver.Views;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.Registry;

namespace Archiver.UnitTests.Hosting;

/// <summary>What <c>AddArchiver</c> composes, on a fake CouchDB wire: every part gets its logger, its pipeline and the one client.</summary>
public sealed class CompositionTests
{
    private const string Entry = """{"_id":"x","type":"contest_campaign_entry","id":5,"campaign_id":7,"user_id":null,"entry_number":5,"winner":true,"message":null,"created_at":"2026-11-20T14:05:09.123Z"}""";

    private static ServiceProvider Compose(FakeHttpHandler couch, RecordingLoggerProvider log)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(OptionsValidationTests.ShippedSettings, optional: false)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:MySql"] = "Server=127.0.0.1;Database=textme;User ID=a;Password=b",
                ["CouchDb:Url"] = "http://couch.test:5984/",
                ["Queries:PageIndexStride"] = "2",
            })
            .Build();
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Trace)).AddArchiver(configuration);
        services.AddHttpClient(CouchDbClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => couch);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task The_archive_store_from_the_composition_root_logs_the_page_index_it_builds()
    {
        // Regression: the store was built by hand without a logger, so this event never fired.
        using var couch = new FakeHttpHandler((request, _) => request.RequestUri!.AbsolutePath.EndsWith("/by_minute", StringComparison.Ordinal)
            ? FakeHttpHandler.Json(HttpStatusCode.OK, """{"rows":[{"key":[7],"value":[10,4]}]}""")
            : request.RequestUri.Query.Contains("include_docs=true", StringComparison.Ordinal)
                ? FakeHttpHandler.Json(HttpStatusCode.OK, $$"""{"rows":[{"id":"contest_campaign_entries:0000000000000000007:0000000000000000005","key":"contest_campaign_entries:0000000000000000007:0000000000000000005","value":{},"doc":{{Entry}}}]}""")
                : FakeHttpHandler.Json(HttpStatusCode.OK, "{\"rows\":[" + string.Join(",", Enumerable.Range(1, 10).Select(i => $"{{\"id\":\"contest_campaign_entries:0000000000000000007:{i:D19}\",\"key\":\"contest_campaign_entries:0000000000000000007:{i:D19}\",\"value\":{{}}}}")) + "]}"));
        var log = new RecordingLoggerProvider();
        await using var services = Compose(couch, log);

        var store = services.GetRequiredService<IArchivedCampaignStore>();
        await store.ReadEntriesAsync(7, EntryFilter.All, EntrySeek.AtOffset(4), 1, withTotal: false, default);

        var built = Assert.Single(log.Entries, e => e.EventId.Id == CouchDbEvents.PageIndexBuilt);
        Assert.Equal(typeof(CouchCampaignStore).FullName, built.Category);
        Assert.Contains("Page index of campaign 7 (All) in contest_campaign_entries_archive: 10 entries, 5 anchors", built.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_CouchDB_client_serves_every_part_and_its_endpoint_has_a_named_pipeline()
    {
        using var couch = new FakeHttpHandler((_, _) => throw new InvalidOperationException("no request expected"));
        using var services = Compose(couch, new RecordingLoggerProvider());

        var client = services.GetRequiredService<CouchDbClient>();
        Assert.Same(client, services.GetRequiredService<IDocumentStore>());
        Assert.Same(client, services.GetRequiredService<IDesignStore>());
        Assert.Same(client, services.GetRequiredService<CouchDbClient>());

        var pipelines = services.GetRequiredService<ResiliencePipelineProvider<string>>();
        Assert.True(pipelines.TryGetPipeline<HttpResponseMessage>(PipelineNames.CouchDb(new Uri("http://couch.test:5984/")), out _));
        Assert.True(pipelines.TryGetPipeline(PipelineNames.MySql, out _));
        Assert.True(pipelines.TryGetPipeline(PipelineNames.MySqlStartup, out _));
    }
}

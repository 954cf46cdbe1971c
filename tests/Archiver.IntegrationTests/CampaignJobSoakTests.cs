using Archiver.Hosting;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Jobs;
using Archiver.MySql;
using Archiver.Purge;
using Archiver.Source;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.IntegrationTests;

/// <summary>
/// Regression (issue 15, item 3): a set's SQL was cached by the <c>ArchiveSet</c> a run describes
/// afresh, so a worker gained cache entries with every campaign job for as long as it ran. Here one
/// process, composed as the worker is, runs thousands of campaign jobs; its caches stay at one entry
/// per table.
/// </summary>
[Collection(Web.WebCollection.Name)]
public sealed class CampaignJobSoakTests : DatabaseTest
{
    private const int Jobs = 2_000;
    private const int RealCampaigns = 12;

    [Fact]
    public async Task Thousands_of_campaign_jobs_leave_one_cached_set_sql_per_table()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Repository.File("appsettings.json"))
            .AddInMemoryCollection(Db.CliEnvironment().ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value))
            .Build();
        await using var services = new ServiceCollection().AddLogging().AddArchiver(configuration).AddArchiverJobs(configuration).BuildServiceProvider();
        try
        {
            var source = (MySqlArchiveSource)services.GetRequiredService<IArchiveSource>();
            var target = (MySqlPurgeTarget)services.GetRequiredService<IPurgeTarget>();
            var purge = services.GetRequiredService<PurgeEngine>();

            // A few tiny campaigns are archived and purged for real, each by a job of its own, so that
            // every statement a set has runs many times; the remaining jobs find their campaign archived
            // already, which still describes every set, as each job does.
            var campaigns = new List<long>();
            for (var i = 0; i < RealCampaigns; i++)
            {
                var contest = await Db.AddCompletedCampaignAsync();
                await Db.AddEntriesAsync(contest, 2);
                var vote = await Db.AddCompletedCampaignAsync("vote");
                await Db.AddVotesAsync(vote, 2);
                campaigns.AddRange([contest, vote]);
            }

            for (var job = 0; job < Jobs; job++)
            {
                var campaign = campaigns[job % campaigns.Count];
                var outcome = await services.GetRequiredService<ArchiveJobs>().ArchiveCampaignAsync(campaign, CancellationToken.None);
                Assert.Contains(job < campaigns.Count ? " archived: " : " skipped: already archived", outcome, StringComparison.Ordinal);
                if (job < campaigns.Count)
                {
                    var purged = await purge.RunAsync(new PurgeRequest(CampaignId: campaign));
                    Assert.True(purged.Purged == 1, string.Join("; ", purged.Campaigns.Select(c => c.Reason)));
                }
            }

            Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM contest_campaign_entries") + await Db.ScalarAsync<long>("SELECT COUNT(*) FROM vote_campaign_votes"));
            Assert.Equal(2, source.CachedSetSchemas);
            Assert.Equal(2, target.CachedSetSchemas);
        }
        finally
        {
            // Composing the worker pointed Hangfire's process-wide log provider at this provider's
            // logger factory, disposed when this test ends (see WebCollection).
            global::Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        }
    }
}

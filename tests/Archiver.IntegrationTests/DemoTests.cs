using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

/// <summary><c>archiver demo seed --reset</c> touches only what the demo created and marked.</summary>
public sealed class DemoTests : DatabaseTest
{
    [Fact]
    public async Task Reset_leaves_data_the_demo_did_not_create_alone_and_says_so()
    {
        await Db.ScalarAsync<int>("CREATE TABLE someone_elses (id INT PRIMARY KEY); SELECT 1");

        var result = await CliRunner.RunAsync(["demo", "seed", "--reset", "--campaigns", "2", "--entries", "10"], Db.CliEnvironment());

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"archiver: demo seed: left alone: MySQL database {Db.Name} holds ", line, StringComparison.Ordinal);
        Assert.Contains("table(s) the demo did not create", line, StringComparison.Ordinal);
        Assert.Contains("ARCHIVER_DEMO_DATABASE", line, StringComparison.Ordinal);
        Assert.Equal(1, await Db.ScalarAsync<int>("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'someone_elses'"));
    }

    [Fact]
    public async Task A_second_run_resets_what_the_first_created_and_nothing_else()
    {
        var tables = await Db.ScalarAsync<string?>("SELECT GROUP_CONCAT(CONCAT('`', table_name, '`')) FROM information_schema.tables WHERE table_schema = DATABASE()");
        if (tables is not null)
        {
            await Db.ScalarAsync<int>($"DROP TABLE {tables}; SELECT 1");
        }

        await Db.Couch.DeleteDatabaseAsync(Db.EntriesDb);
        await Db.Couch.DeleteDatabaseAsync(Db.VotesDb);

        var first = await CliRunner.RunAsync(["demo", "seed", "--reset", "--campaigns", "2", "--entries", "10"], Db.CliEnvironment());
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var second = await CliRunner.RunAsync(["demo", "seed", "--reset", "--campaigns", "2", "--entries", "10"], Db.CliEnvironment());
        Assert.True(second.ExitCode == 0, second.Output + second.Error);

        Assert.Contains($"reset: dropped the demo's ", second.Output, StringComparison.Ordinal);
        Assert.Equal(10, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM contest_campaign_entries"));
        Assert.NotNull(await Db.Couch.GetDatabaseInfoAsync(Db.EntriesDb));
    }
}

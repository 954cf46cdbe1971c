using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

public sealed class CliTests : DatabaseTest
{
    private Dictionary<string, string> Settings(string? couchUrl = null)
    {
        var settings = Db.CliEnvironment();
        TestServers.AddCouchDbSettings(settings, couchUrl);
        return settings;
    }

    [Fact]
    public async Task Archive_run_exits_zero_and_ends_with_a_summary()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 3001);

        var result = await CliRunner.RunAsync(["archive", "run"], Settings());

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains($"archived campaign {campaign} (Test campaign): 3,001 rows, 3,001 written", result.Output, StringComparison.Ordinal);
        Assert.Contains("campaigns   1 archived, 0 skipped, 0 failed", result.Output, StringComparison.Ordinal);
        Assert.Contains("documents/s", result.Output, StringComparison.Ordinal);
        Assert.True(await Db.IsArchivedAsync(campaign));
    }

    [Fact]
    public async Task A_server_that_is_down_stops_the_run_before_the_first_campaign_with_one_line_naming_it()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 5);

        var settings = Settings(couchUrl: "http://127.0.0.1:1/");
        settings["Resilience__BreakerMinimumThroughput"] = "100"; // the request's own failure, before any breaker opens
        var result = await CliRunner.RunAsync(["archive", "run"], settings);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("archiver: CouchDB GET / failed: unreachable: no complete answer from http://127.0.0.1:1/: Connection refused (127.0.0.1:1)", line);
        Assert.DoesNotContain($"campaign {campaign}", result.Output, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Ctrl_C_or_SIGTERM_leaves_the_campaign_interrupted_not_failed_and_the_rerun_reports_no_conflicts(string signal)
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 20_000);
        var settings = Settings();
        settings["Archive__BatchSize"] = "500";

        var result = await CliRunner.RunAsync(["archive", "run"], settings, interruptOn: "archiving 20,000 rows", signal: signal);

        Assert.True(result.ExitCode == 130, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        Assert.Contains($"interrupted campaign {campaign} (Test campaign): interrupted before it was verified", result.Output, StringComparison.Ordinal);
        Assert.Contains("stopped     interrupted (Ctrl+C or SIGTERM)", result.Output, StringComparison.Ordinal);
        Assert.Contains("1 interrupted", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAILED", result.Output, StringComparison.Ordinal);
        Assert.Contains("archiver: interrupted;", result.Error, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));

        var status = await CliRunner.RunAsync(["archive", "status", "--json"], settings);
        Assert.Contains("\"state\": \"interrupted\"", status.Output, StringComparison.Ordinal);
        Assert.Equal("interrupted", await Db.ScalarAsync<string>($"SELECT state FROM archiver_campaign_runs WHERE campaign_id = {campaign}"));

        var again = await CliRunner.RunAsync(["archive", "run"], settings);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains(", 0 conflicts resolved", again.Output, StringComparison.Ordinal);
        Assert.True(await Db.IsArchivedAsync(campaign));
    }

    [Fact]
    public async Task Dry_run_prints_the_plan_and_creates_nothing()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 2501);
        var settings = Settings();
        settings["Archive__Sets__0__Database"] = Db.Name + "_dry";

        var result = await CliRunner.RunAsync(["archive", "run", "--dry-run"], settings);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"would copy 2,501 contest_campaign_entries rows in 2 batches to {Db.Name}_dry, 0 vote_campaign_votes rows in 0 batches to {Db.VotesDb} (batches of up to 2,500)", result.Output, StringComparison.Ordinal);
        Assert.Null(await Db.Couch.GetDatabaseInfoAsync(Db.Name + "_dry"));
        Assert.False(await Db.IsArchivedAsync(campaign));
    }

    [Fact]
    public async Task The_campaign_option_archives_only_that_campaign()
    {
        var first = await Db.AddCompletedCampaignAsync();
        var second = await Db.AddCompletedCampaignAsync();

        var result = await CliRunner.RunAsync(["archive", "run", "--campaign", second.ToString(System.Globalization.CultureInfo.InvariantCulture)], Settings());

        Assert.Equal(0, result.ExitCode);
        Assert.False(await Db.IsArchivedAsync(first));
        Assert.True(await Db.IsArchivedAsync(second));
    }

    [Theory]
    [InlineData("Archive__BatchSize", "0", "archiver: configuration error: Archive:BatchSize must be between 1 and 10,000 (got 0).")]
    [InlineData("Archive__BatchSize", "lots", "archiver: configuration error: Failed to convert configuration value 'lots' at 'Archive:BatchSize'")]
    [InlineData("Archive__CompletedAfter", "soon", "archiver: configuration error: Failed to convert configuration value 'soon' at 'Archive:CompletedAfter'")]
    [InlineData("CouchDb__Url", "not a url", "archiver: configuration error: CouchDb:Url must be an absolute http or https URL")]
    [InlineData("ConnectionStrings__MySql", "Server=;Database=", "archiver: configuration error: ConnectionStrings:MySql names no Server.")]
    public async Task A_bad_setting_is_one_clear_line_not_a_stack_trace(string name, string value, string expected)
    {
        var settings = Settings();
        settings[name] = value;

        var result = await CliRunner.RunAsync(["archive", "run"], settings);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_are_found_in_the_working_directory_and_never_up_the_tree()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        var root = Directory.CreateTempSubdirectory("archiver-cli-").FullName;
        try
        {
            var settings = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Repository.File("appsettings.json")))!;
            settings["ConnectionStrings"]!["MySql"] = Db.ConnectionString;
            settings["CouchDb"]!["Url"] = TestServers.CouchDb.ToString();
            if (TestServers.CouchDbUser is { } user)
            {
                settings["CouchDb"]!["Username"] = user;
                settings["CouchDb"]!["Password"] = TestServers.CouchDbPassword;
            }

            settings["Archive"]!["Sets"]![0]!["Database"] = Db.EntriesDb;
            settings["Archive"]!["Sets"]![1]!["Database"] = Db.VotesDb;
            var nested = Directory.CreateDirectory(Path.Combine(root, "src", "Archiver.Cli")).FullName;

            // A broken file up the tree would stop any command that read it.
            await File.WriteAllTextAsync(Path.Combine(root, "appsettings.json"), "{ not json");
            await File.WriteAllTextAsync(Path.Combine(nested, "appsettings.json"), settings.ToJsonString());

            var result = await CliRunner.RunAsync(["archive", "run"], workingDirectory: nested);

            Assert.True(result.ExitCode == 0, result.Output + result.Error);
            Assert.True(await Db.IsArchivedAsync(campaign));

            var broken = await CliRunner.RunAsync(["archive", "status", "--settings", Path.Combine(root, "appsettings.json")], workingDirectory: nested);
            Assert.Equal(2, broken.ExitCode);
            Assert.StartsWith($"archiver: configuration error: {Path.Combine(root, "appsettings.json")}:1:3: not valid JSON", broken.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

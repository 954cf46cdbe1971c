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
    public async Task A_failure_exits_non_zero_with_one_line_naming_the_campaign_and_leaves_the_flag()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 5);

        var result = await CliRunner.RunAsync(["archive", "run"], Settings(couchUrl: "http://127.0.0.1:1/"));

        Assert.Equal(1, result.ExitCode);
        // Retries of the unreachable server are logged as warnings; the reason is one line of its own.
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("archiver:", StringComparison.Ordinal));
        Assert.StartsWith($"archiver: campaign {campaign} (Test campaign) not archived: CouchDB GET /{Db.EntriesDb} failed: unreachable", line, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));
    }

    [Fact]
    public async Task Ctrl_C_stops_between_batches_leaves_the_flag_and_exits_130()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 20_000);
        var settings = Settings();
        settings["Archive__BatchSize"] = "500";

        var result = await CliRunner.RunAsync(["archive", "run"], settings, interruptOn: "archiving 20,000 rows");

        Assert.True(result.ExitCode == 130, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        Assert.Contains($"FAILED campaign {campaign} (Test campaign): cancelled before it was verified; the flag was not set", result.Output, StringComparison.Ordinal);
        Assert.Contains("stopped     cancelled", result.Output, StringComparison.Ordinal);
        Assert.Contains($"archiver: campaign {campaign} (Test campaign) not archived: cancelled", result.Error, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));

        var again = await CliRunner.RunAsync(["archive", "run"], settings);
        Assert.Equal(0, again.ExitCode);
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
    public async Task Settings_are_found_in_the_nearest_appsettings_json_above_the_working_directory()
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
            await File.WriteAllTextAsync(Path.Combine(root, "appsettings.json"), settings.ToJsonString());
            var nested = Directory.CreateDirectory(Path.Combine(root, "src", "Archiver.Cli")).FullName;

            var result = await CliRunner.RunAsync(["archive", "run"], workingDirectory: nested);

            Assert.True(result.ExitCode == 0, result.Output + result.Error);
            Assert.True(await Db.IsArchivedAsync(campaign));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

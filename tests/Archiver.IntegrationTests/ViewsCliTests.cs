using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

/// <summary><c>archiver views deploy</c> and <c>archiver views status</c> as a process, against this test's databases.</summary>
public sealed class ViewsCliTests : DatabaseTest
{
    private const string Map = "function (doc) {\n  if (doc.type === 'rollup') {\n    emit(doc.campaign_id, doc.count);\n  }\n}\n";

    private Dictionary<string, string> Environment(ViewFiles files)
    {
        var environment = Db.CliEnvironment();
        environment["Views__Directory"] = files.Root;
        return environment;
    }

    [Fact]
    public async Task Views_deploy_refuses_a_broken_function_with_its_file_and_line_and_uploads_nothing()
    {
        using var files = new ViewFiles();
        files.Write("contest_campaign_entries/good/views/total/map.js", Map);
        files.Write("vote_campaign_votes/bad/views/total/map.js", "function (doc) {\n  emit(doc.campaign_id,, 1);\n}\n");

        var result = await CliRunner.RunAsync(["views", "deploy"], Environment(files));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("archiver: views/vote_campaign_votes/bad/views/total/map.js:2: does not compile:", result.Error, StringComparison.Ordinal);
        Assert.Null(await Db.Couch.GetDatabaseInfoAsync(Db.EntriesDb));
        Assert.Null(await Db.Couch.GetDatabaseInfoAsync(Db.VotesDb));
    }

    [Fact]
    public async Task Views_deploy_creates_then_skips_and_status_shows_deployed_in_sync_and_built()
    {
        using var files = new ViewFiles();
        files.Write("contest_campaign_entries/totals/views/total/map.js", Map).Write("contest_campaign_entries/totals/views/total/reduce.js", "_sum\n");

        var dryRun = await CliRunner.RunAsync(["views", "deploy", "--dry-run"], Environment(files));
        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains($"{Db.EntriesDb} _design/totals: would create (dry run)", dryRun.Output, StringComparison.Ordinal);
        Assert.Null(await Db.Couch.GetDatabaseInfoAsync(Db.EntriesDb));

        var first = await CliRunner.RunAsync(["views", "deploy", "--database", Db.EntriesDb], Environment(files));
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains($"{Db.EntriesDb} _design/totals: created", first.Output, StringComparison.Ordinal);

        var second = await CliRunner.RunAsync(["views", "deploy"], Environment(files));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("1 design documents: 1 unchanged", second.Output, StringComparison.Ordinal);

        var status = await CliRunner.RunAsync(["views", "status"], Environment(files));
        Assert.Equal(0, status.ExitCode);
        var line = Assert.Single(status.Output.Split('\n'), l => l.Contains("_design/totals", StringComparison.Ordinal));
        Assert.Matches(@"_design/totals\s+yes\s+yes\s+yes", line);
    }

    [Fact]
    public async Task Views_deploy_names_an_unknown_database()
    {
        using var files = new ViewFiles();
        files.Write("contest_campaign_entries/totals/views/total/map.js", Map);

        var result = await CliRunner.RunAsync(["views", "deploy", "--database", "nowhere"], Environment(files));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--database nowhere: no folder under views/ deploys to it", result.Error, StringComparison.Ordinal);
    }
}

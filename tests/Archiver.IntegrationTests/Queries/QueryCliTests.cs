using System.Text.Json;
using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests.Queries;

/// <summary><c>archiver query</c> as a process: the same JSON while a campaign is live and once it is archived; bad arguments exit 2 with one line.</summary>
public sealed class QueryCliTests : DatabaseTest
{
    [Fact]
    public async Task Query_answers_the_same_json_before_and_after_the_archive_and_refuses_bad_arguments()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 260);
        var environment = Db.CliEnvironment();
        string[][] commands =
        [
            ["query", "entries", $"{campaign}", "--page", "2", "--per-page", "100"],
            ["query", "entries", $"{campaign}", "--filter", "winners"],
            ["query", "count", $"{campaign}"],
            ["query", "stats", $"{campaign}", "--granularity", "minute", "--since", "2026-11-01T08:01:00Z", "--until", "2026-11-01T08:03:30Z"],
        ];

        var live = new List<string>();
        foreach (var command in commands)
        {
            var result = await CliRunner.RunAsync(command, environment);
            Assert.True(result.ExitCode == 0, string.Join(" ", command) + ": " + result.Error);
            live.Add(result.Output);
        }

        using (var page = JsonDocument.Parse(live[0]))
        {
            Assert.Equal(260, page.RootElement.GetProperty("total_entries").GetInt64());
            Assert.Equal(3, page.RootElement.GetProperty("total_pages").GetInt64());
            Assert.Equal(100, page.RootElement.GetProperty("items").GetArrayLength());
            Assert.Equal(101, page.RootElement.GetProperty("items")[0].GetProperty("entry_number").GetInt32());
        }

        Assert.Equal("260", live[2].Trim());

        var archive = await CliRunner.RunAsync(["archive", "run"], environment);
        Assert.True(archive.ExitCode == 0, archive.Error);
        var deploy = await CliRunner.RunAsync(["views", "deploy"], environment);
        Assert.True(deploy.ExitCode == 0, deploy.Error);
        Assert.True(await Db.IsArchivedAsync(campaign));
        await Db.ExecuteAsync("DELETE FROM contest_campaign_entries WHERE campaign_id = @c", new { c = campaign });

        for (var i = 0; i < commands.Length; i++)
        {
            var result = await CliRunner.RunAsync(commands[i], environment);
            Assert.True(result.ExitCode == 0, string.Join(" ", commands[i]) + ": " + result.Error);
            Assert.Equal(live[i], result.Output);
        }

        var badPage = await CliRunner.RunAsync(["query", "entries", $"{campaign}", "--page", "0"], environment);
        Assert.Equal(2, badPage.ExitCode);
        Assert.Contains("--page: must be at least 1 (got 0)", badPage.Error, StringComparison.Ordinal);
        var badToken = await CliRunner.RunAsync(["query", "entries", $"{campaign}", "--after", "nonsense"], environment);
        Assert.Equal(2, badToken.ExitCode);
        Assert.Contains("the page token is malformed", badToken.Error, StringComparison.Ordinal);
        var unknown = await CliRunner.RunAsync(["query", "count", "987654"], environment);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("campaign 987654 does not exist", unknown.Error, StringComparison.Ordinal);
    }
}

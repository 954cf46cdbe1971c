using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql.Schema;

namespace Archiver.IntegrationTests.Schema;

/// <summary>
/// Commands that only read never create or alter a table: with Archiver's tables (or the job
/// storage's, or the archive's databases) missing they say in one line what is missing and which
/// command installs it; <c>archiver db migrate</c> installs them.
/// </summary>
public sealed class ReadOnlyCommandTests : DatabaseTest
{
    protected override Task InitializeDatabasesAsync() => ArchiverSchemaTests.DropArchiverTablesAsync(Db);

    private Task<long> TableCountAsync(string like) =>
        Db.ScalarAsync<long>("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE @like", new { like });

    private static string OneLine(CliRunner.Result result) =>
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("archiver:", StringComparison.Ordinal));

    [Fact]
    public async Task Archive_status_names_the_missing_tables_and_the_command_that_installs_them()
    {
        await Db.AddCompletedCampaignAsync();

        var result = await CliRunner.RunAsync(["archive", "status"], Db.CliEnvironment());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"archiver: MySQL database {Db.Name} has no Archiver tables ({string.Join(", ", ArchiverSchema.Tables)}): install them with `archiver db migrate`", OneLine(result));
        Assert.Equal(0, await TableCountAsync("archiver%"));
    }

    [Fact]
    public async Task Jobs_list_names_the_missing_job_storage_and_the_command_that_installs_it()
    {
        var result = await CliRunner.RunAsync(["jobs", "list"], Db.CliEnvironment());

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"archiver: MySQL database {Db.Name} has no job storage tables (hangfire_*): install them with `archiver db migrate`", OneLine(result), StringComparison.Ordinal);
        Assert.Equal(0, await TableCountAsync("hangfire%"));
    }

    [Fact]
    public async Task Query_and_views_status_answer_without_creating_tables_or_databases()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 3);

        var count = await CliRunner.RunAsync(["query", "count", $"{campaign}"], Db.CliEnvironment());
        var views = await CliRunner.RunAsync(["views", "status"], Db.CliEnvironment());

        Assert.True(count.ExitCode == 0, count.Error);
        Assert.Equal("3", count.Output.Trim());
        Assert.True(views.ExitCode == 0, views.Error);
        Assert.Contains("to deploy (`archiver views deploy` deploys them)", views.Output, StringComparison.Ordinal);
        Assert.Equal(0, await TableCountAsync("archiver%"));
        Assert.Null(await Db.CouchInfoAsync(Db.EntriesDb));
        Assert.Null(await Db.CouchInfoAsync(Db.VotesDb));
    }

    [Fact]
    public async Task Db_migrate_installs_both_schemas_once_and_then_archive_status_answers()
    {
        var environment = Db.CliEnvironment();
        environment["MySql__AutoMigrate"] = "false";
        var campaign = await Db.AddCompletedCampaignAsync();
        var refused = await CliRunner.RunAsync(["archive", "run"], environment);
        Assert.Equal(2, refused.ExitCode);
        Assert.EndsWith("install them with `archiver db migrate`", OneLine(refused), StringComparison.Ordinal);

        var first = await CliRunner.RunAsync(["db", "migrate"], environment);
        var second = await CliRunner.RunAsync(["db", "migrate"], environment);
        var status = await CliRunner.RunAsync(["archive", "status"], environment);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains($"Archiver's tables in {Db.Name}: version 0 -> {ArchiverSchema.LatestVersion} (applied {string.Join(", ", ArchiverSchema.Migrations.Select(m => m.Name))})", first.Output, StringComparison.Ordinal);
        Assert.Contains($"job storage tables (hangfire_*) in {Db.Name}: version 0 -> 1", first.Output, StringComparison.Ordinal);
        Assert.Contains($"Archiver's tables in {Db.Name}: version {ArchiverSchema.LatestVersion}, current", second.Output, StringComparison.Ordinal);
        Assert.Contains($"job storage tables (hangfire_*) in {Db.Name}: version 1, current", second.Output, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains($"{campaign}", status.Output, StringComparison.Ordinal);
    }
}

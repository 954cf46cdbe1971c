using System.Net.Http.Json;
using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

/// <summary>
/// <c>archiver couchdb setup</c> as the test user (a server admin, or pouchdb-server's admin party)
/// creates the databases, makes a fresh user their member and deploys the design documents; then
/// archiving, purging and reading run as that member, who may not deploy design documents.
/// </summary>
public sealed class LeastPrivilegeTests : DatabaseTest
{
    [Fact]
    public async Task Setup_once_as_admin_then_archive_purge_and_read_as_a_member_who_may_not_deploy_views()
    {
        var member = $"archiver_member_{Guid.NewGuid():N}"[..28];
        var password = $"pw-{Guid.NewGuid():N}";
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 700);
        await Db.AddVotesAsync(await Db.AddCompletedCampaignAsync("vote"), 120);
        try
        {
            var admin = Db.CliEnvironment();
            admin["ARCHIVER_COUCHDB_MEMBER_PASSWORD"] = password;
            var setup = await CliRunner.RunAsync(["couchdb", "setup", "--member", member], admin);

            Assert.True(setup.ExitCode == 0, setup.Output + setup.Error);
            Assert.Contains($"user {member}: created (no roles)", setup.Output, StringComparison.Ordinal);
            foreach (var database in Db.ArchiveDatabases)
            {
                Assert.Contains($"database {database}: created, {member} made a member", setup.Output, StringComparison.Ordinal);
                using var security = await Db.Http.GetFromJsonAsync<System.Text.Json.JsonDocument>($"{database}/_security");
                Assert.Contains(member, security!.RootElement.GetProperty("members").GetProperty("names").EnumerateArray().Select(n => n.GetString()));
            }

            Assert.DoesNotContain(password, setup.Output + setup.Error, StringComparison.Ordinal);

            var asMember = Db.CliEnvironment();
            asMember["CouchDb__Username"] = member;
            asMember["CouchDb__Password"] = password;
            var archive = await CliRunner.RunAsync(["archive", "run"], asMember);
            Assert.True(archive.ExitCode == 0, archive.Output + archive.Error);
            Assert.Contains("campaigns   2 archived, 0 skipped, 0 failed", archive.Output, StringComparison.Ordinal);
            await ArchiveOracle.AssertExactAsync(Db, campaign);

            var count = await CliRunner.RunAsync(["query", "count", $"{campaign}"], asMember);
            Assert.True(count.ExitCode == 0, count.Error);
            Assert.Equal("700", count.Output.Trim());

            var purge = await CliRunner.RunAsync(["purge"], asMember);
            Assert.True(purge.ExitCode == 0, purge.Output + purge.Error);
            Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM contest_campaign_entries WHERE campaign_id = @campaign", new { campaign }));
            Assert.Equal("700", (await CliRunner.RunAsync(["query", "count", $"{campaign}"], asMember)).Output.Trim());

            // Design documents need an admin of the database: one line naming database, operation and role.
            using var changed = new ViewFiles();
            changed.Write("contest_campaign_entries/extra/views/all/map.js", "function (doc) {\n  emit(doc._id, null);\n}\n");
            asMember["Views__Directory"] = changed.Root;
            var deploy = await CliRunner.RunAsync(["views", "deploy"], asMember);
            Assert.NotEqual(0, deploy.ExitCode);
            var line = Assert.Single(deploy.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"/{Db.EntriesDb}/_design", line, StringComparison.Ordinal);
            Assert.Contains($"writing design document _design/extra.staging of database {Db.EntriesDb} needs an admin of that database", line, StringComparison.Ordinal);
            Assert.DoesNotContain(password, deploy.Output + deploy.Error, StringComparison.Ordinal);
        }
        finally
        {
            // The user is the only thing outside the test's databases.
            using var user = await Db.Http.GetAsync($"_users/org.couchdb.user:{member}");
            if (user.IsSuccessStatusCode && (await user.Content.ReadFromJsonAsync<System.Text.Json.JsonDocument>())!.RootElement.GetProperty("_rev").GetString() is { } rev)
            {
                using var deleted = await Db.Http.DeleteAsync($"_users/org.couchdb.user:{member}?rev={rev}");
            }
        }
    }

    [Fact]
    public async Task Setup_refuses_a_user_who_is_not_a_server_admin_in_one_line_naming_the_roles()
    {
        var member = $"archiver_member_{Guid.NewGuid():N}"[..28];
        var password = $"pw-{Guid.NewGuid():N}";
        using (var created = await Db.Http.PutAsJsonAsync($"_users/org.couchdb.user:{member}", new { name = member, password, roles = Array.Empty<string>(), type = "user" }))
        {
            created.EnsureSuccessStatusCode();
        }

        try
        {
            var environment = Db.CliEnvironment();
            environment["CouchDb__Username"] = member;
            environment["CouchDb__Password"] = password;

            var setup = await CliRunner.RunAsync(["couchdb", "setup", "--member", member], environment);

            Assert.Equal(2, setup.ExitCode);
            Assert.Equal($"archiver: configuration error: couchdb setup needs a CouchDB server admin, but CouchDb:Username '{member}' has roles []; set CouchDb__Username/CouchDb__Password to an admin for this command", setup.Error.Trim());
            Assert.Null(await Db.CouchInfoAsync(Db.EntryRollupsDb));
        }
        finally
        {
            using var user = await Db.Http.GetAsync($"_users/org.couchdb.user:{member}");
            if ((await user.Content.ReadFromJsonAsync<System.Text.Json.JsonDocument>())!.RootElement.TryGetProperty("_rev", out var rev))
            {
                using var deleted = await Db.Http.DeleteAsync($"_users/org.couchdb.user:{member}?rev={rev.GetString()}");
            }
        }
    }
}

using System.Text;
using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

/// <summary>
/// Marker passwords fed through every error path (refused settings, a broken connection string,
/// refused credentials, unreachable servers, the worker, doctor, a failed campaign's journal row):
/// no trace of them in any output or row, plain or base64.
/// </summary>
public sealed class SecretsTests : DatabaseTest
{
    private const string Marker = "Mk7qSecretPw";

    private static readonly string[] Traces =
    [
        Marker, "qSecretP", Convert.ToBase64String(Encoding.UTF8.GetBytes(Marker)),
        Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Marker)), Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + Marker)),
    ];

    public static TheoryData<string, string, string> Paths => new()
    {
        // Refused URLs that carry credentials.
        { "archive status", "CouchDb__Url", $"ftp://admin:{Marker}@127.0.0.1:47297/" },
        { "archive status", "CouchDb__Url", $"http//admin:{Marker}@127.0.0.1:5984/" },
        { "archive status", "CouchDb__Url", $"http://admin:{Marker}@127.0.0.1:99999/" },
        { "doctor", "CouchDb__Url", $"http://admin:{Marker}@127.0.0.1:5984/" },

        // A connection string the driver cannot parse (an unquoted ';' in the password), a refused one.
        { "archive status", "ConnectionStrings__MySql", $"Server=127.0.0.1;Port=3306;User ID=u;Password=abc;{Marker};Database=d" },
        { "jobs list", "ConnectionStrings__Hangfire", $"Server=127.0.0.1;Port=3306;User ID=u;Password=abc;{Marker};Database=d" },
        { "query count 1", "ConnectionStrings__MySql", $"Server=127.0.0.1;Port=1;User ID=u;Password={Marker};Database=d" },
        // The worker waits for a server that is not there yet; a refused password ends it at once.
        { "worker", "ConnectionStrings__MySql", $"Server={{server}};User ID=u;Password={Marker};Database=d" },

        // CouchDB credentials with a server that refuses them or is not there.
        { "archive run", "CouchDb__Password", Marker },
        { "views status", "CouchDb__Password", Marker },
        { "doctor", "CouchDb__Password", Marker },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task No_output_holds_a_trace_of_the_password(string command, string variable, string value)
    {
        var settings = Db.CliEnvironment();
        var server = new MySqlConnector.MySqlConnectionStringBuilder(TestServers.MySql);
        settings[variable] = value.Replace("{server}", $"{server.Server};Port={server.Port}", StringComparison.Ordinal);
        if (variable == "CouchDb__Password")
        {
            settings["CouchDb__Username"] = "admin";
            settings["CouchDb__Url"] = "http://127.0.0.1:1/";
        }

        var result = await CliRunner.RunAsync(command.Split(' '), settings);

        Assert.NotEqual(0, result.ExitCode);
        Assert.NotEqual(70, result.ExitCode);
        AssertNoTrace(result.Output + result.Error);
        CliUsageTests.AssertNoInternals(result.Error);
    }

    [Fact]
    public async Task A_failed_campaign_journal_row_holds_no_trace_of_the_password()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 3);
        var settings = Db.CliEnvironment();
        settings["CouchDb__Username"] = "admin";
        settings["CouchDb__Password"] = Marker;

        // Reachable for the preflight, then refusing: a proxy is overkill; an unknown database name is refused by CouchDB's name rules.
        settings["Archive__Sets__0__Database"] = "Bad-Name";
        var result = await CliRunner.RunAsync(["archive", "run"], settings);

        AssertNoTrace(result.Output + result.Error);
        var errors = await Db.ScalarAsync<string?>("SELECT GROUP_CONCAT(COALESCE(last_error, '')) FROM archiver_campaign_runs");
        AssertNoTrace(errors ?? "");
    }

    private static void AssertNoTrace(string text)
    {
        foreach (var trace in Traces)
        {
            Assert.DoesNotContain(trace, text, StringComparison.Ordinal);
        }
    }
}

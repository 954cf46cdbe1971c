using System.CommandLine;
using Archiver.Cli;
using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

/// <summary>
/// Every command with wrong usages: one line on stderr naming the option or argument, no stack
/// trace or .NET type name, and the exit code of the one table (which the README shows). A new
/// command fails <see cref="Every_command_has_a_wrong_usage_here"/> until it has a row.
/// </summary>
public sealed class CliUsageTests : DatabaseTest
{
    public static TheoryData<string, int, string> Usages => new()
    {
        { "", ExitCodes.Usage, "archiver: Required command was not provided." },
        { "bogus", ExitCodes.Usage, "archiver: Unrecognized command or argument 'bogus'" },
        { "archive run --max-runtime 5x", ExitCodes.Usage, "archiver: archive run: --max-runtime: '5x' is not a duration" },
        { "archive run --max-runtime -5m", ExitCodes.Usage, "archiver: archive run: --max-runtime: '-5m' is not a duration" },
        { "archive run --max-runtime 0", ExitCodes.Usage, "archiver: archive run: --max-runtime: must be more than zero (got '0')" },
        { "archive run --max-runtime 99999999999d", ExitCodes.Usage, "archiver: archive run: --max-runtime: '99999999999d' is longer than 3650d" },
        { "archive run --parallel 0", ExitCodes.Usage, "archiver: archive run: --parallel: must be between 1 and 64 (got 0)" },
        { "archive run --campaign abc", ExitCodes.Usage, "archiver: archive run: --campaign: 'abc' is not a whole number" },
        { "archive run --settings /nonexistent/appsettings.json", ExitCodes.Usage, "archiver: configuration error: settings file /nonexistent/appsettings.json does not exist (--settings)" },
        { "archive status --state nope", ExitCodes.Usage, "archiver: archive status: --state: 'nope' is not one of live, eligible" },
        { "purge --older-than yesterday", ExitCodes.Usage, "archiver: purge: --older-than: 'yesterday' is not a duration" },
        { "purge --older-than 99999999999d", ExitCodes.Usage, "archiver: purge: --older-than: '99999999999d' is longer than 3650d" },
        { "purge --max-runtime 0", ExitCodes.Usage, "archiver: purge: --max-runtime: must be more than zero" },
        { "purge --batch 0", ExitCodes.Usage, "archiver: purge: the batch size must be between 1 and 50,000 (got 0)" },
        { "views deploy --database", ExitCodes.Usage, "archiver: views deploy: Required argument missing for option: '--database'" },
        { "views status extra", ExitCodes.Usage, "archiver: views status: Unrecognized command or argument 'extra'" },
        { "query entries", ExitCodes.Usage, "archiver: query entries: missing argument <campaign>" },
        { "query entries 1 --page 0", ExitCodes.Usage, "archiver: query entries: --page: must be at least 1 (got 0)" },
        { "query entries 1 --filter some", ExitCodes.Usage, "archiver: query entries: Argument 'some' not recognized. Must be one of:" },
        { "query count abc", ExitCodes.Usage, "archiver: query count: campaign: 'abc' is not a whole number" },
        { "query user x", ExitCodes.Usage, "archiver: query user: user: 'x' is not a whole number" },
        { "query stats 1 --since notadate", ExitCodes.Usage, "archiver: query stats: --since: 'notadate' is not a time" },
        { "query stats 1 --until 9999-12-31T23:59:59.9999999", ExitCodes.Usage, "archiver: query stats: --until: '9999-12-31T23:59:59.9999999' is outside 1970-01-01 to 9999-01-01" },
        { "query votes 1 --granularity week", ExitCodes.Usage, "archiver: query votes: --granularity: 'week' is not minute, hour or day" },
        { "demo schema extra", ExitCodes.Usage, "archiver: demo schema: Unrecognized command or argument 'extra'" },
        { "demo seed --campaigns 0", ExitCodes.Usage, "archiver: demo seed: --campaigns must be at least 1" },
        { "doctor --fix", ExitCodes.Usage, "archiver: doctor: Unrecognized command or argument '--fix'" },
        { "worker now", ExitCodes.Usage, "archiver: worker: Unrecognized command or argument 'now'" },
        { "jobs list --all", ExitCodes.Usage, "archiver: jobs list: Unrecognized command or argument '--all'" },
        { "replicas sync --now", ExitCodes.Usage, "archiver: replicas sync: Unrecognized command or argument '--now'" },
        { "replicas status extra", ExitCodes.Usage, "archiver: replicas status: Unrecognized command or argument 'extra'" },
        { "db migrate --force", ExitCodes.Usage, "archiver: db migrate: Unrecognized command or argument '--force'" },
        { "couchdb setup --member", ExitCodes.Usage, "archiver: couchdb setup: Required argument missing for option: '--member'" },
        { "couchdb move-rollups now", ExitCodes.Usage, "archiver: couchdb move-rollups: Unrecognized command or argument 'now'" },
        { "jobs trigger", ExitCodes.Usage, "archiver: jobs trigger: missing argument <id>" },
        { "serve extra", ExitCodes.Usage, "archiver: serve: Unrecognized command or argument 'extra'" },
    };

    [Theory]
    [MemberData(nameof(Usages))]
    public async Task A_wrong_usage_is_one_line_and_the_usage_exit_code(string arguments, int exitCode, string message)
    {
        var result = await CliRunner.RunAsync(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), Db.CliEnvironment());

        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(message, line, StringComparison.Ordinal);
        AssertNoInternals(result.Output + result.Error);
    }

    [Fact]
    public async Task A_server_that_is_down_is_failed_work_naming_host_and_port()
    {
        var settings = Db.CliEnvironment();
        settings["ConnectionStrings__MySql"] = "Server=127.0.0.1;Port=1;User ID=u;Password=p;Database=d";
        foreach (var command in (string[][])[["archive", "status"], ["archive", "run"], ["purge"]])
        {
            var result = await CliRunner.RunAsync(command, settings);

            Assert.True(result.ExitCode == ExitCodes.Failure, $"{string.Join(' ', command)}: exit {result.ExitCode}: {result.Error}");
            Assert.Equal("archiver: MySQL at 127.0.0.1:1 is unreachable (is the server running? check ConnectionStrings:MySql)", result.Error.Trim());
        }
    }

    [Fact]
    public async Task A_job_storage_server_that_is_down_is_named_not_the_archive_s_server()
    {
        // Regression: with ConnectionStrings:Hangfire on a server of its own, jobs list and serve named
        // ConnectionStrings:MySql's server (which was up) as the one that could not be reached. (serve's
        // host opens the job storage while it is built, which once printed the driver's stack trace.)
        var settings = Db.CliEnvironment();
        settings["ConnectionStrings__Hangfire"] = "Server=127.0.0.1;Port=1;User ID=u;Password=p;Database=hf";
        var archive = new MySqlConnector.MySqlConnectionStringBuilder(TestServers.MySql);
        foreach (var command in (string[][])[["jobs", "list"], ["serve", "--urls", "http://127.0.0.1:0"]])
        {
            var result = await CliRunner.RunAsync(command, settings);

            Assert.True(result.ExitCode == ExitCodes.Failure, $"{string.Join(' ', command)}: exit {result.ExitCode}: {result.Error}");
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("MySQL at 127.0.0.1:1", line, StringComparison.Ordinal);
            Assert.DoesNotContain($":{archive.Port}", line, StringComparison.Ordinal);
            AssertNoInternals(line);
        }
    }

    [Fact]
    public async Task Serve_on_an_address_it_cannot_listen_on_is_a_usage_error_naming_the_address()
    {
        // Regression: the catch for Kestrel's bind failure expected a SocketException inside it, but
        // Kestrel wraps an AddressInUseException: the failure went out as failed work (exit 1) unexplained.
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";

        var result = await CliRunner.RunAsync(["serve", "--urls", url], Db.CliEnvironment());

        Assert.True(result.ExitCode == ExitCodes.Usage, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains($"archiver: cannot listen: Failed to bind to address {url}: address already in use.", result.Error, StringComparison.Ordinal);

        // An address this machine does not have (TEST-NET-1): Kestrel's bare SocketException was an "internal error" (exit 70).
        var foreign = await CliRunner.RunAsync(["serve", "--urls", "http://192.0.2.1:5080"], Db.CliEnvironment());
        Assert.True(foreign.ExitCode == ExitCodes.Usage, $"exit {foreign.ExitCode}: {foreign.Error}");
        Assert.Contains("archiver: cannot listen on http://192.0.2.1:5080: ", foreign.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_is_failed_work_naming_it_not_an_internal_error()
    {
        // Regression: archive status and doctor met the preflight's time limit as a bare cancellation,
        // which archive status reported as "internal error: The operation was canceled" (exit 70).
        using var silent = new SilentServer();
        var mysqlSilent = Db.CliEnvironment();
        mysqlSilent["ConnectionStrings__MySql"] = $"Server=127.0.0.1;Port={silent.Port};User ID=u;Password=p;Database=d;Connection Timeout=60";
        var couchSilent = Db.CliEnvironment();
        couchSilent["CouchDb__Url"] = $"http://127.0.0.1:{silent.Port}/";

        // Concurrently: each waits out the 10 s limit.
        var status = CliRunner.RunAsync(["archive", "status"], mysqlSilent);
        var doctor = CliRunner.RunAsync(["doctor"], couchSilent);

        var statusResult = await status;
        Assert.True(statusResult.ExitCode == ExitCodes.Failure, $"exit {statusResult.ExitCode}: {statusResult.Error}");
        Assert.Equal($"archiver: MySQL at 127.0.0.1:{silent.Port} did not answer within 10 s", statusResult.Error.Trim());
        var doctorResult = await doctor;
        Assert.Equal(ExitCodes.Failure, doctorResult.ExitCode);
        Assert.Contains($"✗ CouchDB: CouchDB at http://127.0.0.1:{silent.Port}/ did not answer within 10 s", doctorResult.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_has_a_wrong_usage_here()
    {
        var covered = Usages.Select(row => (string)row[0]).ToList();
        var missing = LeafCommands(CliApplication.Create(), "")
            .Where(path => !covered.Any(args => (args + " ").StartsWith(path + " ", StringComparison.Ordinal)))
            .ToList();
        Assert.True(missing.Count == 0, "commands without a wrong-usage row: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_README_exit_code_table_is_the_one_the_program_uses()
    {
        var readme = File.ReadAllLines(Path.Combine(Repository.Root, "README.md"));
        var start = Array.FindIndex(readme, l => l.StartsWith("| exit code |", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no '| exit code |' table");
        var rows = readme.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1])
            .Select(cells => (int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture), cells[1], cells[2]))
            .ToList();
        Assert.Equal(ExitCodes.Table.Select(r => (r.Code, r.Name, r.Meaning)), rows);
    }

    internal static void AssertNoInternals(string text)
    {
        foreach (var marker in (string[])["   at ", "Exception", "System.", "Unhandled", "Archiver.Jobs.", "(Parameter '"])
        {
            Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> LeafCommands(Command command, string path)
    {
        var here = command is RootCommand ? "" : (path.Length == 0 ? command.Name : path + " " + command.Name);
        if (command.Subcommands.Count == 0)
        {
            yield return here;
        }

        foreach (var sub in command.Subcommands.SelectMany(c => LeafCommands(c, here)))
        {
            yield return sub;
        }
    }
}

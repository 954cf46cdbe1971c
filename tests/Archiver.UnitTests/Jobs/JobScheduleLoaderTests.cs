using Archiver.Jobs;
using Archiver.Jobs.Schedules;

namespace Archiver.UnitTests.Jobs;

/// <summary>jobs/*.json: the shipped files, and start-up errors that name the file.</summary>
public sealed class JobScheduleLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("archiver-jobs-").FullName;

    [Fact]
    public void The_shipped_files_schedule_the_nightly_archive_at_two_utc_and_a_disabled_purge()
    {
        var root = RepositoryRoot();
        var schedules = JobScheduleLoader.Load(Path.Combine(root, "jobs"));

        var archive = Assert.Single(schedules, s => s.Id == "nightly-archive");
        Assert.Equal(("0 2 * * *", "UTC", JobNames.ArchiveCompletedCampaigns, JobNames.DefaultQueue, true), (archive.Cron, archive.TimeZone.Id, archive.Job, archive.Queue, archive.Enabled));
        var purge = Assert.Single(schedules, s => s.Id == "nightly-purge");
        Assert.Equal((JobNames.PurgeArchivedCampaigns, false, TimeSpan.FromDays(30)), (purge.Job, purge.Enabled, purge.OlderThan));
        var replicas = Assert.Single(schedules, s => s.Id == "replicas-sync");
        Assert.Equal(("*/5 * * * *", JobNames.SyncReplicas, JobNames.MaintenanceQueue, true), (replicas.Cron, replicas.Job, replicas.Queue, replicas.Enabled));
        Assert.Equal(3, schedules.Count);
    }

    [Fact]
    public void Defaults_apply_to_optional_fields_and_six_field_crons_are_accepted()
    {
        var schedule = JobScheduleLoader.Parse("x.json", """{ "id": "every-minute", "cron": "30 * * * * *", "job": "archive-completed-campaigns" }""");
        Assert.Equal((TimeZoneInfo.Utc.Id, "default", true, (TimeSpan?)null), (schedule.TimeZone.Id, schedule.Queue, schedule.Enabled, schedule.OlderThan));
    }

    [Theory]
    [InlineData("""{ "id": "a", "cron": "0 25 * * *", "job": "archive-completed-campaigns" }""", "\"cron\" '0 25 * * *' is not a valid cron expression")]
    [InlineData("""{ "id": "a", "cron": "every night", "job": "archive-completed-campaigns" }""", "\"cron\" 'every night' is not a valid cron expression")]
    [InlineData("""{ "id": "a", "job": "archive-completed-campaigns" }""", "\"cron\" is missing")]
    [InlineData("""{ "id": "a", "cron": "0 2 * * *", "job": "archive-everything" }""", "\"job\" 'archive-everything' is not a known job; use one of: archive-completed-campaigns, purge-archived-campaigns, sync-replicas")]
    [InlineData("""{ "id": "a", "cron": "0 2 * * *", "job": "archive-campaign" }""", "\"job\" 'archive-campaign' is not a known job")]
    [InlineData("""{ "id": "a", "cron": "0 2 * * *", "job": "archive-completed-campaigns", "timeZone": "Mars/Olympus" }""", "\"timeZone\" 'Mars/Olympus' is not a known time zone")]
    [InlineData("""{ "id": "a", "cron": "0 2 * * *", "job": "archive-completed-campaigns", "queue": "critical" }""", "\"queue\" 'critical' is not one the worker listens to (archive, maintenance, default)")]
    [InlineData("""{ "id": "a", "cron": "0 2 * * *", "job": "archive-completed-campaigns", "arguments": { "campaign": 7 } }""", "argument \"campaign\" is not one job archive-completed-campaigns takes (it takes: none)")]
    [InlineData("""{ "id": "a", "cron": "0 2 * * *", "job": "purge-archived-campaigns", "arguments": { "olderThan": "soon" } }""", "argument \"olderThan\" must be a time span")]
    [InlineData("""{ "id": "Nightly Archive", "cron": "0 2 * * *", "job": "archive-completed-campaigns" }""", "\"id\" must be lower-case letters, digits and dashes")]
    [InlineData("""{ "id": "a", "cron": "0 2 * * *", "job": "archive-completed-campaigns", "schedule": "x" }""", "is not a valid job file")]
    [InlineData("""{ "id": "a", "cron": """, "is not a valid job file")]
    public void A_bad_file_is_a_start_up_error_naming_the_file_and_the_problem(string json, string expected)
    {
        var path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<ArchiverConfigurationException>(() => JobScheduleLoader.Load(_directory));
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_files_with_one_id_are_refused_naming_both()
    {
        File.WriteAllText(Path.Combine(_directory, "a.json"), """{ "id": "nightly", "cron": "0 2 * * *", "job": "archive-completed-campaigns" }""");
        File.WriteAllText(Path.Combine(_directory, "b.json"), """{ "id": "nightly", "cron": "0 3 * * *", "job": "purge-archived-campaigns" }""");
        var error = Assert.Throws<ArchiverConfigurationException>(() => JobScheduleLoader.Load(_directory));
        Assert.Equal($"{Path.Combine(_directory, "b.json")}: id 'nightly' is also used by {Path.Combine(_directory, "a.json")}; each recurring job needs its own id", error.Message);
    }

    [Fact]
    public void A_missing_directory_names_the_key()
    {
        var error = Assert.Throws<ArchiverConfigurationException>(() => JobScheduleLoader.Load(Path.Combine(_directory, "nope")));
        Assert.Contains("Worker:JobsDirectory", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The checkout's root (the folder holding Archiver.sln), above the test's output folder.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Archiver.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("no Archiver.sln above " + AppContext.BaseDirectory);
    }
}

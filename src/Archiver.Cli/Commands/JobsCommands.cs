using System.CommandLine;
using System.Globalization;
using Archiver.Hangfire.MySql;
using Archiver.Hosting;
using Archiver.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Configuration;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver jobs list</c> and <c>archiver jobs trigger &lt;id&gt;</c>: the recurring jobs in the Hangfire storage.</summary>
internal static class JobsCommands
{
    public static Command Create()
    {
        var list = new Command("list", "Every recurring job in the Hangfire storage with its cron, queue, next run, last run and the last run's state.");
        list.SetAction((_, cancellationToken) => CliServices.RunAsync((_, _) => Task.FromResult(List()), cancellationToken));
        var id = new Argument<string>("id") { Description = "The recurring job's id (the \"id\" of its jobs/*.json file)." };
        var trigger = new Command("trigger", "Run a recurring job now: enqueue it once on its queue for the workers, leaving its schedule as it is.") { id };
        trigger.SetAction((parseResult, cancellationToken) => CliServices.RunAsync((_, _) => Task.FromResult(Trigger(parseResult.GetValue(id)!)), cancellationToken));
        return new Command("jobs", "Recurring jobs of archiver worker (schedules from jobs/*.json).") { list, trigger };
    }

    private static int List()
    {
        // Read-only: the job storage's tables are never created here, only reported missing.
        using var storage = OpenStorage(prepareSchema: false);
        using var connection = storage.GetConnection();
        var jobs = connection.GetRecurringJobs().OrderBy(j => j.Id, StringComparer.Ordinal).ToList();
        var c = CultureInfo.InvariantCulture;
        Console.Out.WriteLine(string.Create(c, $"{"id",-24}  {"cron",-14}  {"time zone",-10}  {"queue",-11}  {"next run (UTC)",-16}  {"last run (UTC)",-16}  {"last state",-10}  job"));
        foreach (var job in jobs)
        {
            var next = job.NextExecution is { } n ? n.ToString("yyyy-MM-dd HH:mm", c) : "-";
            var last = job.LastExecution is { } l ? l.ToString("yyyy-MM-dd HH:mm", c) : "-";
            var method = job.Job is { } j ? $"{j.Type.Name}.{j.Method.Name}" : "(cannot load: " + job.LoadException?.Message + ")";
            Console.Out.WriteLine(string.Create(c, $"{job.Id,-24}  {job.Cron,-14}  {job.TimeZoneId ?? "UTC",-10}  {Queue(job),-11}  {next,-16}  {last,-16}  {job.LastJobState ?? "-",-10}  {method}"));
            if (job.Error is { Length: > 0 } error)
            {
                Console.Out.WriteLine($"{"",2}error: {error}");
            }
        }

        Console.Out.WriteLine();
        Console.Out.WriteLine(string.Create(c, $"{jobs.Count} recurring job(s)"));
        return ExitCodes.Success;
    }

    /// <summary>Hangfire 1.8 keeps a recurring job's queue on its job (the storage's Job.Queue feature); the older hash field is a fallback.</summary>
    private static string Queue(RecurringJobDto job) => job.Job?.Queue ?? job.Queue ?? JobNames.DefaultQueue;

    private static int Trigger(string id)
    {
        using var storage = OpenStorage();
        using (var connection = storage.GetConnection())
        {
            if (!connection.GetRecurringJobs().Exists(j => string.Equals(j.Id, id, StringComparison.Ordinal)))
            {
                Console.Error.WriteLine($"archiver: no recurring job '{id}' (archiver jobs list shows them; a worker adds them from jobs/*.json)");
                return ExitCodes.Failure;
            }
        }

        var jobId = new RecurringJobManager(storage).TriggerJob(id);
        Console.Out.WriteLine($"triggered {id}: job {jobId} enqueued");
        return ExitCodes.Success;
    }

    private static MySqlStorage OpenStorage(bool prepareSchema = true)
    {
        var (connectionString, options) = StorageSettings();
        if (!prepareSchema)
        {
            JobStorageSchema.RequireCurrent(connectionString, options.TablePrefix);
            options.PrepareSchemaIfNecessary = false;
        }

        return new MySqlStorage(connectionString, options);
    }

    /// <summary>The job storage's connection string and validated options, as the worker reads them.</summary>
    internal static (string ConnectionString, MySqlStorageOptions Options) StorageSettings()
    {
        var configuration = ArchiverConfiguration.Build();
        var options = new MySqlStorageOptions();
        configuration.GetSection(MySqlStorageOptions.SectionName).Bind(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArchiverConfigurationException("configuration error: " + string.Join(" ", errors));
        }

        return (JobsServiceCollectionExtensions.StorageConnectionString(configuration), options);
    }
}

using System.CommandLine;
using System.Globalization;
using Archiver.Hangfire.MySql;
using Archiver.Jobs;
using Hangfire;
using Hangfire.Storage;
using Archiver.Cli.Output;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver jobs list</c> and <c>archiver jobs trigger &lt;id&gt;</c>: the recurring jobs in the Hangfire storage.</summary>
internal static class JobsCommands
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the jobs as JSON." };
        var list = new Command("list", "Every recurring job in the Hangfire storage with its cron, queue, next run, last run and the last run's state.") { json };
        list.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(parseResult, (services, _) => Task.FromResult(List(services, parseResult.GetValue(json))), cancellationToken, AddJobsReadOnly));
        var id = new Argument<string>("id") { Description = "The recurring job's id (the \"id\" of its jobs/*.json file)." };
        var trigger = new Command("trigger", "Run a recurring job now: enqueue it once on its queue for the workers, leaving its schedule as it is.") { id };
        trigger.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(parseResult, (services, _) => Task.FromResult(Trigger(services, parseResult.GetValue(id)!)), cancellationToken, AddJobs));
        return new Command("jobs", "Recurring jobs of archiver worker (schedules from jobs/*.json).") { list, trigger };
    }

    private static void AddJobs(IServiceCollection services, IConfiguration configuration) => services.AddArchiverJobs(configuration);

    /// <summary>As <see cref="AddJobs"/>, for a command that only reads: the storage never creates its tables.</summary>
    private static void AddJobsReadOnly(IServiceCollection services, IConfiguration configuration) =>
        services.AddArchiverJobs(configuration).PostConfigure<MySqlStorageOptions>(o => o.PrepareSchemaIfNecessary = false);

    private static int List(IServiceProvider services, bool json)
    {
        // Read-only: the job storage's tables are never created here, only reported missing.
        var (connectionString, options) = StorageSettings(services.GetRequiredService<IConfiguration>());
        JobStorageSchema.RequireCurrent(connectionString, options.TablePrefix);
        var storage = services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();
        var jobs = connection.GetRecurringJobs().OrderBy(j => j.Id, StringComparer.Ordinal).ToList();
        if (json)
        {
            JsonOutput.Write(jobs.Select(j => new
            {
                j.Id,
                j.Cron,
                TimeZone = j.TimeZoneId ?? "UTC",
                Queue = Queue(j),
                NextRun = j.NextExecution,
                LastRun = j.LastExecution,
                LastState = j.LastJobState,
                Job = j.Job is { } job ? $"{job.Type.Name}.{job.Method.Name}" : null,
                j.Error,
            }));
            return ExitCodes.Success;
        }

        var c = CultureInfo.InvariantCulture;
        var table = Terminal.Table("id", "cron", "time zone", "queue", "next run (UTC)", "last run (UTC)", "last state", "job");
        foreach (var job in jobs)
        {
            var next = job.NextExecution is { } n ? n.ToString("yyyy-MM-dd HH:mm", c) : "-";
            var last = job.LastExecution is { } l ? l.ToString("yyyy-MM-dd HH:mm", c) : "-";
            var method = job.Job is { } j ? $"{j.Type.Name}.{j.Method.Name}" : "(cannot load: " + job.LoadException?.Message + ")";
            table.AddTextRow([job.Id, job.Cron, job.TimeZoneId ?? "UTC", Queue(job), next, last, job.LastJobState ?? "-", method]);
            if (job.Error is { Length: > 0 } error)
            {
                table.AddTextRow(["", "", "", "", "", "", "error:", error]);
            }
        }

        Terminal.Write(Console.Out, table);
        Console.Out.WriteLine();
        Console.Out.WriteLine(string.Create(c, $"{jobs.Count} recurring job(s)"));
        return ExitCodes.Success;
    }

    /// <summary>Hangfire 1.8 keeps a recurring job's queue on its job (the storage's Job.Queue feature); the older hash field is a fallback.</summary>
    private static string Queue(RecurringJobDto job) => job.Job?.Queue ?? job.Queue ?? JobNames.DefaultQueue;

    private static int Trigger(IServiceProvider services, string id)
    {
        var storage = services.GetRequiredService<JobStorage>();
        using (var connection = storage.GetConnection())
        {
            if (!connection.GetRecurringJobs().Exists(j => string.Equals(j.Id, id, StringComparison.Ordinal)))
            {
                Console.Error.WriteLine($"archiver: jobs trigger: no recurring job '{id}' (archiver jobs list shows them; a worker adds them from jobs/*.json)");

                // Not found is failed work, as for an unknown campaign in archiver query.
                return ExitCodes.Failure;
            }
        }

        var jobId = services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(id);
        Console.Out.WriteLine($"triggered {id}: job {jobId} enqueued");
        return ExitCodes.Success;
    }

    /// <summary>The job storage's connection string (checked without echoing it) and validated options, as the worker reads them.</summary>
    internal static (string ConnectionString, MySqlStorageOptions Options) StorageSettings(IConfiguration configuration)
    {
        var options = new MySqlStorageOptions();
        configuration.GetSection(MySqlStorageOptions.SectionName).Bind(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArchiverConfigurationException("configuration error: " + string.Join(" ", errors));
        }

        var connectionString = JobsServiceCollectionExtensions.StorageConnectionString(configuration);
        if (Archiver.MySql.MySqlConnectionStrings.TryParse("ConnectionStrings:Hangfire", connectionString, out var error) is null)
        {
            throw new ArchiverConfigurationException("configuration error: " + error);
        }

        return (connectionString, options);
    }
}

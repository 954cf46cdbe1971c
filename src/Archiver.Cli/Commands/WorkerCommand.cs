using System.CommandLine;
using Archiver.Hosting;
using Archiver.Jobs;
using Archiver.Jobs.Schedules;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver worker</c>: a Hangfire server on the MySQL storage, running the schedules of <c>jobs/*.json</c> until stopped.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var worker = new Command(
            "worker",
            "Run a Hangfire worker on the archive, maintenance and default queues (Worker:WorkerCount jobs at once), after adding, updating and removing recurring jobs to match jobs/*.json. Run one or several; stop with Ctrl+C or SIGTERM.");
        worker.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, cancellationToken));
        return worker;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        IConfiguration? configuration = null;
        try
        {
            configuration = CliServices.Configuration(parseResult);

            // Every file is validated before the host exists: a bad schedule changes nothing.
            var schedules = JobScheduleLoader.Load(WorkerHost.JobsDirectory(configuration, configuration[ArchiverConfiguration.SettingsFileKey]));
            using var host = WorkerHost.Build(configuration, schedules, services =>
            {
                // The host logs a failed start with its stack trace; this command says it in one line instead.
                services.AddLogging(logging => logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
                if (KillSwitch.FromEnvironment() is { } killSwitch)
                {
                    services.AddSingleton<Archiver.Engine.IArchiveCheckpoints>(killSwitch);
                }
            });
            host.Services.ValidateArchiverOptions();
            GlobalJobFilters.Filters.Add(new JobLogFilter(host.Services.GetRequiredService<ILogger<JobLogFilter>>()));
            await WorkerHost.RunAsync(host, cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("archiver: worker stopped").ConfigureAwait(false);
            return ExitCodes.Success;
        }
#pragma warning disable CA1031 // One line and an exit code, as for every command.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return await CliServices.ReportAsync(ex, configuration, cancellationToken.IsCancellationRequested).ConfigureAwait(false);
        }
    }
}

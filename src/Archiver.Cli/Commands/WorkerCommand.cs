using System.CommandLine;
using Archiver.Hangfire.MySql;
using Archiver.Hosting;
using Archiver.Jobs;
using Archiver.Jobs.Schedules;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver worker</c>: a Hangfire server on the MySQL storage, running the schedules of <c>jobs/*.json</c> until stopped.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var worker = new Command(
            "worker",
            "Run a Hangfire worker on the archive, maintenance and default queues (Worker:WorkerCount jobs at once), after adding, updating and removing recurring jobs to match jobs/*.json. Run one or several; stop with Ctrl+C or SIGTERM.");
        worker.SetAction((_, cancellationToken) => RunAsync(cancellationToken));
        return worker;
    }

    private static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var settings = Environment.GetEnvironmentVariable(ArchiverConfiguration.PathVariable) ?? ArchiverConfiguration.Locate();
            var configuration = ArchiverConfiguration.Build();

            // Every file is validated before the host exists: a bad schedule changes nothing.
            var schedules = JobScheduleLoader.Load(WorkerHost.JobsDirectory(configuration, settings));
            using var host = WorkerHost.Build(configuration, schedules, services =>
            {
                if (KillSwitch.FromEnvironment() is { } killSwitch)
                {
                    services.AddSingleton<Archiver.Engine.IArchiveCheckpoints>(killSwitch);
                }
            });
            host.Services.ValidateArchiverOptions();
            await WorkerHost.RunAsync(host, cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("archiver: worker stopped").ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (ArchiverConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"archiver: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Configuration;
        }
        catch (MySqlStorageException ex)
        {
            await Console.Error.WriteLineAsync($"archiver: Hangfire storage: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (MySqlConnector.MySqlException ex)
        {
            await Console.Error.WriteLineAsync($"archiver: MySQL error while starting the worker: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}

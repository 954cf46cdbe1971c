using Archiver.Hosting;
using Archiver.Jobs.Schedules;
using Archiver.MySql;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace Archiver.Jobs;

/// <summary>
/// The generic host of <c>archiver worker</c>: Archiver's services through <c>AddArchiver</c>, the
/// Hangfire storage and a Hangfire server on the <c>archive</c>, <c>maintenance</c> and <c>default</c>
/// queues. The schedules are applied before the server starts. Stopping (SIGTERM, Ctrl+C) cancels
/// running jobs; the engine stops at its next batch and the job is delivered again later.
/// </summary>
public static class WorkerHost
{
    public static IHost Build(IConfiguration configuration, IReadOnlyList<JobSchedule> schedules, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddArchiverConsole(configuration);
        builder.Services.AddArchiver(configuration).AddArchiverJobs(configuration);
        builder.Services.AddSingleton(schedules);
        builder.Services.AddHostedService<ScheduleService>();
        builder.Services.AddHostedService<WorkerMetricsExporter>();
        builder.Services.AddHangfireServer((sp, server) =>
        {
            var worker = sp.GetRequiredService<IOptions<WorkerOptions>>().Value;
            server.Queues = [.. JobNames.Queues];
            server.WorkerCount = worker.WorkerCount;
            server.ShutdownTimeout = worker.ShutdownTimeout;
            server.SchedulePollingInterval = worker.SchedulePollingInterval;
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>
    /// Runs the worker until it is stopped (SIGTERM, SIGINT, <paramref name="cancellationToken"/>).
    /// First it waits for its MySQL servers (the archive's and the Hangfire storage's): a worker
    /// started before its database, as after a reboot, keeps trying with one log line per attempt
    /// instead of exiting, and starts working when they answer.
    /// </summary>
    public static async Task RunAsync(IHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var services = host.Services;
        var pipelines = services.GetRequiredService<ResiliencePipelineProvider<string>>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkerHost).FullName!);
        var servers = new[]
        {
            services.GetRequiredService<IOptions<MySqlSourceOptions>>().Value.ConnectionString,
            JobsServiceCollectionExtensions.StorageConnectionString(services.GetRequiredService<IConfiguration>()),
        };
        try
        {
            foreach (var connectionString in servers.Distinct(StringComparer.Ordinal))
            {
                await MySqlStartup.WaitAsync(connectionString, pipelines, cancellationToken).ConfigureAwait(false);
                Log.ServerReady(logger, MySqlStartup.Describe(connectionString));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while waiting: nothing was started, nothing to stop.
            return;
        }

        await host.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The jobs directory of <paramref name="configuration"/>: absolute, or relative to the settings file's folder, else the current one.</summary>
    public static string JobsDirectory(IConfiguration configuration, string? settingsFile)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new WorkerOptions();
        configuration.GetSection(WorkerOptions.SectionName).Bind(options);
        var root = settingsFile is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(settingsFile))!;
        return Path.GetFullPath(Path.Combine(root, options.JobsDirectory));
    }

    /// <summary>Applies the schedules when the host starts, before the Hangfire server (registered after it) begins.</summary>
    private sealed class ScheduleService(JobStorage storage, IReadOnlyList<JobSchedule> schedules, IOptions<WorkerOptions> worker, ILogger<ScheduleService> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            RecurringJobSync.Apply(storage, schedules, logger);
            Log.WorkerStarted(logger, worker.Value.WorkerCount, string.Join(", ", JobNames.Queues), storage.ToString() ?? "");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

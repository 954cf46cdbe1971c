using Archiver.Hosting;
using Archiver.Jobs.Schedules;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
        builder.Logging.AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true);
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

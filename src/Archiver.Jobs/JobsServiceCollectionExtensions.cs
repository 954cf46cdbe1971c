using Archiver.Hangfire.MySql;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.Jobs;

/// <summary>Registers the Hangfire storage, client and jobs on top of <c>AddArchiver</c>; the worker adds the server.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>The storage's connection string: <c>ConnectionStrings:Hangfire</c>, else the archive's own <c>ConnectionStrings:MySql</c>.</summary>
    public static string StorageConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetConnectionString("Hangfire") is { Length: > 0 } own ? own
            : configuration.GetConnectionString("MySql") is { Length: > 0 } shared ? shared
            : throw new ArchiverConfigurationException("configuration error: ConnectionStrings:Hangfire (or ConnectionStrings:MySql) is not set");
    }

    public static IServiceCollection AddArchiverJobs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        services.AddOptions<MySqlStorageOptions>().Bind(configuration.GetSection(MySqlStorageOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MySqlStorageOptions>, StorageOptionsValidator>();

        // Built on first use, after the options were validated; it installs the schema when needed.
        services.AddSingleton(sp => new MySqlStorage(
            StorageConnectionString(configuration), sp.GetRequiredService<IOptions<MySqlStorageOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<JobStorage>(sp => sp.GetRequiredService<MySqlStorage>());
        services.AddHangfire((sp, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<MySqlStorage>()));
        services.AddTransient<ArchiveJobs>();
        services.AddTransient<PurgeJobs>();
        services.AddTransient<ReplicaJobs>();
        return services;
    }
}

using System.Net.Http.Headers;
using System.Text;
using Archiver.CouchDb;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.MySql;
using Archiver.MySql.Queries;
using Archiver.Options;
using Archiver.Purge;
using Archiver.Queries;
using Archiver.Replication;
using Archiver.Resilience;
using Archiver.Source;
using Archiver.Views;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Polly.Registry;

namespace Archiver.Hosting;

/// <summary>The composition root: every host registers Archiver through <see cref="AddArchiver"/>.</summary>
public static class ArchiverServiceCollectionExtensions
{
    public static IServiceCollection AddArchiver(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ArchiveOptions>().Bind(configuration.GetSection(ArchiveOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ArchiveOptions>, ArchiveOptionsValidator>();

        // The legacy Retry section first, so that Resilience wins where both set a key.
        services.AddOptions<ResilienceOptions>()
            .Bind(configuration.GetSection(ResilienceOptions.LegacySectionName))
            .Bind(configuration.GetSection(ResilienceOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ResilienceOptions>, ResilienceOptionsValidator>();
        services.AddSingleton(sp => ArchiverPipelines.Create(
            sp.GetRequiredService<IOptions<ResilienceOptions>>().Value,
            ReplicaServices.Endpoints(sp),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<IOptions<ReplicaOptions>>().Value.Enabled ? ReplicaServices.Endpoints(sp) : null));
        services.AddSingleton<ResiliencePipelineProvider<string>>(sp => sp.GetRequiredService<ResiliencePipelineRegistry<string>>());

        services.AddOptions<CouchDbOptions>().Bind(configuration.GetSection(CouchDbOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CouchDbOptions>, CouchDbOptionsValidator>();

        services.AddOptions<MySqlSourceOptions>()
            .Bind(configuration.GetSection(MySqlSourceOptions.SectionName))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString(MySqlSourceOptions.ConnectionStringName) ?? "")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MySqlSourceOptions>, MySqlSourceOptionsValidator>();

        services.AddSingleton<MySqlDataSource>(sp => MySqlDataSourceFactory.Create(sp.GetRequiredService<IOptions<MySqlSourceOptions>>().Value.ConnectionString));
        services.AddSingleton<IArchiveSource, MySqlArchiveSource>();
        services.AddSingleton<IRunJournal, MySqlRunJournal>();
        services.AddSingleton<IShardJournal, MySqlShardJournal>();

        // One long-lived client: the factory's handler never expires, and its pooled connections are
        // renewed every few minutes so that a moved server (DNS) is found again. A singleton may hold
        // it, which a typed client rotated by the factory must not be.
        services.AddHttpClient(CouchDbClient.HttpClientName, (sp, http) =>
            {
                var couch = sp.GetRequiredService<IOptions<CouchDbOptions>>().Value;
                http.BaseAddress = couch.BaseAddress;

                // The endpoint's pipeline applies CouchDb:Timeout to each attempt, retries included.
                http.Timeout = Timeout.InfiniteTimeSpan;
                if (!string.IsNullOrEmpty(couch.Username))
                {
                    var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{couch.Username}:{couch.Password}"));
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
                }
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => new CouchDbClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(CouchDbClient.HttpClientName),
            sp.GetRequiredService<ILogger<CouchDbClient>>(),
            sp.GetRequiredService<IOptions<CouchDbOptions>>(),
            sp.GetRequiredService<ResiliencePipelineProvider<string>>()));
        services.AddSingleton<IDocumentStore>(sp => sp.GetRequiredService<CouchDbClient>());
        services.AddTransient<ArchiveEngine>();

        services.AddOptions<PurgeOptions>().Bind(configuration.GetSection(PurgeOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PurgeOptions>, PurgeOptionsValidator>();
        services.AddSingleton<IPurgeTarget, MySqlPurgeTarget>();
        services.AddTransient<PurgeEngine>();

        services.AddOptions<ViewsOptions>().Bind(configuration.GetSection(ViewsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ViewsOptions>, ViewsOptionsValidator>();
        services.AddSingleton<IFunctionChecker, NodeFunctionChecker>();
        services.AddSingleton<IDesignStore>(sp => sp.GetRequiredService<CouchDbClient>());
        services.AddTransient<ViewDeployer>();
        services.AddTransient<ViewStatusReader>();

        // The read API: one delegate over both stores, singletons because the archive's page
        // indexes and totals, and the delegate's archived-state cache, live for the process.
        services.AddOptions<QueryOptions>().Bind(configuration.GetSection(QueryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<QueryOptions>, QueryOptionsValidator>();
        services.AddSingleton<ILiveCampaignStore, MySqlCampaignStore>();
        services.AddArchiverReplicas(configuration);
        services.AddSingleton<ICampaignQueries, CampaignQueries>();
        return services;
    }

    /// <summary>
    /// Runs every options validator now, so that a bad value stops the process at start with a
    /// message naming the key, instead of failing halfway through a night's run.
    /// </summary>
    public static void ValidateArchiverOptions(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            throw new ArchiverConfigurationException("configuration error: " + string.Join(" ", ex.Failures), ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            var failures = ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures);
            throw new ArchiverConfigurationException("configuration error: " + string.Join(" ", failures), ex);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's own message names the key and the value it could not convert.
            throw new ArchiverConfigurationException("configuration error: " + ex.Message, ex);
        }
    }
}

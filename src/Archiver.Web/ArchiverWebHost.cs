using Archiver.Hosting;
using Archiver.Jobs;
using Archiver.Web.Api;
using Archiver.Web.Assets;
using Archiver.Web.Dashboard;
using Archiver.Web.Health;
using Archiver.Web.Metrics;
using Archiver.Web.Pages;
using Archiver.Web.Security;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Archiver.Web;

/// <summary>
/// The web host of <c>archiver serve</c>: Archiver's services through <c>AddArchiver</c> and
/// <c>AddArchiverJobs</c> (the same composition root as the CLI and the worker), the statistics
/// pages, <c>/api</c>, the Hangfire Dashboard, <c>/health/*</c> and <c>/metrics</c>.
/// </summary>
public static class ArchiverWebHost
{
    /// <summary>The generic host's own log category, which logs a failed start with its trace.</summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public static WebApplication Build(string[] args, string? settingsPath = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // The settings file is found as every other command finds it (--settings, ARCHIVER_SETTINGS, the
        // working directory, beside the program); environment variables and the command line still win.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(ArchiverConfiguration.Build(settingsPath));
        builder.Configuration.AddEnvironmentVariables("ASPNETCORE_");
        builder.Configuration.AddCommandLine(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(WebOptions.DefaultUrls);
        }

        builder.Logging.ClearProviders().AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true);

        // A start that fails (an address in use, a bad --urls) is reported by the caller in one line;
        // the generic host would first log it with Kestrel's whole stack trace (as in archiver worker).
        builder.Logging.AddFilter(HostCategory, LogLevel.Critical);
        AddServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        ArchiverMeterExporter.Start();
        Configure(app);
        return app;
    }

    public static async Task<int> RunAsync(string[] args, string? settingsPath = null, CancellationToken cancellationToken = default)
    {
        await using var app = Build(args, settingsPath);
        app.Services.ValidateArchiverOptions();
        app.Lifetime.ApplicationStarted.Register(() => Log.Listening(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Archiver.Web"), string.Join(", ", app.Urls)));
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static void AddServices(IServiceCollection services, ConfigurationManager configuration)
    {
        services.AddArchiver(configuration).AddArchiverJobs(configuration);
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        services.AddSingleton<CampaignDirectory>();
        services.AddSingleton<DashboardAccess>();
        services.AddHostedService<CampaignStateMetrics>();
        services.AddAuthorization();

        // Hangfire checks the token of every dashboard POST (trigger, requeue, delete) only when an
        // antiforgery service exists; without one a page of another site could post them through the
        // operator's browser, which the dashboard trusts by address or cached Basic credentials.
        services.AddAntiforgery();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Archiver read API";
            document.Info.Description = "Campaign data from MySQL while live and from the CouchDB archive once archived: the same records, pages and tokens as `archiver query`.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks()
            .AddCheck<MySqlHealthCheck>("mysql", tags: ["ready"], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<CouchDbHealthCheck>("couchdb", tags: ["ready"], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<JobStorageHealthCheck>("job-storage", tags: ["ready"], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<ViewsHealthCheck>("views", tags: ["ready"], timeout: TimeSpan.FromSeconds(10))
            .AddCheck<ReplicasHealthCheck>("replicas", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
    }

    private static void Configure(WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<ErrorResponses>();
        app.UseStatusCodePages(context => context.HttpContext.Response.HasStarted || context.HttpContext.Response.ContentLength is > 0
            ? Task.CompletedTask
            : ErrorResponses.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode, StatusText(context.HttpContext)));
        app.UseRouting();
        app.UseHttpMetrics();
        app.UseAuthorization();

        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        app.UseWhen(DashboardAccess.IsCrossSitePost, refused => refused.Run(context =>
            ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, "the dashboard takes no request sent from another site")));
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [app.Services.GetRequiredService<DashboardAccess>()],
            DisplayStorageConnectionString = false,
            DashboardTitle = "Archiver jobs",
            AppPath = "/campaigns",
            IsReadOnlyFunc = _ => web.Dashboard.ReadOnly,
        }, app.Services.GetRequiredService<JobStorage>());

        app.MapGet("/", () => Results.Redirect("/campaigns")).ExcludeFromDescription();
        app.MapGet("/assets/site.css", AssetFiles.StylesheetAsync).ExcludeFromDescription();
        app.MapGet("/campaigns", CampaignsPage.HandleAsync).ExcludeFromDescription();
        app.MapGet("/campaigns/{id}", CampaignPage.HandleAsync).ExcludeFromDescription();
        app.MapGet("/campaigns/{id}/{series}.{format}", SeriesDownloads.HandleAsync).ExcludeFromDescription();
        app.MapGet("/users/{id}", UserPage.HandleAsync).ExcludeFromDescription();
        ApiEndpoints.Map(app);
        app.MapOpenApi("/api/openapi.json");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapMetrics("/metrics");
    }

    private static string StatusText(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => $"there is no page at {context.Request.Path}",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed here; only GET",
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => "not allowed from this address without credentials",
        var status => $"the request failed with status {status}",
    };
}

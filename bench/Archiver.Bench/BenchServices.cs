using Archiver.Hosting;
using Archiver.Options;
using Archiver.Sets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Bench;

/// <summary>
/// Archiver's services for a measurement, composed as every host composes them (<c>AddArchiver</c>
/// over the repository's appsettings.json), with only where the servers are and which databases
/// to use replaced: the harness measures the code that ships, wired the way it ships.
/// </summary>
internal static class BenchServices
{
    /// <param name="root">The repository (its appsettings.json).</param>
    /// <param name="settings">Keys that differ for this measurement (<c>ConnectionStrings:MySql</c>, <c>CouchDb:Url</c>, …).</param>
    /// <param name="archiveDatabase">The CouchDB database of each archive set, by set; unchanged when null.</param>
    public static ServiceProvider Build(string root, IDictionary<string, string?> settings, Func<ArchiveSetOptions, string>? archiveDatabase = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(ArchiverConfiguration.Build(Path.Combine(root, ArchiverConfiguration.FileName)))
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection().AddLogging().AddArchiver(configuration);
        if (archiveDatabase is not null)
        {
            services.PostConfigure<ArchiveOptions>(archive =>
            {
                foreach (var set in archive.Sets)
                {
                    set.Database = archiveDatabase(set);
                }
            });
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.ValidateArchiverOptions();
        return provider;
    }
}

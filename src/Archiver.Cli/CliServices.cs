using Archiver.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archiver.Cli;

/// <summary>
/// Builds the service provider for one command and turns failures into one-line reasons and exit
/// codes. Everything Archiver prints for people goes to stdout; logs and errors go to stderr.
/// </summary>
internal static class CliServices
{
    /// <param name="action">The command's work.</param>
    /// <param name="cancellationToken">Ctrl+C or SIGTERM.</param>
    /// <param name="addServices">More registrations on top of <c>AddArchiver</c> (e.g. <c>AddArchiverJobs</c>).</param>
    public static async Task<int> RunAsync(
        Func<IServiceProvider, CancellationToken, Task<int>> action, CancellationToken cancellationToken, Action<IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration>? addServices = null)
    {
        try
        {
            var configuration = ArchiverConfiguration.Build();
            var services = new ServiceCollection()
                .AddLogging(logging => logging
                    .AddConfiguration(configuration.GetSection("Logging"))
                    // The CLI prints every campaign's outcome itself; the engine's log would repeat it.
                    .AddFilter("Archiver.Engine", LogLevel.Error)
                    .AddSimpleConsole(o => o.SingleLine = true)
                    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
                .AddArchiver(configuration);
            addServices?.Invoke(services, configuration);
            if (KillSwitch.FromEnvironment() is { } killSwitch)
            {
                services.AddSingleton<Archiver.Engine.IArchiveCheckpoints>(killSwitch);
            }

            await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
            provider.ValidateArchiverOptions();
            return await action(provider, cancellationToken).ConfigureAwait(false);
        }
        catch (ArchiverConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"archiver: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Configuration;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("archiver: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (ArchiverException ex)
        {
            await Console.Error.WriteLineAsync($"archiver: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The last line of defence: a bug still gets a one-line reason and a distinct exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync($"archiver: unexpected error: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync(ex.StackTrace).ConfigureAwait(false);
            return ExitCodes.Unexpected;
        }
    }
}

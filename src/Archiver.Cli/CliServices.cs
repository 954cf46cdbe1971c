using System.CommandLine;
using Archiver.Cli.Errors;
using Archiver.Hangfire.MySql;
using Archiver.Hosting;
using Archiver.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archiver.Cli;

/// <summary>
/// Runs one command: loads the configuration (the settings file from <c>--settings</c> or the
/// documented places), builds the service provider, validates every option, and turns any failure
/// into one line on stderr and an exit code of <see cref="ExitCodes"/> through <see cref="CliErrors"/>.
/// Everything Archiver prints for people goes to stdout; logs and errors go to stderr.
/// <para>
/// A new command follows the same pattern: its action calls <see cref="RunAsync"/> with the parse
/// result and a delegate that returns an exit code; it throws (an <see cref="ArchiverException"/>
/// subclass for a failure, <see cref="ArchiverConfigurationException"/> for a bad setting) instead of
/// printing errors itself.
/// </para>
/// </summary>
internal static class CliServices
{
    /// <summary>The worker's sections, checked for unknown keys like Archiver's own.</summary>
    public static IReadOnlyList<KeyValuePair<string, Type>> HostSections { get; } =
    [
        new(WorkerOptions.SectionName, typeof(WorkerOptions)),
        new(MySqlStorageOptions.SectionName, typeof(MySqlStorageOptions)),
    ];

    /// <summary>Loads the configuration for <paramref name="parseResult"/>'s <c>--settings</c>; the redactor learns its secrets at once.</summary>
    public static IConfigurationRoot Configuration(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var configuration = ArchiverConfiguration.Build(parseResult.GetValue(GlobalOptions.Settings), HostSections);
        Redactor.Learn(configuration);
        return configuration;
    }

    /// <param name="parseResult">The command line (its <c>--settings</c>).</param>
    /// <param name="action">The command's work.</param>
    /// <param name="cancellationToken">Ctrl+C or SIGTERM.</param>
    /// <param name="addServices">More registrations on top of <c>AddArchiver</c> (e.g. <c>AddArchiverJobs</c>).</param>
    public static async Task<int> RunAsync(
        ParseResult parseResult, Func<IServiceProvider, CancellationToken, Task<int>> action, CancellationToken cancellationToken,
        Action<IServiceCollection, IConfiguration>? addServices = null)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(action);
        IConfigurationRoot? configuration = null;
        try
        {
            configuration = Configuration(parseResult);
            var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddLogging(logging => logging
                    .AddArchiverConsole(configuration)

                    // A command prints its own progress and outcome; the services' Information lines
                    // would repeat it (the worker, which prints nothing else, keeps them).
                    .AddFilter("Archiver", LogLevel.Warning)
                    .AddFilter("Archiver.Engine", LogLevel.Error))
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
#pragma warning disable CA1031 // The one place every command's failure becomes a line and an exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return await ReportAsync(ex, configuration, cancellationToken.IsCancellationRequested).ConfigureAwait(false);
        }
    }

    /// <summary>Prints <paramref name="exception"/> as one line (details only with <c>ARCHIVER_DEBUG=1</c>) and returns its exit code.</summary>
    public static async Task<int> ReportAsync(Exception exception, IConfiguration? configuration, bool interrupted)
    {
        var (exitCode, message) = CliErrors.Describe(exception, configuration, interrupted);
        await Console.Error.WriteLineAsync($"archiver: {message}").ConfigureAwait(false);
        if (exitCode == ExitCodes.Unexpected && Environment.GetEnvironmentVariable("ARCHIVER_DEBUG") is "1" or "true")
        {
            await Console.Error.WriteLineAsync(exception.ToString()).ConfigureAwait(false);
        }

        return exitCode;
    }

    /// <summary>A one-line usage error from inside an action (a value the parser cannot judge alone).</summary>
    public static async Task<int> UsageAsync(string message)
    {
        await Console.Error.WriteLineAsync($"archiver: {message}").ConfigureAwait(false);
        return ExitCodes.Usage;
    }
}

using System.CommandLine;
using Archiver.Web;
using Microsoft.Extensions.Configuration;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver serve [--urls URL]</c>: the statistics pages, <c>/api</c>, the jobs dashboard, health and metrics.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Where to listen, e.g. http://127.0.0.1:8080 (default: ASPNETCORE_URLS, else the Urls setting, else {WebOptions.DefaultUrls}).",
            HelpName = "url",
        };
        var serve = new Command("serve", "Serve the statistics pages, the JSON API (/api), the Hangfire Dashboard (/hangfire), /health/live, /health/ready and /metrics until stopped.") { urls };
        serve.SetAction((result, cancellationToken) => RunAsync(result, result.GetValue(urls), cancellationToken));
        return serve;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, string? urls, CancellationToken cancellationToken)
    {
        IConfiguration? configuration = null;
        try
        {
            // The host loads its own copy; this one teaches the redactor the secrets before the host
            // logs anything, and lets CliErrors name the servers in a failure.
            configuration = CliServices.Configuration(parseResult);
            await ArchiverWebHost.RunAsync(urls is null ? [] : ["--urls", urls], parseResult.GetValue(GlobalOptions.Settings), cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("archiver: server stopped").ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Kestrel's "Failed to bind to address http://127.0.0.1:5080: address already in use.".
            await Console.Error.WriteLineAsync($"archiver: cannot listen: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // Kestrel lets any other refusal out as it is ("Cannot assign requested address" for an address
            // this machine does not have), without naming the address.
            await Console.Error.WriteLineAsync($"archiver: cannot listen on {urls ?? "the configured Urls"}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (FormatException ex)
        {
            // A malformed --urls value.
            await Console.Error.WriteLineAsync($"archiver: --urls: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
#pragma warning disable CA1031 // One line and an exit code, as for every command: a server that is down at start is not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return await CliServices.ReportAsync(ex, configuration, cancellationToken.IsCancellationRequested).ConfigureAwait(false);
        }
    }
}

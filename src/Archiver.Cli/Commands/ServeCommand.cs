using System.CommandLine;
using Archiver.Web;

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
        serve.SetAction((result, cancellationToken) => RunAsync(result.GetValue(urls), result.GetValue(GlobalOptions.Settings), cancellationToken));
        return serve;
    }

    private static async Task<int> RunAsync(string? urls, string? settings, CancellationToken cancellationToken)
    {
        try
        {
            await ArchiverWebHost.RunAsync(urls is null ? [] : ["--urls", urls], settings, cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("archiver: server stopped").ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (ArchiverConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"archiver: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException or null)
        {
            // Kestrel's "Failed to bind to address http://127.0.0.1:5080: address already in use."
            await Console.Error.WriteLineAsync($"archiver: cannot listen: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (FormatException ex)
        {
            // A malformed --urls value.
            await Console.Error.WriteLineAsync($"archiver: --urls: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }
}

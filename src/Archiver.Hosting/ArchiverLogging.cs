using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Archiver.Hosting;

/// <summary>
/// The console logging of every host: one line per event with a UTC timestamp, on stderr, the
/// formatter chosen by the standard <c>Logging:Console:FormatterName</c> (<c>simple</c> by default,
/// <c>json</c> for a log shipper, <c>systemd</c>), Archiver's own events at Information, the HTTP
/// client's per-request lines off. Every default here is a rule that <c>Logging:LogLevel</c> in the
/// settings can override with a more specific category.
/// </summary>
public static class ArchiverLogging
{
    public static ILoggingBuilder AddArchiverConsole(this ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        logging.AddConfiguration(configuration.GetSection("Logging"));

        // Rules by category prefix: more specific than the settings' "Default", less than any category the settings name.
        logging.AddFilter("Archiver", LogLevel.Information);
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        // AddConsole, not AddSimpleConsole: the latter sets FormatterName in code, after the
        // settings are bound, and so would ignore Logging:Console:FormatterName.
        // A FormatterName left null makes the provider copy its obsolete options over the
        // formatter's (no timestamp, two lines per event): name the default here, after the
        // settings were bound, so that a configured name still wins.
        logging.AddConsole(o =>
        {
            o.LogToStandardErrorThreshold = LogLevel.Trace;
            o.FormatterName ??= ConsoleFormatterNames.Simple;
        });
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ ";
            o.UseUtcTimestamp = true;
        });
        logging.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        logging.Services.Configure<ConsoleFormatterOptions>(o => o.UseUtcTimestamp = true);
        return logging;
    }
}

using System.Text.Json;
using Archiver.CouchDb;
using Archiver.Options;
using Archiver.Purge;
using Archiver.Queries;
using Archiver.Resilience;
using Archiver.Views;
using Microsoft.Extensions.Configuration;

namespace Archiver.Hosting;

/// <summary>
/// The one place that finds and loads the settings file, for every host. In order: an explicit path
/// (<c>--settings</c>, or the <c>ARCHIVER_SETTINGS</c> variable), then <c>appsettings.json</c> in the
/// working directory, then beside the program. Never up the directory tree: a stray file in a parent
/// folder must not win silently. Beside the chosen file, <c>appsettings.{Environment}.json</c>
/// (<c>DOTNET_ENVIRONMENT</c>) is layered on top, and environment variables override any key with
/// the usual <c>__</c> separator (<c>Archive__BatchSize</c>, <c>ConnectionStrings__MySql</c>).
/// </summary>
public static class ArchiverConfiguration
{
    public const string FileName = "appsettings.json";

    /// <summary>Environment variable naming an explicit settings file.</summary>
    public const string PathVariable = "ARCHIVER_SETTINGS";

    /// <summary>The standard .NET variable naming the environment (<c>Production</c>, <c>Development</c>).</summary>
    public const string EnvironmentVariable = "DOTNET_ENVIRONMENT";

    /// <summary>The key under which the loaded settings file's full path is kept, so that <c>views/</c> and <c>jobs/</c> are found beside it without locating it again.</summary>
    public const string SettingsFileKey = "Archiver:SettingsFile";

    /// <summary>Archiver's own sections and their options classes: a key in them that no property reads is reported at start.</summary>
    public static IReadOnlyList<KeyValuePair<string, Type>> Sections { get; } =
    [
        new(ArchiveOptions.SectionName, typeof(ArchiveOptions)),
        new(CouchDbOptions.SectionName, typeof(CouchDbOptions)),
        new(PurgeOptions.SectionName, typeof(PurgeOptions)),
        new(QueryOptions.SectionName, typeof(QueryOptions)),
        new(Archiver.Replication.ReplicaOptions.SectionName, typeof(Archiver.Replication.ReplicaOptions)),
        new(ResilienceOptions.SectionName, typeof(ResilienceOptions)),
        new(ResilienceOptions.LegacySectionName, typeof(ResilienceOptions)),
        new(ViewsOptions.SectionName, typeof(ViewsOptions)),
    ];

    /// <summary>
    /// Loads the configuration; <paramref name="moreSections"/> are further hosts' sections (the
    /// worker's) checked for unknown keys like Archiver's own.
    /// </summary>
    /// <exception cref="ArchiverConfigurationException">The file is missing or not valid JSON (named with line and column), or a key is unknown.</exception>
    public static IConfigurationRoot Build(string? explicitPath = null, IEnumerable<KeyValuePair<string, Type>>? moreSections = null)
    {
        var path = Locate(explicitPath);
        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            AddJson(builder, path, optional: false);
            var environment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(environment))
            {
                AddJson(builder, Path.Combine(Path.GetDirectoryName(path)!, $"appsettings.{environment.Trim()}.json"), optional: true);
            }

            builder.AddInMemoryCollection([new(SettingsFileKey, path)]);
        }

        builder.AddEnvironmentVariables();
        var configuration = builder.Build();
        UnknownKeys.Check(configuration, moreSections is null ? Sections : Sections.Concat(moreSections));
        return configuration;
    }

    /// <summary>The settings file to load (full path), or null when there is none in the documented places.</summary>
    /// <exception cref="ArchiverConfigurationException">An explicit path names no file.</exception>
    public static string? Locate(string? explicitPath = null)
    {
        var named = string.IsNullOrWhiteSpace(explicitPath) ? Environment.GetEnvironmentVariable(PathVariable) : explicitPath;
        if (!string.IsNullOrWhiteSpace(named))
        {
            var full = Path.GetFullPath(named);
            return File.Exists(full)
                ? full
                : throw new ArchiverConfigurationException($"configuration error: settings file {full} does not exist{(explicitPath is null ? $" ({PathVariable})" : " (--settings)")}");
        }

        foreach (var folder in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var candidate = Path.GetFullPath(Path.Combine(folder, FileName));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The folder of the loaded settings file, for <c>views/</c> and <c>jobs/</c>; null without one.</summary>
    public static string? SettingsFolder(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[SettingsFileKey] is { Length: > 0 } path ? Path.GetDirectoryName(path) : null;
    }

    private static void AddJson(ConfigurationBuilder builder, string path, bool optional)
    {
        if (!File.Exists(path))
        {
            if (optional)
            {
                return;
            }

            throw new ArchiverConfigurationException($"configuration error: settings file {path} does not exist");
        }

        // The JSON provider's own error names no line; parse once with its settings to say where.
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            throw new ArchiverConfigurationException(FormattableString.Invariant($"configuration error: {path}:{line}:{column}: not valid JSON: {JsonReason(ex.Message)}"), ex);
        }

        builder.AddJsonFile(path, optional: false, reloadOnChange: false);
    }

    /// <summary>System.Text.Json's reason without its "LineNumber: … | BytePositionInLine: …" tail, which the caller says better.</summary>
    private static string JsonReason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (path >= 0 && (cut < 0 || path < cut))
        {
            cut = path;
        }

        return (cut >= 0 ? message[..cut] : message).Trim().TrimEnd('.', '|').Trim();
    }
}

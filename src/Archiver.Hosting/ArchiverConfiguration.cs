using Microsoft.Extensions.Configuration;

namespace Archiver.Hosting;

/// <summary>
/// Loads <c>appsettings.json</c> from the repository root (or beside the program) and lets
/// environment variables override any key with the usual <c>__</c> separator
/// (<c>Archive__BatchSize</c>, <c>ConnectionStrings__MySql</c>).
/// </summary>
public static class ArchiverConfiguration
{
    public const string FileName = "appsettings.json";

    /// <summary>Environment variable naming an explicit settings file.</summary>
    public const string PathVariable = "ARCHIVER_SETTINGS";

    public static IConfigurationRoot Build(string? explicitPath = null)
    {
        var path = explicitPath ?? Environment.GetEnvironmentVariable(PathVariable) ?? Locate();
        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new ArchiverConfigurationException($"configuration error: settings file {path} does not exist");
            }

            builder.AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new ArchiverConfigurationException($"configuration error: {path} is not valid JSON: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new ArchiverConfigurationException($"configuration error: {path} is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The nearest <c>appsettings.json</c> above the current directory, else above the program's own
    /// folder: <c>dotnet run --project src/Archiver.Cli</c> from anywhere in the checkout finds the
    /// root file, and an installed copy finds the file beside it.
    /// </summary>
    public static string? Locate()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, FileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}

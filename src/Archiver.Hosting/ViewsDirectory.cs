using Archiver.Views;

namespace Archiver.Hosting;

/// <summary>Where the <c>views/</c> folder is: <c>Views:Directory</c> when set, else beside the settings file (the repository root), else in the current directory.</summary>
public static class ViewsDirectory
{
    public static string Resolve(ViewsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.Directory))
        {
            return Path.GetFullPath(options.Directory);
        }

        var settings = Environment.GetEnvironmentVariable(ArchiverConfiguration.PathVariable) ?? ArchiverConfiguration.Locate();
        if (settings is not null && Path.GetDirectoryName(Path.GetFullPath(settings)) is { } folder && Directory.Exists(Path.Combine(folder, "views")))
        {
            return Path.Combine(folder, "views");
        }

        return Path.GetFullPath("views");
    }
}

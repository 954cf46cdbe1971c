using Archiver.Views;
using Microsoft.Extensions.Configuration;

namespace Archiver.Hosting;

/// <summary>Where the <c>views/</c> folder is: <c>Views:Directory</c> when set, else beside the settings file, else in the current directory.</summary>
public static class ViewsDirectory
{
    public static string Resolve(ViewsOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.Directory))
        {
            return Path.GetFullPath(options.Directory);
        }

        if (ArchiverConfiguration.SettingsFolder(configuration) is { } folder && Directory.Exists(Path.Combine(folder, "views")))
        {
            return Path.Combine(folder, "views");
        }

        return Path.GetFullPath("views");
    }
}

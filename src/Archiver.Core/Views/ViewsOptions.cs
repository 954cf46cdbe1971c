namespace Archiver.Views;

/// <summary>The <c>Views</c> configuration section: where design documents live as files and how they are deployed.</summary>
public sealed class ViewsOptions
{
    public const string SectionName = "Views";

    /// <summary>The <c>views/</c> folder; empty means <c>views</c> beside the settings file (the repository root), else in the current directory.</summary>
    public string Directory { get; set; } = "";

    /// <summary>The Node.js executable that checks every function before upload.</summary>
    public string Node { get; set; } = "node";

    /// <summary>How often a deploy reports the progress of an index build.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);
}

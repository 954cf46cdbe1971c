using Archiver.Sets;

namespace Archiver.Options;

/// <summary>The <c>Archive</c> configuration section.</summary>
public sealed class ArchiveOptions
{
    public const string SectionName = "Archive";

    /// <summary>Documents per <c>_bulk_docs</c> request (CouchDB suggests one to ten thousand).</summary>
    public int BatchSize { get; set; } = 2500;

    /// <summary>How long after <c>ends_at</c> a campaign becomes eligible, by the database's clock.</summary>
    public TimeSpan CompletedAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>The tables archived for every campaign (appsettings.json ships contest entries and votes). A campaign is flagged only when every set is verified.</summary>
    public IList<ArchiveSetOptions> Sets { get; } = [];
}

namespace Archiver.Web;

/// <summary>The <c>Web</c> configuration section: <c>archiver serve</c>'s pages, API and dashboard.</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>Where <c>archiver serve</c> listens when neither <c>--urls</c>, <c>ASPNETCORE_URLS</c> nor <c>Urls</c> says.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Rows per page when the request does not say (at most <c>Queries:MaxPerPage</c>).</summary>
    public int DefaultPerPage { get; set; } = 50;

    /// <summary>The per-page choices the pages offer (each at most <c>Queries:MaxPerPage</c>).</summary>
    public IList<int> PerPageChoices { get; set; } = [10, 50, 100, 500];

    /// <summary>The most buckets one chart or series may hold; a wider range is refused with a 400.</summary>
    public int MaxChartBuckets { get; set; } = 2_000;

    /// <summary>How long browsers and proxies may keep an archived campaign's answers (they never change).</summary>
    public TimeSpan ArchivedMaxAge { get; set; } = TimeSpan.FromHours(1);

    public DashboardAccessOptions Dashboard { get; set; } = new();
}

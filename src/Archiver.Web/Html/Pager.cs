using Microsoft.AspNetCore.Http.Extensions;

namespace Archiver.Web.Html;

/// <summary>
/// will_paginate's links: First, Previous, the pages around the current one (inner window 4) and at
/// each end (outer window 1) with gaps between, Next, Last, and the per-page choices. Every link
/// keeps the request's other parameters.
/// </summary>
internal static class Pager
{
    private const int InnerWindow = 4;
    private const int OuterWindow = 1;

    /// <summary>The page numbers to show, with 0 standing for a gap.</summary>
    public static IReadOnlyList<long> Numbers(long current, long total)
    {
        var window = new SortedSet<long>();
        for (var page = Math.Max(1, current - InnerWindow); page <= Math.Min(total, current + InnerWindow); page++)
        {
            window.Add(page);
        }

        for (var page = 1L; page <= Math.Min(total, 1 + OuterWindow); page++)
        {
            window.Add(page);
        }

        for (var page = Math.Max(1, total - OuterWindow); page <= total; page++)
        {
            window.Add(page);
        }

        var result = new List<long>();
        long previous = 0;
        foreach (var page in window)
        {
            if (page > previous + 1)
            {
                result.Add(0);
            }

            result.Add(page);
            previous = page;
        }

        return result;
    }

    public static Html Links(HttpRequest request, long current, long total, int perPage, IEnumerable<int> perPageChoices, string fragment = "")
    {
        var parts = new List<Html>();
        Html Link(string label, long page, string rel) => page == current || page < 1 || page > total
            ? Html.Of($"""<span class="disabled {rel}">{label}</span>""")
            : Html.Of($"""<a class="{rel}" rel="{rel}" href="{Url(request, ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)))}{fragment}">{label}</a>""");

        parts.Add(Link("« First", 1, "first"));
        parts.Add(Link("‹ Previous", current - 1, "prev"));
        foreach (var page in Numbers(current, total))
        {
            parts.Add(page == 0 ? Html.Raw("""<span class="gap">…</span>""")
                : page == current ? Html.Of($"""<em class="current" aria-current="page">{page}</em>""")
                : Html.Of($"""<a href="{Url(request, ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)))}{fragment}">{page}</a>"""));
        }

        parts.Add(Link("Next ›", current + 1, "next"));
        parts.Add(Link("Last »", total, "last"));
        var choices = perPageChoices.Select(choice => choice == perPage
            ? Html.Of($"""<em class="current">{choice}</em>""")
            : Html.Of($"""<a href="{Url(request, ("per_page", choice.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("page", null))}{fragment}">{choice}</a>"""));
        return Html.Of($"""<nav class="pagination" aria-label="pages">{parts}<span class="per-page">per page: {choices}</span></nav>""");
    }

    /// <summary>The request's path and query with <paramref name="changes"/> applied (a null value removes the parameter).</summary>
    public static string Url(HttpRequest request, params (string Name, string? Value)[] changes)
    {
        var values = request.Query
            .Where(p => !changes.Any(c => c.Name == p.Key))
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))
            .Concat(changes.Where(c => c.Value is not null).Select(c => new KeyValuePair<string, string?>(c.Name, c.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal);
        var query = new QueryBuilder(values.Select(p => new KeyValuePair<string, string>(p.Key, p.Value ?? ""))).ToQueryString();
        return request.PathBase + request.Path + query;
    }
}

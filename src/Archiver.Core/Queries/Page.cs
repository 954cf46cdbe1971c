using System.Text.Json.Serialization;

namespace Archiver.Queries;

/// <summary>
/// One page, will_paginate style: pages count from 1, <see cref="TotalPages"/> is 1 for an empty
/// list (as will_paginate has it), and a page beyond the last is empty but keeps its totals.
/// <see cref="NextToken"/> continues from this page's last item without counting pages again
/// (null on the last page).
/// </summary>
public sealed record Page<T>
{
    public Page(IReadOnlyList<T> items, int currentPage, int perPage, long totalEntries, string? nextToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        CurrentPage = currentPage;
        PerPage = perPage;
        TotalEntries = totalEntries;
        TotalPages = totalEntries == 0 ? 1 : (totalEntries + perPage - 1) / perPage;
        NextToken = currentPage < TotalPages ? nextToken : null;
    }

    [JsonPropertyName("items")]
    public IReadOnlyList<T> Items { get; }

    [JsonPropertyName("current_page")]
    public int CurrentPage { get; }

    [JsonPropertyName("per_page")]
    public int PerPage { get; }

    [JsonPropertyName("total_entries")]
    public long TotalEntries { get; }

    [JsonPropertyName("total_pages")]
    public long TotalPages { get; }

    [JsonPropertyName("previous_page")]
    public int? PreviousPage => CurrentPage > 1 ? CurrentPage - 1 : null;

    [JsonPropertyName("next_page")]
    public int? NextPage => CurrentPage < TotalPages ? CurrentPage + 1 : null;

    /// <summary>will_paginate's <c>out_of_bounds?</c>: the page is past the last one.</summary>
    [JsonPropertyName("out_of_bounds")]
    public bool OutOfBounds => CurrentPage > TotalPages;

    /// <summary>Opaque: give it to the same query's token form to read the next page by keyset.</summary>
    [JsonPropertyName("next_token")]
    public string? NextToken { get; }
}

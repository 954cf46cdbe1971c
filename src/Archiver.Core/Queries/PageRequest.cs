using System.Globalization;

namespace Archiver.Queries;

/// <summary>
/// Which page to read: by number (<see cref="Number"/>) or by the token a previous page gave
/// (<see cref="After"/>). Bounds are checked by the query, which knows <see cref="QueryOptions.MaxPerPage"/>.
/// </summary>
public sealed record PageRequest
{
    private PageRequest(int page, int perPage, string? token)
    {
        PageNumber = page;
        PerPage = perPage;
        Token = token;
    }

    /// <summary>The page number asked for (1 is the first); 0 for a token request.</summary>
    public int PageNumber { get; }

    /// <summary>Items per page; 0 for a token request, whose token carries it.</summary>
    public int PerPage { get; }

    public string? Token { get; }

    /// <summary>Page <paramref name="page"/> (from 1) of <paramref name="perPage"/> items.</summary>
    public static PageRequest Number(int page, int perPage) => new(page, perPage, null);

    /// <summary>The page after the one that returned <paramref name="token"/> as its <c>NextToken</c>.</summary>
    public static PageRequest After(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return new(0, 0, token);
    }

    public override string ToString() =>
        Token is null ? string.Create(CultureInfo.InvariantCulture, $"page {PageNumber}, per_page {PerPage}") : "page after token";
}

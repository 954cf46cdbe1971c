using System.Globalization;
using Archiver.Queries;

namespace Archiver.Web.Input;

/// <summary>
/// Reads and bounds every value a request may carry (ids, page, per_page, dates, granularity,
/// names). Anything else is refused with an <see cref="InvalidInputException"/> naming the
/// parameter, the value and what would be accepted.
/// </summary>
internal static class WebInput
{
    /// <summary>Longest value of any parameter; longer is refused before it is parsed.</summary>
    public const int MaxValueLength = 200;

    /// <summary>Pages beyond this are refused; a campaign of 10,000,000 entries at one per page still fits.</summary>
    public const int MaxPage = 10_000_000;

    public static DateTime Earliest => new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime Latest => new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static long Id(string? text, string what)
    {
        if (text is null || text.Length > 19 || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            throw new InvalidInputException($"{what} '{Shorten(text)}' is not an id (a whole number from 1 to {long.MaxValue})");
        }

        return id;
    }

    public static string? Text(IQueryCollection query, string name, int maxLength = MaxValueLength)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new InvalidInputException($"{name} is given {values.Count} times; give it once");
        }

        var value = values[0];
        if (value is { Length: var length } && length > maxLength)
        {
            throw new InvalidInputException($"{name} is {length} characters long; at most {maxLength}");
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    public static int Int(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var text = Text(query, name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new InvalidInputException($"{name} '{Shorten(text)}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    public static int Page(IQueryCollection query) => Int(query, "page", 1, 1, MaxPage);

    public static int PerPage(IQueryCollection query, int fallback, int max) => Int(query, "per_page", fallback, 1, max);

    /// <summary>A page by number, or by <c>after</c> (a token from a previous page), not both.</summary>
    public static PageRequest PageRequest(IQueryCollection query, int fallbackPerPage, int maxPerPage)
    {
        var after = Text(query, "after", 1_000);
        if (after is null)
        {
            return Queries.PageRequest.Number(Page(query), PerPage(query, fallbackPerPage, maxPerPage));
        }

        if (query.ContainsKey("page") || query.ContainsKey("per_page"))
        {
            throw new InvalidInputException("give either after (a next_token) or page and per_page, not both");
        }

        return Queries.PageRequest.After(after);
    }

    public static Granularity Granularity(IQueryCollection query, Granularity fallback) => Text(query, "granularity") switch
    {
        null => fallback,
        "minute" => Queries.Granularity.Minute,
        "hour" => Queries.Granularity.Hour,
        "day" => Queries.Granularity.Day,
        var other => throw new InvalidInputException($"granularity '{Shorten(other)}' is not one of minute, hour, day"),
    };

    public static DateTime? Time(IQueryCollection query, string name)
    {
        var text = Text(query, name, 40);
        if (text is null)
        {
            return null;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            || time < Earliest || time > Latest)
        {
            throw new InvalidInputException($"{name} '{Shorten(text)}' is not a UTC time from 1970 to 9999 (ISO-8601, e.g. 2026-11-20T14:00Z)");
        }

        return DateTime.SpecifyKind(time, DateTimeKind.Utc);
    }

    /// <summary>One of <paramref name="allowed"/>, or <paramref name="fallback"/> when absent.</summary>
    public static string Choice(IQueryCollection query, string name, string fallback, params string[] allowed)
    {
        var text = Text(query, name);
        if (text is null)
        {
            return fallback;
        }

        return allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw new InvalidInputException($"{name} '{Shorten(text)}' is not one of {string.Join(", ", allowed)}");
    }

    public static string Format(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    public static string Name(Granularity granularity) => granularity switch
    {
        Queries.Granularity.Minute => "minute",
        Queries.Granularity.Hour => "hour",
        _ => "day",
    };

    /// <summary>A value quoted back in an error: its start only, so an error never echoes a long input.</summary>
    public static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";
}

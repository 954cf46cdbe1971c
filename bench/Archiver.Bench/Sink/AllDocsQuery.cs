using System.Globalization;
using System.Text.Json;

namespace Archiver.Bench.Sink;

/// <summary>The <c>_all_docs</c> parameters the sink understands; anything else it refuses rather than answer wrongly.</summary>
internal sealed record AllDocsQuery
{
    public string? StartKey { get; init; }

    public string? EndKey { get; init; }

    public bool InclusiveEnd { get; init; } = true;

    public int? Limit { get; init; }

    public int Skip { get; init; }

    public bool IncludeDocs { get; init; }

    /// <summary>Parses query-string parameters (values URL-decoded, keys JSON-encoded as CouchDB wants them); null and an error when one is not supported.</summary>
    public static AllDocsQuery? Parse(IEnumerable<KeyValuePair<string, string>> parameters, out string? error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var query = new AllDocsQuery();
        error = null;
        foreach (var (name, value) in parameters)
        {
            switch (name)
            {
                case "startkey" or "start_key":
                    query = query with { StartKey = JsonKey(name, value, ref error) };
                    break;
                case "endkey" or "end_key":
                    query = query with { EndKey = JsonKey(name, value, ref error) };
                    break;
                case "inclusive_end":
                    query = query with { InclusiveEnd = Flag(name, value, ref error) };
                    break;
                case "include_docs":
                    query = query with { IncludeDocs = Flag(name, value, ref error) };
                    break;
                case "limit":
                    query = query with { Limit = Number(name, value, ref error) };
                    break;
                case "skip":
                    query = query with { Skip = Number(name, value, ref error) };
                    break;
                case "descending" when value == "false":
                case "update_seq" or "stale" or "update" or "stable" or "conflicts":
                    break;
                default:
                    error ??= $"query parameter {name} is not supported by the discard sink";
                    break;
            }
        }

        return error is null ? query : null;
    }

    private static string? JsonKey(string name, string value, ref string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind == JsonValueKind.String)
            {
                return document.RootElement.GetString();
            }
        }
        catch (JsonException)
        {
            // Reported below, like any other key that is not a JSON string.
        }

        error ??= $"{name} must be a JSON string (document ids are strings), not {value}";
        return null;
    }

    private static bool Flag(string name, string value, ref string? error)
    {
        if (value is "true" or "false")
        {
            return value == "true";
        }

        error ??= $"{name} must be true or false, not {value}";
        return false;
    }

    private static int Number(string name, string value, ref string? error)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        error ??= $"{name} must be a non-negative integer, not {value}";
        return 0;
    }
}

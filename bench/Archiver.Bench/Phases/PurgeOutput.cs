using System.Globalization;
using System.Text.RegularExpressions;

namespace Archiver.Bench.Phases;

/// <summary>
/// Picks the delete phase's rate out of a purge's printed summary, loosely, because the summary's
/// wording is not a contract: the first line that mentions deleting and gives either a rate
/// ("… 85,000 rows/s") or a duration ("… in 2.4 s"). No such line: no delete-phase figure; the
/// total, timed from outside, is reported regardless.
/// </summary>
internal static partial class PurgeOutput
{
    public static double? DeletePhaseRowsPerSecond(IEnumerable<string> lines, long rowsDeleted)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            if (!line.Contains("delet", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (RatePattern().Match(line) is { Success: true } rate)
            {
                return Number(rate.Groups[1].Value);
            }

            if (SecondsPattern().Match(line) is { Success: true } seconds && rowsDeleted > 0 && Number(seconds.Groups[1].Value) is > 0 and var s)
            {
                return rowsDeleted / s;
            }
        }

        return null;
    }

    private static double Number(string text) => double.Parse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"([\d,]+(?:\.\d+)?)\s*rows?\s*/\s*s", RegexOptions.IgnoreCase)]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"([\d,]*\d(?:\.\d+)?)\s*(?:s|sec|seconds)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SecondsPattern();
}

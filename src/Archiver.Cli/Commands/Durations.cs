using System.CommandLine.Parsing;
using System.Globalization;

namespace Archiver.Cli.Commands;

/// <summary>
/// Parses a duration option: <c>500ms</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c> (as pt-archiver's
/// <c>--run-time</c> takes them), or a .NET time span such as <c>01:30:00</c> or <c>7.00:00:00</c>.
/// </summary>
internal static class Durations
{
    private static readonly (string Suffix, Func<double, TimeSpan> Make)[] Units =
    [
        ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes), ("h", TimeSpan.FromHours), ("d", TimeSpan.FromDays),
    ];

    public static TimeSpan? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
        if (TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"{result.Parent switch { OptionResult o => o.Option.Name, _ => "duration" }}: '{text}' is not a duration (use e.g. 500ms, 90s, 15m, 2h, 7d or 01:30:00)");
        return null;
    }

    internal static bool TryParse(string text, out TimeSpan value)
    {
        foreach (var (suffix, make) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                && !(suffix == "m" && text.EndsWith("ms", StringComparison.OrdinalIgnoreCase)))
            {
                value = make(amount);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }
}

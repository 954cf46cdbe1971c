using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Archiver.Cli.Commands;

/// <summary>
/// Duration options: <c>500ms</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c> (as pt-archiver's
/// <c>--run-time</c> takes them), or a .NET time span such as <c>01:30:00</c> or <c>7.00:00:00</c>;
/// at most <see cref="Longest"/>. Every command's duration option is made here, so they all accept
/// and refuse the same things with the same words.
/// </summary>
internal static class Durations
{
    /// <summary>Ten years: longer is a typo, and would overflow the clock arithmetic.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    private static readonly (string Suffix, double Unit)[] Units =
    [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ];

    public static Option<TimeSpan?> Option(string name, string description, bool positive) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = result => Parse(result, positive),
    };

    private static TimeSpan? Parse(ArgumentResult result, bool positive)
    {
        var name = result.Parent is OptionResult o ? o.Option.Name : "duration";
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
        if (!TryParse(text, out var value))
        {
            result.AddError($"{name}: '{text}' is not a duration (use e.g. 500ms, 90s, 15m, 2h, 7d or 01:30:00)");
            return null;
        }

        if (value > Longest)
        {
            result.AddError($"{name}: '{text}' is longer than 3650d");
            return null;
        }

        if (positive && value <= TimeSpan.Zero)
        {
            result.AddError($"{name}: must be more than zero (got '{text}')");
            return null;
        }

        return value;
    }

    internal static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        foreach (var (suffix, unit) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && !(suffix == "s" && text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                // Compared in milliseconds as a double first: TimeSpan would overflow on 99999999999d.
                var milliseconds = amount * unit;
                if (milliseconds > Longest.TotalMilliseconds * 2)
                {
                    value = TimeSpan.MaxValue;
                    return true;
                }

                value = TimeSpan.FromMilliseconds(milliseconds);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }
}

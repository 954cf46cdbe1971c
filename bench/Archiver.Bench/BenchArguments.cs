using System.Globalization;

namespace Archiver.Bench;

/// <summary>The checks every benchmark's options share: counts with a floor, and a BENCHMARKS.md section key.</summary>
internal static class BenchArguments
{
    public static int Number(string value, int minimum, string what = "number") =>
        int.TryParse(value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new ArgumentException($"{value} is not a {what} of at least {minimum:N0}");

    /// <summary>Refuses a key that would not survive as a marker comment in BENCHMARKS.md.</summary>
    public static void CheckRecordKey(string? key)
    {
        if (key is not null && !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"--record takes letters, digits, - and _ only, not {key}");
        }
    }
}

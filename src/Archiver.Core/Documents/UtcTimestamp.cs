using System.Globalization;
using System.Text.Json;

namespace Archiver.Documents;

/// <summary>The archive's one timestamp format: ISO-8601, UTC, milliseconds, e.g. <c>2026-11-20T14:05:09.123Z</c>.</summary>
public static class UtcTimestamp
{
    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";
    private const int Length = 24;

    /// <summary>Reads a timestamp written by <see cref="Write(Utf8JsonWriter, string, DateTime)"/> back as a UTC <see cref="DateTime"/>; false for any other text.</summary>
    public static bool TryParse(string? text, out DateTime time) =>
        DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>Writes a MySQL DATETIME value, which the schema defines as UTC whatever its <see cref="DateTime.Kind"/>.</summary>
    public static void Write(Utf8JsonWriter writer, string propertyName, DateTime value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> buffer = stackalloc byte[Length];
        writer.WriteString(propertyName, Utf8(value, buffer));
    }

    /// <summary>As <see cref="Write(Utf8JsonWriter, string, DateTime)"/>, with a name encoded once per set (the per-row path).</summary>
    public static void Write(Utf8JsonWriter writer, JsonEncodedText propertyName, DateTime value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> buffer = stackalloc byte[Length];
        writer.WriteString(propertyName, Utf8(value, buffer));
    }

    /// <summary>
    /// The text as UTF-8 digits written by hand: every row carries a timestamp that is written twice
    /// (body and canonical form), and a custom format string is parsed on every call, which the
    /// profile of a 200,000-row run showed as the largest single cost of building a document.
    /// The same text as <see cref="Format"/> (which <see cref="TryParse"/> reads).
    /// </summary>
    private static ReadOnlySpan<byte> Utf8(DateTime value, Span<byte> buffer)
    {
        value.Deconstruct(out int year, out int month, out int day);
        Digits(buffer[..4], year);
        buffer[4] = (byte)'-';
        Digits(buffer.Slice(5, 2), month);
        buffer[7] = (byte)'-';
        Digits(buffer.Slice(8, 2), day);
        buffer[10] = (byte)'T';
        Digits(buffer.Slice(11, 2), value.Hour);
        buffer[13] = (byte)':';
        Digits(buffer.Slice(14, 2), value.Minute);
        buffer[16] = (byte)':';
        Digits(buffer.Slice(17, 2), value.Second);
        buffer[19] = (byte)'.';
        Digits(buffer.Slice(20, 3), value.Millisecond);
        buffer[23] = (byte)'Z';
        return buffer[..Length];
    }

    private static void Digits(Span<byte> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}

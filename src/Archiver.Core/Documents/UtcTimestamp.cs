using System.Globalization;
using System.Text.Json;

namespace Archiver.Documents;

/// <summary>The archive's one timestamp format: ISO-8601, UTC, milliseconds, e.g. <c>2026-11-20T14:05:09.123Z</c>.</summary>
public static class UtcTimestamp
{
    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";
    private const int Length = 24;

    /// <summary>Reads a timestamp written by <see cref="Write"/> back as a UTC <see cref="DateTime"/>; false for any other text.</summary>
    public static bool TryParse(string? text, out DateTime time) =>
        DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>Writes a MySQL DATETIME value, which the schema defines as UTC whatever its <see cref="DateTime.Kind"/>.</summary>
    public static void Write(Utf8JsonWriter writer, string propertyName, DateTime value)
    {
        Span<char> buffer = stackalloc char[Length];
        value.TryFormat(buffer, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteString(propertyName, buffer[..written]);
    }
}

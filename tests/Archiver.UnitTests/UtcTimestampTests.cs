using System.Text;
using System.Text.Json;
using Archiver.Documents;

namespace Archiver.UnitTests;

public sealed class UtcTimestampTests
{
    [Fact]
    public void A_written_timestamp_reads_back_as_the_same_UTC_time_and_other_text_is_refused()
    {
        var time = new DateTime(2026, 11, 20, 14, 5, 9, 123, DateTimeKind.Utc);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            UtcTimestamp.Write(writer, "t", time);
            writer.WriteEndObject();
        }

        var text = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray())).RootElement.GetProperty("t").GetString();
        Assert.Equal("2026-11-20T14:05:09.123Z", text);
        Assert.True(UtcTimestamp.TryParse(text, out var read));
        Assert.Equal((time, DateTimeKind.Utc), (read, read.Kind));

        foreach (var other in new[] { "2026-11-20T14:05:09Z", "2026-11-20T14:05:09.123", "2026-11-20 14:05:09.123Z", "", null })
        {
            Assert.False(UtcTimestamp.TryParse(other, out _), other);
        }
    }

    [Theory]
    [InlineData(2026, 11, 20, 14, 5, 9, 123)]
    [InlineData(1, 1, 1, 0, 0, 0, 0)]
    [InlineData(999, 12, 31, 23, 59, 59, 999)]
    [InlineData(9999, 12, 31, 23, 59, 59, 999)]
    [InlineData(2000, 2, 29, 9, 7, 3, 40)]
    public void The_hand_written_digits_are_the_text_of_the_format_string(int year, int month, int day, int hour, int minute, int second, int millisecond)
    {
        var time = new DateTime(year, month, day, hour, minute, second, millisecond, DateTimeKind.Unspecified);
        var expected = time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var byEncodedName in new[] { false, true })
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                if (byEncodedName)
                {
                    UtcTimestamp.Write(writer, JsonEncodedText.Encode("t"), time);
                }
                else
                {
                    UtcTimestamp.Write(writer, "t", time);
                }

                writer.WriteEndObject();
            }

            Assert.Equal($"{{\"t\":\"{expected}\"}}", Encoding.UTF8.GetString(stream.ToArray()));
        }
    }
}

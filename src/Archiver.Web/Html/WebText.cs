using System.Globalization;
using Archiver.Queries;

namespace Archiver.Web.Html;

/// <summary>How the pages write times and numbers: UTC, invariant culture, the same on every machine.</summary>
internal static class WebText
{
    public static string Time(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string Time(DateTime? time) => time is { } t ? Time(t) : "–";

    public static string Bucket(DateTime start, Granularity granularity) => start.ToString(
        granularity == Granularity.Day ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Plural(Granularity granularity) => granularity switch
    {
        Granularity.Minute => "minutes",
        Granularity.Hour => "hours",
        _ => "days",
    };
}

using System.Globalization;
using Dapper;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>The dashboard's daily and hourly graphs, from the dated <c>stats:*</c> counters of both counter tables.</summary>
internal sealed partial class MySqlMonitoringApi
{
    public override IDictionary<DateTime, long> SucceededByDatesCount() => Daily("succeeded");

    public override IDictionary<DateTime, long> FailedByDatesCount() => Daily("failed");

    public override IDictionary<DateTime, long> DeletedByDatesCount() => Daily("deleted");

    public override IDictionary<DateTime, long> HourlySucceededJobs() => Hourly("succeeded");

    public override IDictionary<DateTime, long> HourlyFailedJobs() => Hourly("failed");

    public override IDictionary<DateTime, long> HourlyDeletedJobs() => Hourly("deleted");

    private Dictionary<DateTime, long> Daily(string type)
    {
        var today = storage.Use(c => c.ExecuteScalar<DateTime>("SELECT UTC_TIMESTAMP(6)")).Date;
        var dates = Enumerable.Range(0, 7).Select(i => today.AddDays(-i)).ToList();
        return Counters(dates, d => $"stats:{type}:{d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
    }

    private Dictionary<DateTime, long> Hourly(string type)
    {
        var now = storage.Use(c => c.ExecuteScalar<DateTime>("SELECT UTC_TIMESTAMP(6)"));
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var hours = Enumerable.Range(0, 24).Select(i => hour.AddHours(-i)).ToList();
        return Counters(hours, h => $"stats:{type}:{h.ToString("yyyy-MM-dd-HH", CultureInfo.InvariantCulture)}");
    }

    private Dictionary<DateTime, long> Counters(List<DateTime> points, Func<DateTime, string> keyOf)
    {
        var keys = points.Select(keyOf).ToList();
        var values = storage.Use(c => c.Query<(string Key, long Value)>(
            $"""
            SELECT `Key`, SUM(Value) FROM (
              SELECT `Key`, Value FROM {T.Counter} WHERE `Key` IN @keys
              UNION ALL
              SELECT `Key`, Value FROM {T.AggregatedCounter} WHERE `Key` IN @keys) AS counters
            GROUP BY `Key`
            """,
            new { keys })).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        return points.ToDictionary(p => p, p => values.GetValueOrDefault(keyOf(p)));
    }
}

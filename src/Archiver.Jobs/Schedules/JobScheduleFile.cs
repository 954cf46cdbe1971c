using System.Text.Json;

namespace Archiver.Jobs.Schedules;

/// <summary>The pinned shape of a <c>jobs/*.json</c> file, as written (validated into a <see cref="JobSchedule"/>).</summary>
internal sealed class JobScheduleFile
{
    public string? Id { get; set; }

    public string? Cron { get; set; }

    public string? TimeZone { get; set; }

    public string? Job { get; set; }

    public string? Queue { get; set; }

    public bool? Enabled { get; set; }

    public Dictionary<string, JsonElement>? Arguments { get; set; }
}

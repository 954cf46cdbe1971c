namespace Archiver.Jobs.Schedules;

/// <summary>One recurring job from a validated <c>jobs/*.json</c> file.</summary>
/// <param name="File">The file it came from, for messages.</param>
/// <param name="Id">The recurring job's id.</param>
/// <param name="Cron">Five fields, or six with seconds.</param>
/// <param name="TimeZone">The zone the cron is read in.</param>
/// <param name="Job">One of <see cref="JobNames.Schedulable"/>.</param>
/// <param name="Queue">One of <see cref="JobNames.Queues"/>.</param>
/// <param name="Enabled">False keeps the file but removes the recurring job.</param>
/// <param name="OlderThan">The purge job's <c>olderThan</c> argument; null for none.</param>
public sealed record JobSchedule(string File, string Id, string Cron, TimeZoneInfo TimeZone, string Job, string Queue, bool Enabled, TimeSpan? OlderThan = null);

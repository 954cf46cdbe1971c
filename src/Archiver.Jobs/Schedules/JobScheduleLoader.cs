using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cronos;

namespace Archiver.Jobs.Schedules;

/// <summary>
/// Reads and validates every <c>*.json</c> file of the jobs directory before anything is scheduled:
/// an unknown job, a bad cron string or time zone, an unknown queue or argument, or a duplicate id
/// stops the worker at start with a message naming the file.
/// </summary>
public static partial class JobScheduleLoader
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static IReadOnlyList<JobSchedule> Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new ArchiverConfigurationException($"configuration error: the jobs directory {directory} does not exist (Worker:JobsDirectory)");
        }

        var schedules = new List<JobSchedule>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var schedule = Parse(file, File.ReadAllText(file));
            if (schedules.Find(s => string.Equals(s.Id, schedule.Id, StringComparison.OrdinalIgnoreCase)) is { } twin)
            {
                throw new ArchiverConfigurationException($"{file}: id '{schedule.Id}' is also used by {twin.File}; each recurring job needs its own id");
            }

            schedules.Add(schedule);
        }

        return schedules;
    }

    public static JobSchedule Parse(string file, string text)
    {
        JobScheduleFile? raw;
        try
        {
            raw = JsonSerializer.Deserialize<JobScheduleFile>(text, Json);
        }
        catch (JsonException ex)
        {
            throw Error(file, $"is not a valid job file: {ex.Message}");
        }

        if (raw is null)
        {
            throw Error(file, "is empty (null)");
        }

        var id = raw.Id is { Length: > 0 } given && IdPattern().IsMatch(given)
            ? given
            : throw Error(file, $"\"id\" must be lower-case letters, digits and dashes, at most 86 characters (got '{raw.Id}')");
        var job = raw.Job is { } name && JobNames.Schedulable.Contains(name, StringComparer.Ordinal)
            ? name
            : throw Error(file, $"\"job\" '{raw.Job}' is not a known job; use one of: {string.Join(", ", JobNames.Schedulable)}");
        var cron = raw.Cron is { Length: > 0 } expression ? expression.Trim() : throw Error(file, "\"cron\" is missing");
        try
        {
            // As Hangfire reads it: five fields, or six with seconds.
            var format = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            CronExpression.Parse(cron, format);
        }
        catch (CronFormatException ex)
        {
            throw Error(file, $"\"cron\" '{cron}' is not a valid cron expression: {ex.Message}");
        }

        TimeZoneInfo timeZone;
        try
        {
            timeZone = TimeZoneInfo.FindSystemTimeZoneById(raw.TimeZone ?? "UTC");
        }
        catch (TimeZoneNotFoundException)
        {
            throw Error(file, $"\"timeZone\" '{raw.TimeZone}' is not a known time zone (use an IANA id such as UTC or Europe/Berlin)");
        }

        var queue = raw.Queue ?? JobNames.DefaultQueue;
        if (!JobNames.Queues.Contains(queue, StringComparer.Ordinal))
        {
            throw Error(file, $"\"queue\" '{queue}' is not one the worker listens to ({string.Join(", ", JobNames.Queues)})");
        }

        return new JobSchedule(file, id, cron, timeZone, job, queue, raw.Enabled ?? true, Arguments(file, job, raw.Arguments));
    }

    private static TimeSpan? Arguments(string file, string job, Dictionary<string, JsonElement>? arguments)
    {
        TimeSpan? olderThan = null;
        foreach (var (name, value) in arguments ?? [])
        {
            if (job == JobNames.PurgeArchivedCampaigns && name == "olderThan")
            {
                olderThan = value.ValueKind == JsonValueKind.String && TimeSpan.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
                    ? span
                    : throw Error(file, $"argument \"olderThan\" must be a time span such as \"30.00:00:00\" (got {value})");
                continue;
            }

            var known = job == JobNames.PurgeArchivedCampaigns ? "olderThan" : "none";
            throw Error(file, $"argument \"{name}\" is not one job {job} takes (it takes: {known})");
        }

        return olderThan;
    }

    private static ArchiverConfigurationException Error(string file, string message) => new($"{file}: {message}");

    // Hangfire keeps a recurring job in the hash "recurring-job:{id}", and hash keys are VARCHAR(100).
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,85}$")]
    private static partial Regex IdPattern();
}

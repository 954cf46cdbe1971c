using Microsoft.Extensions.Options;

namespace Archiver.Jobs;

/// <summary>Checks <see cref="WorkerOptions"/> at start, naming the key.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var errors = new List<string>();
        if (options.WorkerCount is < 1 or > 100)
        {
            errors.Add($"Worker:WorkerCount must be between 1 and 100 (got {options.WorkerCount}).");
        }

        if (string.IsNullOrWhiteSpace(options.JobsDirectory))
        {
            errors.Add("Worker:JobsDirectory must name a directory.");
        }

        if (options.ShutdownTimeout < TimeSpan.Zero || options.ShutdownTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"Worker:ShutdownTimeout must be between 00:00:00 and 01:00:00 (got {options.ShutdownTimeout}).");
        }

        if (options.SchedulePollingInterval < TimeSpan.FromSeconds(1) || options.SchedulePollingInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"Worker:SchedulePollingInterval must be between 00:00:01 and 01:00:00 (got {options.SchedulePollingInterval}).");
        }

        if (options.MetricsPort is < 0 or > 65535)
        {
            errors.Add($"Worker:MetricsPort must be between 0 (off) and 65535 (got {options.MetricsPort}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

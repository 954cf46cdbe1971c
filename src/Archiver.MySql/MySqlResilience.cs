using Archiver.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace Archiver.MySql;

/// <summary>The resilience pipelines of Archiver's MySQL side, configured once by the composition root.</summary>
public static class MySqlResilience
{
    /// <summary>
    /// <see cref="PipelineNames.MySql"/>: an operation that failed transiently (<see cref="MySqlCommands.IsTransient"/>)
    /// is tried again with backoff and jitter, each retry logged with what was being done.
    /// </summary>
    public static void Configure(ResiliencePipelineBuilder builder, ResilienceOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(logger);
        builder.AddArchiverRetry(
            options,
            outcome => outcome.Exception is { } ex && MySqlCommands.IsTransient(ex),
            args => Log.Retrying(logger, PipelineProperties.OperationOf(args.Context, "a MySQL operation"), args.Outcome.Exception?.Message ?? "", args.RetryDelay.TotalSeconds));
    }

    /// <summary>
    /// <see cref="PipelineNames.MySqlStartup"/>: a worker waiting for its MySQL server tries without
    /// end (until it is stopped) while the server is unreachable, backing off to
    /// <see cref="ResilienceOptions.MaxDelay"/>, with one line per failed attempt naming the server
    /// and the reason, never a stack trace. Anything else (a refused password) fails at once.
    /// </summary>
    public static void ConfigureStartup(ResiliencePipelineBuilder builder, ResilienceOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        builder.AddArchiverRetry(
            new ResilienceOptions { MaxAttempts = int.MaxValue, BaseDelay = options.BaseDelay, MaxDelay = options.MaxDelay },
            outcome => outcome.Exception is { } ex && MySqlCommands.IsTransient(ex),
            args => Log.WaitingForServer(
                logger, PipelineProperties.OperationOf(args.Context, "MySQL"), args.AttemptNumber + 1, (args.Outcome.Exception?.InnerException ?? args.Outcome.Exception)?.Message ?? "", args.RetryDelay.TotalSeconds));
    }
}

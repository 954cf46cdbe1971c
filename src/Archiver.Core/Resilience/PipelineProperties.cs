using Polly;

namespace Archiver.Resilience;

/// <summary>What a caller tells a shared pipeline about one execution, for its timeout and its log lines.</summary>
public static class PipelineProperties
{
    /// <summary>What is being done, in words (<c>reading contest_votes of campaign 7 after id 100</c>, <c>GET /db/_all_docs</c>).</summary>
    public static readonly ResiliencePropertyKey<string> Operation = new("archiver.operation");

    /// <summary>The time one attempt may take, answer included; none when absent.</summary>
    public static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeout = new("archiver.attempt-timeout");

    /// <summary>The operation's description, or <paramref name="fallback"/>.</summary>
    public static string OperationOf(ResilienceContext context, string fallback)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Properties.TryGetValue(Operation, out var what) ? what : fallback;
    }
}

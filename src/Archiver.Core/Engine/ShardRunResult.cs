namespace Archiver.Engine;

/// <summary>What one <c>archive-shard</c> job did.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="AllVerified">Every shard of the campaign is verified now: its final step can run.</param>
/// <param name="RowsRead">Rows copied by this run.</param>
/// <param name="Documents">Row documents written, unchanged or removed by this run.</param>
public sealed record ShardRunResult(ShardOutcome Outcome, bool AllVerified, long RowsRead, BatchTotals Documents);

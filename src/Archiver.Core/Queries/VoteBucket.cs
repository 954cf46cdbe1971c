namespace Archiver.Queries;

/// <summary>Votes of one campaign in the bucket that starts at <see cref="BucketStart"/> (UTC): the total, and per choice in ordinal order of the choice.</summary>
public sealed record VoteBucket(DateTime BucketStart, long Votes, IReadOnlyList<ChoiceVotes> Choices);

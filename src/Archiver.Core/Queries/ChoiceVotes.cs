namespace Archiver.Queries;

/// <summary>Votes for one choice. Choices are compared byte for byte (<c>Yes</c> and <c>yes</c> are two choices), as the rollups count them.</summary>
public sealed record ChoiceVotes(string Choice, long Votes);

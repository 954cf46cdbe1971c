namespace Archiver.Queries;

/// <summary>Which entries of a campaign a read covers.</summary>
public enum EntryFilter
{
    All,
    Winners,
    NonWinners,
}

namespace Archiver.Queries;

/// <summary>Which list a page token continues; a token is refused by any other list.</summary>
internal enum PageTokenKind
{
    Entries = 'e',
    NonWinners = 'n',
    UserEntries = 'u',
}

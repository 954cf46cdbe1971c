namespace Archiver.Queries;

/// <summary>Event ids of the read API's log messages (1300–1399): stable numbers to filter and alert on.</summary>
public static class QueryEvents
{
    public const int RoutedToArchive = 1300;

    public const int UserReadRaced = 1301;
}

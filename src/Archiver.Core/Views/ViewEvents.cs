namespace Archiver.Views;

/// <summary>Event ids of view deployment's log messages (1200–1299): stable numbers to filter and alert on.</summary>
public static class ViewEvents
{
    public const int DesignDeployed = 1200;

    public const int ProgressUnavailable = 1201;
}

using Microsoft.Extensions.Logging;

namespace Archiver.Queries;

/// <summary>Source-generated log messages of the read API; event ids 1300–1399.</summary>
internal static partial class Log
{
    [LoggerMessage(1300, LogLevel.Debug, "Campaign {CampaignId} is archived: reads go to the CouchDB archive")]
    public static partial void RoutedToArchive(ILogger logger, long campaignId);

    [LoggerMessage(1301, LogLevel.Information, "User {UserId}: a campaign was archived while the user's entries were read (attempt {Attempt}); reading again")]
    public static partial void UserReadRaced(ILogger logger, long userId, int attempt);
}

using Archiver.Queries;
using Microsoft.Extensions.Logging;

namespace Archiver;

/// <summary>Log messages of the read API; event ids 1300–1399 (a partial of the project's <c>Log</c>, kept beside the code it serves).</summary>
internal static partial class Log
{
    [LoggerMessage(QueryEvents.RoutedToArchive, LogLevel.Debug, "Campaign {CampaignId} is archived: reads go to the CouchDB archive")]
    public static partial void RoutedToArchive(ILogger logger, long campaignId);

    [LoggerMessage(QueryEvents.UserReadRaced, LogLevel.Information, "User {UserId}: a campaign was archived while the user's entries were read (attempt {Attempt}); reading again")]
    public static partial void UserReadRaced(ILogger logger, long userId, int attempt);
}

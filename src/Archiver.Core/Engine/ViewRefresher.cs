using System.Diagnostics;
using Archiver.Documents;
using Microsoft.Extensions.Logging;

namespace Archiver.Engine;

/// <summary>
/// Keeps the archive databases' view indexes current. The application reads views with
/// <c>stale=ok</c>, so nothing else builds them: after every <c>Archive:ViewRefreshEvery</c> documents
/// written to a database, and once per campaign before its flag (so that the campaign's documents are
/// in the indexes by the time readers are sent to the archive), every view of every design document
/// of the database is queried, which brings its index up to date.
/// </summary>
internal sealed class ViewRefresher(IDocumentStore store, int every, ILogger logger, IArchiveProgress? progress)
{
    private readonly Dictionary<string, long> _sinceRefresh = new(StringComparer.Ordinal);

    /// <summary>Counts documents written to <paramref name="database"/>; refreshes its views when enough have been.</summary>
    public async Task WrittenAsync(string database, long documents, CancellationToken cancellationToken)
    {
        var since = _sinceRefresh.GetValueOrDefault(database) + documents;
        _sinceRefresh[database] = since;
        if (since >= every)
        {
            await RefreshAsync(database, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RefreshAsync(string database, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        progress?.RefreshingViews(database);
        var views = await store.RefreshViewsAsync(database, cancellationToken).ConfigureAwait(false);
        _sinceRefresh[database] = 0;
        Log.ViewsRefreshed(logger, database, views, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}

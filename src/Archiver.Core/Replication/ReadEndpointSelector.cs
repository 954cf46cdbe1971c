namespace Archiver.Replication;

/// <summary>
/// The order in which a read tries the servers: healthy ones first, those named in
/// <c>Replicas:ReadOrder</c> in that order, then the peers by <see cref="ReadEndpointHealth.Score"/>
/// (lowest recent latency and error rate first); then the servers marked down, the one back soonest
/// first, as a last resort (a mark can outlive the outage it recorded).
/// </summary>
public static class ReadEndpointSelector
{
    public static IReadOnlyList<T> Order<T>(IReadOnlyList<T> endpoints, Func<T, ReadEndpointHealth> health)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(health);
        var snapshot = endpoints.Select((endpoint, index) =>
        {
            var h = health(endpoint);
            return (Endpoint: endpoint, Index: index, h.IsHealthy, h.Rank, Score: h.Rank == ReadEndpointHealth.PeerRank ? h.Score : 0, h.DownUntil);
        }).ToList();
        return
        [
            .. snapshot.Where(s => s.IsHealthy).OrderBy(s => s.Rank).ThenBy(s => s.Score).ThenBy(s => s.Index).Select(s => s.Endpoint),
            .. snapshot.Where(s => !s.IsHealthy).OrderBy(s => s.DownUntil).ThenBy(s => s.Rank).ThenBy(s => s.Index).Select(s => s.Endpoint),
        ];
    }
}

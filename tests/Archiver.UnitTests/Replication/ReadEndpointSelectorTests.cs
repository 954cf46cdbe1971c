using Archiver.Replication;

namespace Archiver.UnitTests.Replication;

/// <summary>Which server a read tries first: the named order, then the healthiest peers, then the servers marked down.</summary>
public sealed class ReadEndpointSelectorTests
{
    private readonly Clock _time = new();

    private ReadEndpointHealth Health(string name, int rank) => new(name, rank, TimeSpan.FromSeconds(5), _time);

    private static string Names(IEnumerable<ReadEndpointHealth> order) => string.Join(",", order.Select(h => h.Name));

    [Fact]
    public void Named_servers_come_in_their_order_then_peers_by_latency_and_errors()
    {
        var local = Health("local", 0);
        var central = Health("central", 1);
        var slow = Health("slow", ReadEndpointHealth.PeerRank);
        var fast = Health("fast", ReadEndpointHealth.PeerRank);
        var flaky = Health("flaky", ReadEndpointHealth.PeerRank);
        slow.RecordSuccess(TimeSpan.FromMilliseconds(80));
        fast.RecordSuccess(TimeSpan.FromMilliseconds(10));
        flaky.RecordSuccess(TimeSpan.FromMilliseconds(5));
        central.RecordSuccess(TimeSpan.FromMilliseconds(500));

        // One error in the recent past makes the fastest peer worse than a slower one without errors.
        flaky.RecordFailure();
        _time.Advance(TimeSpan.FromSeconds(6));
        flaky.RecordSuccess(TimeSpan.FromMilliseconds(5));
        Assert.True(flaky.ErrorRate > 0);

        Assert.Equal("local,central,fast,flaky,slow", Names(ReadEndpointSelector.Order(new[] { slow, flaky, central, fast, local }, h => h)));
    }

    [Fact]
    public void A_server_marked_down_goes_last_until_its_pause_ends_or_a_probe_answers()
    {
        var local = Health("local", 0);
        var central = Health("central", 1);
        var peer = Health("peer", ReadEndpointHealth.PeerRank);
        ReadEndpointHealth[] all = [local, central, peer];

        local.RecordFailure();
        Assert.False(local.IsHealthy);
        Assert.Equal("central,peer,local", Names(ReadEndpointSelector.Order(all, h => h)));

        // An open circuit keeps it down for as long as the breaker says, beyond the probe interval.
        central.RecordFailure(retryAfter: TimeSpan.FromSeconds(30));
        Assert.Equal("peer,local,central", Names(ReadEndpointSelector.Order(all, h => h)));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(local.IsHealthy);
        Assert.False(central.IsHealthy);
        Assert.Equal("local,peer,central", Names(ReadEndpointSelector.Order(all, h => h)));

        central.RecordProbe(answered: true, TimeSpan.FromMilliseconds(3));
        Assert.Equal("local,central,peer", Names(ReadEndpointSelector.Order(all, h => h)));

        peer.RecordProbe(answered: false, TimeSpan.FromSeconds(2));
        Assert.False(peer.IsHealthy);
    }

    [Fact]
    public void A_probe_is_due_once_per_interval()
    {
        var health = Health("r1", 0);
        Assert.True(health.TakeProbeTurn(TimeSpan.FromSeconds(5)));
        Assert.False(health.TakeProbeTurn(TimeSpan.FromSeconds(5)));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(health.TakeProbeTurn(TimeSpan.FromSeconds(5)));
    }

    /// <summary>A wall clock that moves only when told to.</summary>
    private sealed class Clock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 5, 4, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

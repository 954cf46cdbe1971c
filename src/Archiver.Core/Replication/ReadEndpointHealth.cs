namespace Archiver.Replication;

/// <summary>
/// What reads know of one server's health: a passive part (each read's outcome and latency) and an
/// active part (probes). A failure marks the server down for a while (at least the probe interval,
/// or as long as its circuit breaker stays open); a successful probe or read brings it back. Latency
/// and error rate are exponentially weighted, so recent behaviour counts most. Thread-safe.
/// </summary>
public sealed class ReadEndpointHealth(string name, int rank, TimeSpan downFor, TimeProvider? time = null)
{
    /// <summary>The rank of a server not listed in <c>Replicas:ReadOrder</c>: a peer, ordered by its health.</summary>
    public const int PeerRank = int.MaxValue;

    /// <summary>Weight of the newest sample in the moving averages.</summary>
    private const double Weight = 0.2;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private double _latencyMs;
    private double _errorRate;
    private bool _sampled;
    private DateTimeOffset? _downUntil;
    private DateTimeOffset _lastProbe = DateTimeOffset.MinValue;

    public string Name { get; } = name;

    /// <summary>Position in <c>Replicas:ReadOrder</c> (0 first), or <see cref="PeerRank"/>.</summary>
    public int Rank { get; } = rank;

    /// <summary>Recent latency in milliseconds (0 before the first sample).</summary>
    public double LatencyMs
    {
        get
        {
            lock (_gate)
            {
                return _latencyMs;
            }
        }
    }

    /// <summary>Recent share of failed requests, 0 to 1.</summary>
    public double ErrorRate
    {
        get
        {
            lock (_gate)
            {
                return _errorRate;
            }
        }
    }

    /// <summary>Lower is better: latency, made up to ten times worse by errors.</summary>
    public double Score
    {
        get
        {
            lock (_gate)
            {
                return _latencyMs * (1 + (10 * _errorRate));
            }
        }
    }

    /// <summary>False while the server is marked down (a failed read or probe, not yet followed by a success or the end of its pause).</summary>
    public bool IsHealthy
    {
        get
        {
            lock (_gate)
            {
                return _downUntil is not { } until || _time.GetUtcNow() >= until;
            }
        }
    }

    /// <summary>When a server marked down may be tried again (null when it is not down).</summary>
    public DateTimeOffset? DownUntil
    {
        get
        {
            lock (_gate)
            {
                return _downUntil;
            }
        }
    }

    public void RecordSuccess(TimeSpan latency)
    {
        lock (_gate)
        {
            Sample(latency.TotalMilliseconds, 0);
            _downUntil = null;
        }
    }

    /// <summary>A failed read; <paramref name="retryAfter"/> is how long its circuit breaker stays open, when that was the failure.</summary>
    public void RecordFailure(TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            Sample(_latencyMs, 1);
            var pause = retryAfter is { } open && open > downFor ? open : downFor;
            _downUntil = _time.GetUtcNow() + pause;
        }
    }

    public void RecordProbe(bool answered, TimeSpan latency)
    {
        lock (_gate)
        {
            _lastProbe = _time.GetUtcNow();
            if (answered)
            {
                Sample(latency.TotalMilliseconds, 0);
                _downUntil = null;
            }
            else
            {
                Sample(_latencyMs, 1);
                _downUntil = _lastProbe + downFor;
            }
        }
    }

    /// <summary>True (once per <paramref name="interval"/>) when a probe is due; the caller then probes.</summary>
    public bool TakeProbeTurn(TimeSpan interval)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now - _lastProbe < interval)
            {
                return false;
            }

            _lastProbe = now;
            return true;
        }
    }

    private void Sample(double latencyMs, double failed)
    {
        if (!_sampled)
        {
            _latencyMs = latencyMs;
            _errorRate = failed;
            _sampled = true;
            return;
        }

        _latencyMs += Weight * (latencyMs - _latencyMs);
        _errorRate += Weight * (failed - _errorRate);
    }
}

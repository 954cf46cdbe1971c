namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// The loopback ports replica tests may start servers on (<c>ARCHIVER_TEST_REPLICA_PORTS</c>, e.g.
/// <c>6055-6059</c>, set by <c>scripts/test.sh</c>), rented one test at a time so that test classes
/// running in parallel never share one.
/// </summary>
public static class ReplicaPorts
{
    public const string Variable = "ARCHIVER_TEST_REPLICA_PORTS";

    private static readonly Lazy<int[]> Ports = new(Parse);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly HashSet<int> Rented = [];
    private static SemaphoreSlim? _free;

    public static async Task<Lease> RentAsync(CancellationToken cancellationToken = default)
    {
        var ports = Ports.Value;
        Interlocked.CompareExchange(ref _free, new SemaphoreSlim(ports.Length, ports.Length), null);
        await _free!.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var port = ports.First(p => !Rented.Contains(p));
            Rented.Add(port);
            return new Lease(port);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static int[] Parse()
    {
        var text = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set: run ./scripts/test.sh (it sets the loopback ports replica tests may use, e.g. 6055-6059)");
        var parts = text.Split('-', 2);
        var first = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var last = parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : first;
        return [.. Enumerable.Range(first, last - first + 1)];
    }

    public sealed class Lease(int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public async ValueTask DisposeAsync()
        {
            await Gate.WaitAsync();
            try
            {
                Rented.Remove(Port);
            }
            finally
            {
                Gate.Release();
            }

            _free!.Release();
        }
    }
}

namespace Archiver.IntegrationTests.Web;

/// <summary>
/// Tests that compose Hangfire in this process (the web host, a worker's services) run alone, after
/// the others: the Hangfire registration points Hangfire's process-wide log provider at that
/// composition's logger factory, which is disposed with it, and a storage test running beside or
/// after it would log through a disposed factory. Each resets the provider when it is done.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WebCollection
{
    public const string Name = "in-process Hangfire hosts";
}

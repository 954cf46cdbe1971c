namespace Archiver.IntegrationTests.Web;

/// <summary>
/// The web host's tests run alone, after the others: the Hangfire registration inside the host points
/// Hangfire's process-wide log provider at the host's logger factory, which is disposed with the host,
/// and a storage test running beside or after it would log through a disposed factory.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WebCollection
{
    public const string Name = "web host";
}

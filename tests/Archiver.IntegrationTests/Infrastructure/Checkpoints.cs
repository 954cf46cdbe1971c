using Archiver.Engine;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>Runs an action at a named checkpoint of the archive or purge engine.</summary>
public sealed class Checkpoints : Dictionary<string, Action>, IArchiveCheckpoints
{
    public void Reached(string point)
    {
        if (TryGetValue(point, out var action))
        {
            action();
        }
    }
}

namespace Archiver.Engine;

/// <summary>A count of problems and the first few of them, for a verifier's one-line message.</summary>
internal sealed class Problems
{
    /// <summary>How many are named; the rest are counted.</summary>
    public const int Shown = 5;

    private readonly List<string> _shown = [];

    public long Count { get; private set; }

    public void Add(string problem)
    {
        if (Count++ < Shown)
        {
            _shown.Add(problem);
        }
    }

    /// <summary>Adds a problem whose description is worth building only while it is still shown (else its id).</summary>
    public void Add(string id, Func<string> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        Add(Count < Shown ? describe() : id);
    }

    public override string ToString() => string.Join(", ", _shown) + (Count > _shown.Count ? ", …" : "");
}

namespace Archiver.Views;

/// <summary>What a deploy did (or, in a dry run, would do) with one design document.</summary>
public enum DesignChange
{
    /// <summary>The deployed one has the files' content: nothing written.</summary>
    Unchanged,

    /// <summary>Not deployed before; uploaded, built and made live.</summary>
    Created,

    /// <summary>Changed; uploaded beside the live one, built, then copied over it.</summary>
    Updated,

    /// <summary><c>--no-wait</c>: uploaded beside the live one with its build started; the next deploy makes it live.</summary>
    Staged,

    /// <summary>Dry run: would be created.</summary>
    WouldCreate,

    /// <summary>Dry run: would be updated.</summary>
    WouldUpdate,
}

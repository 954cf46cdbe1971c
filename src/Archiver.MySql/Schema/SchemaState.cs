namespace Archiver.MySql.Schema;

/// <summary>Archiver's schema in one MySQL database as found, without changing anything.</summary>
/// <param name="Database">The MySQL database.</param>
/// <param name="Version">The highest version recorded in <c>archiver_schema</c>; 0 when there is none.</param>
/// <param name="MissingTables">Tables the program's migrations create that do not exist.</param>
public sealed record SchemaState(string Database, int Version, IReadOnlyList<string> MissingTables)
{
    /// <summary>Whether a program whose newest migration is <paramref name="latest"/> can read and write these tables as they are.</summary>
    public bool IsCurrent(int latest) => Version >= latest && MissingTables.Count == 0;
}

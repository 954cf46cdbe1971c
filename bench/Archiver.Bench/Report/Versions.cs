namespace Archiver.Bench.Report;

/// <summary>Versions of everything measured, for the report.</summary>
internal sealed record Versions(string MariaDb, string CouchDb, string DotNet, string PtArchiver);

namespace Archiver.MySql.Schema;

/// <summary>
/// One migration of Archiver's own schema: the embedded script <c>Schema/Migrations/NNNN_name.sql</c>.
/// Its statements must be idempotent, because MySQL commits DDL one statement at a time: a migration
/// cut off half-way is recorded as not applied and runs again in full.
/// </summary>
/// <param name="Version">The number the file name starts with; versions are applied in order.</param>
/// <param name="Name">The file name without <c>.sql</c>, e.g. <c>0001_archiver_tables</c>.</param>
/// <param name="Script">The SQL.</param>
public sealed record SchemaMigration(int Version, string Name, string Script);

namespace Archiver.MySql.Schema;

/// <summary>What <see cref="ArchiverSchema.MigrateAsync(MySqlConnector.MySqlConnection, Microsoft.Extensions.Logging.ILogger?, CancellationToken)"/> did.</summary>
/// <param name="Database">The MySQL database.</param>
/// <param name="From">The version found (0: no version row, either a fresh database or one made before versioning).</param>
/// <param name="To">The version now recorded.</param>
/// <param name="Applied">The migrations applied, in order; empty when the schema was current.</param>
public sealed record SchemaMigrationResult(string Database, int From, int To, IReadOnlyList<SchemaMigration> Applied);

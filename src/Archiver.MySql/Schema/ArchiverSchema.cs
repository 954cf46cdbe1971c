using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace Archiver.MySql.Schema;

/// <summary>
/// Archiver's own tables, versioned: the embedded scripts <c>Schema/Migrations/NNNN_name.sql</c> are
/// applied in order, each once, under a GET_LOCK so that processes starting together migrate once,
/// and each applied version is recorded as a row of <c>archiver_schema</c>. A database made before
/// versions were recorded (no <c>archiver_schema</c>) is at version 0 and is adopted by migration 1,
/// whose statements only create what is missing.
/// </summary>
public static partial class ArchiverSchema
{
    /// <summary>The table of applied versions, one row per migration.</summary>
    public const string VersionTable = "archiver_schema";

    /// <summary>The command that migrates, for messages to people.</summary>
    public const string MigrateCommand = "archiver db migrate";

    private const string ResourcePrefix = "Archiver.MySql.Schema.Migrations.";

    private const string LockName = $"CONCAT({MySqlCampaignLock.SqlPrefix}, 'schema')";

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The embedded migrations in version order.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations { get; } = Load();

    /// <summary>The version this program needs: its newest migration's.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Every table the migrations create, and <see cref="VersionTable"/>.</summary>
    public static IReadOnlyList<string> Tables { get; } = TablesOf(Migrations);

    /// <summary>Reads the recorded version and which tables are missing; changes nothing and needs no privilege beyond SELECT.</summary>
    public static Task<SchemaState> ReadStateAsync(MySqlConnection connection, CancellationToken cancellationToken = default) =>
        ReadStateAsync(connection, Tables, cancellationToken);

    /// <summary>
    /// Applies every migration above the recorded version, in order, under the schema lock, recording
    /// each; nothing when the schema is current (then not even the lock is taken, and no privilege
    /// beyond SELECT is needed). Throws <see cref="ArchiverConfigurationException"/> when the database
    /// is at a version newer than this program's.
    /// </summary>
    public static Task<SchemaMigrationResult> MigrateAsync(MySqlConnection connection, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        MigrateAsync(connection, Migrations, logger, cancellationToken);

    /// <summary>
    /// Throws <see cref="ArchiverConfigurationException"/>, in one line naming what is missing and the
    /// command that installs it, unless the schema is current: for commands that must not create tables.
    /// </summary>
    public static async Task RequireCurrentAsync(MySqlConnection connection, CancellationToken cancellationToken = default)
    {
        var state = await ReadStateAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!state.IsCurrent(LatestVersion))
        {
            throw new ArchiverConfigurationException(Problem(state, LatestVersion, Tables));
        }
    }

    /// <summary>One line: what is missing or behind, and what to run.</summary>
    public static string Problem(SchemaState state, int latest, IReadOnlyList<string> tables)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(tables);
        var missing = string.Join(", ", state.MissingTables);
        if (state.Version == 0 && state.MissingTables.Count == tables.Count)
        {
            return $"MySQL database {state.Database} has no Archiver tables ({missing}): install them with `{MigrateCommand}`";
        }

        if (state.Version < latest)
        {
            var version = state.Version == 0 ? "has Archiver tables made before schema versions were recorded" : $"has Archiver's schema at version {state.Version}";
            return string.Create(CultureInfo.InvariantCulture,
                $"MySQL database {state.Database} {version}, this program needs version {latest}{(missing.Length > 0 ? $" (missing: {missing})" : "")}: upgrade it with `{MigrateCommand}`");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"MySQL database {state.Database} records Archiver's schema version {state.Version}, but tables {missing} are missing: restore them (from a backup), or drop {VersionTable} and run `{MigrateCommand}` to create them empty");
    }

    internal static async Task<SchemaState> ReadStateAsync(MySqlConnection connection, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var existing = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN @tables",
            new { tables }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var version = existing.Contains(VersionTable)
            ? await connection.ExecuteScalarAsync<int?>(new CommandDefinition($"SELECT MAX(version) FROM {VersionTable}", cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0
            : 0;
        return new SchemaState(connection.Database, version, tables.Where(t => !existing.Contains(t)).ToList());
    }

    internal static async Task<SchemaMigrationResult> MigrateAsync(
        MySqlConnection connection, IReadOnlyList<SchemaMigration> migrations, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(migrations);
        var tables = TablesOf(migrations);
        var latest = migrations[^1].Version;
        var state = await ReadStateAsync(connection, tables, cancellationToken).ConfigureAwait(false);
        if (state.IsCurrent(latest) || state.Version > latest)
        {
            return Checked(state, latest, tables);
        }

        var locked = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT GET_LOCK({LockName}, @seconds)", new { seconds = (int)LockTimeout.TotalSeconds }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (locked != 1)
        {
            throw new ArchiverException(string.Create(CultureInfo.InvariantCulture,
                $"MySQL database {connection.Database}: could not take the schema lock within {LockTimeout.TotalSeconds:N0} s (is another process migrating Archiver's schema?)"));
        }

        try
        {
            // Again under the lock: another process may have migrated while we waited.
            state = await ReadStateAsync(connection, tables, cancellationToken).ConfigureAwait(false);
            if (state.IsCurrent(latest) || state.Version >= latest)
            {
                return Checked(state, latest, tables);
            }

            await connection.ExecuteAsync(new CommandDefinition($"""
                CREATE TABLE IF NOT EXISTS {VersionTable} (
                  version INT NOT NULL PRIMARY KEY,
                  name VARCHAR(200) NOT NULL,
                  applied_at DATETIME(3) NOT NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
                """, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var applied = new List<SchemaMigration>();
            foreach (var migration in migrations.Where(m => m.Version > state.Version))
            {
                try
                {
                    await connection.ExecuteAsync(new CommandDefinition(migration.Script, commandTimeout: 600, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }
                catch (MySqlException ex)
                {
                    throw new ArchiverException($"MySQL database {connection.Database}: migration {migration.Name} failed: {ex.Message}; version {state.Version} plus {applied.Count} applied migration(s) recorded, run `{MigrateCommand}` again once fixed", ex);
                }

                // Not cancellable: the script ran, and recording it is what keeps it from running twice.
                await connection.ExecuteAsync(new CommandDefinition(
                    $"INSERT INTO {VersionTable} (version, name, applied_at) VALUES (@version, @name, UTC_TIMESTAMP(3))",
                    new { version = migration.Version, name = migration.Name }, cancellationToken: CancellationToken.None)).ConfigureAwait(false);
                applied.Add(migration);
            }

            Log.SchemaMigrated(logger ?? NullLogger.Instance, connection.Database, state.Version, latest, string.Join(", ", applied.Select(m => m.Name)));
            return new SchemaMigrationResult(connection.Database, state.Version, latest, applied);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition($"DO RELEASE_LOCK({LockName})", cancellationToken: CancellationToken.None)).ConfigureAwait(false);
        }
    }

    internal static IReadOnlyList<SchemaMigration> Parse(IEnumerable<(string FileName, string Script)> files)
    {
        var migrations = files.Select(f =>
        {
            var match = FileNamePattern().Match(f.FileName);
            return match.Success
                ? new SchemaMigration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), f.FileName[..^".sql".Length], f.Script)
                : throw new InvalidOperationException($"schema migration {f.FileName}: the name must be NNNN_what.sql");
        }).OrderBy(m => m.Version).ToList();
        if (migrations.Count == 0)
        {
            throw new InvalidOperationException("no schema migrations");
        }

        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"schema migration {migrations[i].Name}: expected version {i + 1}; versions run 1, 2, 3… without gaps or repeats");
            }
        }

        return migrations;
    }

    private static SchemaMigrationResult Checked(SchemaState state, int latest, IReadOnlyList<string> tables)
    {
        if (state.Version > latest)
        {
            throw new ArchiverConfigurationException(string.Create(CultureInfo.InvariantCulture,
                $"MySQL database {state.Database} has Archiver's schema at version {state.Version}, newer than this program's {latest}: upgrade the program"));
        }

        return state.MissingTables.Count == 0 ? new SchemaMigrationResult(state.Database, state.Version, state.Version, []) : throw new ArchiverConfigurationException(Problem(state, latest, tables));
    }

    private static List<string> TablesOf(IReadOnlyList<SchemaMigration> migrations) =>
        migrations.SelectMany(m => CreatedTablePattern().Matches(m.Script).Select(t => t.Groups[1].Value.ToLowerInvariant()))
            .Append(VersionTable).Distinct(StringComparer.Ordinal).ToList();

    private static IReadOnlyList<SchemaMigration> Load()
    {
        var assembly = typeof(ArchiverSchema).Assembly;
        return Parse(assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Select(name =>
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            return (name[ResourcePrefix.Length..], reader.ReadToEnd());
        }));
    }

    [GeneratedRegex(@"^(\d{4})_[a-z0-9_]+\.sql$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"CREATE TABLE IF NOT EXISTS `?(\w+)`?", RegexOptions.IgnoreCase)]
    private static partial Regex CreatedTablePattern();
}

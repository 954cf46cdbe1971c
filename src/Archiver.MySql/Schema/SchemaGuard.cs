using Microsoft.Extensions.Logging;

namespace Archiver.MySql.Schema;

/// <summary>
/// Archiver's schema as one MySQL class needs it before its first read or write: migrated when
/// <see cref="MySqlSourceOptions.AutoMigrate"/> allows, else required current. Once found current it
/// is not asked again: schemas only move forward, and a worker would otherwise ask on every job.
/// </summary>
internal sealed class SchemaGuard(MySqlCommands mysql, bool autoMigrate, ILogger logger)
{
    private volatile bool _current;

    /// <summary>For commands that write: migrates (if allowed) or throws the one-line problem.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_current)
        {
            return;
        }

        await mysql.RunAsync(autoMigrate ? "migrating Archiver's schema" : "checking Archiver's schema", async (connection, ct) =>
        {
            if (autoMigrate)
            {
                await ArchiverSchema.MigrateAsync(connection, logger, ct).ConfigureAwait(false);
            }
            else
            {
                await ArchiverSchema.RequireCurrentAsync(connection, ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        _current = true;
    }

    /// <summary>For commands that only read: never creates or alters a table; throws the one-line problem.</summary>
    public async Task RequireAsync(CancellationToken cancellationToken)
    {
        if (_current)
        {
            return;
        }

        await mysql.RunAsync("checking Archiver's schema", async (connection, ct) =>
        {
            await ArchiverSchema.RequireCurrentAsync(connection, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        _current = true;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Archiver.Source;
using Dapper;
using MySqlConnector;

namespace Archiver.MySql;

/// <summary>
/// A <c>GET_LOCK</c> held by a connection of its own for as long as a campaign is being archived.
/// MySQL releases it when the connection ends, so a killed archiver never leaves it behind.
/// </summary>
internal sealed class MySqlCampaignLock(MySqlConnection connection, string name) : ICampaignLock
{
    public string Name { get; } = name;

    /// <summary>
    /// <c>archiver:{12 hex digits of SHA-256 of the database name}:{campaign}</c>. Locks are
    /// server-wide and names are limited to 64 characters, so the database is part of the name,
    /// hashed. The same expression is used in SQL by the status query (see <see cref="SqlPrefix"/>).
    /// </summary>
    public static string NameFor(string database, long campaignId) =>
        string.Create(CultureInfo.InvariantCulture, $"{PrefixFor(database)}{campaignId}");

    public static string PrefixFor(string database) =>
        "archiver:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database)))[..12] + ":";

    /// <summary>The name prefix computed in SQL, for <c>IS_USED_LOCK</c> over many campaigns in one query.</summary>
    public const string SqlPrefix = "CONCAT('archiver:', LEFT(SHA2(DATABASE(), 256), 12), ':')";

    public async Task<bool> IsHeldAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT IS_USED_LOCK(@name) = CONNECTION_ID()", new { name = Name }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
        }
        catch (MySqlException)
        {
            // The connection is gone, and the lock with it.
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("DO RELEASE_LOCK(@name)", new { name = Name })).ConfigureAwait(false);
        }
        catch (MySqlException)
        {
            // Already released with its connection.
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

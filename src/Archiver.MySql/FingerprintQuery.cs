using System.Data;
using Archiver.Source;
using Dapper;
using MySqlConnector;

namespace Archiver.MySql;

/// <summary>
/// Runs a fingerprint query of <see cref="SetSchema"/> (a whole set's, or a purge chunk's locking
/// one): its one row of <c>RowCount</c>, <c>KeySum</c> and <c>ContentSum</c> as a <see cref="SetFingerprint"/>.
/// </summary>
internal static class FingerprintQuery
{
    public static async Task<SetFingerprint> QueryFingerprintAsync(
        this MySqlConnection connection, string sql, object parameters, IDbTransaction? transaction, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleAsync<FingerprintRow>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new SetFingerprint(row.RowCount, row.KeySum, row.ContentSum);
    }

    private sealed class FingerprintRow
    {
        public long RowCount { get; init; }

        public decimal KeySum { get; init; }

        public decimal ContentSum { get; init; }
    }
}

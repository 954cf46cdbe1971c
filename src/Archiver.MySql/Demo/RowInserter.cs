using System.Globalization;
using System.Text;
using MySqlConnector;

namespace Archiver.MySql.Demo;

/// <summary>
/// Multi-row INSERTs for the demo data set and the tests: a thousand rows per statement keeps
/// seeding at tens of thousands of rows per second without needing LOAD DATA LOCAL INFILE.
/// </summary>
public static class RowInserter
{
    private const int RowsPerStatement = 1000;

    /// <summary>Inserts entries; a row whose <see cref="EntryRow.Id"/> is 0 gets an AUTO_INCREMENT id.</summary>
    public static Task InsertEntriesAsync(MySqlConnection connection, IReadOnlyList<EntryRow> rows, MySqlTransaction? transaction = null, CancellationToken cancellationToken = default) =>
        InsertAsync(connection, transaction, $"contest_campaign_entries (id, campaign_id, user_id, entry_number, winner, message, created_at)", 7, rows, static (row, values) =>
        {
            values[0] = row.Id == 0 ? null : row.Id;
            values[1] = row.CampaignId;
            values[2] = row.UserId;
            values[3] = row.EntryNumber;
            values[4] = row.Winner;
            values[5] = row.Message;
            values[6] = row.CreatedAt;
        }, cancellationToken);

    /// <summary>Inserts votes; a row whose <see cref="VoteRow.Id"/> is 0 gets an AUTO_INCREMENT id.</summary>
    public static Task InsertVotesAsync(MySqlConnection connection, IReadOnlyList<VoteRow> rows, MySqlTransaction? transaction = null, CancellationToken cancellationToken = default) =>
        InsertAsync(connection, transaction, "vote_campaign_votes (id, campaign_id, user_id, choice, created_at)", 5, rows, static (row, values) =>
        {
            values[0] = row.Id == 0 ? null : row.Id;
            values[1] = row.CampaignId;
            values[2] = row.UserId;
            values[3] = row.Choice;
            values[4] = row.CreatedAt;
        }, cancellationToken);

    private static async Task InsertAsync<T>(
        MySqlConnection connection, MySqlTransaction? transaction, string target, int columns, IReadOnlyList<T> rows, Action<T, object?[]> bind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        var values = new object?[columns];
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, rows.Count - start);
            var sql = new StringBuilder("INSERT INTO ").Append(target).Append(" VALUES ");
            await using var command = new MySqlCommand { Connection = connection, Transaction = transaction };
            for (var i = 0; i < count; i++)
            {
                bind(rows[start + i], values);
                sql.Append(i == 0 ? "(" : ",(");
                for (var c = 0; c < columns; c++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@p{i}_{c}");
                    sql.Append(c == 0 ? "" : ",").Append(name);
                    command.Parameters.AddWithValue(name, values[c] ?? DBNull.Value);
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

using MySqlConnector;

namespace Archiver.MySql;

/// <summary>Builds the one pooled <see cref="MySqlDataSource"/> of a process.</summary>
public static class MySqlDataSourceFactory
{
    public static MySqlDataSource Create(string connectionString)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString)
        {
            // A zero DATETIME must reach the mapper, which rejects it naming table and key, rather
            // than fail inside the driver with no row to point at.
            ConvertZeroDateTime = true,

            // Reads for the archive are plain; TINYINT(1) columns are booleans in the contract.
            TreatTinyAsBoolean = true,
        };
        return new MySqlDataSourceBuilder(builder.ConnectionString).Build();
    }
}

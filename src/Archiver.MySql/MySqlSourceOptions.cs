namespace Archiver.MySql;

/// <summary>Where the source rows live: <c>ConnectionStrings:MySql</c>.</summary>
public sealed class MySqlSourceOptions
{
    public const string ConnectionStringName = "MySql";

    public string ConnectionString { get; set; } = "";
}

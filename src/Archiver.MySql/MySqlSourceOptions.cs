namespace Archiver.MySql;

/// <summary>Where the source rows live (<c>ConnectionStrings:MySql</c>), and the <c>MySql</c> section.</summary>
public sealed class MySqlSourceOptions
{
    public const string ConnectionStringName = "MySql";

    public const string SectionName = "MySql";

    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// <c>MySql:AutoMigrate</c>: commands that write (<c>archive run</c>, <c>purge run</c>, the worker)
    /// apply the migrations Archiver's schema lacks before they start; false for an account without
    /// CREATE and ALTER, which then stops with one line asking for <c>archiver db migrate</c>, run by
    /// an account that has them. Commands that only read never migrate.
    /// </summary>
    public bool AutoMigrate { get; set; } = true;
}

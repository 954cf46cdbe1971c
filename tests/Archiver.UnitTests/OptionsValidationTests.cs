using Archiver.CouchDb;
using Archiver.Hosting;
using Archiver.MySql;
using Archiver.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.UnitTests;

public sealed class OptionsValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["ConnectionStrings:MySql"] = "Server=127.0.0.1;Database=textme;User ID=a;Password=b",
        ["CouchDb:Url"] = "http://127.0.0.1:5984/",
    };

    internal static readonly string ShippedSettings = FindUpward("appsettings.json");

    private static string FindUpward(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, name)) && File.Exists(Path.Combine(directory.FullName, "Archiver.sln")))
            {
                return Path.Combine(directory.FullName, name);
            }
        }

        throw new FileNotFoundException($"{name} beside Archiver.sln, above {AppContext.BaseDirectory}");
    }

    private static void Validate(Dictionary<string, string?> overrides)
    {
        var values = new Dictionary<string, string?>(Valid);
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        // The shipped appsettings.json, so that its archive sets are validated too.
        var configuration = new ConfigurationBuilder().AddJsonFile(ShippedSettings, optional: false).AddInMemoryCollection(values).Build();
        using var provider = new ServiceCollection().AddLogging().AddArchiver(configuration).BuildServiceProvider();
        provider.ValidateArchiverOptions();
    }

    [Fact]
    public void The_shipped_settings_are_valid() => Validate([]);

    [Fact]
    public void The_legacy_Retry_section_is_still_read_and_Resilience_wins_where_both_are_set()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(Valid)
        {
            ["Retry:MaxAttempts"] = "3",
            ["Retry:BaseDelay"] = "00:00:01",
            ["Resilience:BaseDelay"] = "00:00:02",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddArchiver(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Archiver.Resilience.ResilienceOptions>>().Value;

        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), options.BaseDelay);
    }

    [Theory]
    [InlineData("Archive:BatchSize", "0", "Archive:BatchSize must be between 1 and 10,000 (got 0).")]
    [InlineData("Archive:BatchSize", "10001", "Archive:BatchSize must be between 1 and 10,000 (got 10001).")]
    [InlineData("Archive:ShardRows", "100", "Archive:ShardRows must be 0 (never shard) or at least Archive:BatchSize (2,500): a shard is at least one batch (got 100).")]
    [InlineData("Archive:CompletedAfter", "-1.00:00:00", "Archive:CompletedAfter must be between 0 and 3,650 days (got -1.00:00:00).")]
    [InlineData("Archive:CompletedAfter", "3651.00:00:00", "Archive:CompletedAfter must be between 0 and 3,650 days")]
    [InlineData("Archive:Sets:0:Database", "Archive", "Archive:Sets:0:Database 'Archive' is not a valid CouchDB database name")]
    [InlineData("Archive:Sets:0:Table", "rollup", "Archive:Sets:0:Table may not be 'rollup'")]
    [InlineData("Archive:Sets:0:PrimaryKey", "id; DROP TABLE x", "Archive:Sets:0:PrimaryKey 'id; DROP TABLE x' is not a plain MySQL identifier")]
    [InlineData("Archive:Sets:1:Table", "contest_campaign_entries", "Archive:Sets lists table contest_campaign_entries 2 times.")]
    [InlineData("Archive:Sets:0:Type", "", "Archive:Sets:0:Type '' must be set")]
    [InlineData("Archive:Sets:0:Measures:0:Name", "total", "Archive:Sets:0:Measures needs { \"Name\": \"count\", \"Kind\": \"Count\" }")]
    [InlineData("Archive:Sets:1:Measures:1:Column", "", "Archive:Sets:1:Measures:1:Column is required for Kind CountBy.")]
    [InlineData("Archive:Sets:1:Measures:1:Name", "minute", "Archive:Sets:1:Measures:1:Name 'minute' is empty, starts with _ or is a field every rollup already has")]
    [InlineData("Archive:Sets:0:Measures:1:Kind", "Average", "Archive:Sets:0:Measures:1:Kind 'Average' must be Count, Sum or CountBy.")]
    [InlineData("Archive:Sets:1:Measures:1:Name", "_count", "Archive:Sets:1:Measures:1:Name '_count' is empty, starts with _")]
    [InlineData("Purge:BatchSize", "0", "Purge:BatchSize must be between 1 and 50,000 (got 0).")]
    [InlineData("Purge:Sleep", "-00:00:01", "Purge:Sleep must be between 0 and 10 minutes (got -00:00:01).")]
    [InlineData("Resilience:MaxAttempts", "0", "Resilience:MaxAttempts must be between 1 and 100 (got 0).")]
    [InlineData("Resilience:MaxDelay", "00:00:00.100", "Resilience:MaxDelay must be between Resilience:BaseDelay and 1 hour")]
    [InlineData("Resilience:BreakerFailureRatio", "0", "Resilience:BreakerFailureRatio must be above 0 and at most 1 (got 0).")]
    [InlineData("Resilience:BreakerMinimumThroughput", "1", "Resilience:BreakerMinimumThroughput must be between 2 and 10,000 (got 1).")]
    [InlineData("Resilience:BreakerSamplingDuration", "00:00:00.100", "Resilience:BreakerSamplingDuration must be between 0.5 seconds and a day")]
    [InlineData("Resilience:BreakDuration", "00:00:00", "Resilience:BreakDuration must be between 0.5 seconds and a day")]
    [InlineData("CouchDb:MaxDocumentBytes", "10", "CouchDb:MaxDocumentBytes must be between 1,024 and 4,294,967,296 (got 10).")]
    [InlineData("CouchDb:Url", "localhost:5984", "CouchDb:Url must be an absolute http or https URL")]
    [InlineData("CouchDb:Url", "http://admin:secret@localhost:5984/", "CouchDb:Url must not carry credentials")]
    [InlineData("CouchDb:Username", "admin", "CouchDb:Username and CouchDb:Password must be set together.")]
    [InlineData("ConnectionStrings:MySql", "", "ConnectionStrings:MySql is missing.")]
    [InlineData("ConnectionStrings:MySql", "Server=127.0.0.1;Database=textme;Frobnicate=1", "ConnectionStrings:MySql is not a valid MySQL connection string")]
    [InlineData("ConnectionStrings:MySql", "Server=127.0.0.1", "ConnectionStrings:MySql names no Database.")]
    [InlineData("Archive:BatchSize", "many", "Archive:BatchSize")]
    [InlineData("Archive:CompletedAfter", "two days", "Archive:CompletedAfter")]
    public void A_bad_value_is_a_configuration_error_naming_the_key(string key, string value, string expected)
    {
        var error = Assert.Throws<ArchiverConfigurationException>(() => Validate(new() { [key] = value }));
        Assert.StartsWith("configuration error: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_url_becomes_a_base_address_with_a_trailing_slash()
    {
        Assert.Equal("http://h:5984/", new CouchDbOptions { Url = "http://h:5984" }.BaseAddress.ToString());
        Assert.Equal("http://h:5984/couch/", new CouchDbOptions { Url = "http://h:5984/couch" }.BaseAddress.ToString());
    }

    [Fact]
    public void Archive_defaults_are_the_documented_ones()
    {
        var options = new ArchiveOptions();
        Assert.Equal(2500, options.BatchSize);
        Assert.Equal(TimeSpan.FromDays(2), options.CompletedAfter);
        Assert.Empty(options.Sets);
        Assert.Equal("MySql", MySqlSourceOptions.ConnectionStringName);
    }
}

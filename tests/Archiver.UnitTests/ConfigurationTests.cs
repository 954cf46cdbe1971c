using Archiver.Hosting;
using Archiver.Options;
using Microsoft.Extensions.Configuration;

namespace Archiver.UnitTests;

[Collection(nameof(EnvironmentCollection))]
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("archiver-config-").FullName;

    [Fact]
    public void Environment_variables_override_the_file_with_double_underscores()
    {
        var path = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(path, """{ "Archive": { "BatchSize": 100, "CompletedAfter": "1.00:00:00" } }""");
        Environment.SetEnvironmentVariable("Archive__BatchSize", "42");
        try
        {
            var configuration = ArchiverConfiguration.Build(path);
            var options = configuration.GetSection("Archive").Get<ArchiveOptions>()!;
            Assert.Equal(42, options.BatchSize);
            Assert.Equal(TimeSpan.FromDays(1), options.CompletedAfter);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Archive__BatchSize", null);
        }
    }

    [Fact]
    public void A_missing_settings_file_is_a_configuration_error()
    {
        var error = Assert.Throws<ArchiverConfigurationException>(() => ArchiverConfiguration.Build(Path.Combine(_directory, "nope.json")));
        Assert.Contains("nope.json does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_json_is_a_configuration_error_naming_the_file()
    {
        var path = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(path, """{ "Archive": { "BatchSize": """);
        var error = Assert.Throws<ArchiverConfigurationException>(() => ArchiverConfiguration.Build(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_json_is_named_with_line_and_column()
    {
        var path = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(path, "{\n  \"Archive\": {\n    \"BatchSize\": 10,,\n  }\n}\n");
        var error = Assert.Throws<ArchiverConfigurationException>(() => ArchiverConfiguration.Build(path));
        Assert.StartsWith($"configuration error: {path}:3:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_key_is_an_error_naming_the_file_and_the_nearest_key()
    {
        var path = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(path, """{ "Archive": { "BatchSiez": 100, "Sets": [ { "Tabel": "t" } ] }, "CouchDb": { "Pasword": "x" }, "Logging": { "Anything": 1 } }""");
        var error = Assert.Throws<ArchiverConfigurationException>(() => ArchiverConfiguration.Build(path));
        Assert.Contains($"unknown key Archive:BatchSiez (in {path}; did you mean Archive:BatchSize?)", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown key Archive:Sets:0:Tabel", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean Archive:Sets:0:Table?", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean CouchDb:Password?", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Logging", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_file_beside_the_settings_overrides_them()
    {
        var path = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(path, """{ "Archive": { "BatchSize": 100 } }""");
        File.WriteAllText(Path.Combine(_directory, "appsettings.Production.json"), """{ "Archive": { "BatchSize": 7 } }""");
        Environment.SetEnvironmentVariable(ArchiverConfiguration.EnvironmentVariable, "Production");
        try
        {
            var configuration = ArchiverConfiguration.Build(path);
            Assert.Equal("7", configuration["Archive:BatchSize"]);
            Assert.Equal(path, configuration[ArchiverConfiguration.SettingsFileKey]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ArchiverConfiguration.EnvironmentVariable, null);
        }
    }

    [Fact]
    public void A_settings_file_up_the_tree_is_never_used()
    {
        File.WriteAllText(Path.Combine(_directory, "appsettings.json"), """{ "Archive": { "BatchSize": 100 } }""");
        var below = Directory.CreateDirectory(Path.Combine(_directory, "below")).FullName;
        var before = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(below);
        try
        {
            // The unit tests' output folder has no appsettings.json beside the program either.
            Assert.Null(ArchiverConfiguration.Locate());
            File.WriteAllText(Path.Combine(below, "appsettings.json"), "{}");
            Assert.Equal(Path.Combine(below, "appsettings.json"), ArchiverConfiguration.Locate());
        }
        finally
        {
            Directory.SetCurrentDirectory(before);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

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
    public void The_repository_root_settings_are_found_from_the_test_folder()
    {
        var found = ArchiverConfiguration.Locate();
        Assert.NotNull(found);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(found)!, "Archiver.sln")), $"found {found}, not the root file");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

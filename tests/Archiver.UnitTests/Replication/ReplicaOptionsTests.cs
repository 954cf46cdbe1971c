using Archiver.Replication;

namespace Archiver.UnitTests.Replication;

/// <summary>The Replicas section's checks at start.</summary>
public sealed class ReplicaOptionsTests
{
    private static ReplicaServerOptions Server(string name, string url, string? user = null, string? password = null) =>
        new() { Name = name, Url = url, Username = user, Password = password };

    [Fact]
    public void Bad_replica_settings_are_refused_naming_the_key_and_never_the_password()
    {
        var options = new ReplicaOptions { ProbePath = "_up", ReadTimeout = TimeSpan.Zero };
        options.Servers.Add(Server("local", "http://admin:s3cret@127.0.0.1:5985/"));
        options.Servers.Add(Server("local", "ftp://replica"));
        options.Servers.Add(Server("central", "http://127.0.0.1:5986/", user: "reader"));
        options.Servers.Add(Server("bad name", "http://127.0.0.1:5987/"));
        options.ReadOrder.Add("elsewhere");

        var result = new ReplicaOptionsValidator().Validate(null, options);

        var failures = string.Join("\n", result.Failures!);
        Assert.Contains("Replicas:Servers:0:Url must not carry credentials", failures, StringComparison.Ordinal);
        Assert.Contains("Replicas:Servers:1:Name 'local' is used twice", failures, StringComparison.Ordinal);
        Assert.Contains("Replicas:Servers:1:Url must be an absolute http or https URL (got 'ftp://replica')", failures, StringComparison.Ordinal);
        Assert.Contains("Replicas:Servers:2:Name 'central' is used twice", failures, StringComparison.Ordinal);
        Assert.Contains("Replicas:Servers:2:Username and Replicas:Servers:2:Password must be set together", failures, StringComparison.Ordinal);
        Assert.Contains("Replicas:Servers:3:Name must be 1-64 letters", failures, StringComparison.Ordinal);
        Assert.Contains("Replicas:ReadOrder:0 is 'elsewhere'", failures, StringComparison.Ordinal);
        Assert.Contains("Replicas:ProbePath must start with '/'", failures, StringComparison.Ordinal);
        Assert.Contains("Replicas:ReadTimeout must be between", failures, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_defaults_and_a_local_then_central_order_are_valid()
    {
        var options = new ReplicaOptions();
        Assert.True(new ReplicaOptionsValidator().Validate(null, options).Succeeded);
        options.Servers.Add(Server("local", "http://127.0.0.1:5985", "reader", "pw"));
        options.ReadOrder.Add("local");
        options.ReadOrder.Add("central");
        Assert.True(new ReplicaOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(new Uri("http://127.0.0.1:5985/"), options.Servers[0].BaseAddress);
    }
}

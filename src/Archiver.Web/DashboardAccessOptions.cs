namespace Archiver.Web;

/// <summary>
/// <c>Web:Dashboard</c>: who may open <c>/hangfire</c> besides requests from this machine. Remote
/// requests are refused unless they carry <see cref="Username"/> and <see cref="Password"/> (HTTP
/// Basic) or satisfy the ASP.NET Core authorization policy named <see cref="Policy"/>.
/// </summary>
public sealed class DashboardAccessOptions
{
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The name of an authorization policy registered by the host (for hosts that add an authentication scheme).</summary>
    public string? Policy { get; set; }

    /// <summary>Read-only: the dashboard shows jobs but has no buttons to retry, delete or trigger them.</summary>
    public bool ReadOnly { get; set; }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// The name of a campaign's <c>GET_LOCK</c>, computed here independently of the (internal)
/// production code: <c>archiver:</c>, the first 12 lowercase hex digits of the SHA-256 of the UTF-8
/// database name, <c>:</c>, the campaign id.
/// </summary>
public static class CampaignLockName
{
    public static string For(string database, long campaignId) => string.Create(
        CultureInfo.InvariantCulture,
        $"archiver:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(database)))[..12].ToLowerInvariant()}:{campaignId}");
}

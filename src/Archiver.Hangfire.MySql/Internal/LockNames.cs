using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>
/// GET_LOCK names are server-wide, case-insensitive and at most 64 characters. A name is
/// <c>hf:{8 hex of the database}:{prefix}{resource}</c>, so that two databases (or two prefixes)
/// on one server never share a lock; a name that would be longer is hashed. Names are lower-cased:
/// MySQL 8 compares lock names case-insensitively and MariaDB does not, so this makes both exclude alike.
/// </summary>
internal static class LockNames
{
    public const int MaxLength = 64;

    public static string For(string database, string prefix, string resource)
    {
        var scope = "hf:" + Hex(database)[..8] + ":";
        var name = scope + (prefix + resource).ToLowerInvariant();
        return name.Length <= MaxLength ? name : scope + "#" + Hex((prefix + resource).ToLowerInvariant())[..(MaxLength - scope.Length - 1)];
    }

    private static string Hex(string value) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value))).ToLower(CultureInfo.InvariantCulture);
}

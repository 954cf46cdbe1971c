using System.Text.RegularExpressions;

namespace Archiver;

/// <summary>
/// Masks credentials in text that is about to be shown: a refused setting echoed in an error, a
/// driver's message, a log line. Structural only (URL user info, <c>Password=</c> in a connection
/// string, a Basic authorization header); the CLI adds the configured secrets' own values on top.
/// </summary>
public static partial class SecretMask
{
    public const string Mask = "***";

    /// <summary>Any text with every URL's password, every connection string's password and every Basic token masked.</summary>
    public static string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = UrlUserInfo().Replace(text, m => m.Groups["user"].Value + ":" + Mask + "@");
        text = PasswordOption().Replace(text, m => m.Groups["key"].Value + Mask);
        return BasicToken().Replace(text, m => m.Groups["scheme"].Value + Mask);
    }

    /// <summary>A URL as it may be echoed: <c>http://user:***@host/</c>. Works on text that is not a valid URL too.</summary>
    public static string Url(string? url) => url is null ? "" : Apply(url);

    // scheme-ish prefix (also the "http//" typo), then user:password@ ; the password may hold anything but '@' and whitespace.
    [GeneratedRegex(@"(?<user>(?:[a-z][a-z0-9+.-]*:?//)[^\s/:@]*):[^\s@]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    // Password=...; up to the next ';' that starts a known option, or the end: an unquoted ';' inside a password must not leak its tail.
    [GeneratedRegex(@"(?<key>\b(?:password|pwd)\s*=\s*)(?:""[^""]*""|'[^']*'|.*?(?=;\s*(?:server|host|data\s*source|port|user\s*id|uid|user|username|database|initial\s*catalog|ssl\s*mode|sslmode|pooling|connection\s*timeout|default\s*command\s*timeout|allow\s*user\s*variables|convert\s*zero\s*datetime|treat\s*tiny\s*as\s*boolean|maximum\s*pool\s*size|minimum\s*pool\s*size|character\s*set|charset)\s*=)|[^\r\n]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordOption();

    [GeneratedRegex(@"(?<scheme>\bBasic\s+)[A-Za-z0-9+/=]{4,}", RegexOptions.CultureInvariant)]
    private static partial Regex BasicToken();
}

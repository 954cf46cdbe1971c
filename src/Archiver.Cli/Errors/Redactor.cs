using System.Text;
using Archiver.MySql;
using Microsoft.Extensions.Configuration;

namespace Archiver.Cli.Errors;

/// <summary>
/// The last guard before anything leaves the process: every line written to stdout or stderr (the
/// CLI's own, the console logger's, a driver's message) passes through <see cref="Redact"/>, which
/// applies <see cref="SecretMask"/> and masks the configured secrets' own values, their base64 forms
/// and the Basic authorization token made of them.
/// </summary>
internal static class Redactor
{
    private static volatile string[] _secrets = [];

    /// <summary>Learns the configured secrets: every value under a key named like a password, and the passwords inside connection strings and URLs.</summary>
    public static void Learn(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var found = new HashSet<string>(StringComparer.Ordinal);
        var users = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var name = key[(key.LastIndexOf(':') + 1)..];
            if (name.Contains("password", StringComparison.OrdinalIgnoreCase) || name.Contains("secret", StringComparison.OrdinalIgnoreCase))
            {
                found.Add(value);
            }
            else if (name.Contains("user", StringComparison.OrdinalIgnoreCase))
            {
                users.Add(value);
            }

            if (key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase))
            {
                if (MySqlConnectionStrings.TryParse(key, value, out _) is { } builder)
                {
                    found.Add(builder.Password);
                    users.Add(builder.UserID);
                }
                else
                {
                    // An unparsable string: every piece after "password=" may be part of the password.
                    var at = value.IndexOf("password", StringComparison.OrdinalIgnoreCase);
                    foreach (var piece in (at < 0 ? value : value[at..]).Split(';', '='))
                    {
                        found.Add(piece.Trim().Trim('"', '\''));
                    }
                }
            }

            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Split(':', 2) is [var user, var password])
            {
                found.Add(Uri.UnescapeDataString(password));
                users.Add(Uri.UnescapeDataString(user));
            }
        }

        var secrets = new List<string>();
        foreach (var secret in found.Where(s => s.Length >= 4 && !IsHarmless(s)))
        {
            // A development password equal to its user name (archiver/archiver) is printed anyway as the user.
            if (users.Contains(secret))
            {
                continue;
            }

            secrets.Add(secret);
            secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)));
            secrets.AddRange(users.Select(u => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{u}:{secret}"))));
        }

        _secrets = [.. secrets.Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = SecretMask.Apply(text);
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, SecretMask.Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Pieces of a broken connection string that are option names or common values, not secrets.</summary>
    private static bool IsHarmless(string piece) =>
        piece.Contains("password", StringComparison.OrdinalIgnoreCase) || piece is "true" or "false" or "True" or "False";
}

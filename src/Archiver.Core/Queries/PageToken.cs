using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Archiver.Queries;

/// <summary>
/// The keyset continuation behind <see cref="Page{T}.NextToken"/>: which list (kind and campaign
/// or user), per_page, the number of the page it reads, and the last key of the page before. It
/// holds only keys both stores order the same way, so a token from a page MySQL answered
/// continues on the archive after the campaign's flag flips. Opaque to callers, base64url, with
/// a checksum so that a truncated or edited token is refused as malformed instead of reading an
/// arbitrary page (it is not a secret: it holds nothing the caller could not ask for).
/// </summary>
internal sealed record PageToken(PageTokenKind Kind, long Subject, int PerPage, int Page, long LastId, long LastCampaign, DateTime LastCreatedAt)
{
    private const string Version = "1";
    private const int ChecksumBytes = 6;

    public string Encode()
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Version}|{(char)Kind}|{Subject}|{PerPage}|{Page}|{LastId}|{LastCampaign}|{LastCreatedAt.Ticks}");
        var payload = Encoding.ASCII.GetBytes(text);
        var bytes = new byte[payload.Length + ChecksumBytes];
        payload.CopyTo(bytes, 0);
        SHA256.HashData(payload).AsSpan(0, ChecksumBytes).CopyTo(bytes.AsSpan(payload.Length));
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads a token for the list <paramref name="kind"/> of <paramref name="subject"/>; anything else is an <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static PageToken Decode(string token, PageTokenKind kind, long subject, int maxPerPage)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parsed = TryParse(token) ?? throw new ArgumentException(
            "the page token is malformed: pass a next_token exactly as a page of this API returned it", nameof(token));
        if (parsed.Kind != kind || parsed.Subject != subject)
        {
            throw new ArgumentException($"the page token continues {Describe(parsed.Kind, parsed.Subject)}, not {Describe(kind, subject)}", nameof(token));
        }

        if (parsed.PerPage < 1 || parsed.PerPage > maxPerPage)
        {
            throw new ArgumentException($"the page token's per_page {parsed.PerPage} is outside 1..{maxPerPage}", nameof(token));
        }

        return parsed;
    }

    private static string Describe(PageTokenKind kind, long subject) => kind switch
    {
        PageTokenKind.Entries => $"the entries of campaign {subject}",
        PageTokenKind.NonWinners => $"the non-winning entries of campaign {subject}",
        _ => $"the entries of user {subject}",
    };

    private static PageToken? TryParse(string token)
    {
        if (token.Length is 0 or > 400)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            bytes = Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length <= ChecksumBytes)
        {
            return null;
        }

        var payload = bytes.AsSpan(0, bytes.Length - ChecksumBytes);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        if (!hash[..ChecksumBytes].SequenceEqual(bytes.AsSpan(payload.Length)))
        {
            return null;
        }

        var parts = Encoding.ASCII.GetString(payload).Split('|');
        if (parts.Length != 8 || parts[0] != Version || parts[1].Length != 1
            || !Enum.IsDefined((PageTokenKind)parts[1][0])
            || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var subject)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var perPage)
            || !int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page < 2
            || !long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var lastId)
            || !long.TryParse(parts[6], NumberStyles.None, CultureInfo.InvariantCulture, out var lastCampaign)
            || !long.TryParse(parts[7], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        return new PageToken((PageTokenKind)parts[1][0], subject, perPage, page, lastId, lastCampaign, new DateTime(ticks, DateTimeKind.Utc));
    }
}

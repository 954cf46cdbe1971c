using System.Text.RegularExpressions;

namespace Archiver.Options;

/// <summary>CouchDB's rule for database names.</summary>
public static partial class CouchDbNames
{
    public static bool IsValidDatabaseName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 238 && DatabaseName().IsMatch(name);

    [GeneratedRegex("^[a-z][a-z0-9_$()+/-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseName();
}

namespace Archiver.Documents;

/// <summary>
/// JSON numbers beyond ±(2^53 − 1) are not exact everywhere: pouchdb-server and every JavaScript
/// view function read numbers as doubles, so a BIGINT of 9,007,199,254,740,993 would come back as
/// …992. Such a value is refused with the row named, rather than archived slightly wrong.
/// </summary>
public static class JsonSafeInteger
{
    public const long Max = 9_007_199_254_740_991;

    public static bool IsSafe(long value) => value is <= Max and >= -Max;

    public static string Problem(object value) =>
        $"holds {value}, beyond ±{Max} (2^53 − 1), which JSON readers such as JavaScript views and pouchdb-server cannot represent exactly";
}

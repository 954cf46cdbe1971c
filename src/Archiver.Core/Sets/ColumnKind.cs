namespace Archiver.Sets;

/// <summary>How a MySQL column type becomes a JSON value.</summary>
public enum ColumnKind
{
    /// <summary>TINYINT(1): <c>true</c>/<c>false</c>; any value other than 0 and 1 is refused.</summary>
    Boolean,

    /// <summary>TINYINT…BIGINT (signed or not), YEAR: a number within ±(2^53 − 1).</summary>
    WholeNumber,

    /// <summary>DECIMAL/NUMERIC: a string with the exact digits, because JSON readers parse numbers as doubles.</summary>
    ExactDecimal,

    /// <summary>FLOAT, DOUBLE: a number.</summary>
    FloatingPoint,

    /// <summary>CHAR, VARCHAR, TEXT types, ENUM, SET, JSON: a string, exactly as stored.</summary>
    Text,

    /// <summary>DATETIME, TIMESTAMP: ISO-8601 UTC with milliseconds; finer fractions are refused.</summary>
    DateTime,

    /// <summary>DATE: <c>yyyy-MM-dd</c>.</summary>
    Date,
}

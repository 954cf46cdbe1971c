namespace Archiver.Sets;

/// <summary>How a rollup measure is computed over the rows of one minute.</summary>
public enum MeasureKind
{
    /// <summary>Number of rows.</summary>
    Count,

    /// <summary>Sum of an integer column; a boolean column sums its true values (winners).</summary>
    Sum,

    /// <summary>An object from each value of a column to its number of rows (votes per choice); NULLs are not counted, as in SQL's <c>COUNT(column)</c>.</summary>
    CountBy,
}

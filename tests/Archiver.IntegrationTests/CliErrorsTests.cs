using Archiver.Cli;
using Archiver.Cli.Errors;

namespace Archiver.IntegrationTests;

/// <summary>The one translation from an exception to a line and an exit code, for exceptions no real server failure produces on demand.</summary>
public sealed class CliErrorsTests
{
    [Fact]
    public void An_argument_exception_outside_the_query_commands_is_a_bug_not_a_usage_error()
    {
        // Regression: every ArgumentException was exit 2 ("nothing was done"), a purge engine's
        // "keys must be added in ascending order" included, which may come after batches were deleted.
        var (exitCode, message) = CliErrors.Describe(new ArgumentException("keys must be added in ascending order: 5 after 7", "key"), null, interrupted: false);

        Assert.Equal(ExitCodes.Unexpected, exitCode);
        Assert.StartsWith("internal error: keys must be added in ascending order: 5 after 7", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_value_loses_the_runtime_s_parameter_tails()
    {
        var refused = new ArgumentOutOfRangeException("perPage", 5000, "per_page must be between 1 and 1000 (Queries:MaxPerPage), got 5000");

        Assert.Equal("per_page must be between 1 and 1000 (Queries:MaxPerPage), got 5000", CliErrors.Clean(refused));
    }
}

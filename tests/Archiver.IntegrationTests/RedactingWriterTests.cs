using Archiver.Cli.Errors;

namespace Archiver.IntegrationTests;

/// <summary>The writer in front of stdout and stderr: whole lines are redacted, however the text is split into writes.</summary>
public sealed class RedactingWriterTests
{
    [Fact]
    public void A_credential_split_across_two_writes_after_a_line_break_is_masked()
    {
        // Regression: a write holding a line break flushed everything it held, the start of the next
        // line included, so the first half of a URL's password went out before the second half arrived.
        using var inner = new StringWriter();
        using (var writer = new RedactingWriter(inner))
        {
            writer.Write("connecting\nhttp://admin:Mk7q");
            writer.Write("SecretPw@127.0.0.1:5984/ refused\n");
        }

        Assert.Equal("connecting\nhttp://admin:***@127.0.0.1:5984/ refused\n", inner.ToString());
    }

    [Fact]
    public void Text_without_a_line_break_goes_out_on_flush()
    {
        using var inner = new StringWriter();
        using var writer = new RedactingWriter(inner);
        writer.Write("a line\npart");

        Assert.Equal("a line\n", inner.ToString());
        writer.Flush();
        Assert.Equal("a line\npart", inner.ToString());
    }
}

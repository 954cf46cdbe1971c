using System.Text;

namespace Archiver.Cli.Errors;

/// <summary>
/// Wraps the process's stdout or stderr: text is held until the end of its line, redacted as a whole
/// line (a secret split across two writes is still found), then written. For stderr, which carries
/// the logs, carriage returns inside a line are dropped: a message with Windows line breaks (some of
/// Hangfire's) would otherwise garble the terminal's line.
/// </summary>
internal sealed class RedactingWriter(TextWriter inner, bool dropCarriageReturns = false) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override void Write(char value)
    {
        lock (_lock)
        {
            _line.Append(value);
            if (value == '\n')
            {
                FlushLine();
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_lock)
        {
            // Only up to the last line break: the text after it may be the first half of a secret
            // whose second half comes with the next write.
            var end = value.LastIndexOf('\n');
            if (end < 0)
            {
                _line.Append(value);
                return;
            }

            _line.Append(value, 0, end + 1);
            FlushLine();
            _line.Append(value, end + 1, value.Length - end - 1);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + NewLine);

    public override void Flush()
    {
        lock (_lock)
        {
            FlushLine();
            inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        if (_line.Length == 0)
        {
            return;
        }

        var text = Redactor.Redact(_line.ToString());
        inner.Write(dropCarriageReturns ? text.Replace("\r", "", StringComparison.Ordinal) : text);
        _line.Clear();
        inner.Flush();
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Archiver.Web.Html;

/// <summary>
/// A piece of HTML built with an interpolated string whose holes are HTML-encoded unless they are
/// themselves <see cref="Html"/>: <c>Html.Of($"&lt;td&gt;{entry.Message}&lt;/td&gt;")</c>. The literal
/// parts are the only markup, so user text can never become markup by mistake.
/// </summary>
internal sealed class Html
{
    public static readonly Html Empty = new("");



    private Html(string value) => Value = value;

    public string Value { get; }

    public static Html Of([InterpolatedStringHandlerArgument] Handler handler) => new(handler.ToStringAndClear());

    /// <summary>Markup written by this program (never user text).</summary>
    public static Html Raw(string markup) => new(markup);

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public override string ToString() => Value;

    [InterpolatedStringHandler]
    public ref struct Handler
    {
        private readonly StringBuilder _builder;

        public Handler(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + (formattedCount * 16));

        public readonly void AppendLiteral(string value) => _builder.Append(value);

        public readonly void AppendFormatted(Html? value) => _builder.Append(value?.Value);

        public readonly void AppendFormatted(IEnumerable<Html> values)
        {
            foreach (var value in values)
            {
                _builder.Append(value.Value);
            }
        }

        public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, null);

        public readonly void AppendFormatted<T>(T value, string? format)
        {
            // Markup and lists of markup pass through (a generic hole matches them before the overloads do).
            switch (value)
            {
                case Html html:
                    _builder.Append(html.Value);
                    return;
                case IEnumerable<Html> parts:
                    AppendFormatted(parts);
                    return;
            }

            var text = value switch
            {
                null => "",
                IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            Encode(_builder, text);
        }

        /// <summary>
        /// Replaces the five characters that can end text or an attribute value (&amp; &lt; &gt; " ');
        /// everything else, emoji and right-to-left text included, is written as it is, in UTF-8.
        /// </summary>
        private static void Encode(StringBuilder builder, string text)
        {
            foreach (var c in text)
            {
                _ = c switch
                {
                    '&' => builder.Append("&amp;"),
                    '<' => builder.Append("&lt;"),
                    '>' => builder.Append("&gt;"),
                    '"' => builder.Append("&quot;"),
                    '\'' => builder.Append("&#x27;"),
                    _ => builder.Append(c),
                };
            }
        }

        internal readonly string ToStringAndClear()
        {
            var text = _builder.ToString();
            _builder.Clear();
            return text;
        }
    }
}

using Spectre.Console;
using Spectre.Console.Rendering;

namespace Archiver.Cli.Output;

/// <summary>
/// Spectre.Console over the process's standard output: tables with borders and live lines on a
/// terminal; when the output is redirected (a log file, a pipe, a test) no ANSI codes, no live
/// rendering and a width that never wraps a row, so that each row stays one greppable line.
/// </summary>
internal static class Terminal
{
    public static bool IsLive => !Console.IsOutputRedirected;

    public static IAnsiConsole Create(TextWriter output)
    {
        var live = IsLive && ReferenceEquals(output, Console.Out);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = live ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = live ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = live ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!live)
        {
            console.Profile.Width = 1000;
        }

        return console;
    }

    /// <summary>A table in Archiver's style: rounded borders on a terminal, none (space-separated columns) when redirected.</summary>
    public static Table Table(params string[] headings)
    {
        var table = new Table { Border = IsLive ? TableBorder.Rounded : TableBorder.None };
        foreach (var heading in headings)
        {
            var right = heading.StartsWith('>');
            var column = new TableColumn(Markup.Escape(right ? heading[1..] : heading));
            table.AddColumn(right ? column.RightAligned() : column);
        }

        return table;
    }

    public static void AddTextRow(this Table table, IEnumerable<string> cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c)).ToArray());

    public static void Write(TextWriter output, IRenderable renderable) => Create(output).Write(renderable);
}

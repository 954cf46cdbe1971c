using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Archiver.Cli.Errors;

/// <summary>The parser's errors as one line each, in the operator's words instead of .NET type names.</summary>
internal static partial class UsageErrors
{
    public static string Describe(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var path = Path(parseResult.CommandResult).ToList();
        var command = string.Join(' ', path);

        // "Required command was not provided" comes with a better error when a word was not recognised.
        var error = parseResult.Errors.FirstOrDefault(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)) ?? parseResult.Errors[0];
        var where = path.Count > 1 ? string.Join(' ', path.Skip(1)) + ": " : "";
        return $"archiver: {where}{Rewrite(error.Message, parseResult.CommandResult.Command)} (see '{command} --help')";
    }

    public static string Rewrite(string message, Command command)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(command);

        // The parser names the command where the operator needs the argument's name.
        var arguments = command.Arguments.Select(a => a.Name).ToList();
        if (message.StartsWith("Required argument missing for command", StringComparison.Ordinal) && arguments.Count > 0)
        {
            return $"missing argument {string.Join(" ", arguments.Select(a => $"<{a}>"))}";
        }

        var match = CannotParse().Match(message);
        if (!match.Success)
        {
            return message.ReplaceLineEndings(" ").Trim();
        }

        var value = match.Groups["value"].Value;
        var name = match.Groups["name"].Value;
        if (name == command.Name && arguments.Count == 1)
        {
            name = arguments[0];
        }

        var type = match.Groups["type"].Value;
        var kind = type switch
        {
            _ when type.Contains("Int64", StringComparison.Ordinal) || type.Contains("Int32", StringComparison.Ordinal) => "a whole number",
            _ when type.Contains("DateTime", StringComparison.Ordinal) => "a time (ISO-8601, e.g. 2026-11-20T14:00Z)",
            _ when type.Contains("TimeSpan", StringComparison.Ordinal) => "a duration (e.g. 90s, 15m, 2h, 7d)",
            _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            _ when type.Contains("Granularity", StringComparison.Ordinal) => "minute, hour or day",
            _ when type.Contains("CampaignState", StringComparison.Ordinal) => "one of live, eligible, running, interrupted, failed, archived",
            _ => "a valid value",
        };
        return $"{name}: '{value}' is not {kind}";
    }

    private static Stack<string> Path(CommandResult result)
    {
        var names = new Stack<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult c)
            {
                names.Push(c.Command is RootCommand ? "archiver" : c.Command.Name);
            }
        }

        return names;
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for (?:option|command|argument) '(?<name>[^']*)' as expected type '(?<type>[^']*)'", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CannotParse();
}

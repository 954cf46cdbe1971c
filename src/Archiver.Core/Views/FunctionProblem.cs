namespace Archiver.Views;

/// <summary>A function that does not compile: its file, the line (1-based, within the file) when the parser names one, and the parser's message.</summary>
public sealed record FunctionProblem(string File, int? Line, string Message);

namespace Archiver.Views;

/// <summary>The text of one JavaScript function file, named as it is reported.</summary>
public sealed record FunctionSource(string File, string Source);

namespace Archiver.Web.Input;

/// <summary>A request's parameter is missing, malformed or out of bounds: answered with a 400 whose body is <see cref="Exception.Message"/>.</summary>
public sealed class InvalidInputException(string message) : ArchiverException(message);

namespace Archiver.Web.Api;

/// <summary>The body of every API error: the status and one line saying what is wrong.</summary>
public sealed record ApiError(int Status, string Error);

namespace Archiver.Web.Html;

/// <summary>The frame of every page: one vendored stylesheet, no script, a navigation bar.</summary>
internal static class Layout
{
    public static Html Page(string title, Html body) => Html.Of($"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{title} · Archiver</title>
        <link rel="stylesheet" href="/assets/site.css">
        <link rel="icon" href="data:,">
        </head>
        <body>
        <header class="top"><a class="brand" href="/campaigns">Archiver</a>
        <nav><a href="/campaigns">Campaigns</a> <a href="/hangfire">Jobs</a> <a href="/health/ready">Health</a> <a href="/metrics">Metrics</a> <a href="/api/openapi.json">API</a></nav>
        </header>
        <main>
        {body}
        </main>
        </body>
        </html>
        """);

    /// <summary>A 400/404 page: the reason in one line, nothing else (never a stack trace).</summary>
    public static Html Error(int status, string message) => Page($"Error {status}", Html.Of($"""
        <h1>Error {status}</h1>
        <p class="error">{message}</p>
        <p><a href="/campaigns">All campaigns</a></p>
        """));
}

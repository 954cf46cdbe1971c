using System.Text.Encodings.Web;
using System.Text.Json;

namespace Archiver.Documents;

/// <summary>JSON writer settings shared by every place that writes archive documents.</summary>
public static class ArchiveJson
{
    /// <summary>
    /// Non-ASCII text is written as UTF-8 rather than <c>\uXXXX</c> escapes: smaller bodies, readable
    /// documents; the values are the same JSON strings either way. Validation stays on.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };
}

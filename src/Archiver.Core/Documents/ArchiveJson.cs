using System.Text.Encodings.Web;
using System.Text.Json;

namespace Archiver.Documents;

/// <summary>JSON writer settings shared by every place that writes archive documents.</summary>
public static class ArchiveJson
{
    /// <summary>
    /// Non-ASCII text of the Basic Multilingual Plane is written as UTF-8 rather than <c>\uXXXX</c>
    /// escapes: smaller bodies, readable documents. Characters beyond it (most emoji) are still
    /// escaped as surrogate pairs by System.Text.Json whatever the encoder, 12 bytes instead of 4;
    /// the values are the same JSON strings either way, and the size check against
    /// <c>CouchDb:MaxDocumentBytes</c> counts the escaped, larger form, so it errs on the safe side.
    /// Validation stays on.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };
}

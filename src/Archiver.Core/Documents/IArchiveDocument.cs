using System.Text.Json;

namespace Archiver.Documents;

/// <summary>
/// A document to save: a row, a rollup or a deletion. It writes its own fields so that batches
/// can be serialised straight into the request stream, without an intermediate object graph.
/// </summary>
public interface IArchiveDocument
{
    /// <summary>The CouchDB <c>_id</c>.</summary>
    string Id { get; }

    /// <summary>Where it comes from, for error messages, e.g. <c>contest_campaign_entries id=42</c>.</summary>
    string Origin { get; }

    /// <summary>Writes every field except <c>_id</c> and <c>_rev</c> into an object that is already open.</summary>
    void WriteFields(Utf8JsonWriter writer);
}

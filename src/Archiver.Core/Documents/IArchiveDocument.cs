using System.Text.Json;

namespace Archiver.Documents;

/// <summary>
/// A document built from one source row. It writes its own fields so that batches can be
/// serialised straight into the request stream, without an intermediate object graph.
/// </summary>
public interface IArchiveDocument
{
    /// <summary>The CouchDB <c>_id</c>, derived only from <see cref="SourceTable"/> and <see cref="SourceKey"/>.</summary>
    string Id { get; }

    /// <summary>The MySQL table the row came from, for error messages.</summary>
    string SourceTable { get; }

    /// <summary>The row's primary key, for error messages.</summary>
    long SourceKey { get; }

    /// <summary>Writes every field except <c>_id</c> and <c>_rev</c> into an object that is already open.</summary>
    void WriteFields(Utf8JsonWriter writer);
}

namespace Archiver.Documents;

/// <summary>A SHA-256 over a document's id and canonical content (see <see cref="DocumentContent"/>).</summary>
public sealed class ContentHash(byte[] bytes) : IEquatable<ContentHash>
{
    private readonly byte[] _bytes = bytes;

    public ReadOnlySpan<byte> Bytes => _bytes;

    public bool Equals(ContentHash? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as ContentHash);

    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    public override string ToString() => Convert.ToHexStringLower(_bytes);

    public static bool Equals(ContentHash? left, ContentHash? right) => left is null ? right is null : left.Equals(right);
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Archiver.Documents;
using Archiver.Engine;

namespace Archiver.UnitTests;

/// <summary>
/// The digests gather their pieces in a buffer before hashing them (<see cref="BufferedSha256"/>):
/// the values must be those of hashing every piece as it comes, wherever the buffer's edges fall,
/// since digests recorded by earlier runs are compared with new ones.
/// </summary>
public sealed class RevisionDigestBufferTests
{
    private static void AppendText(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    [Fact]
    public void Buffered_digests_equal_hashing_each_piece_as_it_comes()
    {
        var random = new Random(20);
        using var expectedRevisions = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var expectedChecksum = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var digest = new RevisionDigest();
        using var checksum = new ArchiveChecksum();

        // Enough rows to cross the buffer many times, ids of every length up to one above the
        // buffer (which goes to the hash directly), and non-ASCII text.
        for (var i = 0; i < 3_000; i++)
        {
            var id = i % 500 == 7 ? new string('é', BufferedSha256.Capacity) : $"contest_campaign_entries:{i:D19}:{new string('x', random.Next(0, 40))}ü";
            var revision = $"1-{random.Next():x8}";
            var content = new ContentHash(RandomNumberGenerator.GetBytes(32));
            digest.Add(id, content, revision);
            checksum.Add(content);
            AppendText(expectedRevisions, id);
            expectedRevisions.AppendData(content.Bytes);
            AppendText(expectedRevisions, revision);
            expectedChecksum.AppendData(content.Bytes);
            if (i % 1_000 == 999)
            {
                // Reading the value midway must not disturb what follows.
                Assert.Equal(Convert.ToHexStringLower(expectedRevisions.GetCurrentHash()), digest.Value);
            }
        }

        Assert.Equal(Convert.ToHexStringLower(expectedRevisions.GetCurrentHash()), digest.Value);
        Assert.Equal(Convert.ToHexStringLower(expectedChecksum.GetCurrentHash())[..16], checksum.Value);
        Assert.Equal(3_000, digest.Count);
    }
}

using Archiver.Documents;
using Archiver.Engine;
using Archiver.Options;
using Archiver.Purge;
using Archiver.Sets;
using Archiver.Source;
using Archiver.UnitTests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.UnitTests;

/// <summary>
/// The purge of sets whose flag recorded chunks (<see cref="ArchivedChunk"/>), over the fakes: the
/// chunks are recorded here as the MySQL flag does (fingerprints of 1,000-row chunks, digests of their
/// documents' ids and revisions from <see cref="RevisionDigest.ReadArchiveAsync"/>).
/// </summary>
public sealed class PurgeChunkEngineTests
{
    private const string Entries = "contest_campaign_entries";
    private readonly FakeArchiveSource _source = new();
    private readonly FakeDocumentStore _store = new();
    private readonly FakePurgeTarget _target;

    public PurgeChunkEngineTests() => _target = new FakePurgeTarget(_source);

    [Fact]
    public async Task Every_chunk_is_verified_against_the_flags_record_and_deleted_exactly()
    {
        await ArchiveAsync(2_500);
        var deletes = new List<(int Delete, long Left)>();
        _target.AfterDelete = n => deletes.Add((n, EntriesOf(1)));

        var result = await Purge().RunAsync(new PurgeRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.True(campaign.Outcome == PurgeOutcome.Purged, campaign.Reason);
        Assert.Equal((2_510L, 2_510L, 4), (campaign.RowsVerified, campaign.RowsDeleted, campaign.Batches));
        Assert.Equal([(1, 1_500L), (2, 500L), (3, 0L), (4, 0L)], deletes); // one transaction per recorded chunk
        Assert.Equal([$"{Entries} by revisions", "vote_campaign_votes by revisions"], campaign.VerifiedBy);
        Assert.Equal((2_500L, 2_500L), (_target.Journal[(1, Entries)].Documents, _target.Journal[(1, Entries)].RowsDeleted));
    }

    [Fact]
    public async Task A_document_changed_in_a_later_chunk_stops_the_purge_there_after_the_chunks_before_it()
    {
        await ArchiveAsync(2_500);
        var key = (long)_source.Entries[2_100][0]!;
        _store.Delete(DocumentIds.ForRow(Entries, 1, key));

        var result = await Purge().RunAsync(new PurgeRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(PurgeOutcome.Blocked, campaign.Outcome);
        Assert.Contains($"chunk 2 (keys {key - 100}..{key + 399}): ", campaign.Reason, StringComparison.Ordinal);
        Assert.Contains($"1 of 500 rows have no document ({DocumentIds.ForRow(Entries, 1, key)})", campaign.Reason, StringComparison.Ordinal);
        Assert.Equal((2_000L, 500), (campaign.RowsDeleted, EntriesOf(1)));
        Assert.Equal(10, _source.Votes.Count); // the set after it is not reached
    }

    [Fact]
    public async Task Rows_added_after_the_flag_outside_its_chunks_are_not_deleted_and_block_the_set()
    {
        await ArchiveAsync(1_500);
        _source.AddEntries(1, 3);

        var result = await Purge().RunAsync(new PurgeRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(PurgeOutcome.Blocked, campaign.Outcome);
        Assert.Contains("3 rows are outside the chunks its flag recorded (added after the flag?); they are not proved archived and were not deleted", campaign.Reason, StringComparison.Ordinal);
        Assert.Equal((1_500L, 3), (campaign.RowsDeleted, EntriesOf(1)));
        Assert.Null(_target.Journal[(1, Entries)].FinishedAt);
    }

    private static ArchiveOptions Options()
    {
        var options = new ArchiveOptions { BatchSize = 700 };
        options.Sets.Add(TestSets.EntryOptions());
        options.Sets.Add(TestSets.VoteOptions());
        return options;
    }

    private PurgeEngine Purge() => new(
        _source, _target, _store, Microsoft.Extensions.Options.Options.Create(Options()), Microsoft.Extensions.Options.Options.Create(new PurgeOptions()),
        NullLogger<PurgeEngine>.Instance);

    private int EntriesOf(long campaign) => _source.Entries.Count(e => (long)e[1]! == campaign);

    /// <summary>Archives campaign 1 (<paramref name="entries"/> entries, 10 votes), then records its chunks as the MySQL flag does.</summary>
    private async Task ArchiveAsync(int entries)
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, entries);
        _source.AddVotes(1, 10);
        var result = await new ArchiveEngine(_source, new FakeRunJournal(), _target, _store, Microsoft.Extensions.Options.Options.Create(Options()), NullLogger<ArchiveEngine>.Instance)
            .RunAsync(new ArchiveRequest());
        Assert.True(result.Succeeded && result.Archived == 1);
        foreach (var set in new[] { TestSets.Entries, TestSets.Votes })
        {
            _target.ArchivedChunks[(1, set.Table)] = await RecordAsync(set);
        }
    }

    private async Task<IReadOnlyList<ArchivedChunk>> RecordAsync(ArchiveSet set)
    {
        var digests = new List<string>();
        await RevisionDigest.ReadArchiveAsync(_store, set, 1, [], digests, CancellationToken.None);
        var chunks = await _target.ReadChunksAsync(set, 1, ArchivedChunk.Rows, KeyRange.All);
        Assert.Equal(chunks.Count, digests.Count);
        return chunks.Select((c, i) => new ArchivedChunk(i, c.FirstKey, c.LastKey, c.Fingerprint, digests[i])).ToList();
    }
}

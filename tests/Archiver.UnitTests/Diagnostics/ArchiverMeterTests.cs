using System.Diagnostics.Metrics;
using Archiver.Diagnostics;
using Archiver.Engine;
using Archiver.Purge;

namespace Archiver.UnitTests.Diagnostics;

public sealed class ArchiverMeterTests
{
    [Fact]
    public void An_archived_campaign_adds_its_rows_documents_and_bytes()
    {
        var measured = Listen(out var listener);
        using (listener)
        {
            ArchiverMeter.Record(new CampaignResult
            {
                CampaignId = 1, Outcome = CampaignOutcome.Archived, RowsRead = 1_201, Documents = new(1_200, 1, 7, 1), BytesWritten = 987_654_321, Elapsed = TimeSpan.FromSeconds(3),
            });
        }

        Assert.Contains(("archive.rows", 1_201L), measured);
        Assert.Contains(("archive.documents", 1_201L), measured);
        Assert.Contains(("archive.bytes", 987_654_321L), measured);
        Assert.Contains(("archive.campaigns", 1L), measured);
    }

    [Fact]
    public void A_purged_campaign_adds_its_rows_and_the_documents_it_verified()
    {
        var measured = Listen(out var listener);
        using (listener)
        {
            ArchiverMeter.Record(new PurgeCampaignResult
            {
                CampaignId = 2, Outcome = PurgeOutcome.Purged, Rows = 4_321, RowsVerified = 4_322, RowsDeleted = 4_321, Elapsed = TimeSpan.FromSeconds(1),
            });
        }

        Assert.Contains(("purge.rows", 4_321L), measured);
        Assert.Contains(("purge.documents", 4_322L), measured);
        Assert.Contains(("purge.campaigns", 1L), measured);
    }

    /// <summary>Every long measurement of the meter while the listener lives (other tests may add their own).</summary>
    private static List<(string Instrument, long Value)> Listen(out MeterListener listener)
    {
        var measured = new List<(string, long)>();
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ArchiverMeter.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (measured)
            {
                measured.Add((instrument.Name, value));
            }
        });
        listener.Start();
        return measured;
    }
}

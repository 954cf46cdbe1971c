using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Archiver.Diagnostics;
using Prometheus;

namespace Archiver.Jobs;

/// <summary>
/// Feeds the counters and histograms of the <c>Archiver</c> meter into prometheus-net's registry,
/// which hosts serve at <c>/metrics</c>. prometheus-net's own meter adapter (8.2.1) exports the
/// meter's observable gauges but, on .NET 10, none of its counters or histograms: this listener
/// does that part. Labels are the measurement's tags; one listener per process.
/// </summary>
public static class ArchiverMeterExporter
{
    private static readonly double[] SecondsBuckets = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400];
    private static readonly ConcurrentDictionary<string, Collector> Collectors = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();
    private static MeterListener? _listener;

    public static void Start()
    {
        lock (Gate)
        {
            if (_listener is not null)
            {
                return;
            }

            ArchiverMeter.Publish();
            var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == ArchiverMeter.Name && instrument is Counter<long> or Histogram<double>)
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            listener.Start();
            _listener = listener;
        }
    }

    private static void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new string[tags.Length];
        var values = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = tags[i].Key;
            values[i] = tags[i].Value?.ToString() ?? "";
        }

        var name = "archiver_" + instrument.Name.Replace('.', '_');
        var help = instrument.Description ?? instrument.Name;
        if (instrument is Histogram<double>)
        {
            var histogram = (Histogram)Collectors.GetOrAdd(name + "_seconds", n => Metrics.CreateHistogram(n, help, new HistogramConfiguration { LabelNames = labels, Buckets = SecondsBuckets }));
            histogram.WithLabels(values).Observe(value);
        }
        else
        {
            var counter = (Counter)Collectors.GetOrAdd(name + "_total", n => Metrics.CreateCounter(n, help, new CounterConfiguration { LabelNames = labels }));
            counter.WithLabels(values).Inc(value);
        }
    }
}

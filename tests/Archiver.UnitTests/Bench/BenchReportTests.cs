using Archiver.Bench.Measurement;
using Archiver.Bench.Phases;
using Archiver.Bench.Report;
using Archiver.Documents;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests.Bench;

public sealed class BenchReportTests
{
    [Fact]
    public void A_new_file_gets_the_header_and_the_section_between_markers()
    {
        var text = BenchmarksFile.Upsert(null, "dev", "## run\n\nfigures\n");

        Assert.StartsWith("# Benchmarks", text, StringComparison.Ordinal);
        Assert.EndsWith("<!-- bench-run:begin dev -->\n## run\n\nfigures\n<!-- bench-run:end dev -->\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_replaces_its_own_section_and_keeps_hand_written_text_and_other_sections()
    {
        var existing = "# Benchmarks\n\nHand-written intro.\n\n<!-- bench-run:begin dev -->\nold\n<!-- bench-run:end dev -->\n\nClosing note by hand.\n\n<!-- bench-run:begin final -->\nquiet\n<!-- bench-run:end final -->\n";

        var text = BenchmarksFile.Upsert(existing, "dev", "new\n");

        Assert.Equal("# Benchmarks\n\nHand-written intro.\n\n<!-- bench-run:begin dev -->\nnew\n<!-- bench-run:end dev -->\n\nClosing note by hand.\n\n<!-- bench-run:begin final -->\nquiet\n<!-- bench-run:end final -->\n", text);
    }

    [Fact]
    public void A_run_with_a_new_key_appends_its_section()
    {
        var text = BenchmarksFile.Upsert("# Benchmarks\n\nintro\n", "final", "quiet");

        Assert.Equal("# Benchmarks\n\nintro\n\n<!-- bench-run:begin final -->\nquiet\n<!-- bench-run:end final -->\n", text);
    }

    [Fact]
    public void Unbalanced_markers_are_refused_rather_than_overwritten()
    {
        Assert.Throws<InvalidOperationException>(() => BenchmarksFile.Upsert("<!-- bench-run:begin dev -->\nhalf a section\n", "dev", "new"));
    }

    [Fact]
    public void Gnu_time_report_gives_cpu_seconds_and_peak_rss_even_after_a_remark()
    {
        Assert.Equal((12.5, 1.25, 98_304L), MeasuredProcess.ParseTimeReport("Command exited with non-zero status 1\n12.50 1.25 98304\n"));
        Assert.Throws<FormatException>(() => MeasuredProcess.ParseTimeReport("garbage"));
    }

    [Theory]
    [InlineData("deleted 200,000 rows in 1,000 batches: 95,000.5 rows/s", 95_000.5)]
    [InlineData("  delete     2.5 s", 80_000.0)]
    [InlineData("verified 3 sets in 9.1 s", null)]
    public void Purge_delete_phase_is_read_loosely_from_any_line_about_deleting(string line, double? expected)
    {
        Assert.Equal(expected, PurgeOutput.DeletePhaseRowsPerSecond(["purge summary", line], 200_000));
    }

    [Fact]
    public void Ceiling_bodies_are_the_archive_documents_under_a_docs_array()
    {
        RowDocument[] documents = [TestSets.Entry(1, message: "¡hola! 🎉"), TestSets.Entry(2)];

        var body = System.Text.Json.JsonDocument.Parse(CeilingBenchmark.Serialize(documents));

        var docs = body.RootElement.GetProperty("docs");
        Assert.Equal(2, docs.GetArrayLength());
        Assert.Equal(documents[0].Id, docs[0].GetProperty("_id").GetString());
        Assert.Equal("contest_campaign_entry", docs[0].GetProperty("type").GetString());
    }
}

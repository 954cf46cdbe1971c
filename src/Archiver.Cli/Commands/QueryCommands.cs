using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Archiver.Cli.Errors;
using Archiver.Cli.Output;
using Archiver.Queries;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Cli.Commands;

/// <summary>
/// <c>archiver query …</c>: the read API from the command line, answering as JSON exactly what the
/// application gets, whichever store holds the campaign; for checking a campaign before and after
/// its archive, and for scripts.
/// </summary>
internal static class QueryCommands
{
    public static Command Create()
    {
        var campaign = new Argument<long>("campaign") { Description = "The campaign's id." };
        var page = Number("--page", "The page number, from 1.", 1);
        var perPage = Number("--per-page", "Items per page (1 to Queries:MaxPerPage).", 50);
        var after = new Option<string?>("--after") { Description = "Read the page after the one that returned this next_token (instead of --page).", HelpName = "token" };
        var filter = new Option<string>("--filter") { Description = "all, winners (every winner, not paginated) or non-winners.", DefaultValueFactory = _ => "all" };
        filter.AcceptOnlyFromAmong("all", "winners", "non-winners");
        var entries = new Command("entries", "A page of a campaign's entries in id order.") { campaign, page, perPage, after, filter };
        entries.SetAction((result, token) => RunAsync(result, (queries, ct) => result.GetValue(filter) switch
        {
            "winners" => Boxed(queries.WinnersAsync(result.GetValue(campaign), ct)),
            "non-winners" => Boxed(queries.NonWinnersAsync(result.GetValue(campaign), Request(result.GetValue(page), result.GetValue(perPage), result.GetValue(after)), ct)),
            _ => Boxed(queries.EntriesAsync(result.GetValue(campaign), Request(result.GetValue(page), result.GetValue(perPage), result.GetValue(after)), ct)),
        }, token));

        var countCampaign = new Argument<long>("campaign") { Description = "The campaign's id." };
        var count = new Command("count", "How many entries a campaign has.") { countCampaign };
        count.SetAction((result, token) => RunAsync(result, (queries, ct) => Boxed(queries.EntryCountAsync(result.GetValue(countCampaign), ct)), token));

        var user = new Argument<long>("user") { Description = "The user's id." };
        var userPage = Number("--page", "The page number, from 1.", 1);
        var userPerPage = Number("--per-page", "Items per page (1 to Queries:MaxPerPage).", 50);
        var userAfter = new Option<string?>("--after") { Description = "Read the page after the one that returned this next_token.", HelpName = "token" };
        var userCommand = new Command("user", "A page of a user's entries across every campaign, newest first.") { user, userPage, userPerPage, userAfter };
        userCommand.SetAction((result, token) => RunAsync(result, (queries, ct) =>
            Boxed(queries.UserEntriesAsync(result.GetValue(user), Request(result.GetValue(userPage), result.GetValue(userPerPage), result.GetValue(userAfter)), ct)), token));

        var statsCampaign = new Argument<long>("campaign") { Description = "The campaign's id." };
        var granularity = new Option<Granularity>("--granularity") { Description = "minute, hour or day.", DefaultValueFactory = _ => Granularity.Hour };
        var since = new Option<DateTime?>("--since") { Description = "UTC start (ISO-8601); default: the beginning of time.", HelpName = "time", CustomParser = Time };
        var until = new Option<DateTime?>("--until") { Description = "UTC end, exclusive (ISO-8601); default: the end of time.", HelpName = "time", CustomParser = Time };
        var stats = new Command("stats", "Entries and winners per bucket (whole buckets overlapping [since, until)).") { statsCampaign, granularity, since, until };
        stats.SetAction((result, token) => RunAsync(result, (queries, ct) => Boxed(queries.StatisticsAsync(
            result.GetValue(statsCampaign), result.GetValue(granularity), result.GetValue(since) ?? Earliest, result.GetValue(until) ?? Latest, ct)), token));

        var voteCampaign = new Argument<long>("campaign") { Description = "The vote campaign's id." };
        var voteGranularity = new Option<Granularity?>("--granularity") { Description = "Give a series per minute, hour or day instead of the totals per choice." };
        var voteSince = new Option<DateTime?>("--since") { Description = "UTC start of the series.", HelpName = "time", CustomParser = Time };
        var voteUntil = new Option<DateTime?>("--until") { Description = "UTC end of the series, exclusive.", HelpName = "time", CustomParser = Time };
        var votes = new Command("votes", "Votes per choice, or with --granularity the vote series.") { voteCampaign, voteGranularity, voteSince, voteUntil };
        votes.SetAction((result, token) => RunAsync(result, (queries, ct) => result.GetValue(voteGranularity) is { } g
            ? Boxed(queries.VoteSeriesAsync(result.GetValue(voteCampaign), g, result.GetValue(voteSince) ?? Earliest, result.GetValue(voteUntil) ?? Latest, ct))
            : Boxed(queries.VoteTotalsAsync(result.GetValue(voteCampaign), ct)), token));

        return new Command("query", "Read campaign data through the query API (MySQL while live, the archive once archived), as JSON.")
        {
            entries, count, userCommand, stats, votes,
        };
    }

    // The rollups' minutes are whole; these bounds stay clear of DateTime's edges when rounded out to a day.
    private static DateTime Earliest => new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static DateTime Latest => new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static PageRequest Request(int page, int perPage, string? after) => after is null ? PageRequest.Number(page, perPage) : PageRequest.After(after);

    /// <summary>A UTC time between <see cref="Earliest"/> and <see cref="Latest"/>: the rollups' arithmetic rounds out to whole days and must not leave DateTime's range.</summary>
    private static DateTime? Time(ArgumentResult result)
    {
        var name = result.Parent is OptionResult o ? o.Option.Name : "time";
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            result.AddError($"{name}: '{text}' is not a time (ISO-8601, e.g. 2026-11-20T14:00Z)");
            return null;
        }

        if (time < Earliest || time > Latest)
        {
            result.AddError($"{name}: '{text}' is outside 1970-01-01 to 9999-01-01");
            return null;
        }

        return DateTime.SpecifyKind(time, DateTimeKind.Utc);
    }

    /// <summary>--page and --per-page: from 1 (the upper bound of --per-page is Queries:MaxPerPage, checked by the query API).</summary>
    private static Option<int> Number(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "n" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name}: must be at least 1 (got {result.GetValueOrDefault<int>()})");
            }
        });
        return option;
    }

    private static async Task<object?> Boxed<T>(Task<T> task) => await task.ConfigureAwait(false);

    private static Task<int> RunAsync(ParseResult parseResult, Func<ICampaignQueries, CancellationToken, Task<object?>> query, CancellationToken cancellationToken) =>
        CliServices.RunAsync(parseResult, async (services, ct) =>
        {
            object? answer;
            try
            {
                answer = await query(services.GetRequiredService<ICampaignQueries>(), ct).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                // The query API's refusal of a bad page, per_page, token or range, which the parser cannot judge alone.
                return await CliServices.UsageAsync(CliErrors.Clean(ex)).ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(answer, JsonOutput.Options)).ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellationToken);
}

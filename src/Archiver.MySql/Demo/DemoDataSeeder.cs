using System.Diagnostics;
using Dapper;
using MySqlConnector;

namespace Archiver.MySql.Demo;

/// <summary>
/// Seeds a realistic demo data set, relative to the database's clock: about 60% of the campaigns
/// ended more than two days ago (eligible), some ended within the last 48 hours, some are still
/// running; one in five is a vote campaign. Entries interleave across campaigns in time order, as
/// they do in production, and carry NULLs, emoji and other non-ASCII text, and millisecond times.
/// </summary>
public static class DemoDataSeeder
{
    private static readonly string[] CampaignNames =
    [
        "Summer Sweepstakes", "Win a Trip to Lisbon", "Bäckerei Müller Gewinnspiel", "Concurso Navideño ☃",
        "Best Pizza in Town", "Back to School Giveaway", "Radio 101 Morning Quiz", "Café Crème Instant Win",
        "Festival Tickets 🎸", "Naming Contest: Zoo Baby 🐘", "Black Friday Flash", "Mother's Day Roses 🌹",
        "Cup Final Predictor ⚽", "Spring Clean Prize Draw", "Halloween Costume Vote 🎃", "New Year Countdown",
        "Ice Cream Flavour Vote 🍦", "Marathon Cheer Squad", "Book Club Pick", "Weekend Getaway Draw",
    ];

    private static readonly string[] Messages =
    [
        "YES", "yes", "WIN", "ENTER", "Enter me please", "PIZZA", "Je participe ! 🍀", "¡Quiero ganar! 🎉",
        "Ich bin dabei 👍", "Mi iscrivo 🇮🇹", "参加します", "응모합니다", "Привет! Участвую", "أنا مشارك",
        "שלום 👋", "🎁🎁🎁", "Count me in 😀", "WIN 2 TICKETS", "Go team! ⚽", "Café au lait ☕",
        "naïve façade – “quoted” text", "Line one\nLine two", "tab\tseparated", "back\\slash and \"quotes\"",
    ];

    private static readonly string[][] Choices =
    [
        ["Margherita", "Pepperoni", "Hawaii 🍍", "Quattro Formaggi"],
        ["Vampire 🧛", "Ghost 👻", "Witch", "Pumpkin"],
        ["Vanilla", "Pistachio", "Stracciatella", "Mango 🥭", "Salted Caramel"],
        ["Yes", "No"],
    ];

    /// <summary>Inserts the data set; <paramref name="progress"/> is told the entries inserted so far.</summary>
    public static async Task<DemoSeedResult> SeedAsync(
        MySqlConnection connection, DemoSeedOptions options, Action<long, long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Campaigns, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Entries);

        var stopwatch = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        var now = await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition("SELECT UTC_TIMESTAMP(3)", cancellationToken: cancellationToken)).ConfigureAwait(false);
        now = Truncate(now);

        var campaigns = new List<PlannedCampaign>();
        for (var i = 0; i < options.Campaigns; i++)
        {
            var campaign = Plan(i, options.Campaigns, now, random);
            campaign.Id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO campaigns (name, kind, starts_at, ends_at) VALUES (@Name, @Kind, @StartsAt, @EndsAt); SELECT LAST_INSERT_ID();",
                campaign, cancellationToken: cancellationToken)).ConfigureAwait(false);
            campaigns.Add(campaign);
        }

        var contests = campaigns.Where(c => c.Kind == "contest").ToList();
        var entries = MakeEntries(contests, options.Entries, now, random);
        long inserted = 0;
        foreach (var chunk in entries.Chunk(20_000))
        {
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await RowInserter.InsertEntriesAsync(connection, chunk, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            inserted += chunk.Length;
            progress?.Invoke(inserted, entries.Count);
        }

        var votes = MakeVotes(campaigns.Where(c => c.Kind == "vote").ToList(), options.Entries / 5, now, random);
        foreach (var chunk in votes.Chunk(20_000))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await RowInserter.InsertVotesAsync(connection, chunk, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var eligible = campaigns.Where(c => c.EndsAt <= now.AddDays(-2)).ToList();
        var eligibleIds = eligible.Where(c => c.Kind == "contest").Select(c => c.Id).ToHashSet();
        return new DemoSeedResult(
            campaigns.Count,
            eligible.Count,
            entries.Count,
            entries.Count(e => eligibleIds.Contains(e.CampaignId)),
            votes.Count,
            stopwatch.Elapsed);
    }

    private static PlannedCampaign Plan(int index, int count, DateTime now, Random random)
    {
        var position = (double)index / count;
        DateTime endsAt;
        if (position < 0.6)
        {
            endsAt = now.AddDays(-(3 + random.NextDouble() * 57)); // ended 3–60 days ago: eligible
        }
        else if (position < 0.75)
        {
            endsAt = now.AddHours(-(2 + random.NextDouble() * 38)); // ended within 48 h: not yet
        }
        else
        {
            endsAt = now.AddDays(1 + random.NextDouble() * 19); // still running
        }

        endsAt = Truncate(endsAt);
        var startsAt = Truncate(endsAt.AddDays(-(1 + random.NextDouble() * 13)));
        if (startsAt >= now)
        {
            startsAt = now.AddDays(-1);
        }

        var name = CampaignNames[index % CampaignNames.Length] + (index >= CampaignNames.Length ? $" #{index / CampaignNames.Length + 1}" : "");
        return new PlannedCampaign { Name = name, Kind = index % 5 == 4 ? "vote" : "contest", StartsAt = startsAt, EndsAt = endsAt };
    }

    private static List<EntryRow> MakeEntries(List<PlannedCampaign> contests, int total, DateTime now, Random random)
    {
        if (contests.Count == 0 || total == 0)
        {
            return [];
        }

        // Skewed sizes: a few big campaigns, many small ones, like real traffic.
        var weights = contests.Select(_ => 0.2 + 2.8 * Math.Pow(random.NextDouble(), 2)).ToArray();
        var sum = weights.Sum();
        var drafts = new List<(DateTime At, int Campaign)>(total);
        var assigned = 0;
        for (var c = 0; c < contests.Count; c++)
        {
            var n = c == contests.Count - 1 ? total - assigned : (int)Math.Round(total * weights[c] / sum);
            n = Math.Min(n, total - assigned);
            assigned += n;
            var campaign = contests[c];
            var end = campaign.EndsAt < now ? campaign.EndsAt : now;
            var span = (end - campaign.StartsAt).TotalMilliseconds;
            for (var k = 0; k < n; k++)
            {
                drafts.Add((campaign.StartsAt.AddMilliseconds(Math.Floor(random.NextDouble() * span)), c));
            }
        }

        // Entries arrive in time order across campaigns, so ids interleave campaigns.
        drafts.Sort((a, b) => a.At.CompareTo(b.At));
        var numbers = new int[contests.Count];
        var rows = new List<EntryRow>(drafts.Count);
        foreach (var (at, c) in drafts)
        {
            var campaign = contests[c];
            rows.Add(new EntryRow
            {
                CampaignId = campaign.Id,
                UserId = random.NextDouble() < 0.05 ? null : 1 + (long)(Math.Pow(random.NextDouble(), 2) * 50_000),
                EntryNumber = ++numbers[c],
                Winner = campaign.EndsAt < now && random.NextDouble() < 0.003,
                Message = MakeMessage(random),
                CreatedAt = at,
            });
        }

        return rows;
    }

    private static string? MakeMessage(Random random)
    {
        var roll = random.NextDouble();
        if (roll < 0.07)
        {
            return null;
        }

        return roll < 0.35
            ? $"CODE {random.Next(1000, 999_999)}"
            : Messages[random.Next(Messages.Length)];
    }

    private static List<VoteRow> MakeVotes(List<PlannedCampaign> polls, int total, DateTime now, Random random)
    {
        var votes = new List<VoteRow>();
        if (polls.Count == 0)
        {
            return votes;
        }

        for (var p = 0; p < polls.Count; p++)
        {
            var poll = polls[p];
            var choices = Choices[p % Choices.Length];
            var end = poll.EndsAt < now ? poll.EndsAt : now;
            var span = (end - poll.StartsAt).TotalMilliseconds;
            for (var k = 0; k < total / polls.Count; k++)
            {
                votes.Add(new VoteRow
                {
                    CampaignId = poll.Id,
                    UserId = random.NextDouble() < 0.05 ? null : 1 + random.Next(50_000),
                    Choice = choices[(int)(Math.Pow(random.NextDouble(), 1.5) * choices.Length)],
                    CreatedAt = poll.StartsAt.AddMilliseconds(Math.Floor(random.NextDouble() * span)),
                });
            }
        }

        votes.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        return votes;
    }

    private static DateTime Truncate(DateTime value) => new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified);

    private sealed class PlannedCampaign
    {
        public long Id { get; set; }

        public string Name { get; init; } = "";

        public string Kind { get; init; } = "";

        public DateTime StartsAt { get; init; }

        public DateTime EndsAt { get; init; }
    }
}

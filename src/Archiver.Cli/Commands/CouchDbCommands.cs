using System.CommandLine;
using Archiver.Cli.Output;
using Archiver.CouchDb;
using Archiver.Options;
using Archiver.Rollups;
using Archiver.Views;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Archiver.Cli.Commands;

/// <summary>
/// <c>archiver couchdb setup [--member &lt;user&gt;] [--no-views]</c>, run once by a CouchDB server admin
/// (the configured <c>CouchDb:Username</c>/<c>Password</c> pointed at an admin account), and
/// <c>archiver couchdb move-rollups</c>. Everything else Archiver does needs only a member of the
/// archive databases.
/// </summary>
internal static class CouchDbCommands
{
    /// <summary>The member's password when setup should create the user; read from the environment so it is never on a command line.</summary>
    public const string MemberPasswordVariable = "ARCHIVER_COUCHDB_MEMBER_PASSWORD";

    public static Command Create()
    {
        var member = new Option<string?>("--member")
        {
            Description = $"The CouchDB user the archiver runs as: made a member of every archive database (created first, with the password in {MemberPasswordVariable}, when it does not exist).",
            HelpName = "user",
        };
        var noViews = new Option<bool>("--no-views") { Description = "Do not deploy the design documents under views/ (run 'archiver views deploy' later, as an admin)." };
        var setup = new Command("setup", "As a CouchDB server admin, once: create the archive and rollup databases, make --member a member of them (_security), deploy the design documents.")
        {
            member, noViews,
        };
        setup.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            (services, ct) => SetupAsync(services, parseResult.GetValue(member), parseResult.GetValue(noViews), ct),
            cancellationToken));
        var move = new Command("move-rollups", "One-time move of rollups written into the entry databases (before rollups had their own) into each set's RollupDatabase; safe to interrupt and repeat.");
        move.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(MoveRollupsAsync, cancellationToken));
        return new Command("couchdb", "Set up the CouchDB side: databases, permissions, rollups.") { setup, move };
    }

    private static async Task<int> SetupAsync(IServiceProvider services, string? member, bool noViews, CancellationToken cancellationToken)
    {
        var couch = services.GetRequiredService<CouchDbClient>();
        var (user, roles) = await couch.GetSessionUserAsync(cancellationToken).ConfigureAwait(false);
        if (!roles.Contains("_admin", StringComparer.Ordinal))
        {
            throw new ArchiverConfigurationException(
                $"couchdb setup needs a CouchDB server admin, but CouchDb:Username {(user is null ? "(none)" : $"'{user}'")} has roles [{string.Join(", ", roles)}]; set CouchDb__Username/CouchDb__Password to an admin for this command");
        }

        if (member is not null)
        {
            var password = Environment.GetEnvironmentVariable(MemberPasswordVariable);
            if (!string.IsNullOrEmpty(password))
            {
                var created = await couch.EnsureUserAsync(member, password, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(created ? $"user {member}: created (no roles)" : $"user {member}: exists (password left alone)");
            }
        }

        var sets = services.GetRequiredService<IOptions<ArchiveOptions>>().Value.Sets;
        foreach (var database in sets.SelectMany(s => new[] { s.Database, s.EffectiveRollupDatabase }).Distinct(StringComparer.Ordinal))
        {
            var existed = await couch.GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false) is not null;
            await couch.EnsureDatabaseAsync(database, cancellationToken).ConfigureAwait(false);
            var granted = member is not null && await couch.EnsureMemberAsync(database, member, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"database {database}: {(existed ? "exists" : "created")}{(member is null ? "" : granted ? $", {member} made a member" : $", {member} is a member")}");
        }

        if (!noViews)
        {
            var targets = await ViewsCommands.TargetsAsync(services, null, cancellationToken).ConfigureAwait(false);
            var results = await services.GetRequiredService<ViewDeployer>().DeployAsync(targets, false, false, new ViewDeployProgress(Console.Out), cancellationToken).ConfigureAwait(false);
            ViewDeploySummary.Write(Console.Out, results);
        }

        Console.WriteLine(member is null
            ? "setup done; no --member given, so no user was granted access"
            : $"setup done; run the archiver as {member} (CouchDb:Username), which needs no admin rights");
        return ExitCodes.Success;
    }

    private static async Task<int> MoveRollupsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var mover = new RollupMover(services.GetRequiredService<CouchDbClient>());
        foreach (var set in services.GetRequiredService<IOptions<ArchiveOptions>>().Value.Sets)
        {
            if (set.EffectiveRollupDatabase == set.Database)
            {
                Console.WriteLine($"{set.Table}: RollupDatabase is its Database ({set.Database}); nothing to move");
                continue;
            }

            var (moved, already) = await mover.MoveAsync(set, n => Console.WriteLine($"  {set.Table}: {n:N0} rollups done"), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{set.Table}: {moved:N0} rollups moved from {set.Database} to {set.EffectiveRollupDatabase}{(already > 0 ? $", {already:N0} already there (removed from {set.Database})" : "")}");
        }

        return ExitCodes.Success;
    }
}

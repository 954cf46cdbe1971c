#!/usr/bin/env bash
# The README's first command. On a fresh machine or a second run: start the services, seed a demo
# data set into a MySQL database of its own, deploy the CouchDB views, archive the completed
# campaigns, then read an archived campaign back (statistics and a page of entries) and print what
# to try next.
#
#   ./scripts/demo.sh [--entries N] [--campaigns N] [--seed N]     (passed on to `archiver demo seed`)
#
# The demo creates and marks its own data: MySQL database $ARCHIVER_DEMO_DATABASE (default
# archiver_demo) and CouchDB databases $ARCHIVER_DEMO_PREFIX<set> (default demo_). A second run
# resets only what carries the mark; anything else with those names is left alone, with one line
# saying so.
set -euo pipefail
export ARCHIVER_MYSQL_DATABASE="${ARCHIVER_DEMO_DATABASE:-archiver_demo}"
prefix="${ARCHIVER_DEMO_PREFIX:-demo_}"
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
SVC_LOG_PREFIX=demo

"$ROOT/scripts/services.sh" up

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The CLI reads appsettings.json; these point it at the services started above and at the demo's own databases.
export ConnectionStrings__MySql="$ARCHIVER_MYSQL_CS"
export CouchDb__Url="$ARCHIVER_COUCHDB_URL"
export Archive__Sets__0__Database="${prefix}contest_campaign_entries_archive"
export Archive__Sets__1__Database="${prefix}vote_campaign_votes_archive"

cd "$ROOT"
svc_log "building the archiver CLI (Release)"
dotnet build src/Archiver.Cli -c Release -v quiet -nologo -clp:ErrorsOnly
archiver=(dotnet "$ROOT/src/Archiver.Cli/bin/Release/net10.0/archiver.dll")

# A smaller default than `demo seed`'s: the demo should finish in a few minutes.
args=("$@")
[[ " ${args[*]-} " == *" --entries "* ]] || args+=(--entries 50000)

svc_log "seeding MySQL database ${ARCHIVER_MYSQL_DATABASE} (the demo's own; a re-run resets only what the demo created)"
"${archiver[@]}" demo seed --reset "${args[@]}"

svc_log "deploying the CouchDB views: archiver views deploy"
"${archiver[@]}" views deploy

svc_log "archiving completed campaigns: archiver archive run"
"${archiver[@]}" archive run

campaign="$("${archiver[@]}" archive status --state archived --json | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    const c = JSON.parse(s).find(x => x.kind === "contest") || JSON.parse(s)[0];
    process.stdout.write(c ? String(c.campaign_id) : "");
  });')"
[[ -n $campaign ]] || svc_die "no campaign was archived; see archiver archive status"

svc_log "statistics of archived campaign $campaign, per day: archiver query stats $campaign --granularity day"
"${archiver[@]}" query stats "$campaign" --granularity day
svc_log "the first 3 entries of campaign $campaign: archiver query entries $campaign --per-page 3"
"${archiver[@]}" query entries "$campaign" --per-page 3

cat <<NEXT

[demo] Done: campaign $campaign was read back from the CouchDB archive.
Next steps (with the same settings; these variables point archiver at the demo's data):
  export ConnectionStrings__MySql="Server=127.0.0.1;Port=${ARCHIVER_MYSQL_PORT};User ID=${ARCHIVER_MYSQL_USER};Password=\$ARCHIVER_MYSQL_PASSWORD;Database=${ARCHIVER_MYSQL_DATABASE}"
  export CouchDb__Url=$ARCHIVER_COUCHDB_URL Archive__Sets__0__Database=$Archive__Sets__0__Database Archive__Sets__1__Database=$Archive__Sets__1__Database
  ./scripts/install.sh                    # then 'archiver' works from any directory
  archiver doctor                         # every check, one line each
  archiver archive status                 # every campaign and its state
  archiver query count $campaign                # answered from the archive
  archiver purge --dry-run                # what a purge would delete from MySQL
  archiver serve                          # statistics pages at http://127.0.0.1:5080/campaigns (/hangfire, /health/ready, /metrics)
  ./scripts/services.sh down              # stop the services
NEXT

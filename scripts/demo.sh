#!/usr/bin/env bash
# The README's first command: on a fresh machine, start the services, create the users' schema in
# database `textme`, seed a realistic demo data set (20 campaigns, 200,000 entries), archive the
# completed campaigns once, and print the summary.
#
#   ./scripts/demo.sh [--entries N] [--campaigns N]     (passed on to `archiver demo seed`)
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
SVC_LOG_PREFIX=demo

"$ROOT/scripts/services.sh" up

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The CLI reads appsettings.json; these point it at the services started above (their ports may be overridden).
export ConnectionStrings__MySql="$ARCHIVER_MYSQL_CS"
export CouchDb__Url="$ARCHIVER_COUCHDB_URL"

cd "$ROOT"
svc_log "building the archiver CLI (Release)"
dotnet build src/Archiver.Cli -c Release -v quiet -nologo -clp:ErrorsOnly
archiver=(dotnet "$ROOT/src/Archiver.Cli/bin/Release/net10.0/archiver.dll")

svc_log "seeding database ${ARCHIVER_MYSQL_DATABASE} (the demo starts from scratch: its tables and the archive database are reset)"
"${archiver[@]}" demo seed --reset "$@"

svc_log "archiving completed campaigns: archiver archive run"
"${archiver[@]}" archive run

svc_log "to open the statistics pages: with ConnectionStrings__MySql and CouchDb__Url set as this script sets them, run 'dotnet src/Archiver.Cli/bin/Release/net10.0/archiver.dll serve' and open http://127.0.0.1:5080/campaigns (jobs dashboard: /hangfire, health: /health/ready, metrics: /metrics)"

#!/usr/bin/env bash
# The views measurement (issue 7): one campaign of 200,000 entries and its rollups in CouchDB; the
# shipped rollup statistics view against the same statistics from a per-entry view: index size on
# disk, build time, and query time for day, hour and minute statistics. Records its section
# (key "views") in BENCHMARKS.md. See bench/README.md.
#
#   ./bench/views.sh [--entries N] [--repeats N] [--record KEY | --no-record]
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
SVC_LOG_PREFIX=bench-views

case "${1:-}" in
  -h | --help)
    sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

"$ROOT/scripts/services.sh" up
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$ROOT"
svc_log "building the harness (Release)"
dotnet build bench/Archiver.Bench -c Release -v quiet -nologo -clp:ErrorsOnly
# Index sizes are read from pouchdb-server's data folder (ARCHIVER_COUCHDB_DATA overrides it).
export ARCHIVER_COUCHDB_DATA="${ARCHIVER_COUCHDB_DATA:-$LOCAL/couchdb/data}"
exec dotnet "$ROOT/bench/Archiver.Bench/bin/Release/net10.0/archiver-bench.dll" views "$@"

#!/usr/bin/env bash
# The deep-page measurement (issue 8): a live and an archived campaign of 100,000 entries read
# through the query API; latency of page 1 against page 1,000 (per_page 50) by number and by token
# on MySQL and on CouchDB. Records its section (key "pages") in BENCHMARKS.md. See bench/README.md.
#
#   ./bench/pages.sh [--entries N] [--per-page N] [--page N] [--repeats N] [--record KEY | --no-record]
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
SVC_LOG_PREFIX=bench-pages

case "${1:-}" in
  -h | --help)
    sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

"$ROOT/scripts/services.sh" up
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$ROOT"
svc_log "building the harness (Release)"
dotnet build bench/Archiver.Bench -c Release -v quiet -nologo -clp:ErrorsOnly
exec dotnet "$ROOT/bench/Archiver.Bench/bin/Release/net10.0/archiver-bench.dll" pages "$@"

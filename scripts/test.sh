#!/usr/bin/env bash
# The README's test command: start MariaDB and pouchdb-server (installing them if needed), then
# run every test in the solution against them, and end with one line "N passed, N failed".
#
#   ./scripts/test.sh [extra dotnet test arguments, e.g. --filter Archive]
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
SVC_LOG_PREFIX=test

"$ROOT/scripts/services.sh" up

# Integration tests read the servers from these; without them they fail (never skip).
export ARCHIVER_TEST_MYSQL="Server=127.0.0.1;Port=${ARCHIVER_MYSQL_PORT};User ID=${ARCHIVER_MYSQL_USER};Password=${ARCHIVER_MYSQL_PASSWORD}"
export ARCHIVER_TEST_COUCHDB="$ARCHIVER_COUCHDB_URL"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cd "$ROOT"
mkdir -p "$LOCAL"
log="$LOCAL/test-output.log"
svc_log "dotnet test Archiver.sln (MySQL 127.0.0.1:${ARCHIVER_MYSQL_PORT}, CouchDB ${ARCHIVER_COUCHDB_URL})"
started=$(date +%s)
set +e
# A hung test fails the run after 10 minutes instead of eating CI's whole budget.
dotnet test Archiver.sln --blame-hang-timeout 10m "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one "Passed!/Failed! - Failed: n, Passed: n, Skipped: n, Total: n" line per
# test project; add them up into the single line CI reads.
read -r passed failed skipped total < <(
  grep -E '(Passed|Failed)! +- Failed: ' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+), Total: *([0-9]+).*/\2 \1 \3 \4/' |
    awk '{p+=$1; f+=$2; s+=$3; t+=$4} END {printf "%d %d %d %d\n", p, f, s, t}'
)
echo
echo "Test summary: ${total} tests in $(($(date +%s) - started)) s"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [[ $status -eq 0 && $total -eq 0 ]]; then
  svc_die "no test ran"
fi
exit "$status"

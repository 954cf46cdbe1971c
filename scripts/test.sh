#!/usr/bin/env bash
# The README's test command: start MariaDB and pouchdb-server (installing them if needed), then
# run every test in the solution against them, and end with one line "N passed, N failed".
#
#   ./scripts/test.sh [extra dotnet test arguments, e.g. --filter Archive]
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
SVC_LOG_PREFIX=test

mkdir -p "$LOCAL"
log="$LOCAL/test-output.log"
: >"$log"
started=$(date +%s)

# The closing line is printed however the script ends (services that would not start, a build
# error, a crashed test host), so that CI always sees a count, and never a count of zero failures
# for a run that failed.
summary() {
  local status=$? passed failed skipped total aborted
  read -r passed failed skipped total < <(
    grep -E '(Passed|Failed)! +- Failed: ' "$log" |
      sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+), Total: *([0-9]+).*/\2 \1 \3 \4/' |
      awk '{p+=$1; f+=$2; s+=$3; t+=$4} END {printf "%d %d %d %d\n", p, f, s, t}'
  )
  aborted=$(grep -cE 'Test Run Aborted|The active test run was aborted' "$log" || true)
  failed=$((failed + aborted))
  echo
  echo "Test summary: ${total} tests reported in $(($(date +%s) - started)) s$( ((aborted == 0)) || echo ", $aborted test run(s) aborted")"
  if [[ $status -ne 0 && $failed -eq 0 ]]; then
    # Nothing failed that dotnet test counted: the run broke outside the tests (see above).
    failed=1
    echo "the run failed outside the tests (services, build or test host): counted as 1 failure"
  fi
  # The query API's parity suite writes its own count (queries asked of both stores, identical answers).
  [[ -f "$LOCAL/parity-summary.txt" ]] && cat "$LOCAL/parity-summary.txt"
  # The replicas' chaos test writes its figures (reads, failovers, failed reads, latency) the same way.
  [[ -f "$LOCAL/chaos-summary.txt" ]] && cat "$LOCAL/chaos-summary.txt"
  echo "${passed} passed, ${failed} failed, ${skipped} skipped"
  exit "$status"
}
trap summary EXIT
rm -f "$LOCAL/parity-summary.txt" "$LOCAL/chaos-summary.txt"

"$ROOT/scripts/services.sh" up 2>&1 | tee -a "$log"
# The web host's browser tests drive Debian's chromium (installed here if missing).
"$ROOT/scripts/services.sh" browser 2>&1 | tee -a "$log"

# Integration tests read the servers from these; without them they fail (never skip).
export ARCHIVER_TEST_MYSQL="Server=127.0.0.1;Port=${ARCHIVER_MYSQL_PORT};User ID=${ARCHIVER_MYSQL_USER};Password=${ARCHIVER_MYSQL_PASSWORD}"
export ARCHIVER_TEST_COUCHDB="$ARCHIVER_COUCHDB_URL"
if [[ -n $ARCHIVER_COUCHDB_USER ]]; then
  export ARCHIVER_TEST_COUCHDB_USER="$ARCHIVER_COUCHDB_USER" ARCHIVER_TEST_COUCHDB_PASSWORD="$ARCHIVER_COUCHDB_PASSWORD"
fi
# Replica tests start their own pouchdb-server instances on these loopback ports (issue 18).
export ARCHIVER_TEST_POUCHDB_SERVER="$LOCAL/pouchdb-server/node_modules/pouchdb-server/bin/pouchdb-server"
export ARCHIVER_TEST_REPLICA_PORTS="${ARCHIVER_REPLICA_PORTS:-$((ARCHIVER_COUCHDB_PORT + 1))-$((ARCHIVER_COUCHDB_PORT + 5))}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cd "$ROOT"
svc_log "dotnet test Archiver.sln (MySQL 127.0.0.1:${ARCHIVER_MYSQL_PORT}, CouchDB ${ARCHIVER_COUCHDB_URL}${ARCHIVER_COUCHDB_USER:+ as ${ARCHIVER_COUCHDB_USER}})"
# A hung test fails the run after 10 minutes instead of eating CI's whole budget.
dotnet test Archiver.sln --blame-hang-timeout 10m "$@" 2>&1 | tee -a "$log"
status=${PIPESTATUS[0]}
if [[ $status -eq 0 ]] && ! grep -qE '(Passed|Failed)! +- Failed: ' "$log"; then
  svc_warn "no test ran"
  exit 1
fi
exit "$status"

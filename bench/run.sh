#!/usr/bin/env bash
# The benchmark harness (issue 5): one command that starts the services, builds Release, seeds a
# dedicated bench database and measures, in one run, the raw _bulk_docs ceiling, the archive, the
# archive against a discard sink, our purge and pt-archiver; it prints a summary table and records
# the figures in BENCHMARKS.md. See bench/README.md.
#
#   ./bench/run.sh [--entries N | --million] [--rss-entries N] [--record KEY | --no-record] [--note TEXT]
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
SVC_LOG_PREFIX=bench

case "${1:-}" in
  -h | --help)
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

"$ROOT/scripts/services.sh" up

mkdir -p "$LOCAL"
# bench_apt_install PKG...: as scripts/services.sh does it: non-interactive, no recommends, logged.
bench_apt_install() {
  local log="$LOCAL/apt-install.log"
  if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    svc_warn "$* missing and cannot be installed here (not root or no apt-get); the phases that need it report it as not available. Run: sudo apt-get install -y --no-install-recommends $*"
    return 0
  fi
  svc_log "apt-get install $* (log: .local/apt-install.log)"
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; } </dev/null >>"$log" 2>&1; then
    tail -n 20 "$log" >&2 || true
    svc_die "apt-get install $* failed; see .local/apt-install.log"
  fi
}
# GNU time measures each child's CPU seconds and peak RSS (see bench/README.md); pt-archiver is the purge baseline.
[[ -x /usr/bin/time ]] || bench_apt_install time
[[ -x /usr/bin/time ]] || svc_die "/usr/bin/time (GNU time) is required to measure the archive's CPU and peak RSS"
command -v pt-archiver >/dev/null 2>&1 || bench_apt_install percona-toolkit

# The bench databases (archiver_bench, archiver_bench_copy) are dropped and re-created by every run.
# shellcheck source=bench/lib/bench-databases.sh
source "$ROOT/bench/lib/bench-databases.sh"
bench_grant_databases

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$ROOT"
svc_log "building the archiver CLI and the harness (Release)"
dotnet build src/Archiver.Cli -c Release -v quiet -nologo -clp:ErrorsOnly
dotnet build bench/Archiver.Bench -c Release -v quiet -nologo -clp:ErrorsOnly

export BENCH_CLI="$ROOT/src/Archiver.Cli/bin/Release/net10.0/archiver.dll"
BENCH_DOTNET_SDK="$(dotnet --version)"
export BENCH_DOTNET_SDK
# exec: Ctrl+C reaches the harness, which stops its child process and the sink before exiting.
exec dotnet "$ROOT/bench/Archiver.Bench/bin/Release/net10.0/archiver-bench.dll" "$@"

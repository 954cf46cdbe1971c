#!/usr/bin/env bash
# The replicas' chaos run (issue 18): the integration test ChaosTests with a longer chaos phase. A
# central pouchdb-server and two replicas on loopback; one at a time is SIGKILLed and restarted while
# campaigns are archived into the central one, replicated, and read by two readers (pages,
# statistics, vote totals). Prints reads, failovers, failed reads (target 0), p50/p99 read latency,
# kills and the time the replicas took to converge; fails if any read failed or differed from MySQL.
#
#   ./bench/chaos.sh [SECONDS]     default 180
# Replica ports: ARCHIVER_REPLICA_PORTS (default: the three above ARCHIVER_COUCHDB_PORT, e.g. 6055-6059).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
case "${1:-}" in
  -h | --help)
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac
seconds=${1:-180}
[[ $seconds =~ ^[0-9]+$ ]] || svc_die "chaos: SECONDS must be a whole number (got '$seconds')"
export ARCHIVER_CHAOS_SECONDS=$seconds
SVC_LOG_PREFIX="bench-chaos"
svc_log "chaos for ${seconds} s (machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
exec "$ROOT/scripts/test.sh" --filter "FullyQualifiedName~Archiver.IntegrationTests.Replication.ChaosTests"

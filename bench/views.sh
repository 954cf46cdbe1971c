#!/usr/bin/env bash
# The views measurement (issue 7): one campaign of 200,000 entries and its rollups in CouchDB; the
# shipped rollup statistics view against the same statistics from a per-entry view: index size on
# disk, build time, and query time for day, hour and minute statistics. Records its section
# (key "views") in BENCHMARKS.md. See bench/README.md.
#
#   ./bench/views.sh [--entries N] [--repeats N] [--record KEY | --no-record]
set -euo pipefail
# shellcheck source=bench/lib/measurement.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/measurement.sh"
# Index sizes are read from pouchdb-server's data folder (ARCHIVER_COUCHDB_DATA overrides it).
export ARCHIVER_COUCHDB_DATA="${ARCHIVER_COUCHDB_DATA:-$LOCAL/couchdb/data}"
run_measurement views 2,7 "$@"

#!/usr/bin/env bash
# The deep-page measurement (issue 8): a live and an archived campaign of 100,000 entries read
# through the query API; latency of page 1 against page 1,000 (per_page 50) by number and by token
# on MySQL and on CouchDB. Records its section (key "pages") in BENCHMARKS.md. See bench/README.md.
#
#   ./bench/pages.sh [--entries N] [--per-page N] [--page N] [--repeats N] [--record KEY | --no-record]
set -euo pipefail
# shellcheck source=bench/lib/measurement.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/measurement.sh"
run_measurement pages 2,6 "$@"

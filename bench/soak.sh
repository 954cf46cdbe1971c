#!/usr/bin/env bash
# The worker soak (issue 15): one process composed as the worker runs 2,000 archive-campaign jobs,
# each archiving a tiny campaign; the managed heap after the warm-up and every quarter. Records its
# section (key "soak") in BENCHMARKS.md. See bench/README.md.
#
#   ./bench/soak.sh [--jobs N] [--warm-up N] [--record KEY | --no-record]
set -euo pipefail
# shellcheck source=bench/lib/measurement.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/measurement.sh"
run_measurement soak 2,6 "$@"

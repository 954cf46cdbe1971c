#!/usr/bin/env bash
# The discard-sink phase of bench/run.sh on its own (issue 20): one campaign archived by the real CLI
# into the harness's discard sink, N runs, each with its wall time, CPU per row and peak RSS; with
# --trace, under dotnet-trace (BENCH_DOTNET_TRACE or on the PATH). Records nothing. See bench/README.md.
#
#   ./bench/sink.sh [--entries N] [--runs N] [--reuse] [--trace FILE.nettrace] [--env NAME=VALUE]... [--cli PATH/archiver.dll]
set -euo pipefail
case "${1:-}" in
  -h | --help)
    sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac
# run.sh starts the services, grants the bench databases, builds the CLI and the harness, and passes
# its arguments through: the harness runs its `sink` mode.
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" sink "$@"

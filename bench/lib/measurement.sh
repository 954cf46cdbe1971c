#!/usr/bin/env bash
# Shared by bench/views.sh and bench/pages.sh: prints the calling script's usage for -h/--help,
# else starts the services, builds the harness (Release) and runs `archiver-bench <name> …`.
#
#   source bench/lib/measurement.sh; run_measurement <name> <usage lines> "$@"
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"

run_measurement() {
  local name=$1 usage_lines=$2
  shift 2
  case "${1:-}" in
    -h | --help)
      sed -n "${usage_lines}p" "${BASH_SOURCE[1]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
  esac
  SVC_LOG_PREFIX="bench-$name"
  "$ROOT/scripts/services.sh" up
  export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  cd "$ROOT"
  svc_log "building the harness (Release)"
  dotnet build bench/Archiver.Bench -c Release -v quiet -nologo -clp:ErrorsOnly
  exec dotnet "$ROOT/bench/Archiver.Bench/bin/Release/net10.0/archiver-bench.dll" "$name" "$@"
}

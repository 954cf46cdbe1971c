#!/usr/bin/env bash
# The deploy measurement (issue 16): `archiver views deploy` after the demo, as a new user runs it.
# Seeds the demo into MySQL database archiver_bench_deploy, archives it into CouchDB databases
# archiver_bench_deploy_* (rollups in their own databases), removes every design document and index
# there, then times `archiver views deploy` from nothing. Prints each design document's build time,
# the total and, on pouchdb-server, the server's CPU seconds. Nothing is written to BENCHMARKS.md.
#
#   ./bench/deploy.sh [--server pouchdb|couchdb] [--views-from REV --rollups-in-entries] [--reuse]
#
#   --server couchdb      the CouchDB named by ARCHIVER_BENCH_COUCHDB_URL (account in
#                         ARCHIVER_BENCH_COUCHDB_USER / _PASSWORD, never printed), as bench/run.sh
#   --views-from REV      deploy the views/ folder of git revision REV instead of the work tree's
#   --rollups-in-entries  rollups in the entry databases (the layout before issue 16; with an old REV)
#   --reuse               keep the archive of an earlier run: only remove the views and deploy again
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
SVC_LOG_PREFIX=bench-deploy

server=pouchdb views_from="" rollups_in_entries=false reuse=false
while (($#)); do
  case "$1" in
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --server) server=${2:?--server takes pouchdb or couchdb}; shift ;;
    --views-from) views_from=${2:?--views-from takes a git revision}; shift ;;
    --rollups-in-entries) rollups_in_entries=true ;;
    --reuse) reuse=true ;;
    *) svc_die "unknown option '$1' (see --help)" ;;
  esac
  shift
done
[[ $server == pouchdb || $server == couchdb ]] || svc_die "--server takes pouchdb or couchdb, not '$server'"

"$ROOT/scripts/services.sh" up
# shellcheck source=bench/lib/bench-databases.sh
source "$ROOT/bench/lib/bench-databases.sh"
bench_grant_databases
mariadb -h127.0.0.1 -P"$ARCHIVER_MYSQL_PORT" --protocol=tcp -u"$ARCHIVER_MYSQL_USER" -p"$ARCHIVER_MYSQL_PASSWORD" \
  -e 'CREATE DATABASE IF NOT EXISTS archiver_bench_deploy' || svc_die "could not create MySQL database archiver_bench_deploy"

curl_config="$(mktemp)"
views_dir=""
trap 'rm -f "$curl_config"; [[ -z $views_dir ]] || rm -rf "$views_dir"' EXIT
if [[ $server == couchdb ]]; then
  : "${ARCHIVER_BENCH_COUCHDB_URL:?set ARCHIVER_BENCH_COUCHDB_URL for --server couchdb}"
  export CouchDb__Url="$ARCHIVER_BENCH_COUCHDB_URL"
  if [[ -n ${ARCHIVER_BENCH_COUCHDB_USER:-} ]]; then
    export CouchDb__Username="$ARCHIVER_BENCH_COUCHDB_USER" CouchDb__Password="${ARCHIVER_BENCH_COUCHDB_PASSWORD:-}"
    printf 'user = "%s:%s"\n' "$CouchDb__Username" "$CouchDb__Password" >"$curl_config"
  fi
else
  export CouchDb__Url="$ARCHIVER_COUCHDB_URL"
fi
export ConnectionStrings__MySql="Server=127.0.0.1;Port=$ARCHIVER_MYSQL_PORT;Database=archiver_bench_deploy;User ID=$ARCHIVER_MYSQL_USER;Password=$ARCHIVER_MYSQL_PASSWORD"
export ARCHIVER_SETTINGS="$ROOT/appsettings.json"
databases=()
for i in 0 1; do
  table=$([[ $i == 0 ]] && echo contest_campaign_entries || echo vote_campaign_votes)
  export "Archive__Sets__${i}__Database=archiver_bench_deploy_$table"
  if $rollups_in_entries; then
    export "Archive__Sets__${i}__RollupDatabase=archiver_bench_deploy_$table"
    databases+=("archiver_bench_deploy_$table")
  else
    export "Archive__Sets__${i}__RollupDatabase=archiver_bench_deploy_${table}_rollups"
    databases+=("archiver_bench_deploy_$table" "archiver_bench_deploy_${table}_rollups")
  fi
done
if [[ -n $views_from ]]; then
  views_dir="$(mktemp -d)"
  git -C "$ROOT" archive "$views_from" views | tar -x -C "$views_dir" || svc_die "--views-from: no views/ folder at revision '$views_from'"
  export Views__Directory="$views_dir/views"
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
svc_log "building the archiver CLI (Release)"
dotnet build "$ROOT/src/Archiver.Cli" -c Release -v quiet -nologo -clp:ErrorsOnly
archiver=(dotnet "$ROOT/src/Archiver.Cli/bin/Release/net10.0/archiver.dll")
couch() { curl -sS --fail-with-body -K "$curl_config" "$@"; }

if ! $reuse; then
  for db in "${databases[@]}"; do couch -X DELETE "$CouchDb__Url$db" >/dev/null 2>&1 || true; done
  svc_log "seeding the demo into MySQL database archiver_bench_deploy"
  "${archiver[@]}" demo seed --reset
  svc_log "archiving it into ${databases[*]}"
  "${archiver[@]}" archive run | tail -n 4
fi

svc_log "removing every design document and index of ${databases[*]}"
for db in "${databases[@]}"; do
  couch "$CouchDb__Url$db/_all_docs?startkey=%22_design/%22&endkey=%22_design0%22" |
    python3 -c 'import sys, json; [print(r["id"] + "?rev=" + r["value"]["rev"]) for r in json.load(sys.stdin)["rows"]]' |
    while read -r doc; do couch -X DELETE "$CouchDb__Url$db/$doc" >/dev/null; done
  couch -X POST -H 'Content-Type: application/json' -d '{}' "$CouchDb__Url$db/_view_cleanup" >/dev/null
done

# pouchdb-server's own CPU seconds (utime + stime of its process), where it runs here.
server_cpu() {
  local pid
  [[ $server == pouchdb ]] && pid="$(cat "$LOCAL/couchdb/pouchdb-server.pid" 2>/dev/null)" && [[ -r /proc/$pid/stat ]] || return 0
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$pid/stat"
}
cpu_before="$(server_cpu)"
svc_log "archiver views deploy${views_from:+ (views of $views_from)}"
start=$(date +%s.%N)
"${archiver[@]}" views deploy
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
cpu_after="$(server_cpu)"
summary="views deploy: $elapsed s on $server"
[[ -z $cpu_before ]] || summary+=", pouchdb-server CPU $(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { printf "%.1f", b - a }') s"
svc_log "$summary"

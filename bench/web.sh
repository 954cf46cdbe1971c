#!/usr/bin/env bash
# The web host's measurement (issue 17): an archived campaign of N entries (1,000,000 by default) on
# the configured CouchDB (pouchdb-server here), served by `archiver serve`. Reports the campaign page
# with its hour chart (p50 of warm requests), entries page 1 against page 1,000, and 50 concurrent
# clients for 60 s over a mix of pages (errors, requests, p50/p99). Prints a section for BENCHMARKS.md.
#
#   ./bench/web.sh [--entries N] [--clients N] [--seconds N] [--repeats N] [--port N] [--keep] [--reuse]
#
# --keep leaves the MySQL database and the archive in place; --reuse then measures them again
# without seeding, archiving and deploying (a 1,000,000-entry archive takes most of an hour here).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
# shellcheck source=bench/lib/bench-databases.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-databases.sh"
SVC_LOG_PREFIX=bench-web

entries=1000000 clients=50 seconds=60 repeats=31 port=5790 keep=0 reuse=0
while (($#)); do
  case "$1" in
    --entries) entries=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --reuse) reuse=1 keep=1; shift ;;
    -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/web.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for n in "$entries" "$clients" "$seconds" "$repeats" "$port"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench/web.sh: '$n' is not a positive whole number" >&2; exit 2; }
done
((entries >= 50000)) || { echo "bench/web.sh: --entries must be at least 50000 (page 1,000 of 50)" >&2; exit 2; }

"$ROOT/scripts/services.sh" up
bench_grant_databases
db=archiver_bench_web
export ConnectionStrings__MySql="Server=127.0.0.1;Port=${ARCHIVER_MYSQL_PORT};User ID=${ARCHIVER_MYSQL_USER};Password=${ARCHIVER_MYSQL_PASSWORD};Database=$db"
export CouchDb__Url="$ARCHIVER_COUCHDB_URL" Archive__Sets__0__Database=bench_web_entries Archive__Sets__1__Database=bench_web_votes
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 Logging__LogLevel__Default=Warning
mysql() { command mariadb --no-defaults --default-character-set=utf8mb4 -h127.0.0.1 -P"$ARCHIVER_MYSQL_PORT" -u"$ARCHIVER_MYSQL_USER" -p"$ARCHIVER_MYSQL_PASSWORD" "$@"; }

svc_log "building archiver (Release)"
dotnet build "$ROOT/src/Archiver.Cli" -c Release -v quiet -nologo -clp:ErrorsOnly
archiver() { dotnet "$ROOT/src/Archiver.Cli/bin/Release/net10.0/archiver.dll" "$@"; }

if ((reuse)) && campaign=$(mysql -N "$db" -e "SELECT MAX(id) FROM campaigns" 2>/dev/null) && [[ $campaign =~ ^[0-9]+$ ]]; then
  svc_log "1-2/4 reusing database $db and its archive (campaign $campaign)"
  archive_s='(reused)' views_s='(reused)'
else
  svc_log "1/4 MySQL: database $db, one ended contest of $entries entries (one a second, 1 in 250 a winner)"
  mysql -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4"
  archiver demo schema >/dev/null
  t0=$(date +%s)
  mysql "$db" -e "
    INSERT INTO campaigns (name, kind, starts_at, ends_at) VALUES ('Bench contest', 'contest', '2026-10-01', UTC_TIMESTAMP(3) - INTERVAL 5 DAY);
    SET @c = LAST_INSERT_ID();
    INSERT INTO contest_campaign_entries (campaign_id, user_id, entry_number, winner, message, created_at)
    SELECT @c, 1 + seq % 20000, seq, seq % 250 = 0, CONCAT('entry ', seq, ' 🎉'), TIMESTAMP('2026-10-01') + INTERVAL seq SECOND FROM seq_1_to_$entries;"
  campaign=$(mysql -N "$db" -e "SELECT MAX(id) FROM campaigns")
  svc_log "seeded in $(($(date +%s) - t0)) s"

  svc_log "2/4 archive campaign $campaign and deploy the views"
  for couch_db in bench_web_entries bench_web_entries_rollups bench_web_votes bench_web_votes_rollups; do
    couch_curl -fsS -X DELETE "${ARCHIVER_COUCHDB_URL}$couch_db" >/dev/null 2>&1 || true
  done
  t0=$(date +%s)
  archiver archive run --campaign "$campaign"
  archive_s=$(($(date +%s) - t0))
  t0=$(date +%s)
  archiver views deploy
  views_s=$(($(date +%s) - t0))
fi

svc_log "3/4 archiver serve on 127.0.0.1:$port"
archiver serve --urls "http://127.0.0.1:$port" >"$LOCAL/bench-web-serve.log" 2>&1 &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 60); do curl -fsS -o /dev/null "$base/health/live" 2>/dev/null && break; sleep 1; done

# time_ms URL: one request's total time in ms (curl's own clock); fails on a non-200.
time_ms() { curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' "$1" | awk '$1 != 200 { exit 1 } { printf "%.2f\n", $2 * 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
page="$base/campaigns/$campaign?granularity=hour"
cold=$(time_ms "$page")
time_ms "$base/campaigns/$campaign?page=1000" >/dev/null # builds the archive's page index once
hour_p50=$(for _ in $(seq "$repeats"); do time_ms "$page"; done | median)
p1=() p1000=()
for _ in $(seq "$repeats"); do
  p1+=("$(time_ms "$base/api/campaigns/$campaign/entries?page=1&per_page=50")")
  p1000+=("$(time_ms "$base/api/campaigns/$campaign/entries?page=1000&per_page=50")")
done
p1_50=$(printf '%s\n' "${p1[@]}" | median)
p1000_50=$(printf '%s\n' "${p1000[@]}" | median)
pp1=$(for _ in $(seq "$repeats"); do time_ms "$base/campaigns/$campaign?page=1"; done | median)
pp1000=$(for _ in $(seq "$repeats"); do time_ms "$base/campaigns/$campaign?page=1000"; done | median)

svc_log "4/4 $clients clients for $seconds s"
out="$LOCAL/bench-web-load"
rm -rf "$out" && mkdir -p "$out"
end=$(($(date +%s) + seconds))
paths=("/campaigns/$campaign?granularity=hour" "/campaigns/$campaign?page=1000" "/api/campaigns/$campaign/entries?page=500" "/campaigns/$campaign?granularity=day&page=7" "/campaigns")
for c in $(seq "$clients"); do
  (
    i=$c
    while (($(date +%s) < end)); do
      curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' "$base${paths[i % ${#paths[@]}]}" || echo "000 0"
      i=$((i + 1))
    done >"$out/$c.txt"
  ) &
done
wait $(jobs -p | grep -v "^$serve_pid$") 2>/dev/null || true
requests=$(cat "$out"/*.txt | wc -l)
errors=$(cat "$out"/*.txt | awk '$1 != 200' | wc -l)
load_p50=$(cat "$out"/*.txt | awk '{ printf "%.1f\n", $2 * 1000 }' | median)
load_p99=$(cat "$out"/*.txt | awk '{ printf "%.1f\n", $2 * 1000 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int(NR * 0.99)] }')

cores=$(nproc)
cat <<REPORT | tee "$LOCAL/bench-web-report.md"

### web ($(date -u +%Y-%m-%d), $cores cores, load average $(cut -d' ' -f1-3 /proc/loadavg))

One archived contest of $(printf "%'d" "$entries") entries on pouchdb-server, served by \`archiver serve\` (Release):
archived in $archive_s s, views deployed and built in $views_s s.

| measurement | figure |
|---|---|
| campaign page with hour chart, first request | $cold ms |
| campaign page with hour chart, p50 of $repeats warm | $hour_p50 ms |
| /api entries page 1 (50), p50 | $p1_50 ms |
| /api entries page 1,000 (50), p50 | $p1000_50 ms ($(awk -v a="$p1000_50" -v b="$p1_50" 'BEGIN { printf "%.2f", a / b }') × page 1) |
| campaign page 1 with its entries table, p50 | $pp1 ms |
| campaign page 1,000, p50 | $pp1000 ms ($(awk -v a="$pp1000" -v b="$pp1" 'BEGIN { printf "%.2f", a / b }') × page 1) |
| $clients clients for $seconds s | $requests requests, $errors errors, p50 $load_p50 ms, p99 $load_p99 ms |
REPORT
((keep)) || mysql -e "DROP DATABASE IF EXISTS $db"

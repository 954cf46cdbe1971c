#!/usr/bin/env bash
# Sourced by bench/run.sh and bench/deploy.sh (after scripts/lib/common.sh and services.sh up): the
# bench databases (archiver_bench%) are dropped and re-created by every run; the app user gets them
# the way services.sh gives it archiver_test_%: through MySQL root over TCP.
bench_grant_databases() {
  local root_sql=(mariadb -h127.0.0.1 -P"$ARCHIVER_MYSQL_PORT" --protocol=tcp -u"${ARCHIVER_BENCH_MYSQL_ROOT_USER:-root}")
  if [[ -n ${ARCHIVER_BENCH_MYSQL_ROOT_PASSWORD:-} ]]; then root_sql+=(-p"$ARCHIVER_BENCH_MYSQL_ROOT_PASSWORD"); fi
  local grant_sql="" host
  for host in 127.0.0.1 localhost; do
    grant_sql+="GRANT ALL PRIVILEGES ON \`archiver\\_bench%\`.* TO '${ARCHIVER_MYSQL_USER}'@'${host}';"
  done
  if ! "${root_sql[@]}" -e "$grant_sql" 2>"$LOCAL/bench-grant.log"; then
    cat "$LOCAL/bench-grant.log" >&2
    svc_die "could not grant '${ARCHIVER_MYSQL_USER}' the archiver_bench% databases as MySQL root over TCP; set ARCHIVER_BENCH_MYSQL_ROOT_USER/ARCHIVER_BENCH_MYSQL_ROOT_PASSWORD"
  fi
}

#!/usr/bin/env bash
# Local MariaDB + CouchDB-compatible (pouchdb-server) services for Archiver
# development and integration tests. See docs/services.md.
#
#   scripts/services.sh up       install what is missing, start what is not running
#   scripts/services.sh down     stop what this script started
#   scripts/services.sh status   show state; exit 0 if both answer, 3 otherwise
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
SCRIPT_PATH="$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"

# --- paths -------------------------------------------------------------------
MDB_DIR="$LOCAL/mariadb"
MDB_DATA="$MDB_DIR/data"
MDB_PID="$MDB_DIR/mariadbd.pid"
MDB_ERR="$MDB_DIR/error.log"
MDB_OUT="$MDB_DIR/mariadbd.out.log"
MDB_SOCK="$MDB_DIR/mariadbd.sock"
# Unix socket paths are limited to 107 bytes; fall back to /tmp for deep checkouts.
if ((${#MDB_SOCK} > 100)); then
  MDB_SOCK="/tmp/archiver-mariadbd-$(printf '%s' "$LOCAL" | md5sum | cut -c1-12).sock"
fi

COUCH_DIR="$LOCAL/couchdb"
COUCH_DATA="$COUCH_DIR/data"
COUCH_CONFIG="$COUCH_DIR/config.json"
COUCH_LOG="$COUCH_DIR/pouchdb-server.log"
COUCH_SUP_PID="$COUCH_DIR/supervisor.pid"
COUCH_CHILD_PID="$COUCH_DIR/pouchdb-server.pid"
COUCH_SUP_LOG="$COUCH_DIR/supervisor.log"
COUCH_STOP="$COUCH_DIR/supervisor.stop"

PS_SRC="$SCRIPT_DIR/pouchdb-server"
PS_DIR="$LOCAL/pouchdb-server"
PS_MAIN="$PS_DIR/node_modules/pouchdb-server/bin/pouchdb-server"
PS_STAMP="$PS_DIR/.installed-from"

WAIT_SECONDS=60
POLICY_RC=/usr/sbin/policy-rc.d
POLICY_RC_CREATED=0

# --- generic helpers -----------------------------------------------------------
rel() { # path relative to ROOT for messages
  case "$1" in "$ROOT"/*) printf '%s' "${1#"$ROOT"/}" ;; *) printf '%s' "$1" ;; esac
}

# pid_alive PID PATTERN: process exists and its command line contains PATTERN
pid_alive() {
  local pid=$1 pattern=$2 cmd
  [[ $pid =~ ^[0-9]+$ && -d /proc/$pid ]] || return 1
  cmd="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 1
  [[ $cmd == *"$pattern"* ]]
}

# read_pid FILE PATTERN: prints the pid if FILE names a live matching process
read_pid() {
  local file=$1 pattern=$2 pid
  [[ -s $file ]] || return 1
  pid="$(tr -dc '0-9' 2>/dev/null <"$file")" || return 1
  pid_alive "$pid" "$pattern" || return 1
  printf '%s' "$pid"
}

# remove_stale FILE PATTERN: delete FILE if it does not name a live matching process
remove_stale() {
  local file=$1 pattern=$2
  if [[ -e $file ]] && ! read_pid "$file" "$pattern" >/dev/null; then
    rm -f "$file"
    return 0
  fi
  return 1
}

port_open() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# listener_info PORT: "name pid N" of the process listening on PORT, if ss can tell
listener_info() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -n1 |
    sed -E 's/users:\(\("([^"]*)",pid=([0-9]*)/\1 pid \2/' || true
}

# wait_gone PID SECONDS: wait until PID has exited
wait_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# launch_detached LOGFILE CMD...: start CMD in a new session, stdin from
# /dev/null, stdout/stderr appended to LOGFILE, no other inherited file
# descriptors (so nothing holds the caller's pipes or our lock). Sets LAUNCHED_PID.
launch_detached() {
  local log=$1
  shift
  (
    for fd in /proc/"$BASHPID"/fd/*; do
      fd=${fd##*/}
      if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2)); then eval "exec $fd>&-"; fi
    done
    exec setsid "$@"
  ) </dev/null >>"$log" 2>&1 &
  LAUNCHED_PID=$!
}

cleanup_on_exit() {
  if ((POLICY_RC_CREATED)); then
    rm -f "$POLICY_RC"
    POLICY_RC_CREATED=0
  fi
}

# apt_install PKG...: non-interactive install; prevents postinst from starting
# services by creating a temporary policy-rc.d (exit 101) if none exists.
apt_install() {
  local log="$LOCAL/apt-install.log" rc=0
  [[ $EUID -eq 0 ]] || svc_die "need to apt-get install $*, but not running as root. Run: sudo apt-get install -y --no-install-recommends $*"
  command -v apt-get >/dev/null 2>&1 || svc_die "apt-get not found; install $* manually"
  if [[ ! -e $POLICY_RC ]]; then
    printf '#!/bin/sh\n# Temporary, created by Archiver scripts/services.sh during apt-get install.\nexit 101\n' >"$POLICY_RC"
    chmod 755 "$POLICY_RC"
    POLICY_RC_CREATED=1
  fi
  svc_log "apt-get install $* (log: $(rel "$log"))"
  {
    apt-get update &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
  } </dev/null >>"$log" 2>&1 || rc=$?
  cleanup_on_exit
  if ((rc != 0)); then
    tail -n 20 "$log" >&2 || true
    svc_die "apt-get install $* failed (exit $rc); see $(rel "$log")"
  fi
}

# --- MariaDB -------------------------------------------------------------------
MARIADBD=""
find_mariadbd() {
  MARIADBD="$(command -v mariadbd 2>/dev/null || true)"
  if [[ -z $MARIADBD && -x /usr/sbin/mariadbd ]]; then MARIADBD=/usr/sbin/mariadbd; fi
  [[ -n $MARIADBD ]]
}

mariadb_installed() {
  find_mariadbd && command -v mariadb-install-db >/dev/null 2>&1 &&
    command -v mariadb >/dev/null 2>&1 && command -v mariadb-admin >/dev/null 2>&1
}

mariadb_install_if_missing() {
  mariadb_installed && return 0
  if [[ $EUID -ne 0 ]]; then
    svc_die "MariaDB is not installed (mariadbd/mariadb-install-db/mariadb-admin missing) and this is not root. Install it with: sudo apt-get install -y --no-install-recommends mariadb-server mariadb-client"
  fi
  apt_install mariadb-server mariadb-client
  mariadb_installed || svc_die "MariaDB still not found after apt-get install"
  # apt's postinst may have started a system MariaDB (if a policy-rc.d allowed it).
  if port_open "$ARCHIVER_MYSQL_PORT" && ! read_pid "$MDB_PID" "$MDB_DATA" >/dev/null; then
    local who
    who="$(listener_info "$ARCHIVER_MYSQL_PORT")"
    svc_warn "after installing MariaDB, a server that is NOT managed by this script is listening on 127.0.0.1:$ARCHIVER_MYSQL_PORT${who:+ ($who)}; most likely the system MariaDB started by apt's postinst."
    svc_warn "it will be used as an external server if possible; to use our own instance instead stop it (service mariadb stop) or set ARCHIVER_MYSQL_PORT to a free port."
  fi
}

mdb_root() { # SQL client as root over our socket
  mariadb --no-defaults --socket="$MDB_SOCK" -uroot --connect-timeout=5 "$@"
}

mdb_ping() {
  mariadb-admin --no-defaults --socket="$MDB_SOCK" -uroot --connect-timeout=2 ping >/dev/null 2>&1
}

app_login_ok() {
  MYSQL_PWD="$ARCHIVER_MYSQL_PASSWORD" mariadb --no-defaults --connect-timeout=5 \
    -h127.0.0.1 -P"$ARCHIVER_MYSQL_PORT" -u"$ARCHIVER_MYSQL_USER" \
    -D"$ARCHIVER_MYSQL_DATABASE" -N -e 'select 1' >/dev/null 2>&1
}

sql_str() {
  local s=${1//\\/\\\\}
  s=${s//\'/\'\'}
  printf "'%s'" "$s"
}

sql_ident() {
  # shellcheck disable=SC2016 # literal backticks
  printf '`%s`' "${1//\`/\`\`}"
}

# SQL that (idempotently) creates the database and app user with its grants.
ensure_sql() {
  local u pw db pattern host
  u="$(sql_str "$ARCHIVER_MYSQL_USER")"
  pw="$(sql_str "$ARCHIVER_MYSQL_PASSWORD")"
  db="$(sql_ident "$ARCHIVER_MYSQL_DATABASE")"
  pattern=${ARCHIVER_MYSQL_TEST_DB_PREFIX//\\/\\\\}
  pattern=${pattern//_/\\_}
  pattern=${pattern//%/\\%}
  pattern="$(sql_ident "$pattern%")"
  printf 'CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8mb4;\n' "$db"
  for host in "'127.0.0.1'" "'localhost'"; do
    printf 'CREATE USER IF NOT EXISTS %s@%s IDENTIFIED BY %s;\n' "$u" "$host" "$pw"
    printf 'ALTER USER %s@%s IDENTIFIED BY %s;\n' "$u" "$host" "$pw"
    printf 'GRANT ALL PRIVILEGES ON %s.* TO %s@%s;\n' "$db" "$u" "$host"
    printf 'GRANT ALL PRIVILEGES ON %s.* TO %s@%s;\n' "$pattern" "$u" "$host"
  done
}

mariadb_ensure_app_user() {
  ensure_sql | mdb_root || svc_die "mariadb: could not create database/user through $(rel "$MDB_SOCK")"
  app_login_ok || svc_die "mariadb: user '$ARCHIVER_MYSQL_USER' still cannot log in over TCP on 127.0.0.1:$ARCHIVER_MYSQL_PORT (database $ARCHIVER_MYSQL_DATABASE)"
}

mariadb_init_datadir() {
  [[ -d $MDB_DATA/mysql ]] && return 0
  if [[ -d $MDB_DATA ]]; then
    rmdir "$MDB_DATA" 2>/dev/null ||
      svc_die "mariadb: $(rel "$MDB_DATA") exists but is not an initialised data directory; remove it and rerun"
  fi
  local tmp="$MDB_DATA.init" log="$MDB_DIR/install-db.log"
  rm -rf "$tmp"
  svc_log "mariadb: initialising data directory $(rel "$MDB_DATA")"
  if ! mariadb-install-db --no-defaults --datadir="$tmp" --auth-root-authentication-method=normal \
    --skip-test-db --user="$(id -un)" </dev/null >"$log" 2>&1; then
    tail -n 20 "$log" >&2 || true
    svc_die "mariadb: mariadb-install-db failed; see $(rel "$log")"
  fi
  mv "$tmp" "$MDB_DATA"
  MDB_FRESH=1
}

mariadb_start() {
  local pid deadline
  mkdir -p "$MDB_DIR"
  MDB_FRESH=0
  mariadb_init_datadir
  rm -f "$MDB_PID"
  launch_detached "$MDB_OUT" "$MARIADBD" --no-defaults \
    --datadir="$MDB_DATA" --port="$ARCHIVER_MYSQL_PORT" --bind-address=127.0.0.1 \
    --socket="$MDB_SOCK" --pid-file="$MDB_PID" --log-error="$MDB_ERR" --user="$(id -un)" \
    --skip-name-resolve --character-set-server=utf8mb4 --default-time-zone=+00:00 \
    --innodb-buffer-pool-size=512M --innodb-flush-log-at-trx-commit=2 \
    --max-connections=300 --local-infile=1
  pid=$LAUNCHED_PID
  deadline=$((SECONDS + WAIT_SECONDS))
  until mdb_ping; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 15 "$MDB_ERR" >&2 2>/dev/null || true
      svc_die "mariadb: mariadbd exited during startup; see $(rel "$MDB_ERR")"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 15 "$MDB_ERR" >&2 2>/dev/null || true
      kill -TERM "$pid" 2>/dev/null || true
      svc_die "mariadb: not answering on $(rel "$MDB_SOCK") after ${WAIT_SECONDS}s; see $(rel "$MDB_ERR")"
    fi
    sleep 0.2
  done
  if ((MDB_FRESH)); then
    # Drop root@<hostname>: it only produces warnings under --skip-name-resolve.
    local h
    while IFS= read -r h; do
      [[ -n $h ]] && mdb_root -e "DROP USER IF EXISTS 'root'@$(sql_str "$h")"
    done < <(mdb_root -N -e "SELECT Host FROM mysql.user WHERE User='root' AND Host NOT IN ('localhost','127.0.0.1','::1')")
  fi
  mariadb_ensure_app_user
  MDB_STARTED_PID=$pid
}

# External server on our port: accept if the app user can log in, else try
# to create user/database through the root socket of a system installation.
mariadb_use_external() {
  local who port
  who="$(listener_info "$ARCHIVER_MYSQL_PORT")"
  if app_login_ok; then
    svc_log "mariadb: running on 127.0.0.1:$ARCHIVER_MYSQL_PORT (external server${who:+, $who}, not started by this script; user '$ARCHIVER_MYSQL_USER' can log in)"
    return 0
  fi
  port="$(mariadb -uroot --connect-timeout=5 -N -e 'SELECT @@port' 2>/dev/null || true)"
  if [[ $port == "$ARCHIVER_MYSQL_PORT" ]]; then
    svc_log "mariadb: external server on 127.0.0.1:$ARCHIVER_MYSQL_PORT; creating database/user through the system root socket"
    if ensure_sql | mariadb -uroot --connect-timeout=5 && app_login_ok; then
      svc_log "mariadb: running on 127.0.0.1:$ARCHIVER_MYSQL_PORT (external server${who:+, $who}, not started by this script; database/user created)"
      return 0
    fi
  fi
  svc_die "mariadb: port 127.0.0.1:$ARCHIVER_MYSQL_PORT is in use by a server not started by this script${who:+ ($who)}, user '$ARCHIVER_MYSQL_USER' cannot log in to database '$ARCHIVER_MYSQL_DATABASE' there, and it could not be set up through a system root socket. Stop that server or use another port, e.g. ARCHIVER_MYSQL_PORT=$((ARCHIVER_MYSQL_PORT + 1)) $0 up"
}

mariadb_up() {
  local pid deadline
  mariadb_install_if_missing
  mkdir -p "$MDB_DIR"
  if pid="$(read_pid "$MDB_PID" "$MDB_DATA")"; then
    deadline=$((SECONDS + WAIT_SECONDS))
    until mdb_ping; do
      kill -0 "$pid" 2>/dev/null || svc_die "mariadb: mariadbd (pid $pid) exited; see $(rel "$MDB_ERR")"
      ((SECONDS < deadline)) || svc_die "mariadb: pid $pid is running but not answering on $(rel "$MDB_SOCK") after ${WAIT_SECONDS}s; see $(rel "$MDB_ERR")"
      sleep 0.2
    done
    app_login_ok || mariadb_ensure_app_user
    svc_log "mariadb: running on 127.0.0.1:$ARCHIVER_MYSQL_PORT (pid $pid, already running, started by this script)"
    return 0
  fi
  if remove_stale "$MDB_PID" "$MDB_DATA"; then
    svc_log "mariadb: removed stale pid file $(rel "$MDB_PID")"
  fi
  if port_open "$ARCHIVER_MYSQL_PORT"; then
    mariadb_use_external
    return 0
  fi
  mariadb_start
  svc_log "mariadb: running on 127.0.0.1:$ARCHIVER_MYSQL_PORT (pid $MDB_STARTED_PID, started by this script)"
}

mariadb_down() {
  local pid
  if ! pid="$(read_pid "$MDB_PID" "$MDB_DATA")"; then
    remove_stale "$MDB_PID" "$MDB_DATA" || true
    if port_open "$ARCHIVER_MYSQL_PORT"; then
      svc_log "mariadb: server on 127.0.0.1:$ARCHIVER_MYSQL_PORT was not started by this script; left alone"
    else
      svc_log "mariadb: not running"
    fi
    return 0
  fi
  mariadb-admin --no-defaults --socket="$MDB_SOCK" -uroot --connect-timeout=5 shutdown >/dev/null 2>&1 ||
    kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 60; then
    svc_warn "mariadb: pid $pid still running 60s after shutdown; sending SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" 60; then
      svc_warn "mariadb: pid $pid ignored SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 10 || svc_die "mariadb: could not stop pid $pid"
    fi
  fi
  rm -f "$MDB_PID"
  svc_log "mariadb: stopped (pid $pid)"
}

mariadb_status() {
  local pid who
  if pid="$(read_pid "$MDB_PID" "$MDB_DATA")"; then
    if mdb_ping; then
      if app_login_ok; then
        svc_log "mariadb: running on 127.0.0.1:$ARCHIVER_MYSQL_PORT (pid $pid, started by this script)"
      else
        svc_log "mariadb: running on 127.0.0.1:$ARCHIVER_MYSQL_PORT (pid $pid, started by this script), but user '$ARCHIVER_MYSQL_USER' cannot log in (run: $0 up)"
      fi
      return 0
    fi
    svc_log "mariadb: NOT answering (pid $pid alive, started by this script, port $ARCHIVER_MYSQL_PORT); see $(rel "$MDB_ERR")"
    return 1
  fi
  if port_open "$ARCHIVER_MYSQL_PORT"; then
    who="$(listener_info "$ARCHIVER_MYSQL_PORT")"
    if app_login_ok; then
      svc_log "mariadb: running on 127.0.0.1:$ARCHIVER_MYSQL_PORT (external${who:+, $who}, not started by this script)"
      return 0
    fi
    svc_log "mariadb: port $ARCHIVER_MYSQL_PORT in use by something not started by this script${who:+ ($who)}; user '$ARCHIVER_MYSQL_USER' cannot log in"
    return 1
  fi
  if [[ -e $MDB_PID ]]; then
    svc_log "mariadb: stopped (port $ARCHIVER_MYSQL_PORT, stale pid file $(rel "$MDB_PID"))"
  else
    svc_log "mariadb: stopped (port $ARCHIVER_MYSQL_PORT)"
  fi
  return 1
}

# --- CouchDB (pouchdb-server) --------------------------------------------------
SUP_CMD="__couchdb-supervisor"
# command-line fragments identifying our processes (guards against pid reuse)
SUP_PATTERN="$SCRIPT_PATH $SUP_CMD"
CHILD_PATTERN="$PS_MAIN"

couch_welcome() { # prints GET / body if it is a CouchDB/express-pouchdb welcome
  local body
  body="$(couch_curl -sf -m 3 "$ARCHIVER_COUCHDB_URL" 2>/dev/null)" || return 1
  [[ $body =~ \"(couchdb|express-pouchdb)\"[[:space:]]*: ]] || return 1
  printf '%s' "$body"
}

couch_describe() { # short server description from a welcome body
  local body=$1 ver=""
  if [[ $body =~ \"version\"[[:space:]]*:[[:space:]]*\"([^\"]*)\" ]]; then ver=${BASH_REMATCH[1]}; fi
  if [[ $body == *'"express-pouchdb"'* ]]; then
    printf 'pouchdb-server %s' "$ver"
  else
    printf 'CouchDB %s' "$ver"
  fi
}

need_cmd_or_apt() { # need_cmd_or_apt CMD PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  apt_install "$2"
  command -v "$1" >/dev/null 2>&1 || svc_die "$1 still missing after installing $2"
}

pouchdb_source_hash() {
  cat "$PS_SRC/package.json" "$PS_SRC/package-lock.json" | sha256sum | cut -d' ' -f1
}

pouchdb_install_current() {
  [[ -x $PS_DIR/node_modules/.bin/pouchdb-server && -f $PS_MAIN && -f $PS_STAMP ]] &&
    [[ "$(cat "$PS_STAMP")" == "$(pouchdb_source_hash)" ]] &&
    cmp -s "$PS_SRC/package.json" "$PS_DIR/package.json" &&
    cmp -s "$PS_SRC/package-lock.json" "$PS_DIR/package-lock.json"
}

pouchdb_install_if_needed() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    svc_die "couchdb: node and npm are required for pouchdb-server (Node 20 recommended)"
  fi
  pouchdb_install_current && return 0
  local log="$PS_DIR/npm-install.log" start=$SECONDS
  mkdir -p "$PS_DIR"
  rm -f "$PS_STAMP"
  cp "$PS_SRC/package.json" "$PS_SRC/package-lock.json" "$PS_DIR/"
  svc_log "couchdb: installing pouchdb-server with npm ci into $(rel "$PS_DIR") (log: $(rel "$log"))"
  # --ignore-scripts: the only install scripts are leveldown's (a no-op check
  # that finds its bundled linux-x64/arm64 prebuild) and sqlite3's, which
  # compiles sqlite from source (~1 min of CPU, needs a toolchain) for the
  # unused --sqlite mode. npm 11.x still runs them by default (only warning
  # about allowScripts), so skip them explicitly.
  if ! (cd "$PS_DIR" && npm ci --no-audit --no-fund --ignore-scripts) </dev/null >"$log" 2>&1; then
    tail -n 20 "$log" >&2 || true
    svc_die "couchdb: npm ci failed; see $(rel "$log")"
  fi
  [[ -f $PS_MAIN ]] || svc_die "couchdb: $(rel "$PS_MAIN") missing after npm ci"
  # leveldown (the LevelDB adapter) is an optional dependency; npm skips it
  # silently if it cannot be installed, so check it explicitly.
  if ! node -e 'require(process.argv[1])' "$PS_DIR/node_modules/leveldown" >>"$log" 2>&1; then
    tail -n 10 "$log" >&2 || true
    svc_die "couchdb: leveldown (LevelDB adapter) does not load after npm ci; see $(rel "$log")"
  fi
  pouchdb_source_hash >"$PS_STAMP"
  svc_log "couchdb: pouchdb-server installed in $((SECONDS - start))s"
}

couch_write_config() {
  [[ -e $COUCH_CONFIG ]] && return 0
  local f=${COUCH_LOG//\\/\\\\}
  f=${f//\"/\\\"}
  printf '{\n  "log": {\n    "file": "%s",\n    "level": "warning"\n  }\n}\n' "$f" >"$COUCH_CONFIG"
}

# Supervisor loop (internal command, runs detached): keeps pouchdb-server
# running; exits when the stop file exists or on SIGTERM/SIGINT/SIGHUP.
# All of its code lives in functions that end in `exit`, so editing or
# checking out a new services.sh while it runs does not affect it.
SUP_CHILD=""
sup_log() { printf '%s supervisor[%s]: %s\n' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$$" "$*"; }

# shellcheck disable=SC2317 # invoked via trap
sup_on_signal() {
  sup_log "got signal, stopping"
  if [[ -n $SUP_CHILD ]]; then
    kill -TERM "$SUP_CHILD" 2>/dev/null || true
    wait "$SUP_CHILD" 2>/dev/null || true
  fi
  rm -f "$COUCH_CHILD_PID" "$COUCH_SUP_PID"
  exit 0
}

couch_supervise() {
  local rc started
  trap sup_on_signal TERM INT HUP
  printf '%s\n' "$$" >"$COUCH_SUP_PID"
  export NODE_OPTIONS=--unhandled-rejections=warn
  cd "$COUCH_DIR"
  sup_log "started (port $ARCHIVER_COUCHDB_PORT)"
  while [[ ! -e $COUCH_STOP ]]; do
    started=$SECONDS
    node --require "$PS_SRC/view-engine.js" "$PS_MAIN" --host 127.0.0.1 --port "$ARCHIVER_COUCHDB_PORT" \
      --dir "$COUCH_DATA" --config "$COUCH_CONFIG" -n </dev/null &
    SUP_CHILD=$!
    printf '%s\n' "$SUP_CHILD" >"$COUCH_CHILD_PID"
    sup_log "pouchdb-server started (pid $SUP_CHILD)"
    rc=0
    wait "$SUP_CHILD" || rc=$?
    rm -f "$COUCH_CHILD_PID"
    [[ -e $COUCH_STOP ]] && break
    sup_log "pouchdb-server (pid $SUP_CHILD) exited with status $rc after $((SECONDS - started))s; restarting in 1s"
    SUP_CHILD=""
    sleep 1 &
    wait $! || true
  done
  sup_log "stop file found, exiting"
  rm -f "$COUCH_SUP_PID" "$COUCH_CHILD_PID"
  exit 0
}

couch_stop_ours() { # stop supervisor and/or child from our pid files
  local sup child pids=()
  sup="$(read_pid "$COUCH_SUP_PID" "$SUP_PATTERN")" && pids+=("$sup")
  child="$(read_pid "$COUCH_CHILD_PID" "$CHILD_PATTERN")" && pids+=("$child")
  ((${#pids[@]})) || return 1
  touch "$COUCH_STOP"
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    if ! wait_gone "$p" 15; then
      svc_warn "couchdb: pid $p ignored SIGTERM; sending SIGKILL"
      kill -KILL "$p" 2>/dev/null || true
      wait_gone "$p" 5 || svc_die "couchdb: could not stop pid $p"
    fi
  done
  rm -f "$COUCH_SUP_PID" "$COUCH_CHILD_PID" "$COUCH_STOP"
  STOPPED_PIDS="${pids[*]}"
  return 0
}

couch_wait_ours() { # couch_wait_ours SUPERVISOR_PID
  local sup=$1 deadline=$((SECONDS + WAIT_SECONDS)) body
  until body="$(couch_welcome)"; do
    if ! kill -0 "$sup" 2>/dev/null; then
      tail -n 15 "$COUCH_SUP_LOG" >&2 2>/dev/null || true
      svc_die "couchdb: supervisor (pid $sup) exited; see $(rel "$COUCH_SUP_LOG")"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 15 "$COUCH_SUP_LOG" >&2 2>/dev/null || true
      couch_stop_ours || true
      svc_die "couchdb: pouchdb-server not answering on $ARCHIVER_COUCHDB_URL after ${WAIT_SECONDS}s (stopped it again); see $(rel "$COUCH_SUP_LOG") and $(rel "$COUCH_LOG")"
    fi
    sleep 0.2
  done
  COUCH_BODY=$body
}

# --- external CouchDB (ARCHIVER_COUCHDB_EXTERNAL_URL) -------------------------------
# Nothing is started or stopped: the server must answer GET / and accept the credentials.
couch_external_check() {
  local body code who=""
  [[ -n $ARCHIVER_COUCHDB_USER ]] && who=" as user '$ARCHIVER_COUCHDB_USER'"
  code="$(couch_curl -s -o /dev/null -w '%{http_code}' -m 5 "${ARCHIVER_COUCHDB_URL}_session" 2>/dev/null || true)"
  if [[ $code == 401 ]]; then
    svc_log "couchdb: external server $ARCHIVER_COUCHDB_URL refuses the credentials${who} (401); check ARCHIVER_COUCHDB_USER / ARCHIVER_COUCHDB_PASSWORD"
    return 1
  fi
  body="$(couch_welcome)" || {
    svc_log "couchdb: external server $ARCHIVER_COUCHDB_URL does not answer as CouchDB (ARCHIVER_COUCHDB_EXTERNAL_URL)"
    return 1
  }
  svc_log "couchdb: external $(couch_describe "$body") at $ARCHIVER_COUCHDB_URL${who} (ARCHIVER_COUCHDB_EXTERNAL_URL; not started or stopped by this script)"
}

couch_up() {
  if [[ -n ${ARCHIVER_COUCHDB_EXTERNAL_URL:-} ]]; then
    need_cmd_or_apt curl curl
    couch_external_check || svc_die "couchdb: external server not usable (see above)"
    # Installed though not started: replicas (`replica up`, and the ones the replica tests start
    # beside an external central server) are pouchdb-server instances.
    pouchdb_install_if_needed
    return 0
  fi
  local sup child body deadline
  need_cmd_or_apt curl curl
  mkdir -p "$COUCH_DIR" "$COUCH_DATA"
  if sup="$(read_pid "$COUCH_SUP_PID" "$SUP_PATTERN")"; then
    couch_wait_ours "$sup"
    child="$(read_pid "$COUCH_CHILD_PID" "$CHILD_PATTERN" || echo '?')"
    svc_log "couchdb: running on $ARCHIVER_COUCHDB_URL ($(couch_describe "$COUCH_BODY"), pid $child, supervisor pid $sup, already running, started by this script)"
    if ! pouchdb_install_current; then
      svc_warn "couchdb: scripts/pouchdb-server/ changed since the running server was installed; run '$0 down && $0 up' to reinstall"
    elif [[ $child != '?' ]] && ! tr '\0' ' ' <"/proc/$child/cmdline" 2>/dev/null | grep -q 'view-engine.js'; then
      svc_warn "couchdb: the running pouchdb-server was started without scripts/pouchdb-server/view-engine.js (views build several times slower); run '$0 down && $0 up' to restart it"
    fi
    return 0
  fi
  # Supervisor gone: stop an orphaned child of ours, clean stale files.
  if child="$(read_pid "$COUCH_CHILD_PID" "$CHILD_PATTERN")"; then
    svc_log "couchdb: supervisor gone; stopping orphaned pouchdb-server (pid $child)"
    couch_stop_ours || true
  fi
  if remove_stale "$COUCH_SUP_PID" "$SUP_PATTERN"; then
    svc_log "couchdb: removed stale pid file $(rel "$COUCH_SUP_PID")"
  fi
  remove_stale "$COUCH_CHILD_PID" "$CHILD_PATTERN" || true
  if port_open "$ARCHIVER_COUCHDB_PORT"; then
    if body="$(couch_welcome)"; then
      svc_log "couchdb: running on $ARCHIVER_COUCHDB_URL (external server: $(couch_describe "$body"), not started by this script)"
      return 0
    fi
    local who
    who="$(listener_info "$ARCHIVER_COUCHDB_PORT")"
    svc_die "couchdb: port 127.0.0.1:$ARCHIVER_COUCHDB_PORT is in use by something that is not CouchDB/pouchdb-server${who:+ ($who)}. Stop it or use another port, e.g. ARCHIVER_COUCHDB_PORT=$((ARCHIVER_COUCHDB_PORT + 1)) $0 up"
  fi
  pouchdb_install_if_needed
  couch_write_config
  rm -f "$COUCH_STOP"
  launch_detached "$COUCH_SUP_LOG" bash "$SCRIPT_PATH" "$SUP_CMD"
  sup=$LAUNCHED_PID
  # the supervisor writes its own pid file; wait briefly for it
  deadline=$((SECONDS + 5))
  until [[ -s $COUCH_SUP_PID ]] || ((SECONDS >= deadline)); do sleep 0.05; done
  sup="$(read_pid "$COUCH_SUP_PID" "$SUP_PATTERN" || echo "$sup")"
  couch_wait_ours "$sup"
  child="$(read_pid "$COUCH_CHILD_PID" "$CHILD_PATTERN" || echo '?')"
  svc_log "couchdb: running on $ARCHIVER_COUCHDB_URL ($(couch_describe "$COUCH_BODY"), pid $child, supervisor pid $sup, started by this script)"
}

couch_down() {
  STOPPED_PIDS=""
  if [[ -n ${ARCHIVER_COUCHDB_EXTERNAL_URL:-} ]]; then
    svc_log "couchdb: external server $ARCHIVER_COUCHDB_URL left alone"
    return 0
  fi
  if couch_stop_ours; then
    svc_log "couchdb: stopped (pids $STOPPED_PIDS)"
    return 0
  fi
  rm -f "$COUCH_SUP_PID" "$COUCH_CHILD_PID" "$COUCH_STOP"
  if port_open "$ARCHIVER_COUCHDB_PORT"; then
    svc_log "couchdb: server on 127.0.0.1:$ARCHIVER_COUCHDB_PORT was not started by this script; left alone"
  else
    svc_log "couchdb: not running"
  fi
}

couch_status() {
  local sup child body who
  if [[ -n ${ARCHIVER_COUCHDB_EXTERNAL_URL:-} ]]; then
    couch_external_check
    return
  fi
  if sup="$(read_pid "$COUCH_SUP_PID" "$SUP_PATTERN")"; then
    child="$(read_pid "$COUCH_CHILD_PID" "$CHILD_PATTERN" || echo 'none')"
    if body="$(couch_welcome)"; then
      svc_log "couchdb: running on $ARCHIVER_COUCHDB_URL ($(couch_describe "$body"), pid $child, supervisor pid $sup, started by this script)"
      return 0
    fi
    svc_log "couchdb: NOT answering on $ARCHIVER_COUCHDB_URL (supervisor pid $sup alive, pouchdb-server pid $child, started by this script); see $(rel "$COUCH_SUP_LOG")"
    return 1
  fi
  if child="$(read_pid "$COUCH_CHILD_PID" "$CHILD_PATTERN")"; then
    if body="$(couch_welcome)"; then
      svc_log "couchdb: running on $ARCHIVER_COUCHDB_URL ($(couch_describe "$body"), pid $child, started by this script, but its supervisor is gone; '$0 up' restarts it supervised)"
      return 0
    fi
    svc_log "couchdb: NOT answering on $ARCHIVER_COUCHDB_URL (pouchdb-server pid $child alive without supervisor, started by this script); run '$0 up'"
    return 1
  fi
  if body="$(couch_welcome)"; then
    who="$(listener_info "$ARCHIVER_COUCHDB_PORT")"
    svc_log "couchdb: running on $ARCHIVER_COUCHDB_URL (external: $(couch_describe "$body")${who:+, $who}, not started by this script)"
    return 0
  fi
  if port_open "$ARCHIVER_COUCHDB_PORT"; then
    who="$(listener_info "$ARCHIVER_COUCHDB_PORT")"
    svc_log "couchdb: port $ARCHIVER_COUCHDB_PORT in use by something that is not CouchDB${who:+ ($who)}"
    return 1
  fi
  svc_log "couchdb: stopped (port $ARCHIVER_COUCHDB_PORT)"
  return 1
}

# --- Chromium (the web host's browser tests) -------------------------------------
# Debian's own build, from apt like MariaDB; the tests drive it at this path and never download one.
# The emoji font makes screenshots show emoji instead of empty boxes.
CHROMIUM=/usr/bin/chromium
browser_up() {
  if [[ -x $CHROMIUM ]] && fc-list 2>/dev/null | grep -qi "Noto Color Emoji"; then
    svc_log "browser: $($CHROMIUM --version 2>/dev/null || echo chromium) at $CHROMIUM"
    return 0
  fi
  apt_install chromium fonts-noto-color-emoji
  [[ -x $CHROMIUM ]] || svc_die "chromium still not found at $CHROMIUM after apt-get install"
  svc_log "browser: $($CHROMIUM --version 2>/dev/null || echo chromium) installed at $CHROMIUM"
}

# --- Replica servers (extra pouchdb-server instances, issue 18) ------------------------
# `services.sh replica up PORT...` starts one pouchdb-server per port (loopback), each with its own
# data directory .local/replicas/PORT/, unsupervised (replica tests and the chaos bench kill and
# restart them on purpose); `replica down PORT...` stops them; `replica status PORT...` shows them.
replica_dir() { printf '%s/replicas/%s' "$LOCAL" "$1"; }

replica_up() {
  local port=$1 dir pid deadline
  [[ $port =~ ^[0-9]+$ ]] || svc_die "replica: '$port' is not a port number"
  dir="$(replica_dir "$port")"
  mkdir -p "$dir/data"
  if pid="$(read_pid "$dir/pid" "$PS_MAIN")"; then
    svc_log "replica: running on http://127.0.0.1:$port/ (pid $pid, already running)"
    return 0
  fi
  rm -f "$dir/pid"
  port_open "$port" && svc_die "replica: port 127.0.0.1:$port is in use by something not started by this script; pick another port"
  pouchdb_install_if_needed
  printf '{"log":{"file":"%s/pouchdb-server.log","level":"warning"}}\n' "$dir" >"$dir/config.json"
  # --unhandled-rejections=warn: deleting a running replication's _replicator document otherwise kills it.
  launch_detached "$dir/server.log" env NODE_OPTIONS=--unhandled-rejections=warn \
    node --require "$PS_SRC/view-engine.js" "$PS_MAIN" --host 127.0.0.1 --port "$port" --dir "$dir/data" --config "$dir/config.json" -n
  pid=$LAUNCHED_PID
  printf '%s\n' "$pid" >"$dir/pid"
  deadline=$((SECONDS + WAIT_SECONDS))
  until curl -sf -m 2 "http://127.0.0.1:$port/" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || svc_die "replica: pouchdb-server on port $port exited; see $(rel "$dir/server.log")"
    ((SECONDS < deadline)) || svc_die "replica: pouchdb-server on port $port not answering after ${WAIT_SECONDS}s; see $(rel "$dir/server.log")"
    sleep 0.2
  done
  svc_log "replica: running on http://127.0.0.1:$port/ (pid $pid, data $(rel "$dir/data"), started by this script)"
}

replica_down() {
  local port=$1 dir pid
  dir="$(replica_dir "$port")"
  if pid="$(read_pid "$dir/pid" "$PS_MAIN")"; then
    kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" 15 || kill -KILL "$pid" 2>/dev/null || true
    svc_log "replica: stopped port $port (pid $pid)"
  else
    svc_log "replica: port $port not running"
  fi
  rm -f "$dir/pid"
}

replica_status() {
  local port=$1 dir pid
  dir="$(replica_dir "$port")"
  if pid="$(read_pid "$dir/pid" "$PS_MAIN")" && curl -sf -m 2 "http://127.0.0.1:$port/" >/dev/null 2>&1; then
    svc_log "replica: running on http://127.0.0.1:$port/ (pid $pid)"
    return 0
  fi
  svc_log "replica: port $port stopped"
  return 1
}

replica_main() {
  local action=${1:-} port rc=0
  shift || true
  (($#)) || svc_die "usage: $0 replica up|down|status PORT..."
  case "$action" in
    up) for port in "$@"; do replica_up "$port"; done ;;
    down) for port in "$@"; do replica_down "$port"; done ;;
    status) for port in "$@"; do replica_status "$port" || rc=3; done; exit "$rc" ;;
    *) svc_die "usage: $0 replica up|down|status PORT..." ;;
  esac
}

# --- main ------------------------------------------------------------------------
usage() {
  cat <<EOF
Usage: $0 up|down|status
  up      install MariaDB / pouchdb-server if missing, start them if not running
  down    stop the services started by this script (data is kept in $(rel "$LOCAL"))
  status  show state; exit 0 if both services answer, 3 otherwise
  browser install Debian's chromium for the browser tests if missing
  replica up|down|status PORT...  extra pouchdb-server instances (archive replicas), data in .local/replicas/PORT
Environment: ARCHIVER_MYSQL_PORT=$ARCHIVER_MYSQL_PORT ARCHIVER_COUCHDB_PORT=$ARCHIVER_COUCHDB_PORT
  ARCHIVER_COUCHDB_EXTERNAL_URL (use that CouchDB instead of starting pouchdb-server) with
  ARCHIVER_COUCHDB_USER / ARCHIVER_COUCHDB_PASSWORD
  ARCHIVER_MYSQL_USER=$ARCHIVER_MYSQL_USER ARCHIVER_MYSQL_DATABASE=$ARCHIVER_MYSQL_DATABASE (see docs/services.md)
EOF
}

take_lock() {
  mkdir -p "$LOCAL"
  exec 9>"$LOCAL/services.lock"
  flock -w 600 9 || svc_die "another services.sh is running (lock $(rel "$LOCAL/services.lock"))"
}

main() {
  local cmd=${1:-}
  case "$cmd" in
    up)
      trap cleanup_on_exit EXIT
      take_lock
      mariadb_up
      couch_up
      ;;
    browser)
      trap cleanup_on_exit EXIT
      take_lock
      browser_up
      ;;
    down)
      take_lock
      couch_down
      mariadb_down
      ;;
    status)
      local rc=0
      mariadb_status || rc=3
      couch_status || rc=3
      exit "$rc"
      ;;
    replica)
      shift
      take_lock
      need_cmd_or_apt curl curl
      replica_main "$@"
      ;;
    "$SUP_CMD")
      couch_supervise
      ;;
    -h | --help | help)
      usage
      ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"

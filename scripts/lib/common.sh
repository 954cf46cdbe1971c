# shellcheck shell=bash
# Shared settings for the Archiver helper scripts. Source it, don't run it:
#
#   # shellcheck source=scripts/lib/common.sh
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# Defines ROOT (repository root), LOCAL ($ROOT/.local, git-ignored state:
# data, logs, pid files), the service ports and credentials (all overridable
# from the environment) and a few logging helpers. It does not change shell
# options of the caller.

# Repository root, computed from this file's location (scripts/lib/common.sh),
# so scripts work from any current directory.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
LOCAL="$ROOT/.local"

# --- MariaDB ---------------------------------------------------------------
export ARCHIVER_MYSQL_PORT="${ARCHIVER_MYSQL_PORT:-3306}"
export ARCHIVER_MYSQL_USER="${ARCHIVER_MYSQL_USER:-archiver}"
export ARCHIVER_MYSQL_PASSWORD="${ARCHIVER_MYSQL_PASSWORD:-archiver}"
export ARCHIVER_MYSQL_DATABASE="${ARCHIVER_MYSQL_DATABASE:-textme}"
# Integration tests create one database per test class named <prefix>...;
# the app user gets ALL PRIVILEGES on `<prefix>%`.
export ARCHIVER_MYSQL_TEST_DB_PREFIX="${ARCHIVER_MYSQL_TEST_DB_PREFIX:-archiver_test_}"
export ARCHIVER_MYSQL_CS="Server=127.0.0.1;Port=${ARCHIVER_MYSQL_PORT};User ID=${ARCHIVER_MYSQL_USER};Password=${ARCHIVER_MYSQL_PASSWORD};Database=${ARCHIVER_MYSQL_DATABASE}"

# --- CouchDB (pouchdb-server) ----------------------------------------------
export ARCHIVER_COUCHDB_PORT="${ARCHIVER_COUCHDB_PORT:-5984}"
export ARCHIVER_COUCHDB_URL="http://127.0.0.1:${ARCHIVER_COUCHDB_PORT}/"
# An external CouchDB (e.g. a real Apache CouchDB 3) instead of pouchdb-server: services.sh then
# starts nothing for CouchDB and only checks that this URL answers with these credentials; test.sh
# hands them to the tests (ARCHIVER_TEST_COUCHDB_USER / _PASSWORD). The URL carries no credentials.
if [[ -n ${ARCHIVER_COUCHDB_EXTERNAL_URL:-} ]]; then
  export ARCHIVER_COUCHDB_URL="${ARCHIVER_COUCHDB_EXTERNAL_URL%/}/"
fi
export ARCHIVER_COUCHDB_USER="${ARCHIVER_COUCHDB_USER:-}"
export ARCHIVER_COUCHDB_PASSWORD="${ARCHIVER_COUCHDB_PASSWORD:-}"

# couch_curl ARGS...: curl with the CouchDB credentials (if any) passed on stdin as a curl config,
# so the password is never on a command line (ps) nor in a message.
couch_curl() {
  if [[ -n $ARCHIVER_COUCHDB_USER ]]; then
    local user=${ARCHIVER_COUCHDB_USER//\\/\\\\} password=${ARCHIVER_COUCHDB_PASSWORD//\\/\\\\}
    user=${user//\"/\\\"}
    password=${password//\"/\\\"}
    printf 'user = "%s:%s"\n' "$user" "$password" | curl -K - "$@"
  else
    curl "$@"
  fi
}

# Also exported under unambiguous names for child processes.
export ARCHIVER_ROOT="$ROOT"
export ARCHIVER_LOCAL="$LOCAL"

# --- Logging helpers -------------------------------------------------------
# svc_log MESSAGE...   -> "[services] MESSAGE" on stdout
# svc_warn MESSAGE...  -> "[services] WARNING: MESSAGE" on stderr
# svc_die MESSAGE...   -> "[services] ERROR: MESSAGE" on stderr, exit 1
# The prefix can be changed by setting SVC_LOG_PREFIX before calling.
svc_log() {
  printf '[%s] %s\n' "${SVC_LOG_PREFIX:-services}" "$*"
}

svc_warn() {
  printf '[%s] WARNING: %s\n' "${SVC_LOG_PREFIX:-services}" "$*" >&2
}

svc_die() {
  printf '[%s] ERROR: %s\n' "${SVC_LOG_PREFIX:-services}" "$*" >&2
  exit 1
}

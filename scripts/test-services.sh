#!/usr/bin/env bash
# Makes sure what the test suite needs outside Python is present: Debian's Chromium for the
# browser tests and a PostgreSQL server for the second database run. Prints the PostgreSQL URL
# on stdout (empty when none could be had). In CI (CI=true) anything missing is an error.
set -uo pipefail
# Only the URL may reach the caller's stdout: everything else (pg_ctlcluster, psql, apt) goes to
# stderr, so a chatty tool ("Removed stale pid file.") cannot corrupt DATABASE_URL.
exec 3>&1 1>&2
url() { echo "$1" >&3; }
log() { echo "test-services: $*" >&2; }
ci() { [ "${CI:-}" = "true" ]; }
as_root() { [ "$(id -u)" = "0" ]; }
apt_updated=""
apt_install() {
  as_root && command -v apt-get >/dev/null || return 1
  if [ -z "$apt_updated" ]; then apt-get update -qq >/dev/null 2>&1; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian's chromium for the browser tests"
  apt_install chromium || { log "could not install chromium"; ci && exit 1; }
fi

if [ -n "${SAFEBASE_TEST_DATABASE_URL:-}" ]; then
  url "$SAFEBASE_TEST_DATABASE_URL"
  exit 0
fi
if ! command -v pg_lsclusters >/dev/null; then
  log "installing PostgreSQL"
  apt_install postgresql || { log "PostgreSQL not available"; ci && exit 1; exit 0; }
fi
if ! as_root; then
  log "not root: cannot start PostgreSQL; set SAFEBASE_TEST_DATABASE_URL to use one"
  ci && exit 1
  exit 0
fi
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then log "no PostgreSQL cluster found"; ci && exit 1; exit 0; fi
if ! pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online; then
  pg_ctlcluster $cluster start || { log "could not start PostgreSQL"; ci && exit 1; exit 0; }
fi
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='safebase'\"" | grep -q 1 \
  || su postgres -c "psql -p $port -qc \"CREATE ROLE safebase LOGIN CREATEDB PASSWORD 'safebase'\""
url "postgres://safebase:safebase@127.0.0.1:$port/safebase"

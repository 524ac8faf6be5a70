#!/usr/bin/env bash
# Makes sure what the test suite needs outside Python is present: Debian's Chromium for the
# browser tests and a PostgreSQL server for the second database run. Prints the PostgreSQL URL
# on stdout (empty when none could be had). In CI (CI=true) anything missing is an error.
set -uo pipefail
# Only the URL may reach the caller's stdout: the work runs in main() with stdout sent to stderr,
# so a chatty tool ("Removed stale pid file.") cannot corrupt DATABASE_URL, and the URL is
# printed after it. No extra descriptor is kept open: the PostgreSQL daemon started here would
# inherit it and the caller's $(...) would wait for it forever.
pg_url=""
log() { echo "test-services: $*" >&2; }
ci() { [ "${CI:-}" = "true" ]; }
as_root() { [ "$(id -u)" = "0" ]; }
apt_updated=""
apt_install() {
  as_root && command -v apt-get >/dev/null || return 1
  if [ -z "$apt_updated" ]; then apt-get update -qq >/dev/null 2>&1; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

main() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's chromium for the browser tests"
    apt_install chromium || { log "could not install chromium"; ci && exit 1; }
  fi

  if [ -n "${SAFEBASE_TEST_DATABASE_URL:-}" ]; then
    pg_url="$SAFEBASE_TEST_DATABASE_URL"
    return 0
  fi
  if ! command -v pg_lsclusters >/dev/null; then
    log "installing PostgreSQL"
    apt_install postgresql || { log "PostgreSQL not available"; ci && exit 1; return 0; }
  fi
  if ! as_root; then
    log "not root: cannot start PostgreSQL; set SAFEBASE_TEST_DATABASE_URL to use one"
    ci && exit 1
    return 0
  fi
  cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
  if [ -z "$cluster" ]; then log "no PostgreSQL cluster found"; ci && exit 1; return 0; fi
  if ! pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online; then
    pg_ctlcluster $cluster start </dev/null || { log "could not start PostgreSQL"; ci && exit 1; return 0; }
  fi
  port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
  su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='safebase'\"" | grep -q 1 \
    || su postgres -c "psql -p $port -qc \"CREATE ROLE safebase LOGIN CREATEDB PASSWORD 'safebase'\""
  pg_url="postgres://safebase:safebase@127.0.0.1:$port/safebase"
}

main >&2
echo "$pg_url"

#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and benchmarks: one directory holds
# its data and its Unix socket; it listens on no TCP port.
#
#   scripts/pg_cluster.sh start DIR   install PostgreSQL if missing (Debian's
#                                     packages), initdb, start, wait until ready,
#                                     print the URI
#   scripts/pg_cluster.sh stop DIR    stop it and delete DIR (idempotent)
#   scripts/pg_cluster.sh uri DIR     print the URI (also when not started)
#
# The URI is postgresql:///atalaya?host=DIR&user=postgres: database `atalaya`,
# role `postgres`, trust authentication on the socket (only local processes
# that can reach DIR can connect). fsync is off: the data is for tests.
# PostgreSQL refuses to run as root: when run by root, the server runs as the
# `postgres` system user and DIR belongs to it.
set -euo pipefail

usage() { echo "usage: $0 start|stop|uri DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$(realpath -m "$2")
data=$dir/data
db=atalaya

# The directory percent-encoded as a URI query value needs.
uri() { echo "postgresql:///$db?host=$(printf %s "$dir" | sed 's/%/%25/g; s/ /%20/g; s/&/%26/g; s/#/%23/g')&user=postgres"; }

# The server's binaries (initdb, pg_ctl): on PATH, else Debian's newest
# /usr/lib/postgresql/<version>/bin.
find_bin() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(realpath "$(command -v initdb)")"; return; fi
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  if [ -n "$v" ] && [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then echo "/usr/lib/postgresql/$v/bin"; fi
}

install_postgres() {
  echo "pg_cluster: PostgreSQL's server is not installed; installing Debian's postgresql" >&2
  local sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

# Runs a server program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { [ -n "${bin:-}" ] && [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case $cmd in
  uri)
    uri
    ;;
  start)
    bin=$(find_bin)
    if [ -z "$bin" ]; then install_postgres; bin=$(find_bin); fi
    [ -n "$bin" ] || { echo "pg_cluster: no initdb after installing postgresql" >&2; exit 1; }
    # A Unix socket's path is limited to 107 bytes.
    sock="$dir/.s.PGSQL.5432"
    if [ ${#sock} -gt 100 ]; then
      echo "pg_cluster: $dir is too long for a Unix socket path (${#sock} bytes, at most 100): choose a shorter DIR" >&2
      exit 1
    fi
    if running; then uri; exit 0; fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      # The postgres user must reach DIR through its parents.
      if ! runuser -u postgres -- test -x "$(dirname "$dir")"; then
        echo "pg_cluster: the postgres user cannot enter $(dirname "$dir"); choose a DIR it can reach" >&2
        exit 1
      fi
      chown postgres: "$dir"
    fi
    chmod 700 "$dir"
    if [ ! -f "$data/PG_VERSION" ]; then
      rm -rf "$data"
      as_owner "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
      cat >>"$data/postgresql.conf" <<EOF
# pg_cluster.sh: a private test cluster
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
    fi
    if ! as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
      echo "pg_cluster: the server did not start; its log ($dir/server.log) ends:" >&2
      tail -20 "$dir/server.log" >&2
      exit 1
    fi
    exists=$("$bin/psql" -h "$dir" -U postgres -d postgres -XtAc "SELECT 1 FROM pg_database WHERE datname = '$db'")
    [ "$exists" = 1 ] || "$bin/psql" -h "$dir" -U postgres -d postgres -XqAc "CREATE DATABASE $db" >/dev/null
    uri
    ;;
  stop)
    bin=$(find_bin)
    if running; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
    # Delete only a directory that is a cluster's (its data or its logs).
    if [ -d "$dir" ] && { [ -f "$data/PG_VERSION" ] || [ -f "$dir/initdb.log" ] || [ -z "$(ls -A "$dir")" ]; }; then
      rm -rf "$dir"
    fi
    ;;
  *)
    usage
    ;;
esac

# Shared by the scenario tests: where the program and the real data are, a
# scratch store, and checks that print what differed.
set -euo pipefail
ATALAYA=${ATALAYA:?set ATALAYA to the atalaya binary}
ROOT=${ATALAYA_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
DATA=${ATALAYA_DATA:-$ROOT/../shared/data}
if [ ! -d "$DATA" ]; then
  echo "FAIL: real data not found at $DATA (set ATALAYA_DATA)" >&2
  exit 1
fi
WORK=$(mktemp -d)
PG_DATABASES=()
# What every test leaves behind is removed: its files and its databases.
cleanup() {
  rm -rf "$WORK"
  for db in ${PG_DATABASES[@]+"${PG_DATABASES[@]}"}; do
    psql "$ATALAYA_TEST_PG" -qX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
# pg_database VAR: a fresh database on the test cluster ($ATALAYA_TEST_PG,
# started by ctest: scripts/pg_cluster.sh), dropped at the end; VAR gets its
# location (the cluster's URI names its maintenance database: the same with
# this one).
pg_database() {
  : "${ATALAYA_TEST_PG:?a PostgreSQL store needs ATALAYA_TEST_PG (run through ctest, which starts a cluster)}"
  local name=t_scenario_$$_$RANDOM
  psql "$ATALAYA_TEST_PG" -qX -c "CREATE DATABASE $name" >/dev/null
  PG_DATABASES+=("$name")
  printf -v "$1" '%s' "$(printf '%s' "$ATALAYA_TEST_PG" | sed "s|///[^?]*?|///$name?|")"
}
export ATALAYA_DB=$WORK/store.db
# The backend: SQLite by default; ATALAYA_BACKEND=postgres puts the store in
# a fresh database of the test cluster.
BACKEND=${ATALAYA_BACKEND:-sqlite}
if [ "$BACKEND" = postgres ]; then pg_database ATALAYA_DB; fi
# sql_query SQL: one query against the store, whichever its backend (rows
# as lines, columns joined by |). Write SQL both accept: '...' for strings.
sql_query() {
  if [ "$BACKEND" = postgres ]; then psql "$ATALAYA_DB" -tAX -c "$1"; else sqlite3 "$ATALAYA_DB" "$1"; fi
}
failures=0
checks=0

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
  checks=$((checks + 1))
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: expected [$2], got [$3]" >&2
    failures=$((failures + 1))
  fi
}
# expect_contains WHAT NEEDLE HAYSTACK
expect_contains() {
  checks=$((checks + 1))
  if [[ "$3" != *"$2"* ]]; then
    echo "FAIL: $1: expected to find [$2] in:" >&2
    echo "$3" | head -20 >&2
    failures=$((failures + 1))
  fi
}
# value_at PERIOD < csv (period,value): the value of one period
value_at() { awk -F, -v p="$1" '$1 == p { print $2 }'; }
# rows_in_store: observations stored, every vintage's (withdrawals too), as
# the points of the store's observation blocks
rows_in_store() { sql_query 'SELECT coalesce(sum(points), 0) FROM observation_block'; }
finish() {
  echo "$((checks - failures)) passed, $failures failed"
  [ "$failures" -eq 0 ]
}
# server_url LOG: the URL an `atalaya serve --port 0` started in the
# background prints in LOG, once /api/v1/health answers there (10 s at
# most); else the test fails, showing the log.
server_url() {
  local url
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$1" | head -1 || true)
    if [ -n "$url" ] && curl -fsS "$url/api/v1/health" >/dev/null 2>&1; then echo "$url"; return; fi
    sleep 0.1
  done
  echo "FAIL: atalaya serve did not start:" >&2
  cat "$1" >&2
  exit 1
}
ingest_mapped() {  # SOURCE_MAPPING FILE
  "$ATALAYA" ingest --mapping "$ROOT/sources/$1.toml" "$DATA/$2" >/dev/null
}

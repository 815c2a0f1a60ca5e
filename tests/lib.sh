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
trap 'rm -rf "$WORK"' EXIT
export ATALAYA_DB=$WORK/store.db
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
rows_in_store() { sqlite3 "$ATALAYA_DB" 'SELECT count(*) FROM observation'; }
finish() {
  echo "$((checks - failures)) passed, $failures failed"
  [ "$failures" -eq 0 ]
}
ingest_mapped() {  # SOURCE_MAPPING FILE
  "$ATALAYA" ingest --mapping "$ROOT/sources/$1.toml" "$DATA/$2" >/dev/null
}

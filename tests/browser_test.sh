# The dashboard in a real browser: a store with the real corridor data and
# the alerts of a watch, `atalaya serve` on a free port, and the Playwright
# tests in web/tests/ (headless Chromium) clicking through the four views;
# a copy of the store with accounts for the sign-in, upload, audit and
# accounts pages; and one with the L.A. Process seeded for its views.
# By hand, against a server already running:
#   ATALAYA_URL=http://127.0.0.1:8080 node --test web/tests/
source "$(dirname "$0")/lib.sh"

WEB=$ROOT/web
export ATALAYA_ROOT=$ROOT
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "FAIL: Chromium not found at $CHROMIUM (Debian's chromium package; make deps installs it)" >&2
  exit 1
fi
export CHROMIUM

# The dashboard and the test's own npm packages (the Makefile builds them
# before ctest; this covers a test run on its own).
if [ ! -d "$WEB/node_modules/playwright-core" ]; then
  (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -f "$WEB/dist/index.html" ]; then
  (cd "$WEB" && npm run build --silent)
fi

# The store: the real corridor data, as scripts/demo.sh ingests it.
DB=$WORK/real.db
"$ATALAYA" --db "$DB" ingest "$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv" >/dev/null
"$ATALAYA" --db "$DB" ingest --mapping "$ROOT/sources/pa-snm-darien.toml" "$DATA/corridor/pa-darien-transit-by-nationality.csv" >/dev/null
"$ATALAYA" --db "$DB" ingest --mapping "$ROOT/sources/mx-upm-irregular.toml" "$DATA/corridor/mx-irregular-events-by-nationality.csv" >/dev/null
"$ATALAYA" --db "$DB" ingest --mapping "$ROOT/sources/us-cbp-swb-nat.toml" "$DATA/corridor/us-sw-border-encounters-by-nationality.csv" >/dev/null
"$ATALAYA" --db "$DB" ingest --mapping "$ROOT/sources/unhcr-asylum-applications.toml" "$DATA/unhcr/asylum-applications.csv" >/dev/null
# Today's data raise no alert (every movement has ebbed by 2025), so the inbox
# is shown on a drill on history: the watch as the data stood in August 2021,
# at the height of the Haitian movement through the Darién, in the drill
# space as-of-2021-08 (never the live inbox).
"$ATALAYA" --db "$DB" watch --triggers "$ROOT/triggers/default.toml" >/dev/null
"$ATALAYA" --db "$DB" watch --triggers "$ROOT/triggers/default.toml" --as-of 2021-08 >/dev/null
active=$("$ATALAYA" --db "$DB" events --drill as-of-2021-08 --format json | python3 -c '
import json, sys
print(len(json.load(sys.stdin)))')
if [ "$active" -lt 2 ]; then
  echo "FAIL: the drill as-of-2021-08 holds $active active events; the inbox test needs at least two" >&2
  exit 1
fi

# start_server DB EXTRA_ARGS...: `atalaya serve` on a free port (--port 0
# prints the one it took); sets URL once /api/v1/health answers.
SERVERS=()
trap 'for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; cleanup' EXIT
start_server() {
  local db=$1 log=$WORK/serve-$((${#SERVERS[@]} + 1)).log
  shift
  "$ATALAYA" --db "$db" serve --bind 127.0.0.1 --port 0 --web "$WEB/dist" --routes "$ROOT/routes" \
    --access-log "$log.access" "$@" >"$log" 2>&1 &
  local pid=$!
  SERVERS+=("$pid")
  URL=
  for _ in $(seq 1 100); do
    URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)
    if [ -n "$URL" ] && curl -fsS "$URL/api/v1/health" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "FAIL: atalaya serve exited:" >&2
      cat "$log" >&2
      exit 1
    fi
    URL=
    sleep 0.1
  done
  echo "FAIL: atalaya serve did not answer /api/v1/health within 10 s:" >&2
  cat "$log" >&2
  exit 1
}

# A shared server's copy of the store, whose changes need an editor's token.
sqlite3 "$DB" ".backup '$WORK/shared.db'"
export ATALAYA_EDITOR_NAME=ana ATALAYA_EDITOR_TOKEN=correct-horse-battery-staple
echo "$ATALAYA_EDITOR_NAME $(printf %s "$ATALAYA_EDITOR_TOKEN" | sha256sum | cut -d' ' -f1)" > "$WORK/editors.txt"
start_server "$WORK/shared.db" --editors "$WORK/editors.txt"
export ATALAYA_EDITORS_URL=$URL
# A demo store: one simulated checkpoint, which the dashboard must label.
"$ATALAYA" simulate --out "$WORK/sim" >/dev/null
"$ATALAYA" --db "$WORK/sim.db" ingest --mapping "$WORK/sim/pa-darien.toml" "$WORK/sim/pa-darien.csv" >/dev/null
start_server "$WORK/sim.db"
export ATALAYA_SIM_URL=$URL
# A store with accounts (web/tests/accounts.test.mjs): its administrator made
# at the command line, as a new installation's first account is; the test
# adds the rest on the dashboard's accounts page and uploads through the
# registered mappings.
sqlite3 "$DB" ".backup '$WORK/accounts.db'"
export ATALAYA_ADMIN_LOGIN=ada ATALAYA_ADMIN_PASSWORD='lighthouse keeper 2026'
printf '%s\n' "$ATALAYA_ADMIN_PASSWORD" | "$ATALAYA" --db "$WORK/accounts.db" user add "$ATALAYA_ADMIN_LOGIN" --admin \
  --email ada@example.org --password-stdin >/dev/null
start_server "$WORK/accounts.db" --sources "$ROOT/sources"
export ATALAYA_ACCOUNTS_URL=$URL
# A store with the L.A. Process (web/tests/process.test.mjs): the real data,
# the seeded Los Angeles Declaration (loaded before the first account, as
# the demo does), and the same administrator, who adds the focal point and
# the secretariat on the accounts page.
sqlite3 "$DB" ".backup '$WORK/process.db'"
"$ATALAYA" --db "$WORK/process.db" process seed >/dev/null
printf '%s\n' "$ATALAYA_ADMIN_PASSWORD" | "$ATALAYA" --db "$WORK/process.db" user add "$ATALAYA_ADMIN_LOGIN" --admin \
  --email ada@example.org --password-stdin >/dev/null
start_server "$WORK/process.db"
export ATALAYA_PROCESS_URL=$URL
export ATALAYA_DARIEN_CSV=$DATA/corridor/pa-darien-transit-by-nationality.csv
start_server "$DB"

export ATALAYA_URL=$URL
export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$ROOT/build/screenshots}
checks=$((checks + 1))
if ! (cd "$ROOT" && timeout 600 node --test --test-concurrency=1 web/tests/); then
  echo "FAIL: the dashboard's browser tests (screenshots in $SCREENSHOT_DIR)" >&2
  failures=$((failures + 1))
fi
finish

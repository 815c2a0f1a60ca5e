# The front door of `atalaya serve` under the abuse of issue 11: 64 clients
# trickling request heads, 20 overlapping byte ranges, a cross-origin
# text/plain POST, 64 back-tests at once, a client that leaves before its
# back-test is done (tests/front_probe.py holds these probes; the nginx
# configuration in deploy/ is probed the same way by nginx_front_test.sh),
# and a change while another process holds the store's lock.
source "$(dirname "$0")/lib.sh"

ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv

# A dashboard stand-in with a file big enough for ranges to matter.
mkdir -p "$WORK/web/assets"
printf '<!doctype html><meta charset=utf-8><title>Atalaya</title><script type=module src=/assets/app.js></script>\n' \
  >"$WORK/web/index.html"
for i in $(seq 1 3000); do echo "// line $i of a stand-in for the dashboard's script"; done >"$WORK/web/assets/app.js"

SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; cleanup' EXIT
"$ATALAYA" serve --bind 127.0.0.1 --port 0 --web "$WORK/web" --routes "$ROOT/routes" \
  --access-log "$WORK/access.log" --header-timeout 2 --expensive-threads 2 --expensive-queue 8 \
  >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
URL=$(server_url "$WORK/serve.log")

# nosniff on every answer; a content security policy on the dashboard's HTML.
headers=$(curl -sS -D - -o /dev/null "$URL/")
expect_contains "the dashboard's HTML has a content security policy" "Content-Security-Policy: default-src 'self'" "$headers"
expect_contains "the dashboard's HTML is not sniffed" "X-Content-Type-Options: nosniff" "$headers"
for path in /api/v1/health /assets/app.js /api/v1/no-such-thing "/api/v1/series?source=nowhere"; do
  expect_contains "nosniff on $path" "X-Content-Type-Options: nosniff" "$(curl -sS -D - -o /dev/null "$URL$path")"
done

if ! python3 "$ROOT/tests/front_probe.py" --url "$URL" --static /assets/app.js --access-log "$WORK/access.log" \
  --header-timeout 2; then
  failures=$((failures + 1))
fi
checks=$((checks + 1))

# Lock contention is 503 with Retry-After, not 409: another process holds
# the store's write lock past the server's wait for it (10 s).
"$ATALAYA" watch --as-of 2021-08 --triggers "$ROOT/triggers/default.toml" >/dev/null 2>&1
id=$(curl -sS "$URL/api/v1/alerts?status=all&drill=as-of-2021-08" | python3 -c 'import json, sys; print(json.load(sys.stdin)["alerts"][0]["id"])')
python3 - "$ATALAYA_DB" >"$WORK/locker.out" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(20)
PY
LOCKER=$!
for _ in $(seq 1 100); do grep -q locked "$WORK/locker.out" && break; sleep 0.1; done
answer=$(curl -sS -D - -X POST -H 'Content-Type: application/json' -d '{"by": "ana"}' "$URL/api/v1/alerts/$id/acknowledge")
kill "$LOCKER" 2>/dev/null; wait "$LOCKER" 2>/dev/null || true
expect_contains "a change while the store is locked: 503" "HTTP/1.1 503" "$answer"
expect_contains "a change while the store is locked: Retry-After" "Retry-After: " "$answer"
expect_eq "the change goes through once the lock is gone" 200 \
  "$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"by": "ana"}' "$URL/api/v1/alerts/$id/acknowledge")"

kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
finish

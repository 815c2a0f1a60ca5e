#!/usr/bin/env bash
# Notifications off the watch path: `watch` only queues webhook notifications
# (a receiver that hangs does not hold it up), `atalaya deliver` sends them
# with each attempt bounded by the endpoint's own time-out (the attempt
# records say which limit ended them), pauses an endpoint that keeps failing,
# and once the receiver recovers delivers each notification exactly once (the
# receiver counts by delivery key). A redirect is not followed and is
# reported; a notification for an endpoint no longer configured is listed by
# `atalaya outbox`, never sent; `watch` fails when it cannot store its alerts.
# No timings are measured: `timeout 60` only guards against a hang.
source "$(dirname "$0")/lib.sh"

RX=$WORK/receiver
mkdir -p "$RX"
echo hang > "$RX/mode"
: > "$RX/requests"
: > "$RX/accepted"
python3 "$ROOT/tests/webhook_receiver.py" "$RX" &
receiver_pid=$!
trap 'kill "$receiver_pid" 2>/dev/null; cleanup' EXIT
for _ in $(seq 1 600); do [ -s "$RX/port" ] && break; sleep 0.05; done
if [ ! -s "$RX/port" ]; then echo "FAIL: the test receiver did not start" >&2; exit 1; fi
URL="http://127.0.0.1:$(cat "$RX/port")/hook"
GONE="http://127.0.0.1:9/removed"

cat > "$WORK/triggers.toml" <<TOML
[[trigger]]
id = "darien-flow"
name = "Any flow at the Darién"
rule = "threshold"
severity = "moderate"
select = { source = ["pa-snm-darien"] }
group_by = ["source", "citizenship"]
level = 4

[[webhook]]
url = "$URL"
timeout_seconds = 1
connect_timeout_seconds = 1
retry_delay_seconds = 0
breaker_failures = 2
breaker_cooldown_seconds = 3600
TOML
T=(--triggers "$WORK/triggers.toml")
ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv

# 1. watch queues (for the file's endpoint and one given on the command line) and returns.
out=$(timeout 60 "$ATALAYA" watch "${T[@]}" --webhook "$GONE" 2>&1) && rc=0 || rc=$?
expect_eq "watch exits 0 with a hanging receiver" "0" "$rc"
expect_contains "watch says it queued" "queued for 2 endpoint(s)" "$out"
expect_eq "watch sent nothing" "0" "$(wc -l < "$RX/requests")"
count() {  # JQ-like count over `outbox --format json`: python expression on d
  "$ATALAYA" outbox "${T[@]}" --state all --limit 0 --format json | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}
n=$(count 'sum(1 for x in d["deliveries"] if x["endpoint"].endswith("/hook"))')
checks=$((checks + 1))
if [ "$n" -lt 3 ]; then echo "FAIL: expected at least 3 notifications queued for the receiver, got $n" >&2; failures=$((failures + 1)); fi
expect_eq "nothing attempted by watch" "0" "$(count 'sum(x["attempts"] for x in d["deliveries"])')"

# 2. deliver while the receiver hangs: two attempts, each ended by the endpoint's 1 s limit; then paused.
out=$(timeout 60 "$ATALAYA" deliver "${T[@]}" 2>&1) && rc=0 || rc=$?
expect_eq "deliver exits 1 when attempts failed" "1" "$rc"
expect_contains "deliver pauses the endpoint" "paused until" "$out"
expect_contains "deliver reports the removed endpoint's notifications" "endpoints no longer in the trigger file" "$out"
expect_eq "two attempts, then the breaker" "2" "$(count 'sum(x["attempts"] for x in d["deliveries"])')"
expect_eq "each attempt ended by the endpoint's time-out" "2" \
  "$(count 'sum(1 for x in d["deliveries"] if x["last_error"].startswith("timed out (the endpoint'"'"'s limit: 1 s"))')"
expect_eq "the removed endpoint is never attempted" "0" \
  "$(count 'sum(x["attempts"] for x in d["deliveries"] if not x["endpoint_configured"])')"
expect_contains "the pause is in the store" "paused until" "$("$ATALAYA" outbox "${T[@]}")"

# 3. While paused, a second worker run skips the endpoint.
out=$(timeout 60 "$ATALAYA" deliver "${T[@]}" 2>&1) && rc=0 || rc=$?
expect_contains "a paused endpoint is skipped" "0 delivered, 0 failed (0 of them given up), $n skipped" "$out"
expect_eq "no new request while paused" "2" "$(wc -l < "$RX/requests")"

# 4. The receiver recovers; after `outbox --retry` every notification arrives, exactly once.
echo ok > "$RX/mode"
out=$("$ATALAYA" outbox "${T[@]}" --retry --endpoint "$URL")
expect_contains "retry requeues" "$n notification(s) due again" "$out"
out=$(timeout 60 "$ATALAYA" deliver "${T[@]}" 2>&1) && rc=0 || rc=$?
expect_eq "deliver exits 0 when all were delivered" "0" "$rc"
expect_contains "all delivered" "$n delivered, 0 failed" "$out"
timeout 60 "$ATALAYA" deliver "${T[@]}" >/dev/null 2>&1 || true
expect_eq "each delivery key accepted once" "$n $n" "$(sort "$RX/accepted" | uniq | wc -l) $(wc -l < "$RX/accepted")"
expect_eq "the receiver accepted exactly the queued keys" \
  "$(count '"\n".join(sorted(x["delivery_key"] for x in d["deliveries"] if x["endpoint_configured"]))')" \
  "$(sort "$RX/accepted")"

# 5. outbox flags what waits for a removed endpoint.
out=$("$ATALAYA" outbox "${T[@]}")
expect_contains "outbox flags the removed endpoint" "$GONE  [endpoint no longer configured: not sent]" "$out"
expect_eq "only the removed endpoint's are undelivered" "0" \
  "$(count 'sum(1 for x in d["deliveries"] if x["state"] != "delivered" and x["endpoint_configured"])')"

# 6. A second store: watch cannot store its alerts -> non-zero; then a redirect is reported.
export ATALAYA_DB=$WORK/second.db
ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
"$ATALAYA" alerts >/dev/null  # the alert tables are made when the alert store first opens
sqlite3 "$ATALAYA_DB" "CREATE TRIGGER refuse BEFORE INSERT ON alert BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;"
out=$(timeout 60 "$ATALAYA" watch "${T[@]}" 2>&1) && rc=0 || rc=$?
expect_eq "watch exits 1 when it cannot store its alerts" "1" "$rc"
expect_contains "watch says the alerts were not stored" "alerts could not be stored" "$out"
expect_eq "nothing stored" "0 0" "$(sqlite3 "$ATALAYA_DB" 'SELECT (SELECT count(*) FROM alert) || " " || (SELECT count(*) FROM delivery)')"
sqlite3 "$ATALAYA_DB" "DROP TRIGGER refuse"
timeout 60 "$ATALAYA" watch "${T[@]}" >/dev/null
echo redirect > "$RX/mode"
out=$(timeout 60 "$ATALAYA" deliver "${T[@]}" 2>&1) || true
expect_contains "a redirect is not followed" "HTTP 302: redirect to http://127.0.0.1:9/elsewhere not followed" "$out"
out=$("$ATALAYA" outbox "${T[@]}" --state failed)
expect_contains "the redirected delivery is given up" "failed" "$out"
expect_contains "outbox shows the redirect" "redirect to http://127.0.0.1:9/elsewhere not followed" "$out"
finish

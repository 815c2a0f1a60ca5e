#!/usr/bin/env bash
# A shared server's store on PostgreSQL: a team's SQLite store, with the
# real corridor data, a live inbox and a drill, is copied whole into
# PostgreSQL (`atalaya store copy`), and every answer is the same there:
# series, sources, alerts, events, drills and a replay. Then two `atalaya
# serve` processes on that one database see an ingest made elsewhere within
# a second, and an acknowledgement made through one is seen through the
# other: the servers keep nothing a second instance would need.
source "$(dirname "$0")/lib.sh"
: "${ATALAYA_TEST_PG:?run through ctest, which starts the test cluster (scripts/pg_cluster.sh)}"

ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
ingest_mapped mx-upm-irregular corridor/mx-irregular-events-by-nationality.csv
ingest_mapped us-cbp-swb-nat corridor/us-sw-border-encounters-by-nationality.csv
TRIGGERS="$ROOT/triggers/default.toml"
"$ATALAYA" watch --triggers "$TRIGGERS" >/dev/null
"$ATALAYA" watch --triggers "$TRIGGERS" --as-of 2021-08 >/dev/null
# The L.A. Process: a declaration, a temporary pillar added and retired, a
# commitment with its report and assessment.
P=("$ATALAYA" process)
"${P[@]}" declaration add la-2022 --title "Los Angeles Declaration" --title-es "Declaración de Los Ángeles" \
  --adopted-on 2022-06-10 >/dev/null
"${P[@]}" endorse COL --joined-on 2022-06-10 >/dev/null
"${P[@]}" meeting add lima-2022 --held-on 2022-10-06 --title "Lima" >/dev/null
"${P[@]}" meeting add panama-2023 --held-on 2023-04-20 --title "Panama" >/dev/null
"${P[@]}" pillar add P1 --meeting lima-2022 --number 1 --name "Stability" --goal "Assist" --goal-es "Asistir" >/dev/null
"${P[@]}" pillar add T1 --meeting lima-2022 --number 5 --kind temporary --name "Darién" --ends-on 2023-12-31 >/dev/null
"${P[@]}" pillar retire T1 --meeting panama-2023 >/dev/null
"${P[@]}" commitment add col-1 --party COL --pillar P1 --made-on 2022-10-06 --text "Regularise" --target 1800000 \
  --unit persons --deadline 2024 >/dev/null
"${P[@]}" report col-1 --meeting panama-2023 --status in_progress --narrative "half" >/dev/null
"${P[@]}" assess col-1 --meeting panama-2023 --completion limited --rationale "the data" >/dev/null
SQLITE=$ATALAYA_DB

SERVE_A= SERVE_B=
trap 'kill $SERVE_A $SERVE_B 2>/dev/null; cleanup' EXIT
pg_database PG

out=$("$ATALAYA" store copy "$SQLITE" "$PG")
expect_contains "the copy names its observations" "observation_block" "$out"
expect_contains "and its alerts" "alert " "$out"
expect_eq "every observation copied" "$(sqlite3 "$SQLITE" 'SELECT sum(points) FROM observation_block')" \
  "$(psql "$PG" -tAX -c 'SELECT sum(points) FROM observation_block')"
expect_eq "every block copied byte for byte" "$(sqlite3 "$SQLITE" "SELECT group_concat(series_id || ':' || vintage_id || ':' || hex(data), ',') FROM (SELECT * FROM observation_block ORDER BY series_id, vintage_id)" | md5sum)" \
  "$(psql "$PG" -tAX -c "SELECT string_agg(series_id || ':' || vintage_id || ':' || upper(encode(data, 'hex')), ',' ORDER BY series_id, vintage_id) FROM observation_block" | md5sum)"

# The same answers from both stores.
same() {  # WHAT ARGS...
  local what=$1; shift
  local a b
  a=$("$ATALAYA" --db "$SQLITE" "$@" 2>&1)
  b=$("$ATALAYA" --db "$PG" "$@" 2>&1)
  checks=$((checks + 1))
  if [ "$a" != "$b" ]; then
    echo "FAIL: $what differs between SQLite and PostgreSQL:" >&2
    diff <(echo "$a") <(echo "$b") | head -20 >&2
    failures=$((failures + 1))
  elif [ -z "$a" ]; then
    echo "FAIL: $what: no answer" >&2
    failures=$((failures + 1))
  fi
}
same "sources" sources
same "vintages" sources --vintages pa-snm-darien
same "a series by citizenship" series --source pa-snm-darien --by citizenship --format csv
same "U.S. encounters of Venezuelans" series --source us-cbp-swb-nat --citizenship VEN --format csv
same "a series as of its first vintage" series --source mx-upm-irregular --vintage 1 --by citizenship --top 5
same "the live alerts" alerts --status all
same "the drill's alerts" alerts --status all --drill as-of-2021-08 --format json
same "the drill's alerts as CAP" alerts --status all --drill as-of-2021-08 --format cap --base-url https://atalaya.example.org
same "the live events" events --format json
same "the drill's events" events --drill as-of-2021-08 --format json
same "the drills" drills
same "the process's commitments" process commitments --format json
same "a commitment's history" process history col-1 --format csv
same "the pillars' history" process pillar-history --format json
same "a meeting" process meeting panama-2023 --format json
same "a replay" replay --triggers "$TRIGGERS" --from 2021-05 --to 2021-09 --format csv
events=$("$ATALAYA" --db "$PG" events --drill as-of-2021-08 --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
alerts=$("$ATALAYA" --db "$PG" alerts --status all --drill as-of-2021-08 --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d if isinstance(d, list) else d["alerts"]))')
expect_eq "the drill holds events and alerts (the comparisons are not of empty answers)" "yes yes" \
  "$([ "$events" -gt 0 ] && echo yes || echo no) $([ "$alerts" -gt 0 ] && echo yes || echo no)"

# A copy goes only into an empty store, and says so.
set +e
again=$("$ATALAYA" store copy "$SQLITE" "$PG" 2>&1); code=$?
set -e
expect_eq "a second copy into the same store is refused" 1 "$code"
expect_contains "naming why" "a store is copied into an empty one only" "$again"

# And back: PostgreSQL to a new SQLite file, blocks byte for byte.
"$ATALAYA" store copy "$PG" "$WORK/back.db" >/dev/null
expect_eq "the copy back holds the same blocks" \
  "$(sqlite3 "$SQLITE" 'SELECT series_id, vintage_id, points, hex(data) FROM observation_block ORDER BY series_id, vintage_id' | md5sum)" \
  "$(sqlite3 "$WORK/back.db" 'SELECT series_id, vintage_id, points, hex(data) FROM observation_block ORDER BY series_id, vintage_id' | md5sum)"
expect_eq "and answers the same" "$("$ATALAYA" --db "$SQLITE" series --source us-cbp-swb-nat --citizenship VEN --format csv)" \
  "$("$ATALAYA" --db "$WORK/back.db" series --source us-cbp-swb-nat --citizenship VEN --format csv)"

# Two servers on one database. They check the store for changes only every
# minute: what they see within a second, PostgreSQL's notification told them.
start_server() {  # LOG
  "$ATALAYA" --db "$PG" serve --bind 127.0.0.1 --port 0 --routes "$ROOT/routes" --access-log "" \
    --check-every 60 >"$1" 2>&1 &
  echo $!
}
SERVE_A=$(start_server "$WORK/a.log")
SERVE_B=$(start_server "$WORK/b.log")
A=$(server_url "$WORK/a.log")
B=$(server_url "$WORK/b.log")
sources_of() { curl -fsS "$1/api/v1/sources" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sources"]))'; }
expect_eq "both servers list the copied sources" "3 3" "$(sources_of "$A") $(sources_of "$B")"

# An ingest by another process: both servers list it within a second.
"$ATALAYA" --db "$PG" ingest --mapping "$ROOT/sources/mx-upm-returns.toml" \
  "$DATA/corridor/mx-returns-by-nationality.csv" >/dev/null
seen=$(python3 - "$A" "$B" <<'PY'
import json, sys, time, urllib.request
start = time.monotonic()
waiting = set(sys.argv[1:])
while waiting and time.monotonic() - start < 5:
    for url in list(waiting):
        if len(json.load(urllib.request.urlopen(url + "/api/v1/sources"))["sources"]) == 4:
            waiting.discard(url)
    time.sleep(0.05)
print("both within a second" if not waiting and time.monotonic() - start <= 1.0 else
      f"not both within a second ({time.monotonic() - start:.2f} s, waiting for {sorted(waiting)})")
PY
)
expect_eq "an ingest elsewhere is seen by both servers" "both within a second" "$seen"

# An acknowledgement through one server (of a drill's event: the live inbox is
# empty today), seen through the other.
id=$(curl -fsS "$A/api/v1/events?drill=as-of-2021-08" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][0]["id"])')
status=$(curl -sS -o "$WORK/ack.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -d '{"by": "maria", "note": "task force informed"}' "$A/api/v1/events/$id/acknowledge")
expect_eq "server A acknowledges the event" 200 "$status"
expect_eq "server B shows it acknowledged" "acknowledged maria" \
  "$(curl -fsS "$B/api/v1/events/$id" | python3 -c 'import json,sys; e=json.load(sys.stdin); e=e.get("event", e); print(e["status"], e["history"][-1]["actor"])')"

finish

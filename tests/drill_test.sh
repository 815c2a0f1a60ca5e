#!/usr/bin/env bash
# Drills apart from live work, and one event per movement: on the real
# corridor data (and the official CBP file, which overlaps the corridor's U.S.
# series), a task force's live inbox is left exactly as it was by a drill on
# history (`watch --as-of`, `replay --drill`); the drill's inbox holds one
# event per citizenship along the route, no twin from the overlapping CBP
# files, and nothing for "other" citizenships.
source "$(dirname "$0")/lib.sh"

ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
ingest_mapped mx-upm-irregular corridor/mx-irregular-events-by-nationality.csv
ingest_mapped us-cbp-swb-nat corridor/us-sw-border-encounters-by-nationality.csv
"$ATALAYA" ingest "$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv" >/dev/null
TRIGGERS="$ROOT/triggers/default.toml"

# The live inbox: a watch on today's data, with a webhook that queues.
"$ATALAYA" watch --triggers "$TRIGGERS" --webhook http://127.0.0.1:9/hook --no-notify > "$WORK/live.txt"
live_state() {
  sqlite3 "$ATALAYA_DB" "SELECT
    (SELECT count(*) || ':' || coalesce(max(updated_at), '') FROM warning_event WHERE space = ''),
    (SELECT count(*) || ':' || coalesce(max(updated_at), '') FROM alert WHERE space = ''),
    (SELECT count(*) FROM delivery)"
}
before=$(live_state)

# A drill as of August 2021, at the height of the Haitian movement.
"$ATALAYA" watch --triggers "$TRIGGERS" --as-of 2021-08 --webhook http://127.0.0.1:9/hook > "$WORK/drill.txt"
expect_contains "watch --as-of says it is a drill" "drill: as-of-2021-08 (the live inbox is untouched" "$(cat "$WORK/drill.txt")"
expect_eq "watch --as-of leaves the live inbox, its alerts and the outbox untouched" "$before" "$(live_state)"
expect_eq "the live inbox lists what it listed" "$(sed -n '/^$/,$p' "$WORK/live.txt")" \
  "$(echo; "$ATALAYA" events)"

"$ATALAYA" events --drill as-of-2021-08 --format json > "$WORK/drill.json"
python3 - "$WORK/drill.json" > "$WORK/check.txt" <<'PY'
import json, sys
events = json.load(open(sys.argv[1]))
by = {}
for e in events:
    by.setdefault(e["citizenship"], []).append(e)
print("events", len(events))
print("haitian events", len(by.get("HTI", [])))
hti = by["HTI"][0]
print("haitian route", hti["route"])
print("haitian seen at", ",".join(c["id"] for c in hti["checkpoints"] if c["observed"]))
print("us evidence sources", sorted({a["key"]["source"] for e in events for a in e["alerts"]
                                     if a["key"].get("source", "").startswith("us-cbp")}))
print("other groups", sum(len(by.get(g, [])) for g in ("OTH", "OOO", "UNK")))
print("one event per movement", all(len(v) == 1 for v in by.values()))
print("drill", {e["drill"] for e in events})
order = [e["phase"] for e in events]
rank = {"emerging": 3, "ongoing": 2, "persistent": 1}
print("ranked", all(rank[a] >= rank[b] for a, b in zip(order, order[1:])))
PY
check=$(cat "$WORK/check.txt")
expect_contains "the drill holds the Haitian movement as one event" "haitian events 1" "$check"
expect_contains "along the Darién route" "haitian route darien-north" "$check"
expect_contains "seen at the Darién, in Mexico and at the U.S. border" \
  "haitian seen at darien,mexico,us-southwest-border" "$check"
expect_contains "one U.S. source: the overlapping CBP file raises no twin" "us evidence sources ['us-cbp-swb-nat']" "$check"
expect_contains "no event for citizenships that are not a nationality" "other groups 0" "$check"
expect_contains "one event per movement" "one event per movement True" "$check"
expect_contains "every event in the drill space" "drill {'as-of-2021-08'}" "$check"
expect_contains "emerging first" "ranked True" "$check"
expect_contains "watch names the overlap it resolved" "us-cbp-swb counts some of the same people as us-cbp-swb-nat" \
  "$(cat "$WORK/drill.txt")"

# The drill is listed, and a drill is not the live inbox anywhere.
expect_contains "drills lists it" "as-of-2021-08: " "$("$ATALAYA" drills)"
hti_id=$(python3 -c 'import json,sys; print([e["id"] for e in json.load(open(sys.argv[1])) if e["citizenship"] == "HTI"][0])' "$WORK/drill.json")
show=$("$ATALAYA" events --show "$hti_id")
expect_contains "the event in full: the Darién's evidence" "17,279" "$show"
expect_contains "the event in full: the U.S. border's projected window" "projected window 2021-" "$show"

# Acknowledging in the drill leaves the live inbox alone.
"$ATALAYA" event ack "$hti_id" --by drill-tester --note practice >/dev/null
expect_eq "acknowledging a drill's event leaves the live inbox untouched" "$before" "$(live_state)"

# A replay kept as a drill: its own space, emptied first; live untouched.
"$ATALAYA" replay --from 2021-01 --to 2021-09 --triggers "$TRIGGERS" --drill haiti-2021 > "$WORK/replay.txt"
"$ATALAYA" replay --from 2021-01 --to 2021-09 --triggers "$TRIGGERS" --drill haiti-2021 > /dev/null
expect_eq "a replay drill is written once, not added to" \
  "$(grep -c ' opened ' "$WORK/replay.txt")" \
  "$(sqlite3 "$ATALAYA_DB" "SELECT count(*) FROM warning_event WHERE space = 'haiti-2021'")"
expect_eq "replay --drill leaves the live inbox untouched" "$before" "$(live_state)"
expect_contains "drills --delete" "drill haiti-2021: " "$("$ATALAYA" drills --delete haiti-2021)"
expect_eq "the deleted drill is gone" "0" "$(sqlite3 "$ATALAYA_DB" "SELECT count(*) FROM alert WHERE space = 'haiti-2021'")"

# Hostile names are refused with the flag named.
if out=$("$ATALAYA" watch --triggers "$TRIGGERS" --drill '../x;DROP' 2>&1); then out="accepted"; fi
expect_contains "a bad drill name is refused" "--drill: '../x;DROP' is not a drill name" "$out"

finish

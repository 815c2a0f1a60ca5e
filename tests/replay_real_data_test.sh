#!/usr/bin/env bash
# Historical replay on the real corridor data: the early-warning system, seeing
# each month only the data up to it, must warn of the 2021 Haitian movement at
# the Darién by July 2021 at the latest, with a projected window of the peak at
# the U.S. southwest border that contains September 2021 (the Del Río event:
# 17,638 Haitian encounters): with Honduras bridged by its declared lags, and
# again with a simulated Honduran series 0 months ahead of Mexico.
source "$(dirname "$0")/lib.sh"

"$ATALAYA" ingest --mapping "$ROOT/sources/pa-snm-darien.toml" "$DATA/corridor/pa-darien-transit-by-nationality.csv" >/dev/null
"$ATALAYA" ingest --mapping "$ROOT/sources/mx-upm-irregular.toml" "$DATA/corridor/mx-irregular-events-by-nationality.csv" >/dev/null
"$ATALAYA" ingest --mapping "$ROOT/sources/us-cbp-swb-nat.toml" "$DATA/corridor/us-sw-border-encounters-by-nationality.csv" >/dev/null

"$ATALAYA" replay --from 2021-01 --to 2021-07 --triggers "$ROOT/triggers/default.toml" --format csv > "$WORK/timeline.csv"

# Upstream alerts for Haitians projected at the U.S. checkpoint, raised from a
# surge at the Darién, in months up to July 2021: month,window_from,window_to.
haitian_us() {
  python3 - "$1" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    key = dict(p.split("=", 1) for p in r["key"].split(";"))
    if (r["trigger"] == "upstream-surge" and key.get("citizenship") == "HTI"
            and key.get("checkpoint") == "us-southwest-border" and r["month"] <= "2021-07"
            and r["explanation"].startswith("At Darién")):
        print(r["month"], r["window_from"], r["window_to"])
PY
}
# check_july_window WHAT TIMELINE: July 2021's window contains September 2021
# and is at most 6 months wide (a window is no use if it is made huge).
check_july_window() {
  local alerts july window_from window_to width
  alerts=$(haitian_us "$2")
  expect_contains "$1: an upstream alert for Haitians from the Darién, projected at the U.S. border, by 2021-07" "2021-" "$alerts"
  july=$(echo "$alerts" | awk '$1 == "2021-07"')
  expect_contains "$1: the alert is current in July 2021 (extended with July's data)" "2021-07" "$july"
  window_from=$(echo "$july" | awk '{print $2}')
  window_to=$(echo "$july" | awk '{print $3}')
  checks=$((checks + 1))
  if [[ -z "$window_from" || "$window_from" > "2021-09" || "$window_to" < "2021-09" ]]; then
    echo "FAIL: $1: projected U.S. window [$window_from .. $window_to] does not contain 2021-09" >&2
    failures=$((failures + 1))
  fi
  width=$(python3 -c 'import sys; a, b = (int(x[:4]) * 12 + int(x[5:]) for x in sys.argv[1:3]); print(b - a + 1)' \
    "${window_from:-2021-01}" "${window_to:-2021-01}")
  checks=$((checks + 1))
  if [[ "$width" -gt 6 ]]; then
    echo "FAIL: $1: the window [$window_from .. $window_to] is $width months wide (at most 6 expected)" >&2
    failures=$((failures + 1))
  fi
  echo "$1: July 2021 window $window_from..$window_to ($width months)"
}
check_july_window "Honduras bridged" "$WORK/timeline.csv"
# One movement, one event: every alert about Haitians along the route (at the
# Darién, in Mexico, at the U.S. border, and the projections) belongs to one
# warning event, open in July 2021.
haitian_events() {
  python3 - "$1" <<'PY'
import csv, sys
ids, open_in_july = set(), set()
for r in csv.DictReader(open(sys.argv[1])):
    key = dict(p.split("=", 1) for p in r["key"].split(";"))
    if key.get("citizenship") == "HTI" and r["month"] <= "2021-07" and r["event_change"] != "expired":
        ids.add(r["event"])
        if r["month"] == "2021-07":
            open_in_july.add(r["event"])
print(len(ids), len(open_in_july))
PY
}
expect_eq "Honduras bridged: one Haitian event along the route, current in July 2021" "1 1" \
  "$(haitian_events "$WORK/timeline.csv")"
expect_contains "the window states its coverage and the surge's time to its peak" "(80% window; transit" \
  "$(grep '^2021-07' "$WORK/timeline.csv" | grep 'upstream-surge' | grep 'citizenship=HTI')"

# The same when Honduras has data whose lag to Mexico is 0 months: a
# simulated sim-hn-inm series that is Mexico's monthly Haitian figures.
cat > "$WORK/sim-hn-inm.toml" <<'TOML'
# Simulated Honduras for this test: Mexico's Haitian events, same month.
[source]
id = "sim-hn-inm"
name = "Simulated Honduras (Mexico's Haitian figures, lag 0)"
reporter = "HND"
event = "irregular_transit"
unit = "events"
measure = "flow"
schedule = "M"

[columns]
period = "t"
citizenship = "nat"
count = "n"

[period]
format = "YYYY-MM"
TOML
python3 - "$DATA/corridor/mx-irregular-events-by-nationality.csv" "$WORK/sim-hn-inm.csv" <<'PY'
import csv, sys
out = csv.writer(open(sys.argv[2], "w", newline=""))
out.writerow(["t", "nat", "n"])
for r in csv.DictReader(open(sys.argv[1])):
    if r["nat"] == "HTI":
        out.writerow([r["t"], r["nat"], r["n"]])
PY
"$ATALAYA" store copy "$ATALAYA_DB" "$WORK/with-honduras.db" >/dev/null  # whichever the backend
ATALAYA_DB="$WORK/with-honduras.db" "$ATALAYA" ingest --mapping "$WORK/sim-hn-inm.toml" "$WORK/sim-hn-inm.csv" >/dev/null
ATALAYA_DB="$WORK/with-honduras.db" "$ATALAYA" route --citizenship HTI --through 2021-07 --format json > "$WORK/route-hn.json"
expect_eq "the simulated Honduras is 0 months from Mexico, estimated" "0 True honduras" "$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
hop = [h for h in j["lags"] if h["to"] == "mexico"][0]
print(hop["months"], hop["estimated"], hop["from"])' "$WORK/route-hn.json")"
ATALAYA_DB="$WORK/with-honduras.db" "$ATALAYA" replay --from 2021-01 --to 2021-07 \
  --triggers "$ROOT/triggers/default.toml" --trigger upstream-surge --format csv > "$WORK/timeline-hn.csv"
check_july_window "Honduras 0 months from Mexico" "$WORK/timeline-hn.csv"
expect_eq "Honduras 0 months from Mexico: one Haitian event, current in July 2021" "1 1" \
  "$(haitian_events "$WORK/timeline-hn.csv")"

# The Darién alert's evidence names the Darién's Haitian counts.
expect_contains "evidence: July's 13,141 Haitians at the Darién" "13,141" "$(grep 'upstream-surge' "$WORK/timeline.csv" | grep 'citizenship=HTI' | grep '^2021-07')"

# Replay does not write alerts into the store.
expect_eq "replay leaves the store's alerts alone" "0" "$(sql_query 'SELECT count(*) FROM alert')"

# watch on the same store stores alerts; a second watch changes nothing.
"$ATALAYA" watch --triggers "$ROOT/triggers/default.toml" > "$WORK/watch1.txt"
first=$(sql_query "SELECT count(*) || '/' || coalesce(max(updated_at), '') FROM alert")
"$ATALAYA" watch --triggers "$ROOT/triggers/default.toml" > "$WORK/watch2.txt"
expect_contains "a second watch on the same data opens no event" "events: 0 opened, 0 escalated, 0 spread, 0 expired" "$(cat "$WORK/watch2.txt")"
expect_contains "a second watch on the same data opens no alert" "alerts: 0 opened, 0 extended, 0 escalated, 0 expired" "$(cat "$WORK/watch2.txt")"
expect_eq "a second watch leaves the alerts as they were" "$first" "$(sql_query "SELECT count(*) || '/' || coalesce(max(updated_at), '') FROM alert")"

# A broken trigger file is refused with its line and field.
printf '[[trigger]]\nid = "x"\nrule = "growth"\nratio = "double"\n' > "$WORK/bad.toml"
if out=$("$ATALAYA" watch --triggers "$WORK/bad.toml" 2>&1); then out="accepted"; fi
expect_contains "a bad trigger file names line and field" "bad.toml:4" "$out"
expect_contains "a bad trigger file names the field" "ratio" "$out"
finish

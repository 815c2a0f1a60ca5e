#!/usr/bin/env bash
# Historical replay on the real corridor data: the early-warning system, seeing
# each month only the data up to it, must warn of the 2021 Haitian movement at
# the Darién by July 2021 at the latest, with a projected arrival window at
# the U.S. southwest border that contains September 2021 (the Del Río event:
# 17,638 Haitian encounters).
source "$(dirname "$0")/lib.sh"

"$ATALAYA" ingest --mapping "$ROOT/sources/pa-snm-darien.toml" "$DATA/corridor/pa-darien-transit-by-nationality.csv" >/dev/null
"$ATALAYA" ingest --mapping "$ROOT/sources/mx-upm-irregular.toml" "$DATA/corridor/mx-irregular-events-by-nationality.csv" >/dev/null
"$ATALAYA" ingest --mapping "$ROOT/sources/us-cbp-swb-nat.toml" "$DATA/corridor/us-sw-border-encounters-by-nationality.csv" >/dev/null

"$ATALAYA" replay --from 2021-01 --to 2021-07 --triggers "$ROOT/triggers/default.toml" --format csv > "$WORK/timeline.csv"

# Upstream alerts for Haitians projected at the U.S. checkpoint, raised from a
# surge at the Darién, in months up to July 2021: month,window_from,window_to.
haitian_us=$(python3 - "$WORK/timeline.csv" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    key = dict(p.split("=", 1) for p in r["key"].split(";"))
    if (r["trigger"] == "upstream-surge" and key.get("citizenship") == "HTI"
            and key.get("checkpoint") == "us-southwest-border" and r["month"] <= "2021-07"
            and r["explanation"].startswith("At Darién")):
        print(r["month"], r["window_from"], r["window_to"])
PY
)
expect_contains "an upstream alert for Haitians from the Darién, projected at the U.S. border, by 2021-07" "2021-" "$haitian_us"
july=$(echo "$haitian_us" | awk '$1 == "2021-07"')
expect_contains "the alert is current in July 2021 (extended with July's data)" "2021-07" "$july"
window_from=$(echo "$july" | awk '{print $2}')
window_to=$(echo "$july" | awk '{print $3}')
checks=$((checks + 1))
if [[ -z "$window_from" || "$window_from" > "2021-09" || "$window_to" < "2021-09" ]]; then
  echo "FAIL: projected U.S. arrival window [$window_from .. $window_to] does not contain 2021-09" >&2
  failures=$((failures + 1))
fi

# The Darién alert's evidence names the Darién's Haitian counts.
expect_contains "evidence: July's 13,141 Haitians at the Darién" "13,141" "$(grep 'upstream-surge' "$WORK/timeline.csv" | grep 'citizenship=HTI' | grep '^2021-07')"

# Replay does not write alerts into the store.
expect_eq "replay leaves the store's alerts alone" "0" "$(sqlite3 "$ATALAYA_DB" 'SELECT count(*) FROM alert')"

# watch on the same store stores alerts; a second watch changes nothing.
"$ATALAYA" watch --triggers "$ROOT/triggers/default.toml" > "$WORK/watch1.txt"
first=$(sqlite3 "$ATALAYA_DB" 'SELECT count(*) || "/" || coalesce(max(updated_at), "") FROM alert')
"$ATALAYA" watch --triggers "$ROOT/triggers/default.toml" > "$WORK/watch2.txt"
expect_contains "a second watch on the same data opens nothing" "0 opened, 0 extended, 0 escalated, 0 expired" "$(cat "$WORK/watch2.txt")"
expect_eq "a second watch leaves the alerts as they were" "$first" "$(sqlite3 "$ATALAYA_DB" 'SELECT count(*) || "/" || coalesce(max(updated_at), "") FROM alert')"

# A broken trigger file is refused with its line and field.
printf '[[trigger]]\nid = "x"\nrule = "growth"\nratio = "double"\n' > "$WORK/bad.toml"
if out=$("$ATALAYA" watch --triggers "$WORK/bad.toml" 2>&1); then out="accepted"; fi
expect_contains "a bad trigger file names line and field" "bad.toml:4" "$out"
expect_contains "a bad trigger file names the field" "ratio" "$out"
finish

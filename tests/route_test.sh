# The route command on the real corridor files: Haitians through the Darién,
# Mexico and the U.S. southwest border in 2021 (Honduras has no real data).
source "$(dirname "$0")/lib.sh"

ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
ingest_mapped mx-upm-irregular corridor/mx-irregular-events-by-nationality.csv
ingest_mapped us-cbp-swb-nat corridor/us-sw-border-encounters-by-nationality.csv
ingest_mapped unhcr-asylum-applications unhcr/asylum-applications.csv

# Run from elsewhere: the default route file is found under $ATALAYA_ROOT.
cd "$WORK"
export ATALAYA_ROOT=$ROOT
out=$("$ATALAYA" route --citizenship HTI --from 2021-01 --to 2021-12)

# The side-by-side table: columns are separated by two or more spaces.
# column MONTH N: the Nth column of that month's row.
column() { awk -F'  +' -v m="$1" -v n="$2" '$1 == m { print $n }' <<<"$out"; }
expect_eq "table header" "month|Darién|Honduras|Mexico|U.S. southwest border" \
  "$(sed -n 3p <<<"$out" | awk -F'  +' '{ print $1 "|" $2 "|" $3 "|" $4 "|" $5 }')"
expect_eq "Darién HTI 2021-08" "17,279" "$(column 2021-08 2)"
expect_eq "U.S. HTI 2021-09 (Del Río)" "17,638" "$(column 2021-09 5)"
expect_eq "Mexico HTI 2021-09" "9,161" "$(column 2021-09 4)"
expect_eq "Honduras has no real data" "no data" "$(column 2021-09 3)"
expect_eq "twelve months shown" 12 "$(grep -c '^2021-' <<<"$out")"

# The Darién -> U.S. lag: 0 to 3 months, inside its own interval.
line=$(grep '^  Darién → U.S. southwest border: ' <<<"$out" || true)
expect_contains "a Darién -> U.S. lag line" "Darién → U.S. southwest border: " "$line"
months=$(sed -E 's/.*: ([0-9]+) months? \(([0-9]+)–([0-9]+)\).*/\1 \2 \3/' <<<"$line")
read -r lag low high <<<"$months"
checks=$((checks + 1))
if ! [[ "$lag" =~ ^[0-9]+$ ]] || [ "$lag" -gt 3 ] || [ "$low" -gt "$lag" ] || [ "$high" -lt "$lag" ]; then
  echo "FAIL: Darién -> U.S. lag within 0..3 and its interval: [$line]" >&2
  failures=$((failures + 1))
fi
expect_contains "Honduras bridged" "Honduras: no data" "$out"

# Roles in the Darién surge of 2021 (found by the twice-the-median rule).
expect_contains "event window" "Roles, 2021-01..2021-10 (surge at Darién" "$out"
expect_contains "Haiti sending" "Haiti (HTI): sending —" "$out"
expect_contains "Panama transit" "Panama (PAN): transit —" "$out"
expect_contains "USA receiving" "United States of America (USA): receiving —" "$out"
# 51,827 Haitian asylum applications in Mexico in 2021 against 19,210 events.
expect_contains "Mexico also receiving" "Mexico (MEX): transit-and-receiving — 51,827 asylum applications in 2021" "$out"

# By name, the same answer.
expect_eq "citizenship by name" "$out" "$("$ATALAYA" route --citizenship Haiti --from 2021-01 --to 2021-12)"

# JSON: the same numbers, machine-readable.
json=$("$ATALAYA" route --citizenship HTI --from 2021-01 --to 2021-12 --window 2021-06..2021-09 --format json)
expect_eq "json" "17279 17638 None sending transit transit receiving 2021-06 2021-09" "$(python3 -c '
import json, sys
j = json.load(sys.stdin)
m = {r["month"]: r for r in j["months"]}
roles = {r["country"]: r["role"] for r in j["roles"]}
print(m["2021-08"]["darien"], m["2021-09"]["us-southwest-border"], m["2021-09"]["honduras"],
      roles["HTI"], roles["PAN"], roles["HND"], roles["USA"], j["window"]["from"], j["window"]["to"])' <<<"$json")"
expect_eq "json cumulative lag to the U.S. within 0..3" "True" "$(python3 -c '
import json, sys
c = json.load(sys.stdin)["cumulative"][-1]
print(c["checkpoint"] == "us-southwest-border" and 0 <= c["low"] <= c["months"] <= min(3, c["high"]))' <<<"$json")"

# Replay: lags from the months up to a date only.
expect_contains "through" "Transit lags (months up to 2021-06):" \
  "$("$ATALAYA" route --citizenship HTI --from 2021-01 --to 2021-03 --through 2021-06)"

# Bad input: named, and nothing printed as if it had worked.
err=$("$ATALAYA" route --citizenship Hayti --from 2021-01 --to 2021-12 2>&1 >/dev/null || true)
expect_contains "unknown citizenship" "--citizenship: unknown country 'Hayti'; nearest known: Haiti (HTI)" "$err"
err=$("$ATALAYA" route --citizenship HTI --window 2021-09 2>&1 >/dev/null || true)
expect_contains "bad window" "--window: '2021-09' is not FROM..TO" "$err"
sed 's/reporter = "MEX"/reporter = "Mexcio"/' "$ROOT/routes/darien-north.toml" > "$WORK/bad-route.toml"
err=$("$ATALAYA" route --citizenship HTI --route "$WORK/bad-route.toml" 2>&1 >/dev/null || true)
bad_line=$(grep -n 'reporter = "Mexcio"' "$WORK/bad-route.toml" | cut -d: -f1)
expect_contains "bad route file names file, line and field" \
  "$WORK/bad-route.toml:$bad_line: column 'checkpoint[3].reporter': value \"Mexcio\"" "$err"
finish

# Bad input is refused with the file, line, column and value named, and the
# store is left exactly as it was.
source "$(dirname "$0")/lib.sh"

darien="$DATA/corridor/pa-darien-transit-by-nationality.csv"
map="$ROOT/sources/pa-snm-darien.toml"
"$ATALAYA" ingest "$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv" >/dev/null
rows=$(rows_in_store)

# A bad count on line 101.
awk 'NR == 101 { sub(/,[0-9]+$/, ",12x4") } { print }' "$darien" > "$WORK/bad-count.csv"
set +e
err=$("$ATALAYA" ingest --mapping "$map" "$WORK/bad-count.csv" 2>&1 >/dev/null)
code=$?
set -e
expect_eq "bad count exits non-zero" 1 "$code"
expect_contains "bad count names file, line, column and value" "bad-count.csv:101: column 'n': value \"12x4\": expected a whole number" "$err"
expect_eq "store unchanged after bad count" "$rows" "$(rows_in_store)"
expect_eq "no source created" 0 "$(sqlite3 "$ATALAYA_DB" "SELECT count(*) FROM source WHERE code='pa-snm-darien'")"

# A negative count.
awk 'NR == 7 { sub(/,[0-9]+$/, ",-5") } { print }' "$darien" > "$WORK/negative.csv"
err=$("$ATALAYA" ingest --mapping "$map" "$WORK/negative.csv" 2>&1 >/dev/null || true)
expect_contains "negative count refused" "negative.csv:7: column 'n': value \"-5\": expected a count of zero or more" "$err"

# Unknown country names: all reported together, each with the nearest names.
{ head -1 "$darien"; echo '"2021-01","2021-Q1","Venezuala",10'; echo '"2021-02","2021-Q1","Atlantis",3';
  echo '"2021-03","2021-Q1","Venezuala",12'; sed -n 2,6p "$darien"; } > "$WORK/names.csv"
err=$("$ATALAYA" ingest --mapping "$map" "$WORK/names.csv" 2>&1 >/dev/null || true)
expect_contains "first unknown name, nearest known" "names.csv:2: column 'nat': value \"Venezuala\": expected a known country name or code; nearest known: Venezuela" "$err"
expect_contains "repeat count" "(on 2 lines)" "$err"
expect_contains "second unknown name in the same report" "names.csv:3: column 'nat': value \"Atlantis\"" "$err"
expect_eq "store unchanged after unknown names" "$rows" "$(rows_in_store)"

# --skip-invalid stores the valid rows and reports the skipped ones.
out=$("$ATALAYA" ingest --skip-invalid --mapping "$map" "$WORK/names.csv" 2>&1)
expect_contains "skip-invalid reports" "skipped 3 invalid rows" "$out"
expect_eq "skip-invalid stores the 5 valid rows" "$((rows + 5))" "$(rows_in_store)"

# A broken mapping names the mapping file, line and field.
sed 's/event = "irregular_transit"/event = "irregular transits"/' "$map" > "$WORK/broken.toml"
err=$("$ATALAYA" ingest --mapping "$WORK/broken.toml" "$darien" 2>&1 >/dev/null || true)
expect_contains "broken mapping" "broken.toml:$(grep -n '^event' "$WORK/broken.toml" | cut -d: -f1): column 'source.event': value \"irregular transits\"" "$err"

# A file nobody recognises, without a mapping.
err=$("$ATALAYA" ingest "$darien" 2>&1 >/dev/null || true)
expect_contains "unrecognised header" "pa-darien-transit-by-nationality.csv:1:" "$err"
expect_contains "unrecognised header hint" "--mapping" "$err"

# kill -9 in the middle of a large ingest: the store opens cleanly and holds
# all of that file or none of it.
python3 - "$WORK/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w", newline="") as f:
    f.write("Fiscal Year,Month (abbv),Land Border Region,Area of Responsibility,AOR (Abbv),Demographic,Citizenship,Title of Authority,Encounter Type,Encounter Count\r\n")
    months = ["OCT","NOV","DEC","JAN","FEB","MAR","APR","MAY","JUN","JUL","AUG","SEP"]
    demog = ["Single Adults","FMUA","UAC","Accompanied Minors"]
    cit = ["MEXICO","HAITI","VENEZUELA","CUBA","COLOMBIA","ECUADOR","INDIA","BRAZIL","PERU","TURKEY"]
    n = 0
    for fy in range(1960, 2026):
        for m in months:
            for a in range(60):
                for d in demog:
                    for c in cit:
                        n += 1
                        f.write(f"{fy},{m},Southwest Land Border,Area {a},A{a},{d},{c},Title 8,Apprehensions,{n % 97 + 1}\r\n")
PY
before=$(rows_in_store)
"$ATALAYA" ingest "$WORK/big.csv" >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
expect_eq "store passes integrity check after kill -9" ok "$(sqlite3 "$ATALAYA_DB" 'PRAGMA integrity_check')"
after=$(rows_in_store)
total=$(( $(wc -l < "$WORK/big.csv") - 1 ))
checks=$((checks + 1))
if [ "$after" != "$before" ] && [ "$after" != "$((before + total))" ]; then
  echo "FAIL: kill -9 left a partial file: $before before, $after after, file has $total rows" >&2
  failures=$((failures + 1))
fi
"$ATALAYA" sources >/dev/null
expect_eq "store still usable" 0 "$?"
# A library error names the parameter; the command line names its flag
# (one mapping, src/cli/common.cpp), for every command.
err=$("$ATALAYA" forecast --source us-cbp-swb-nat --citizenship HTI --max-lag -1 2>&1 >/dev/null || true)
expect_eq "forecast names --max-lag" "atalaya: --max-lag: must be 0 or more" "$err"
err=$("$ATALAYA" backtest --source us-cbp-swb-nat --citizenship HTI --models leading 2>&1 >/dev/null || true)
expect_eq "a parameter inside the message is a flag too" \
  "atalaya: --models: 'leading' needs --leading SOURCE[:LAG] to say which upstream series" "$err"
err=$("$ATALAYA" series --source nope 2>&1 >/dev/null || true)
expect_contains "series names --source" "atalaya: --source: no source 'nope' in the store" "$err"
err=$("$ATALAYA" replay --from 2022-01 --to 2022-02 --trigger nope 2>&1 >/dev/null || true)
expect_contains "replay names --trigger" "atalaya: --trigger: no trigger 'nope' in" "$err"

finish

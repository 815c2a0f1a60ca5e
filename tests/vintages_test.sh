# Revisions never overwrite: an identical file adds nothing, a corrected file
# adds a vintage, `series` shows the new value and `series --vintage` the old.
source "$(dirname "$0")/lib.sh"

cbp="$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv"
"$ATALAYA" ingest "$cbp" >/dev/null
rows=$(rows_in_store)
again=$("$ATALAYA" ingest "$cbp")
expect_contains "same file says so" "identical to vintage 1" "$again"
expect_eq "same file adds no rows" "$rows" "$(rows_in_store)"
expect_eq "still one vintage" 1 "$(sql_query 'SELECT count(*) FROM vintage')"

# A corrected copy: Mexico, single adults, Title 8 apprehensions by the Border
# Patrol in OCT of FY2022 (October 2021) revised upwards by 1,000.
line=$(grep -n '^2022,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,' "$cbp" | cut -d: -f1)
old=$(sed -n "${line}p" "$cbp" | tr -d '\r' | awk -F, '{print $NF}')
new=$((old + 1000))
awk -v l="$line" -v n="$new" 'BEGIN{FS=OFS=","} NR==l {sub(/[0-9]+\r?$/, n "\r")} {print}' "$cbp" > "$WORK/corrected.csv"
expect_eq "corrected copy differs in one line" 1 "$(diff "$cbp" "$WORK/corrected.csv" | grep -c '^<')"
out=$("$ATALAYA" ingest "$WORK/corrected.csv")
expect_contains "corrected file adds vintage 2" "stored as vintage 2: 1 observations written (1 revised)" "$out"
expect_eq "one more stored row" "$((rows + 1))" "$(rows_in_store)"

sel=(--source us-cbp-swb --citizenship MEX --demographic single_adult --authority "Title 8" --event apprehension
     --location "U.S. Border Patrol" --from 2021-10 --to 2021-10 --format csv)
expect_eq "latest shows the revised value" "$new" "$("$ATALAYA" series "${sel[@]}" | value_at 2021-10)"
expect_eq "vintage 1 shows the original" "$old" "$("$ATALAYA" series "${sel[@]}" --vintage 1 | value_at 2021-10)"
fy1=$("$ATALAYA" series --source us-cbp-swb --freq FY --vintage 1 --format csv | value_at FY2022)
fy2=$("$ATALAYA" series --source us-cbp-swb --freq FY --format csv | value_at FY2022)
expect_eq "FY2022 as first published" 2378944 "$fy1"
expect_eq "FY2022 as revised" $((2378944 + 1000)) "$fy2"

listing=$("$ATALAYA" sources --vintages us-cbp-swb)
expect_contains "vintage list shows both files" "corrected.csv" "$listing"
expect_eq "two vintages listed" 2 "$(grep -c '^vintage' <<<"$listing")"

# The correction is withdrawn: CBP publishes the original file again. It is
# not "the same file as the latest", so it becomes vintage 3 and the latest
# view shows the original value once more.
out=$("$ATALAYA" ingest "$cbp")
expect_contains "re-published original is vintage 3" "stored as vintage 3: 1 observations written (1 revised)" "$out"
expect_eq "latest is the original again" "$old" "$("$ATALAYA" series "${sel[@]}" | value_at 2021-10)"
expect_eq "vintage 2 still holds the correction" "$new" "$("$ATALAYA" series "${sel[@]}" --vintage 2 | value_at 2021-10)"

# A corrected mapping re-reads the same data file: Darién through a mapping
# that (wrongly) calls the crossings events, then through the right one.
darien="$DATA/corridor/pa-darien-transit-by-nationality.csv"
sed 's/unit = "persons"/unit = "events"/' "$ROOT/sources/pa-snm-darien.toml" > "$WORK/darien-wrong-unit.toml"
"$ATALAYA" ingest --mapping "$WORK/darien-wrong-unit.toml" "$darien" >/dev/null
# Every value moves to new series, so all 2,387 would be withdrawn: more
# than the 5% a release may withdraw by accident. Refused, then forced.
rows=$(rows_in_store)
err=$("$ATALAYA" ingest --mapping "$ROOT/sources/pa-snm-darien.toml" "$darien" 2>&1 >/dev/null || true)
expect_contains "re-reading under a new key is refused" "would withdraw 2,387 of the 2,387 values pa-snm-darien holds (100%)" "$err"
expect_eq "refusal stores nothing" "$rows" "$(rows_in_store)"
out=$("$ATALAYA" ingest --replace --mapping "$ROOT/sources/pa-snm-darien.toml" "$darien")
expect_contains "same file, new mapping, --replace: a new vintage" "stored as vintage 2" "$out"
# The series read through the wrong mapping (unit events) are withdrawn, so
# nothing is counted twice.
expect_contains "wrong-unit series withdrawn" "absent from this release withdrawn" "$out"
pa=$("$ATALAYA" series --source pa-snm-darien --freq A --format csv)
expect_eq "Darién 2023 counted once" 520085 "$(value_at 2023 <<<"$pa")"
expect_eq "Darién 2023 under the wrong mapping, vintage 1" 520085 \
  "$("$ATALAYA" series --source pa-snm-darien --freq A --vintage 1 --format csv | value_at 2023)"
out=$("$ATALAYA" ingest --mapping "$ROOT/sources/pa-snm-darien.toml" "$darien")
expect_contains "same file, same mapping: nothing" "identical to vintage 2" "$out"
finish

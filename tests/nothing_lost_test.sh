# Nothing lost by accident: on the real Darién file, a header-only copy, a
# copy cut off mid-line and a copy cut at a line end are refused and leave
# the store as it was; --replace withdraws on purpose, as a vintage that can
# be read back; absurd counts are refused naming line and column.
source "$(dirname "$0")/lib.sh"

darien="$DATA/corridor/pa-darien-transit-by-nationality.csv"
map="$ROOT/sources/pa-snm-darien.toml"
"$ATALAYA" ingest --mapping "$map" "$darien" >/dev/null
rows=$(rows_in_store)
expect_eq "Darién stored" 2387 "$rows"
obs() { "$ATALAYA" sources | awk '$1 == "pa-snm-darien" { print $4 }'; }
held=$(obs)
expect_eq "sources shows the observations" "2,387" "$held"

# run NAME ARGS...: runs atalaya, keeping its exit code, stdout and stderr.
run() {
  set +e
  "$ATALAYA" "$@" >"$WORK/out" 2>"$WORK/err"
  code=$?
  set -e
  out=$(cat "$WORK/out")
  err=$(cat "$WORK/err")
}

# A header-only copy (an export that failed after the header).
head -1 "$darien" > "$WORK/header-only.csv"
run ingest --mapping "$map" "$WORK/header-only.csv"
expect_eq "header-only exits 1" 1 "$code"
expect_contains "header-only names the file" \
  "header-only.csv: expected data rows under the header; the file holds a header only (a failed export or download?). To withdraw everything pa-snm-darien holds on purpose, ingest it with --replace" "$err"
expect_contains "header-only: nothing stored" "header-only.csv: nothing was stored" "$err"
expect_eq "store unchanged after header-only" "$rows" "$(rows_in_store)"
expect_eq "sources unchanged after header-only" "$held" "$(obs)"
run ingest --dry-run --mapping "$map" "$WORK/header-only.csv"
expect_eq "header-only refused in a dry run too" 1 "$code"

# An empty file (0 bytes).
: > "$WORK/empty.csv"
run ingest --mapping "$map" "$WORK/empty.csv"
expect_eq "empty exits 1" 1 "$code"
expect_contains "empty names the file" "empty.csv: expected a header and data rows; the file is empty (0 bytes)" "$err"
run ingest "$WORK/empty.csv"
expect_contains "empty refused without a mapping too" "empty.csv: expected a header and data rows" "$err"

# A copy cut off inside a number: Haitians in September 2021, 17609, cut to 176.
{ head -807 "$darien"; sed -n 808p "$darien" | head -c 29; } > "$WORK/cut.csv"
expect_eq "cut copy ends in 176" '"2021-09","2021-Q3","HTI",176' "$(tail -1 "$WORK/cut.csv")"
run ingest --mapping "$map" "$WORK/cut.csv"
expect_eq "cut exits 1" 1 "$code"
expect_contains "cut names file, last line and its text" \
  "cut.csv:808: value \"\"2021-09\",\"2021-Q3\",\"HTI\",176\": expected a line break at the end of the file: line 808 stops without one, so the file may have been cut off" "$err"
expect_eq "store unchanged after cut" "$rows" "$(rows_in_store)"
run ingest --replace --mapping "$map" "$WORK/cut.csv"
expect_eq "--replace does not accept a cut file" 1 "$code"
expect_eq "store unchanged after cut with --replace" "$rows" "$(rows_in_store)"

# The CBP adapter (CRLF) cut inside its last count: 504 read as 50.
cbp="$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv"
head -c $(( $(wc -c < "$cbp") - 3 )) "$cbp" > "$WORK/cbp-cut.csv"
run ingest "$WORK/cbp-cut.csv"
expect_eq "CBP cut exits 1" 1 "$code"
expect_contains "CBP cut names the last line" "cbp-cut.csv:1937: value \"2025 (FYTD)" "$err"
expect_contains "CBP cut: the cut count" "Apprehensions,50\": expected a line break at the end of the file" "$err"

# A copy cut at a line end looks whole: it is refused because it would
# withdraw far more than 5% of what the source holds.
head -1000 "$darien" > "$WORK/first-999.csv"
run ingest --mapping "$map" "$WORK/first-999.csv"
expect_eq "large withdrawal exits 1" 1 "$code"
expect_contains "large withdrawal: file, counts, --replace" \
  "first-999.csv: would withdraw 1,388 of the 2,387 values pa-snm-darien holds (58.1%), more than its limit of 5% (max_withdrawal in the mapping's [source]); nothing was stored. If this file really replaces them, ingest it with --replace" "$err"
expect_eq "store unchanged after large withdrawal" "$rows" "$(rows_in_store)"
expect_eq "no vintage added" 1 "$(sql_query 'SELECT count(*) FROM vintage')"
expect_eq "no series added" 96 "$(sql_query 'SELECT count(*) FROM series')"

# --replace with the header-only file: everything withdrawn, on purpose, as
# vintage 2; vintage 1 still reads as it was.
run ingest --replace --mapping "$map" "$WORK/header-only.csv"
expect_eq "--replace header-only exits 0" 0 "$code"
expect_contains "--replace withdraws everything" \
  "stored as vintage 2: 0 observations written; 2,387 observations held before and absent from this release withdrawn" "$out"
expect_eq "withdrawals stored as rows" $((rows + 2387)) "$(rows_in_store)"
expect_eq "latest view is empty" "" "$("$ATALAYA" series --source pa-snm-darien --freq A --format csv | tail -n +2)"
expect_eq "vintage 1 reads back: 2023" 520085 \
  "$("$ATALAYA" series --source pa-snm-darien --freq A --vintage 1 --format csv | value_at 2023)"
expect_eq "vintage 1 reads back: HTI 2021-09" 17609 \
  "$("$ATALAYA" series --source pa-snm-darien --citizenship HTI --vintage 1 --format csv | value_at 2021-09)"
listing=$("$ATALAYA" sources --vintages pa-snm-darien)
expect_eq "two vintages listed" 2 "$(grep -c '^vintage' <<<"$listing")"
expect_contains "vintage 2 is the header-only file" "header-only.csv" "$listing"
# Publishing the file again restores every value (nothing to withdraw).
run ingest --mapping "$map" "$darien"
expect_contains "original again is vintage 3" "stored as vintage 3: 2,387 observations written" "$out"
expect_eq "2023 restored" 520085 "$("$ATALAYA" series --source pa-snm-darien --freq A --format csv | value_at 2023)"

# A mapping may declare a higher limit: max_withdrawal = 0.7 lets the
# 999-row copy withdraw its 58.1%.
sed 's/^status = "final"$/status = "final"\nmax_withdrawal = 0.7/' "$map" > "$WORK/darien-70.toml"
run ingest --mapping "$WORK/darien-70.toml" "$WORK/first-999.csv"
expect_eq "declared limit accepts" 0 "$code"
expect_contains "declared limit withdraws" "1,388 observations held before and absent from this release withdrawn" "$out"
run ingest --replace --skip-invalid --mapping "$map" "$darien"
expect_contains "--replace and --skip-invalid exclude each other" "excludes" "$err"

# Absurd counts: one that overflows 64 bits, one past the plausible bound.
rows=$(rows_in_store)
{ head -1 "$darien"; echo '"2024-01","2024-Q1","VEN",99999999999999999999';
  echo '"2024-02","2024-Q1","VEN",1000000000000'; echo '"2024-03","2024-Q1","VEN",12'; } > "$WORK/big.csv"
run ingest --mapping "$map" "$WORK/big.csv"
expect_eq "absurd counts exit 1" 1 "$code"
expect_contains "overflow names line and column" \
  "big.csv:2: column 'n': value \"99999999999999999999\": expected a count of at most 1,000,000,000 (this one does not even fit in a 64-bit integer)" "$err"
expect_contains "bound names line and column" \
  "big.csv:3: column 'n': value \"1000000000000\": expected a count of at most 1,000,000,000 (larger is not a plausible count" "$err"
expect_eq "store unchanged after absurd counts" "$rows" "$(rows_in_store)"
sed 's/^status = "final"$/status = "final"\nmax_count = 2000000000000/' "$map" > "$WORK/darien-big.toml"
run ingest --dry-run --mapping "$WORK/darien-big.toml" "$WORK/big.csv"
expect_contains "a declared max_count accepts line 3" "big.csv: 1 problem; nothing was stored" "$err"
expect_contains "and still refuses the overflow" "big.csv:2: column 'n'" "$err"
finish

# SDMX-CSV out and back in: a fully disaggregated export of the Darién series
# read into a second store gives the same figures, status included.
source "$(dirname "$0")/lib.sh"

ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
"$ATALAYA" ingest "$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv" >/dev/null
all=source,reporter,location,citizenship,event,demographic,authority
for src in pa-snm-darien us-cbp-swb; do
  "$ATALAYA" series --source "$src" --by "$all" --format sdmx-csv > "$WORK/$src.sdmx.csv"
  out=$("$ATALAYA" --db "$WORK/copy.db" ingest "$WORK/$src.sdmx.csv")
  expect_contains "$src export read back" "$src, " "$out"
done
expect_contains "SDMX-CSV 2.0 header" "STRUCTURE,STRUCTURE_ID,ACTION," "$(head -1 "$WORK/pa-snm-darien.sdmx.csv")"
expect_contains "CBP's FY2025 rows are provisional in the export" ",P" "$(grep ',2025-08,' "$WORK/us-cbp-swb.sdmx.csv" | head -1)"

for q in "--source pa-snm-darien --freq A" "--source pa-snm-darien --citizenship HTI --from 2021-06 --to 2021-11" \
         "--source us-cbp-swb --freq FY --format json" "--source us-cbp-swb --by citizenship,demographic --freq Q"; do
  # shellcheck disable=SC2086
  expect_eq "same answer from the copy: $q" "$("$ATALAYA" series $q)" "$("$ATALAYA" --db "$WORK/copy.db" series $q)"
done
finish

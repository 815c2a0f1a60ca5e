# Every total listed in ../shared/data/README.md, reproduced through the CLI
# from the real published files.
source "$(dirname "$0")/lib.sh"

"$ATALAYA" ingest "$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv" >/dev/null
ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
ingest_mapped mx-upm-irregular corridor/mx-irregular-events-by-nationality.csv
ingest_mapped mx-upm-returns corridor/mx-returns-by-nationality.csv
ingest_mapped us-cbp-swb-nat corridor/us-sw-border-encounters-by-nationality.csv
ingest_mapped unhcr-asylum-applications unhcr/asylum-applications.csv
ingest_mapped idmc-idp-stock-conflict hxl/idmc-internal-displacement.csv

# CBP southwest land border, fiscal years (FY2025 runs to August 2025).
fy=$("$ATALAYA" series --source us-cbp-swb --freq FY --format csv)
expect_eq "CBP FY2022" 2378944 "$(value_at FY2022 <<<"$fy")"
expect_eq "CBP FY2023" 2475669 "$(value_at FY2023 <<<"$fy")"
expect_eq "CBP FY2024" 2135005 "$(value_at FY2024 <<<"$fy")"
expect_eq "CBP FY2025 (Oct 2024 - Aug 2025)" 432059 "$(value_at FY2025 <<<"$fy")"
# October of FY2023 is October 2022.
expect_eq "CBP first month" "2021-10" "$("$ATALAYA" series --source us-cbp-swb --format csv | sed -n 2p | cut -d, -f1)"

# The corridor file's fiscal-year totals agree with CBP's for FY2022-FY2024.
fyn=$("$ATALAYA" series --source us-cbp-swb-nat --freq FY --format csv)
expect_eq "corridor US FY2022" 2378944 "$(value_at FY2022 <<<"$fyn")"
expect_eq "corridor US FY2023" 2475669 "$(value_at FY2023 <<<"$fyn")"
expect_eq "corridor US FY2024" 2135005 "$(value_at FY2024 <<<"$fyn")"

# Darién yearly totals (2010-2019 are stored as annual totals).
pa=$("$ATALAYA" series --source pa-snm-darien --freq A --format csv)
expect_eq "Darién 2021" 133726 "$(value_at 2021 <<<"$pa")"
expect_eq "Darién 2022" 248284 "$(value_at 2022 <<<"$pa")"
expect_eq "Darién 2023 (Panama's official figure)" 520085 "$(value_at 2023 <<<"$pa")"
expect_eq "Darién 2024" 302203 "$(value_at 2024 <<<"$pa")"

# Haitians through the Darién in 2021, month by month; by name and by code.
hti=$("$ATALAYA" series --source pa-snm-darien --citizenship Haiti --from 2021-06 --to 2021-11 --format csv)
expect_eq "Darién HTI 2021-06" 5293 "$(value_at 2021-06 <<<"$hti")"
expect_eq "Darién HTI 2021-07" 13141 "$(value_at 2021-07 <<<"$hti")"
expect_eq "Darién HTI 2021-08" 17279 "$(value_at 2021-08 <<<"$hti")"
expect_eq "Darién HTI 2021-09" 17609 "$(value_at 2021-09 <<<"$hti")"
expect_eq "Darién HTI 2021-10" 17114 "$(value_at 2021-10 <<<"$hti")"
expect_eq "Darién HTI 2021-11" 3111 "$(value_at 2021-11 <<<"$hti")"
expect_eq "Darién HTI by code = by name" "$hti" \
  "$("$ATALAYA" series --source pa-snm-darien --citizenship HTI --from 2021-06 --to 2021-11 --format csv)"

# Monthly output leaves the 2010-2019 annual totals out, and says so.
note=$("$ATALAYA" series --source pa-snm-darien --freq M --format csv 2>&1 >/dev/null)
expect_contains "annual totals not split into months" "coarser than the frequency" "$note"

# Mexico, irregular events by year.
mx=$("$ATALAYA" series --source mx-upm-irregular --freq A --format csv)
expect_eq "Mexico 2021" 309692 "$(value_at 2021 <<<"$mx")"
expect_eq "Mexico 2022" 441409 "$(value_at 2022 <<<"$mx")"
expect_eq "Mexico 2023" 778907 "$(value_at 2023 <<<"$mx")"
expect_eq "Mexico 2024" 1231320 "$(value_at 2024 <<<"$mx")"

# U.S. encounters of Haitians in 2021 (the Del Río event in September).
us=$("$ATALAYA" series --source us-cbp-swb-nat --citizenship HTI --event encounter --from 2021-06 --to 2021-10 --format csv)
expect_eq "US HTI 2021-06" 5904 "$(value_at 2021-06 <<<"$us")"
expect_eq "US HTI 2021-07" 5521 "$(value_at 2021-07 <<<"$us")"
expect_eq "US HTI 2021-08" 7569 "$(value_at 2021-08 <<<"$us")"
expect_eq "US HTI 2021-09" 17638 "$(value_at 2021-09 <<<"$us")"
expect_eq "US HTI 2021-10" 908 "$(value_at 2021-10 <<<"$us")"

# UNHCR: asylum applications lodged in Mexico.
un=$("$ATALAYA" series --source unhcr-asylum-applications --reporter Mexico --format csv)
expect_eq "UNHCR Mexico 2021" 131418 "$(value_at 2021 <<<"$un")"
expect_eq "UNHCR Mexico 2022" 118735 "$(value_at 2022 <<<"$un")"
expect_eq "UNHCR Mexico 2023" 140979 "$(value_at 2023 <<<"$un")"

# HXL: columns chosen by tag; Colombia's conflict IDP stock exists for 2019.
idp=$("$ATALAYA" series --source idmc-idp-stock-conflict --reporter COL --format csv)
expect_contains "IDMC Colombia rows" "2019," "$idp"

# Grouping: the CSV header is the --by dimensions, then period, value, unit and status.
by=$("$ATALAYA" series --source us-cbp-swb --by citizenship --freq FY --format csv | head -1)
expect_eq "CSV header with --by" "citizenship,citizenship_name,period,value,unit,status" "$by"
other=$("$ATALAYA" series --source us-cbp-swb --citizenship Other --freq FY --format csv | sed -n 2p)
expect_contains "CBP 'Other' is the declared group OTH" "FY2022," "$other"

sources=$("$ATALAYA" sources)
for s in us-cbp-swb pa-snm-darien mx-upm-irregular mx-upm-returns us-cbp-swb-nat unhcr-asylum-applications; do
  expect_contains "sources lists $s" "$s" "$sources"
done
finish

# UNHCR population statistics (unhcr/population.csv) through the shipped
# mapping sources/unhcr-population.toml: nine count columns melted into the
# event dimension, exponent-notation counts, and the published figures for
# Venezuelans in Colombia.
source "$(dirname "$0")/lib.sh"

out=$("$ATALAYA" ingest --mapping "$ROOT/sources/unhcr-population.toml" "$DATA/unhcr/population.csv")
expect_contains "ingest line" "unhcr-population, 138,893 rows read" "$out"

q() {  # EVENT: Venezuelans in Colombia, by year
  "$ATALAYA" series --source unhcr-population --citizenship VEN --reporter COL --event "$1" --format csv
}
oip=$(q other_in_need_of_protection)
expect_eq "VEN in COL, other in need of protection, 2021" 1842390 "$(value_at 2021 <<<"$oip")"
expect_eq "VEN in COL, other in need of protection, 2022" 2453862 "$(value_at 2022 <<<"$oip")"
expect_eq "VEN in COL, other in need of protection, 2023" 2851160 "$(value_at 2023 <<<"$oip")"
ref=$(q refugee)
expect_eq "VEN in COL, refugees, 2021" 1297 "$(value_at 2021 <<<"$ref")"
expect_eq "VEN in COL, refugees, 2022" 1381 "$(value_at 2022 <<<"$ref")"
asy=$(q asylum_seeker)
expect_eq "VEN in COL, asylum seekers, 2021" 28785 "$(value_at 2021 <<<"$asy")"
# By name as well as by code.
expect_eq "by name = by code" "$oip" \
  "$("$ATALAYA" series --source unhcr-population --citizenship Venezuela --reporter Colombia \
     --event other_in_need_of_protection --format csv)"

# A stock rolls up by its last value, never by a sum: the 2021-2023
# "roll-up" of the other-in-need-of-protection stock is its 2023 figure.
tot=$("$ATALAYA" series --source unhcr-population --citizenship VEN --reporter COL --event other_in_need_of_protection \
  --from 2021 --to 2023 --total --format csv)
expect_eq "2021..2023 of a stock: the last value" "period,value,unit,status
2021..2023,2851160,persons,final" "$tot"
# Flows and stocks of one source are never added: without --event they are
# shown apart, one row per measure.
both=$("$ATALAYA" series --source unhcr-population --citizenship VEN --reporter COL --from 2023 --to 2023 --format json)
expect_eq "flows and stocks apart" "flow stock" \
  "$(python3 -c 'import json,sys; print(" ".join(r["measure"] for r in json.load(sys.stdin)["rows"]))' <<<"$both")"

# Exponent notation: the file writes some round counts as 2e+05 or 5e+05
# (line 29: refugees of unknown origin in the United Kingdom, 1952).
uk=$("$ATALAYA" series --source unhcr-population --citizenship UNK --reporter GBR --event refugee --from 1952 --to 1952 --format csv)
expect_eq "2e+05 read as 200000" 200000 "$(value_at 1952 <<<"$uk")"
us=$("$ATALAYA" series --source unhcr-population --citizenship UNK --reporter USA --event refugee --from 1952 --to 1953 --format csv)
expect_eq "5e+05 read as 500000" 500000 "$(value_at 1953 <<<"$us")"

# Unknown and stateless origins are the declared groups UNK and XXA.
unk=$("$ATALAYA" series --source unhcr-population --citizenship UNK --reporter AUS --event refugee --from 1951 --to 1951 --format csv)
expect_eq "unknown origin in Australia, 1951" 180000 "$(value_at 1951 <<<"$unk")"
sta=$("$ATALAYA" series --source unhcr-population --citizenship Stateless --reporter ALB --by citizenship --event stateless --from 2023 --to 2023 --format csv)
expect_eq "stateless origin is XXA" "citizenship,citizenship_name,period,value,unit,status
XXA,Stateless,2023,2018,persons,final" "$sta"

# The counterpart dimension is a selectable dimension, empty here.
cp=$("$ATALAYA" series --source unhcr-population --citizenship VEN --reporter COL --event refugee --by counterpart --from 2021 --to 2021 --format csv)
expect_eq "counterpart column" "counterpart,counterpart_name,period,value,unit,status
,,2021,1297,persons,final" "$cp"

# Re-read through SDMX-CSV: the export carries COUNTERPART and reads back.
"$ATALAYA" series --source unhcr-population --citizenship VEN --reporter COL --by event,citizenship,reporter,counterpart \
  --format sdmx-csv >"$WORK/ven-col.sdmx.csv"
expect_contains "SDMX-CSV header" "CITIZENSHIP,COUNTERPART,EVENT" "$(head -1 "$WORK/ven-col.sdmx.csv")"
ATALAYA_DB=$WORK/back.db "$ATALAYA" ingest "$WORK/ven-col.sdmx.csv" >/dev/null
back=$(ATALAYA_DB=$WORK/back.db "$ATALAYA" series --citizenship VEN --reporter COL --event other_in_need_of_protection --format csv)
expect_eq "SDMX-CSV round trip, 2023" 2851160 "$(value_at 2023 <<<"$back")"

finish

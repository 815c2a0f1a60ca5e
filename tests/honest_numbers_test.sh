# Numbers that never mislead, on the real published files: no total over
# overlapping sources, a month no release covers is missing (never 0),
# annual totals stay annual, and a year of four published months says so.
source "$(dirname "$0")/lib.sh"

"$ATALAYA" ingest "$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv" >/dev/null
ingest_mapped us-cbp-swb-nat corridor/us-sw-border-encounters-by-nationality.csv
ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
ingest_mapped mx-upm-irregular corridor/mx-irregular-events-by-nationality.csv

# --- Two files count one border: a total over both is refused ----------------
if out=$("$ATALAYA" series --freq FY --from FY2023 --to FY2024 --source us-cbp-swb --source us-cbp-swb-nat --sum 2>&1); then
  expect_eq "total over both CBP sources refused" "refused" "accepted: $out"
else
  expect_contains "refusal names the overlap" "us-cbp-swb and us-cbp-swb-nat overlap" "$out"
  expect_contains "refusal says what to ask instead" "side by side" "$out"
fi
# Without --sum every source answers on its own rows, side by side, and
# each source's own total is unchanged.
side=$("$ATALAYA" series --freq FY --from FY2023 --to FY2024 --format csv 2>"$WORK/side.err")
expect_eq "side by side: header" "source,period,value,unit,status" "$(head -1 <<<"$side")"
expect_eq "us-cbp-swb FY2023 on its own row" "us-cbp-swb,FY2023,2475669" "$(grep '^us-cbp-swb,FY2023,' <<<"$side" | cut -d, -f1-3)"
expect_eq "us-cbp-swb-nat FY2023 on its own row" "us-cbp-swb-nat,FY2023,2475669" "$(grep '^us-cbp-swb-nat,FY2023,' <<<"$side" | cut -d, -f1-3)"
expect_contains "the note says why" "answered per source, side by side" "$(cat "$WORK/side.err")"
own=$("$ATALAYA" series --source us-cbp-swb --freq FY --format csv)
expect_eq "us-cbp-swb FY2023 unchanged" 2475669 "$(value_at FY2023 <<<"$own")"
# Persons through the Darién and events in Mexico are not one number either.
if out=$("$ATALAYA" series --citizenship HTI --freq A --from 2023 --to 2023 --source pa-snm-darien --source mx-upm-irregular --sum 2>&1); then
  expect_eq "persons + events refused" "refused" "accepted: $out"
else
  expect_contains "different units named" "pa-snm-darien counts persons" "$out"
fi

# --- The Darién's unpublished months are gaps --------------------------------
gap=$("$ATALAYA" series --source pa-snm-darien --from 2020-03 --to 2020-08 --format csv)
expect_eq "2020-03 published" "2020-03,1099,persons,final" "$(grep '^2020-03,' <<<"$gap")"
expect_eq "2020-04 missing, not 0" "2020-04,,persons,missing" "$(grep '^2020-04,' <<<"$gap")"
expect_eq "2020-05 missing, not 0" "2020-05,,persons,missing" "$(grep '^2020-05,' <<<"$gap")"
expect_eq "2020-07 missing, not 0" "2020-07,,persons,missing" "$(grep '^2020-07,' <<<"$gap")"
table=$("$ATALAYA" series --source pa-snm-darien --from 2020-04 --to 2020-04)
expect_contains "table shows a dash" "2020-04      –  missing" "$table"
json=$("$ATALAYA" series --source pa-snm-darien --from 2020-04 --to 2020-04 --format json)
expect_eq "JSON: null value, says missing" '{"frequency":"M","measure":"flow","missing":"missing","period":"2020-04","status":"final","unit":"persons","value":null}' \
  "$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["rows"][0], sort_keys=True, separators=(",", ":")))' <<<"$json")"
# A nationality absent from a published month crossed 0 there.
cub=$("$ATALAYA" series --source pa-snm-darien --citizenship CUB --from 2020-03 --to 2020-08 --format csv)
expect_eq "Cubans in a published month" "2020-06,12" "$(grep '^2020-06,' <<<"$cub" | cut -d, -f1-2)"
expect_eq "Cubans absent from a published month: 0" "2020-08,0" "$(grep '^2020-08,' <<<"$cub" | cut -d, -f1-2)"
expect_eq "Cubans in an unpublished month: missing" "2020-05," "$(grep '^2020-05,' <<<"$cub" | cut -d, -f1-2)"
# The route shows the gap as no data, not 0.
route=$("$ATALAYA" route --citizenship HTI --from 2020-01 --to 2020-08 --format json)
expect_eq "route: the Darién's 2020 months (null = no data)" "1141 1321 777 null null 111 null 0" \
  "$(python3 -c 'import json,sys; print(" ".join(json.dumps(m["darien"]) for m in json.load(sys.stdin)["months"]))' <<<"$route")"
table=$("$ATALAYA" route --citizenship HTI --from 2020-04 --to 2020-04)
expect_contains "route table: a dash for the gap" "–" "$table"

# --- Annual totals stay annual; a year of four months is partial ------------
native=$("$ATALAYA" series --source pa-snm-darien --to 2019 --format csv)
expect_eq "2010-2019 are annual observations" "2010 2011 2012 2013 2014 2015 2016 2017 2018 2019" \
  "$(cut -d, -f1 <<<"$native" | tail -n +2 | tr '\n' ' ' | sed 's/ $//')"
years=$("$ATALAYA" series --source pa-snm-darien --freq A --format csv)
expect_eq "2025 is partial: January-April" '2025,2904,persons,partial (2025-01..2025-04); final' \
  "$(grep '^2025,' <<<"$years")"
expect_eq "2024 is whole" "2024,302203,persons,final" "$(grep '^2024,' <<<"$years")"
expect_contains "2020 is partial: three months unpublished" "2020-01..2020-03, 2020-06, 2020-08..2020-12" \
  "$(grep '^2020,' <<<"$years")"
expect_eq "2019 is the stored annual total" "2019,22102,persons,final" "$(grep '^2019,' <<<"$years")"

finish

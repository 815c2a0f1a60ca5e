#!/usr/bin/env bash
# A focal point's upload, as a migration analyst would check it: Panama's
# Darién crossings are in the store; the migration service sends a corrected
# file in which one value changed (Haitians in August 2021). Uploaded as a dry
# run, the answer names that one revision with its old and new value and
# nothing changes; confirmed, the series shows the new value. A broken file
# is refused with its line and column, and nothing changes. The same
# preview from the command line: `atalaya ingest --dry-run`.
source "$(dirname "$0")/lib.sh"

darien="$DATA/corridor/pa-darien-transit-by-nationality.csv"
ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv

# The corrected file: the real one with Haitians in August 2021 changed from
# 17,279 to 17,300, every other byte as published.
awk 'BEGIN{FS=OFS=","} $1 == "\"2021-08\"" && $3 == "\"HTI\"" { $4 = 17300 } {print}' "$darien" > "$WORK/darien-corrected.csv"
expect_eq "the corrected file differs in one line" 1 "$(diff "$darien" "$WORK/darien-corrected.csv" | grep -c '^<')"
expect_contains "that line is Haitians in August 2021" '"2021-08","2021-Q3","HTI",17279' "$(diff "$darien" "$WORK/darien-corrected.csv")"
# The broken file: the same line with a letter in the count.
awk 'BEGIN{FS=OFS=","} $1 == "\"2021-08\"" && $3 == "\"HTI\"" { $4 = "17x79" } {print}' "$darien" > "$WORK/darien-broken.csv"
broken_line=$(grep -n '"2021-08","2021-Q3","HTI",17x79' "$WORK/darien-broken.csv" | cut -d: -f1)

# The command line's preview first: what an ingest of the corrected file would do.
out=$("$ATALAYA" ingest --dry-run --mapping "$ROOT/sources/pa-snm-darien.toml" "$WORK/darien-corrected.csv")
expect_contains "ingest --dry-run says what would change" "would be vintage 2: 0 new, 1 revised, 0 withdrawn (dry run: nothing stored)" "$out"
expect_contains "ingest --dry-run names the revision" "HTI, irregular_transit, PAN, Darién 2021-08: 17,279 -> 17,300 (+21), revising vintage 1" "$out"
expect_eq "ingest --dry-run stored nothing" 1 "$(sql_query 'SELECT count(*) FROM vintage')"

"$ATALAYA" serve --bind 127.0.0.1 --port 0 --routes "$ROOT/routes" --sources "$ROOT/sources" --access-log '' \
  >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; cleanup' EXIT
URL=$(server_url "$WORK/serve.log")
UPLOAD="$URL/api/v1/sources/pa-snm-darien/vintages"
haitians_in_august() {
  curl -fsS "$URL/api/v1/series?source=pa-snm-darien&citizenship=HTI&from=2021-08&to=2021-08" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0]["value"])'
}
expect_eq "the store holds the published value" 17279 "$(haitians_in_august)"

# 1. The dry run: the file as the body, named with ?filename=.
code=$(curl -sS -o "$WORK/preview.json" -w '%{http_code}' -H 'Content-Type: text/csv' \
  --data-binary @"$WORK/darien-corrected.csv" "$UPLOAD?dry_run=1&filename=darien-corrected.csv")
expect_eq "dry run answers 200" 200 "$code"
preview=$(python3 - "$WORK/preview.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print("outcome", j["outcome"], "dry_run", j["dry_run"], "vintage", j["vintage"])
print("rows new", j["rows_new"], "revised", j["rows_revised"], "withdrawn", j["rows_withdrawn"])
for r in j["largest_revisions"]:
    print("revised", r["series"]["citizenship"], r["period"], r["old_value"], "->", r["new_value"], "of vintage", r["revises_vintage"])
PY
)
expect_contains "the preview would make vintage 2" "outcome new_vintage dry_run True vintage 2" "$preview"
expect_contains "one value revised, none new or withdrawn" "rows new 0 revised 1 withdrawn 0" "$preview"
expect_contains "the revision is named with old and new value" "revised HTI 2021-08 17279 -> 17300 of vintage 1" "$preview"
expect_eq "exactly one revision listed" 1 "$(grep -c '^revised' <<<"$preview")"
expect_eq "the dry run changed nothing" 17279 "$(haitians_in_august)"
expect_eq "the dry run stored no vintage" 1 "$(sql_query 'SELECT count(*) FROM vintage')"

# 2. Confirmed, as a form with the file (curl -F): a new vintage.
code=$(curl -sS -o "$WORK/stored.json" -w '%{http_code}' -F "file=@$WORK/darien-corrected.csv;type=text/csv" "$UPLOAD")
expect_eq "the upload answers 201 Created" 201 "$code"
expect_contains "stored as vintage 2" '"vintage":2' "$(cat "$WORK/stored.json")"
expect_contains "the vintage records the file's name" '"file":"darien-corrected.csv"' "$(cat "$WORK/stored.json")"
expect_eq "the series shows the new value" 17300 "$(haitians_in_august)"
expect_eq "the published value is kept as vintage 1" 17279 \
  "$("$ATALAYA" series --source pa-snm-darien --citizenship HTI --from 2021-08 --to 2021-08 --vintage 1 --format csv | value_at 2021-08)"
rows=$(rows_in_store)

# 3. A broken file: refused with its line and column; nothing changes.
code=$(curl -sS -o "$WORK/refused.json" -w '%{http_code}' -H 'Content-Type: text/csv' \
  --data-binary @"$WORK/darien-broken.csv" "$UPLOAD?filename=darien-broken.csv")
expect_eq "the broken file answers 422" 422 "$code"
refusal=$(python3 - "$WORK/refused.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print(j["error"]["message"])
for p in j["problems"]:
    print("problem line", p["line"], "column", p["column"], "value", p["value"])
    print(p["message"])
PY
)
expect_contains "the refusal names line and column" "problem line $broken_line column n value 17x79" "$refusal"
expect_contains "as the command line says it" "darien-broken.csv:$broken_line: column 'n'" "$refusal"
expect_contains "and says nothing was stored" "nothing was stored" "$refusal"
expect_eq "the broken file changed nothing" 17300 "$(haitians_in_august)"
expect_eq "no row was added" "$rows" "$(rows_in_store)"
expect_eq "still two vintages" 2 "$(sql_query 'SELECT count(*) FROM vintage')"

# 4. Refusals a client can act on: an unknown source, the wrong body type.
code=$(curl -sS -o "$WORK/unknown.json" -w '%{http_code}' -H 'Content-Type: text/csv' \
  --data-binary @"$WORK/darien-corrected.csv" "$URL/api/v1/sources/pa-snm-darian/vintages")
expect_eq "an unknown source is 404" 404 "$code"
expect_contains "naming it" "no source 'pa-snm-darian'" "$(cat "$WORK/unknown.json")"
code=$(curl -sS -o /dev/null -w '%{http_code}' --data-binary @"$WORK/darien-corrected.csv" "$UPLOAD")
expect_eq "a form-encoded body (curl's default) is 415" 415 "$code"

# 5. Once the store has accounts, an upload needs upload_data for the
# file's reporters: Panama's focal point sends Darién's figures, not Mexico's.
PW='a long enough passphrase'
echo "$PW" | "$ATALAYA" user add ada --admin --email ada@example.org --password-stdin >/dev/null
ADMIN=$(echo "$PW" | "$ATALAYA" token create --as ada --password-stdin --name admin --rights manage_accounts)
echo "$PW" | ATALAYA_TOKEN=$ADMIN "$ATALAYA" user add paula --role focal_point --reporter PAN \
  --email paula@example.org --password-stdin >/dev/null
PANAMA=$(echo "$PW" | "$ATALAYA" token create --as paula --password-stdin --name monthly --rights upload_data)
sleep 1.2  # the server asks whether accounts exist at most once a second
code=$(curl -sS -o "$WORK/anonymous.json" -w '%{http_code}' -H 'Content-Type: text/csv' \
  --data-binary @"$WORK/darien-corrected.csv" "$UPLOAD?dry_run=1")
expect_eq "without a credential an upload is 401" 401 "$code"
code=$(curl -sS -o "$WORK/mexico.json" -w '%{http_code}' -H 'Content-Type: text/csv' -H "Authorization: Bearer $PANAMA" \
  --data-binary @"$DATA/corridor/mx-irregular-events-by-nationality.csv" \
  "$URL/api/v1/sources/mx-upm-irregular/vintages?dry_run=1")
expect_eq "Panama's focal point is refused Mexico's file" 403 "$code"
expect_contains "naming the missing right" '"missing_right":"upload_data:MEX"' "$(cat "$WORK/mexico.json")"
code=$(curl -sS -o "$WORK/panama.json" -w '%{http_code}' -H 'Content-Type: text/csv' -H "Authorization: Bearer $PANAMA" \
  --data-binary @"$WORK/darien-corrected.csv" "$UPLOAD?dry_run=1")
expect_eq "and may send Darién's" 200 "$code"
expect_eq "nothing of Mexico's was stored" 0 \
  "$(sql_query "SELECT count(*) FROM vintage v JOIN source s ON s.id = v.source_id WHERE s.code = 'mx-upm-irregular'")"

finish

# Events beyond the shipped vocabulary: refused with a message saying how to
# declare them; declared by --vocabulary FILE or $ATALAYA_VOCABULARY; a bad
# vocabulary file is refused with its line and key. Also the counterpart
# dimension end to end, on a small hand-written file.
source "$(dirname "$0")/lib.sh"

cat >"$WORK/rescues.csv" <<'CSV'
fecha,nat,hacia,n
15/07/2021,Haiti,United States,4
20/07/2021,Cuba,United States,3
02/08/2021,"Haiti, Cuba",Bahamas,5
CSV
cat >"$WORK/rescues.toml" <<'TOML'
[source]
id = "test-rescues"
reporter = "IOM"
event = "rescue_at_sea"
unit = "persons"
duplicates = "sum"

[columns]
period = "fecha"
citizenship = "nat"
counterpart = "hacia"
count = "n"

[period]
day_rule = "month"

[multiple.citizenship]
rule = "group"
group = "MULTIPLE"
TOML
cat >"$WORK/events.toml" <<'TOML'
[event.rescue_at_sea]
label = "Rescued at sea"
label_es = "Rescatado en el mar"
measure = "flow"
TOML

set +e
err=$("$ATALAYA" ingest --mapping "$WORK/rescues.toml" "$WORK/rescues.csv" 2>&1 >/dev/null)
status=$?
set -e
expect_eq "unknown event: exit status" 1 "$status"
expect_contains "unknown event: names the key" "column 'source.event': value \"rescue_at_sea\"" "$err"
expect_contains "unknown event: says how to declare it" "--vocabulary FILE or \$ATALAYA_VOCABULARY" "$err"

out=$("$ATALAYA" ingest --vocabulary "$WORK/events.toml" --mapping "$WORK/rescues.toml" "$WORK/rescues.csv")
expect_contains "declared by --vocabulary" "test-rescues, 3 rows read, 3 observations in 3 series" "$out"
by=$("$ATALAYA" series --source test-rescues --by citizenship,counterpart --format csv)
# A key the release does not list in a month it covers crossed 0 there.
expect_eq "counterpart and MULTIPLE" "citizenship,citizenship_name,counterpart,counterpart_name,period,value,unit,status
CUB,Cuba,USA,United States of America,2021-07,3,persons,final
CUB,Cuba,USA,United States of America,2021-08,0,persons,final
HTI,Haiti,USA,United States of America,2021-07,4,persons,final
HTI,Haiti,USA,United States of America,2021-08,0,persons,final
MULTIPLE,Several citizenships,BHS,Bahamas,2021-07,0,persons,final
MULTIPLE,Several citizenships,BHS,Bahamas,2021-08,5,persons,final" "$by"
us=$("$ATALAYA" series --source test-rescues --counterpart "United States" --format csv)
expect_eq "counterpart selected by name" "period,value,unit,status
2021-07,7,persons,final
2021-08,0,persons,final" "$us"

out=$(ATALAYA_VOCABULARY="$WORK/events.toml" "$ATALAYA" ingest --dry-run --mapping "$WORK/rescues.toml" "$WORK/rescues.csv")
expect_contains "declared by \$ATALAYA_VOCABULARY" "3 observations" "$out"

# With a vocabulary file loaded, an event in neither list names the file.
sed 's/rescue_at_sea/rescued/' "$WORK/rescues.toml" >"$WORK/other.toml"
set +e
err=$("$ATALAYA" ingest --vocabulary "$WORK/events.toml" --mapping "$WORK/other.toml" "$WORK/rescues.csv" 2>&1 >/dev/null)
set -e
expect_contains "message names the vocabulary file" "nor in $WORK/events.toml" "$err"

printf '[event.x]\nlabel = "X"\nlabel_es = "X"\nmeasure = "count"\n' >"$WORK/bad-events.toml"
set +e
err=$("$ATALAYA" ingest --vocabulary "$WORK/bad-events.toml" --mapping "$WORK/rescues.toml" "$WORK/rescues.csv" 2>&1 >/dev/null)
set -e
expect_contains "bad vocabulary file" "bad-events.toml:4: column 'event.x.measure': value \"count\"" "$err"

finish

# Answers that explain themselves, on the real CBP files: an empty answer
# says why and what exists instead, `atalaya dimensions` counts each value,
# and --sort size --top keeps the largest groups and says how many it left.
source "$(dirname "$0")/lib.sh"

"$ATALAYA" ingest "$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv" >/dev/null
ingest_mapped us-cbp-swb-nat corridor/us-sw-border-encounters-by-nationality.csv

# --- Haitians are inside "Other" in CBP's grouped file ---------------------------
set +e
out=$("$ATALAYA" series --source us-cbp-swb --citizenship HTI 2>"$WORK/hti.err")
code=$?
set -e
expect_eq "an empty but valid answer exits 0" 0 "$code"
expect_eq "no rows, only the header" "period  value" "$(echo "$out" | sed 's/ *$//')"
expect_contains "HTI counted inside OTH" "note: citizenship: HTI is counted inside OTH (Other) in us-cbp-swb; us-cbp-swb-nat has it" "$(cat "$WORK/hti.err")"
json=$("$ATALAYA" series --source us-cbp-swb --citizenship Haiti --format json 2>/dev/null)
expect_contains "JSON carries the note" "HTI is counted inside OTH (Other) in us-cbp-swb" \
  "$(python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["notes"]))' <<<"$json")"

# --- A location by a part of its name --------------------------------------------
"$ATALAYA" series --source us-cbp-swb-nat --location "Del Rio" >/dev/null 2>"$WORK/loc.err"
expect_contains "Del Rio -> Del Rio Sector" "location: no 'Del Rio' in us-cbp-swb-nat; nearest location values: Del Rio Sector" "$(cat "$WORK/loc.err")"
# Absurd input costs what a short one does, and is echoed shortened.
long=$(head -c 100000 /dev/zero | tr '\0' 'x')
start=$(date +%s)
"$ATALAYA" series --location "$long" >/dev/null 2>"$WORK/long.err"
expect_eq "a 100 kB value is answered at once" 1 "$(( $(date +%s) - start < 10 ))"
expect_contains "echoed shortened" "xxx…'" "$(cat "$WORK/long.err")"

# --- A period range outside the data ----------------------------------------------
"$ATALAYA" series --source us-cbp-swb --from 2030-01 --to 2030-12 >/dev/null 2>"$WORK/range.err"
expect_contains "says which periods the selection has" "no values from 2030-01 to 2030-12: the selection has periods 2021-10..2025-08 (monthly)" "$(cat "$WORK/range.err")"

# --- atalaya dimensions -----------------------------------------------------------
dims=$("$ATALAYA" dimensions --source us-cbp-swb --dimension citizenship)
expect_eq "grouped citizenships" "GTM HND MEX OTH SLV" "$(tail -n +2 <<<"$dims" | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
expect_contains "OTH is named a group" "OTH  Other (group)" "$dims"
djson=$("$ATALAYA" dimensions --source us-cbp-swb --dimension citizenship --format json)
obs=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(c["observations"] for c in d["counts"]["citizenship"]))' <<<"$djson")
expect_eq "observations add up to the file's 1,936 rows" 1936 "$obs"
loc=$("$ATALAYA" dimensions --source us-cbp-swb-nat --dimension location --format json)
expect_eq "13 sectors and field offices, and the totals before 2019-10" "14 Del Rio Sector _T" \
  "$(python3 -c 'import json,sys; c=json.load(sys.stdin)["counts"]["location"]; print(len(c), c[1]["value"], c[-1]["value"])' <<<"$loc")"
hti=$("$ATALAYA" dimensions --citizenship HTI --dimension source)
expect_contains "only the by-nationality file has Haitians" "us-cbp-swb-nat" "$hti"
expect_eq "and not the grouped one" "" "$(grep '^us-cbp-swb ' <<<"$hti" || true)"

# --- --sort size --top --------------------------------------------------------------
top=$("$ATALAYA" series --source us-cbp-swb-nat --by citizenship --freq FY --from FY2022 --to FY2022 --sort size --top 3 --format csv 2>"$WORK/top.err")
expect_eq "the three largest nationalities of FY2022" "MEX GTM CUB" "$(tail -n +2 <<<"$top" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
expect_contains "says how many were left out" "19 of 22 groups left out: only the top 3 by size are shown" "$(cat "$WORK/top.err")"
# The sizes descend.
expect_eq "sizes descend" "yes" "$(tail -n +2 <<<"$top" | cut -d, -f4 | python3 -c 'import sys; v=[int(x) for x in sys.stdin]; print("yes" if v==sorted(v, reverse=True) else v)')"

finish

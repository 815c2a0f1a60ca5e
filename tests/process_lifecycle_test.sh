#!/usr/bin/env bash
# The L.A. Process over time, on the seeded Los Angeles Declaration: a state
# that joins after the adoption appears in the matrix from its joining day
# and may commit from then, not before; a temporary pillar added at one
# ministerial meeting and retired at the next keeps both decisions in its
# history, counts in the matrix while it is open and is closed afterwards;
# a status report and an assessment are history, never overwritten.
#
# Guyana's joining day here is a test fact (the seed leaves Guyana out: no
# public source gives the day it joined).
source "$(dirname "$0")/lib.sh"

"$ATALAYA" process seed >/dev/null

# --- A state that joins after the adoption ---------------------------------
"$ATALAYA" process endorse GUY --joined-on 2022-09-26 --source "test fact" >/dev/null
parties_on() { "$ATALAYA" process matrix --as-of "$1" --format json | jq -r '.parties | join(" ")'; }
expect_eq "twenty states at the adoption" 20 "$("$ATALAYA" process matrix --as-of 2022-06-10 --format json | jq '.parties | length')"
expect_eq "Guyana is not a party before it joins" "no" "$(parties_on 2022-09-25 | grep -qw GUY && echo yes || echo no)"
expect_eq "Guyana is a party from its joining day" "yes" "$(parties_on 2022-09-26 | grep -qw GUY && echo yes || echo no)"
expect_eq "twenty-one states at Lima" 21 "$("$ATALAYA" process matrix --as-of 2022-10-06 --format json | jq '.parties | length')"

set +e
out=$("$ATALAYA" process commitment add la-2022-P2-GUY-test --party GUY --pillar P2 --made-on 2022-08-01 \
  --text "Resettlement places (test)" 2>&1)
rc=$?
set -e
expect_eq "a commitment dated before joining is refused" 1 "$([ $rc -ne 0 ] && echo 1 || echo 0)"
expect_contains "... saying why" "GUY" "$out"
expect_eq "... and nothing is stored" "" "$("$ATALAYA" process commitments --party GUY --format csv | tail -n +2)"
"$ATALAYA" process commitment add la-2022-P2-GUY-test --party GUY --pillar P2 --made-on 2022-10-06 \
  --made-at lima-2022 --text "Resettlement places (test)" --text-es "Plazas de reasentamiento (prueba)" >/dev/null
expect_eq "from its joining day it may commit" 1 \
  "$("$ATALAYA" process commitments --party GUY --format json | jq 'length')"
expect_eq "the matrix counts it under pillar 2 at Lima" 1 \
  "$("$ATALAYA" process matrix --as-of 2022-10-06 --format csv | awk -F, 'NR==1{for(i=1;i<=NF;i++)h[$i]=i} NR>1 && $h["pillar"]=="P2" && $h["party"]=="GUY"{print $h["total"]}')"

# --- A temporary pillar, added at one meeting and retired at the next ------
"$ATALAYA" process pillar add T-2022-1 --meeting lima-2022 --kind temporary --number 5 \
  --name "Response to the Darién crossings" --name-es "Respuesta a los cruces del Darién" \
  --goal "Shelter and care at the reception stations" --goal-es "Albergue y atención en las estaciones de recepción" \
  --ends-on 2023-06-30 --note "crossings at a record" >/dev/null
"$ATALAYA" process commitment add la-2022-T1-PAN-test --party PAN --pillar T-2022-1 --made-on 2022-10-06 \
  --made-at lima-2022 --kind operation --text "Expand the reception stations (test)" >/dev/null
"$ATALAYA" process pillar retire T-2022-1 --meeting washington-2023 --note "folded into pillar 1" >/dev/null

history=$("$ATALAYA" process pillar-history T-2022-1 --format json)
expect_eq "its history keeps both decisions" "added@lima-2022 retired@washington-2023" \
  "$(echo "$history" | jq -r '[.[] | "\(.kind)@\(.meeting)"] | join(" ")')"
pillar=$("$ATALAYA" process pillars --format json | jq -c '.[] | select(.code == "T-2022-1")')
expect_eq "it is temporary" temporary "$(echo "$pillar" | jq -r '.kind')"
expect_eq "closed on the day of the meeting that retired it" 2023-06-23 "$(echo "$pillar" | jq -r '.closed_on')"
open_on() { "$ATALAYA" process matrix --as-of "$1" --format json | jq -r '[.pillars[].code] | join(" ")'; }
expect_eq "open in the matrix while it runs" "P1 P2 P3 P4 T-2022-1" "$(open_on 2023-01-01)"
expect_eq "gone from the matrix once retired" "P1 P2 P3 P4" "$(open_on 2023-06-23)"
set +e
out=$("$ATALAYA" process pillar change T-2022-1 --meeting washington-2023 --name "Renamed" 2>&1)
rc=$?
set -e
expect_eq "a retired pillar cannot be changed" 1 "$([ $rc -ne 0 ] && echo 1 || echo 0)"
expect_eq "its commitment is still listed under it" "la-2022-T1-PAN-test" \
  "$("$ATALAYA" process commitments --pillar T-2022-1 --format json | jq -r '.[].commitment.code // .[].code')"

# --- Reports and assessments are history -----------------------------------
c=la-2022-P2-CAN-resettlement
"$ATALAYA" process report "$c" --meeting lima-2022 --status in_progress --narrative "first arrivals" >/dev/null
"$ATALAYA" process report "$c" --meeting washington-2023 --status fulfilled --narrative "all places filled" >/dev/null
"$ATALAYA" process assess "$c" --meeting washington-2023 --completion limited --rationale "a third of the places" >/dev/null
h=$("$ATALAYA" process history "$c" --format json)
expect_eq "both reports are kept, oldest first" "in_progress fulfilled" \
  "$(echo "$h" | jq -r '[.reports[].status] | join(" ")')"
expect_eq "the assessment beside them" "limited" "$(echo "$h" | jq -r '[.assessments[].completion] | join(" ")')"
expect_eq "the matrix counts the newest status" 1 \
  "$("$ATALAYA" process matrix --as-of 2023-06-23 --format csv | awk -F, 'NR==1{for(i=1;i<=NF;i++)h[$i]=i} NR>1 && $h["pillar"]=="P2" && $h["party"]=="CAN"{print $h["fulfilled"]}')"

finish

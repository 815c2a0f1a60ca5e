#!/usr/bin/env bash
# The permission matrix at the command line: once a store has accounts,
# every command that changes something (and every read of a drill, which
# is not public) is run, with a personal token, by each role in turn. The roles the matrix allows get past the check (their
# command may still fail for its own reasons: an unknown alert id); the
# others are refused with the missing right named, and nothing is changed.
source "$(dirname "$0")/lib.sh"

PW='a long enough passphrase'
DARIEN=(--mapping "$ROOT/sources/pa-snm-darien.toml" "$DATA/corridor/pa-darien-transit-by-nationality.csv")

# The data, stored by the local operator before anyone has an account.
"$ATALAYA" ingest "${DARIEN[@]}" >/dev/null
# The L.A. Process: a declaration, three endorsers, a meeting, a pillar and
# commitments of Colombia, of the United States, and of both jointly.
P=("$ATALAYA" process)
"${P[@]}" declaration add la-2022 --title "Los Angeles Declaration" --adopted-on 2022-06-10 >/dev/null
for state in COL USA PAN; do "${P[@]}" endorse $state --joined-on 2022-06-10 >/dev/null; done
"${P[@]}" meeting add lima-2022 --held-on 2022-10-06 --title "Lima" >/dev/null
"${P[@]}" pillar add P1 --meeting lima-2022 --number 1 --name "Stability and assistance" >/dev/null
"${P[@]}" commitment add col-1 --party COL --pillar P1 --made-on 2022-10-06 --text "Regularise" >/dev/null
"${P[@]}" commitment add usa-1 --party USA --pillar P1 --made-on 2022-10-06 --text "Resettle" >/dev/null
"${P[@]}" commitment add col-usa --party COL --party USA --pillar P1 --made-on 2022-10-06 --text "Jointly" >/dev/null
echo "$PW" | "$ATALAYA" user add ada --admin --email ada@example.org --password-stdin >/dev/null

# One person per role, each with a token carrying everything the role holds.
declare -A TOKEN RIGHTS=(
  [admin]=read_restricted,upload_data,change_alerts,run_warning,manage_accounts,read_audit,manage_store,report_commitments,manage_process,call_emergency_session
  [team]=read_restricted,upload_data,run_warning
  [panama]=upload_data,report_commitments
  [colombia]=upload_data,report_commitments
  [taskforce]=read_restricted,change_alerts,call_emergency_session
  [analyst]=read_restricted
  [secretary]=read_restricted,manage_process)
TOKEN[admin]=$(echo "$PW" | "$ATALAYA" token create --as ada --password-stdin --name all --rights "${RIGHTS[admin]}")
add() {  # add NAME ROLE [REPORTER]
  echo "$PW" | ATALAYA_TOKEN=${TOKEN[admin]} "$ATALAYA" user add "$1" --role "$2" ${3:+--reporter "$3"} \
    --email "$1@example.org" --password-stdin >/dev/null
  TOKEN[$1]=$(echo "$PW" | "$ATALAYA" token create --as "$1" --password-stdin --name all --rights "${RIGHTS[$1]}")
}
add team data_team
add panama focal_point PAN
add taskforce task_force
add analyst analyst
add colombia focal_point COL
add secretary secretariat
for who in "${!TOKEN[@]}"; do expect_contains "$who has a token" "atl_" "${TOKEN[$who]}"; done

# check RIGHT "ALLOWED ROLES" COMMAND...: runs the command as every role.
check() {
  local right=$1 allowed=" $2 " who out
  shift 2
  for who in admin team panama colombia taskforce analyst secretary; do
    out=$(ATALAYA_TOKEN=${TOKEN[$who]} "$@" 2>&1 || true)
    out=${out//$who/WHO}
    if [[ "$allowed" == *" $who "* ]]; then
      checks=$((checks + 1))
      if [[ "$out" == *"the right "* || "$out" == *"needs a credential"* ]]; then
        echo "FAIL: $who may $right but was refused: $out" >&2
        failures=$((failures + 1))
      fi
    else
      expect_contains "$who is refused ($*)" "the right $right" "$out"
    fi
  done
}

before=$(sql_query "SELECT count(*) FROM vintage")
check upload_data "admin team panama" "$ATALAYA" ingest "${DARIEN[@]}"
check upload_data "admin team" "$ATALAYA" ingest --mapping "$ROOT/sources/mx-upm-irregular.toml" \
  "$DATA/corridor/mx-irregular-events-by-nationality.csv"
check run_warning "admin team" "$ATALAYA" watch
check change_alerts "admin taskforce" "$ATALAYA" watch --as-of 2021-08
check change_alerts "admin taskforce" "$ATALAYA" alert ack 999999 --note "checking"
check change_alerts "admin taskforce" "$ATALAYA" event resolve 999999
check change_alerts "admin taskforce" "$ATALAYA" replay --from 2021-06 --to 2021-08 --drill rights-check
check change_alerts "admin taskforce" "$ATALAYA" drills --delete rights-check
check run_warning "admin team" "$ATALAYA" deliver
check run_warning "admin team" "$ATALAYA" outbox --retry
check read_audit "admin" "$ATALAYA" audit --limit 5
check read_restricted "admin team taskforce analyst secretary" "$ATALAYA" events --drill as-of-2021-08 --status all
check read_restricted "admin team taskforce analyst secretary" "$ATALAYA" alerts --drill as-of-2021-08 --status all
check read_restricted "admin team taskforce analyst secretary" "$ATALAYA" drills
check manage_accounts "admin" "$ATALAYA" user enable analyst
check manage_store "admin" "$ATALAYA" store copy "$ATALAYA_DB" "$WORK/copy.db"
# The process: a focal point reports and commits for its own state only (a
# joint commitment needs every party); the secretariat records the rest.
check report_commitments "admin colombia" "${P[@]}" report col-1 --meeting lima-2022 --status planning
check report_commitments "admin" "${P[@]}" report usa-1 --meeting lima-2022 --status planning
check report_commitments "admin" "${P[@]}" report col-usa --meeting lima-2022 --status in_progress
check report_commitments "admin colombia" "${P[@]}" commitment add col-2 --party COL --pillar P1 \
  --made-on 2022-10-06 --text "Integrate"
check report_commitments "admin" "${P[@]}" commitment add usa-2 --party USA --pillar P1 --made-on 2022-10-06 --text "Fund"
check manage_process "admin secretary" "${P[@]}" assess col-1 --meeting lima-2022 --completion limited
check manage_process "admin secretary" "${P[@]}" meeting add panama-2023 --held-on 2023-04-20 --title "Panama"
check manage_process "admin secretary" "${P[@]}" pillar add T1 --meeting lima-2022 --kind temporary \
  --name "Darién response" --ends-on 2023-12-31
check manage_process "admin secretary" "${P[@]}" pillar retire T1 --meeting lima-2022
check manage_process "admin secretary" "${P[@]}" endorse CAN --joined-on 2023-01-15
check manage_process "admin secretary" "${P[@]}" contact add COL --address coordinacion@example.org
check manage_process "admin secretary" "${P[@]}" declaration add la-2022 --title "Los Angeles Declaration" \
  --adopted-on 2022-06-10
# Emergency sessions (process_emergency_test.sh): the task force calls them, the secretariat sends the notices.
check call_emergency_session "admin taskforce" "${P[@]}" emergency 999999 --held-on 2025-03-10
check manage_process "admin secretary" "${P[@]}" notify
check read_restricted "admin team taskforce analyst secretary" "${P[@]}" notifications

# Panama's focal point was refused Mexico's file: only the data team's or the administrator's went in.
expect_eq "Mexico's file was stored once (the first allowed run), Darién's never twice" "$((before + 1))" \
  "$(sql_query "SELECT count(*) FROM vintage")"
# Every refusal is in the audit trail, with the right it lacked.
denied=$(sql_query "SELECT person || ' ' || detail FROM audit_line WHERE outcome = 'denied'")
expect_contains "the focal point's refusal is audited" 'panama {"missing_right":"upload_data:MEX"}' "$denied"
expect_contains "Colombia's focal point may not report for the United States" \
  'colombia {"missing_right":"report_commitments:USA"}' "$denied"
expect_contains "the analyst's refused assessment is audited" 'analyst {"missing_right":"manage_process"}' "$denied"
expect_eq "the reports stored: Colombia's focal point's for Colombia only, the administrator's for each" \
  "col-1:ada col-1:colombia usa-1:ada col-usa:ada" \
  "$(sql_query "SELECT c.code || ':' || r.actor FROM status_report r JOIN commitment c ON c.id = r.commitment_id ORDER BY r.id" | tr '\n' ' ' | sed 's/ $//')"
expect_contains "the analyst's refused watch is audited" 'analyst {"missing_right":"run_warning"}' "$denied"
expect_contains "a read of a drill is audited" "analyst read.drill drill:as-of-2021-08 ok" \
  "$(sql_query "SELECT person || ' ' || action || ' ' || object || ' ' || outcome FROM audit_line WHERE action LIKE 'read.%'")"
finish

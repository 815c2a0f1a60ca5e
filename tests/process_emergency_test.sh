#!/usr/bin/env bash
# An emergency session from early warning (issue 13, part 3), on the real
# corridor data: the 2021 Haitian movement along the Darién route, replayed
# into a drill space, calls an emergency session of the route's states that
# endorse the Los Angeles Declaration, with the event's evidence and projected
# windows attached; its notices reach a loopback webhook receiver and SMTP
# sink, and the time from the event's first raising to each delivery is
# recorded; a commitment made at the session sits under its emergency pillar.
source "$(dirname "$0")/lib.sh"

"$ATALAYA" ingest --mapping "$ROOT/sources/pa-snm-darien.toml" "$DATA/corridor/pa-darien-transit-by-nationality.csv" >/dev/null
"$ATALAYA" ingest --mapping "$ROOT/sources/mx-upm-irregular.toml" "$DATA/corridor/mx-irregular-events-by-nationality.csv" >/dev/null
"$ATALAYA" ingest --mapping "$ROOT/sources/us-cbp-swb-nat.toml" "$DATA/corridor/us-sw-border-encounters-by-nationality.csv" >/dev/null
"$ATALAYA" replay --from 2021-01 --to 2021-07 --triggers "$ROOT/triggers/default.toml" --drill haiti-2021 >/dev/null

# The Haitian event along the Darién route, in the drill.
"$ATALAYA" events --drill haiti-2021 --status all --format json > "$WORK/events.json"
EVENT=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
events = j["events"] if isinstance(j, dict) else j
print([e["id"] for e in events if e.get("citizenship") == "HTI" and e.get("route") == "darien-north"][0])' "$WORK/events.json")

# The Los Angeles Declaration as shipped: its 20 states of June 2022, among
# them the route's (Panama, Honduras, Mexico, the United States), its four pillars.
"$ATALAYA" process seed >/dev/null
# Contacts: Panama by e-mail and webhook, Mexico by e-mail, the United
# States by webhook and at a mailbox the relay does not know; Honduras has none.
python3 "$ROOT/tests/process_sinks.py" "$WORK/sinks" "hook-secret" &
SINKS=$!
trap 'kill $SINKS 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 100); do [ -f "$WORK/sinks/http_port" ] && break; sleep 0.1; done
HOOK="http://127.0.0.1:$(cat "$WORK/sinks/http_port")/hook"
SMTP="smtp://127.0.0.1:$(cat "$WORK/sinks/smtp_port")"
"$ATALAYA" process contact add PAN --address coordinacion@panama.example >/dev/null
"$ATALAYA" process contact add PAN --channel webhook --address "$HOOK" >/dev/null
"$ATALAYA" process contact add MEX --address enlace@mexico.example >/dev/null
"$ATALAYA" process contact add USA --channel webhook --address "$HOOK" >/dev/null
"$ATALAYA" process contact add USA --address unknown@usa.example >/dev/null

# A drill event needs its drill named.
out=$("$ATALAYA" process emergency "$EVENT" --held-on 2025-03-10 2>&1 || true)
expect_contains "a drill event is refused without --drill" "--drill: warning event $EVENT is in the drill space 'haiti-2021'" "$out"
out=$("$ATALAYA" process emergency 999999 --held-on 2025-03-10 2>&1 || true)
expect_contains "an unknown event is refused, naming it" "EVENT_ID: no warning event 999999" "$out"
out=$("$ATALAYA" process emergency "$EVENT" --held-on 2021-08-02 --drill haiti-2021 2>&1 || true)
expect_contains "before the declaration, no state on the route endorses it" "endorses la-2022 on 2021-08-02" "$out"

"$ATALAYA" process emergency "$EVENT" --held-on 2025-03-10 --drill haiti-2021 > "$WORK/session.txt"
"$ATALAYA" process meeting "drill-haiti-2021-emergency-$EVENT-2025-03-10" --format json > "$WORK/meeting.json"
MEETING="drill-haiti-2021-emergency-$EVENT-2025-03-10"
PILLAR="E-haiti-2021-$EVENT"
cat "$WORK/session.txt"
expect_contains "the session is called" "emergency session $MEETING called (la-2022), held on 2025-03-10" "$(cat "$WORK/session.txt")"
expect_contains "Honduras takes part, without a contact" "HND  participant    no contact: not notified" "$(cat "$WORK/session.txt")"
expect_contains "Panama is notified by e-mail and webhook" "PAN  participant    notice queued: email to coordinacion@panama.example, webhook to $HOOK" "$(cat "$WORK/session.txt")"
# The stored session: the route's states, the event, its evidence and windows.
expect_eq "the stored session: participants, event, first raised, evidence windows" \
  "emergency PAN,HND,MEX,USA $EVENT True us-southwest-border 2021-08 2021-11 darien" "$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
m = j.get("meeting", j)
ev = m["evidence"] if isinstance(m["evidence"], dict) else json.loads(m["evidence"])
us = [c for c in ev["checkpoints"] if c["reporter"] == "USA"][0]
print(m["kind"], ",".join(m["participants"]), m["event_id"], m["event_raised_at"] == ev["first_raised_at"] != "",
      us["id"], us["window_from"], us["window_to"], us["projected_from"])' "$WORK/meeting.json")"

# Delivery: the webhooks and e-mails arrive; the unknown mailbox is given up.
SECRET=hook-secret "$ATALAYA" process notify --smtp "$SMTP" --from secretariat@la-process.example \
  --webhook-secret-env SECRET > "$WORK/notify.txt" 2> "$WORK/notify.err" || true
expect_contains "notify: four delivered, the unknown mailbox given up" "notify: 4 delivered, 1 failed (1 of them given up)" "$(cat "$WORK/notify.txt")"
expect_contains "the refusal is reported" "550" "$(cat "$WORK/notify.err")"
expect_eq "two signed webhooks arrived" "2 valid" "$(awk '{print $3}' "$WORK/sinks/hooks.log" | sort | uniq -c | awk '{print $1, $2}')"
expect_eq "two e-mails arrived, to Panama and Mexico" "coordinacion@panama.example enlace@mexico.example" \
  "$(awk '{print $3}' "$WORK/sinks/mail.log" | sort | xargs)"
mail=$(python3 -c '
import email, email.policy, glob, sys
for path in sorted(glob.glob(sys.argv[1] + "/mail/*.eml")):
    m = email.message_from_bytes(open(path, "rb").read(), policy=email.policy.default)
    if "coordinacion@panama.example" in str(m["To"]):
        print(m["Subject"]); print(m.get_content_type(), m.get_content_charset()); print(m.get_content())' "$WORK/sinks")
expect_contains "the e-mail's subject, in both languages" \
  "Drill / Simulacro haiti-2021: Emergency session / Sesión de emergencia 2025-03-10: Haiti / Haití, warning event / evento de alerta $EVENT" "$mail"
expect_contains "the text in Spanish too" "Sesión de emergencia sobre el movimiento de nacionales de Haití" "$mail"
expect_contains "the Spanish headline" "Evento de alerta $EVENT (simulacro haiti-2021): Haití por Darién" "$mail"
expect_contains "a plain UTF-8 text" "text/plain utf-8" "$mail"
expect_contains "the e-mail names the event" "Warning event $EVENT (drill haiti-2021)" "$mail"
expect_contains "the e-mail gives the projected window at the U.S. border" "2021-08 to 2021-11" "$mail"
expect_contains "and in Spanish" "2021-08 a 2021-11" "$mail"
hook=$(python3 -c '
import glob, json, sys
for path in sorted(glob.glob(sys.argv[1] + "/hooks/*.json")):
    j = json.load(open(path))
    w = [x for x in j["warning_event"]["windows"] if x["reporter"] == "USA"][0]
    print(j["party"], j["session"]["code"], j["warning_event"]["id"], w["window_from"], w["window_to"])' "$WORK/sinks")
expect_contains "the webhook carries the session and the windows" "USA $MEETING $EVENT 2021-08 2021-11" "$hook"

# The times are recorded: first raised <= called <= delivered, per party.
"$ATALAYA" process notifications "$MEETING" --format csv > "$WORK/notifications.csv"
expect_eq "delivered notices have their times; the given-up one has none" \
  "MEX email delivered ok|PAN email delivered ok|PAN webhook delivered ok|USA email failed none|USA webhook delivered ok" \
  "$(python3 -c '
import csv, sys
rows = []
for r in csv.DictReader(open(sys.argv[1])):
    if r["state"] == "delivered":
        ok = (r["delivered_at"] >= r["called_at"] >= r["event_raised_at"] != ""
              and int(r["seconds_since_raised"]) >= int(r["seconds_since_called"]) >= 0)
        rows.append(" ".join([r["party"], r["channel"], r["state"], "ok" if ok else "WRONG"]))
    else:
        rows.append(" ".join([r["party"], r["channel"], r["state"], "none" if r["delivered_at"] == "" else "WRONG"]))
print("|".join(sorted(rows)))' "$WORK/notifications.csv")"
out=$("$ATALAYA" process notifications "$MEETING")
expect_contains "the table says how long after first raised" "after first raised" "$out"
expect_contains "and when it was given up" "given up" "$out"
# Nothing is due any more.
SECRET=hook-secret "$ATALAYA" process notify --smtp "$SMTP" --from secretariat@la-process.example \
  --webhook-secret-env SECRET > "$WORK/notify2.txt"
expect_contains "a second run sends nothing" "notify: 0 delivered, 0 failed" "$(cat "$WORK/notify2.txt")"

# A commitment made at the session sits under its emergency pillar.
"$ATALAYA" process commitment add la-2022-E-PAN-darien-reception --party PAN --pillar "$PILLAR" \
  --made-on 2025-03-10 --made-at "$MEETING" --kind operation \
  --text "Reinforce reception capacity at the Darién's migrant reception stations" \
  --text-es "Reforzar la capacidad de las estaciones de recepción migratoria del Darién" >/dev/null
expect_contains "the commitment is listed under the emergency pillar" "la-2022-E-PAN-darien-reception" \
  "$("$ATALAYA" process commitments --pillar "$PILLAR")"
expect_eq "the pillar is an emergency pillar tied to the event, added by the session" \
  "added $MEETING emergency $EVENT" "$("$ATALAYA" process pillar-history "$PILLAR" --format json | python3 -c '
import json, sys
j = json.load(sys.stdin)
changes = j["changes"] if isinstance(j, dict) else j
c = changes[0]
after = c.get("after", c)
print(c["kind"], c["meeting"], after["kind"], after["event_id"])')"
expect_contains "the emergency pillar comes after the declaration's four" "5       $PILLAR  emergency  2025-03-10  open" \
  "$("$ATALAYA" process pillars)"
# A second session while the pillar is open is a conflict.
out=$("$ATALAYA" process emergency "$EVENT" --held-on 2025-03-17 --drill haiti-2021 2>&1 || true)
expect_contains "a second session on the same event is refused" "already has the open emergency pillar $PILLAR" "$out"
finish

#!/usr/bin/env bash
# People on a store: the first administrator is made at the command line of
# a store with no accounts; after that, changes need a credential. A Panama
# focal point's token uploads Darién data and is refused Mexico's, naming
# the missing right; a revoked token is refused; every step is in the audit
# trail, and no secret is.
source "$(dirname "$0")/lib.sh"

ADMIN_PW='a long admin passphrase'
FP_PW='darien border figures 2024'

# A store with no accounts: whoever runs the command makes the first administrator.
out=$(echo "$ADMIN_PW" | "$ATALAYA" user add ada --admin --email ada@example.org --password-stdin)
expect_contains "the first administrator is added" "added account ada (administrator)" "$out"

# From now on a change needs a credential.
err=$(echo "$FP_PW" | "$ATALAYA" user add ana.perez --role focal_point --reporter PAN \
        --email ana@migracion.gob.pa --password-stdin 2>&1 || true)
expect_contains "a change without a credential is refused" "needs a credential: give --token TOKEN or set ATALAYA_TOKEN" "$err"

# Ada signs in with her password to make herself a token.
ADMIN_TOKEN=$(echo "$ADMIN_PW" | "$ATALAYA" token create --as ada --password-stdin --name admin \
                --rights manage_accounts,read_audit --expires 1d 2>/dev/null)
expect_contains "a token is printed once" "atl_" "$ADMIN_TOKEN"
err=$(echo "wrong password" | "$ATALAYA" token create --as ada --password-stdin --name x --rights read_audit 2>&1 || true)
expect_contains "a wrong password is refused" "wrong name or password" "$err"

# The administrator adds Panama's focal point.
out=$(echo "$FP_PW" | "$ATALAYA" user add ana.perez --role focal_point --reporter pan --language es \
        --email ana@migracion.gob.pa --password-stdin --token "$ADMIN_TOKEN")
expect_contains "the focal point is added, scoped to PAN" "added account ana.perez (focal_point:PAN)" "$out"
err=$(echo "$FP_PW" | "$ATALAYA" user add someone --role focal_point --reporter PNA --email s@example.org \
        --password-stdin --token "$ADMIN_TOKEN" 2>&1 || true)
expect_contains "a reporter that is not a country is refused, naming it" "reporter: unknown country 'PNA'" "$err"
list=$(ATALAYA_TOKEN=$ADMIN_TOKEN "$ATALAYA" user list --format csv)
expect_contains "user list shows the focal point" "ana.perez,ana@migracion.gob.pa,es,,focal_point:PAN,no," "$list"

# The focal point's own token carries upload_data, scoped to PAN, and no more than she holds.
err=$(echo "$FP_PW" | "$ATALAYA" token create --as ana.perez --password-stdin --name too-much \
        --rights upload_data,change_alerts 2>&1 || true)
expect_contains "a token wider than its owner is refused" "does not hold the right change_alerts" "$err"
FP_TOKEN=$(echo "$FP_PW" | "$ATALAYA" token create --as ana.perez --password-stdin --name monthly \
             --rights upload_data --expires 30d 2>/dev/null)

# Darién is hers; Mexico's figures are not.
out=$("$ATALAYA" ingest --token "$FP_TOKEN" --mapping "$ROOT/sources/pa-snm-darien.toml" \
        "$DATA/corridor/pa-darien-transit-by-nationality.csv")
expect_contains "the Panama focal point stores Darién data" "stored as vintage 1" "$out"
err=$("$ATALAYA" ingest --token "$FP_TOKEN" --mapping "$ROOT/sources/mx-upm-irregular.toml" \
        "$DATA/corridor/mx-irregular-events-by-nationality.csv" 2>&1 || true)
expect_contains "Mexico's data is refused, naming the missing right" "needs the right upload_data:MEX" "$err"
expect_eq "nothing of Mexico's was stored" "0" \
  "$(sql_query "SELECT count(*) FROM vintage v JOIN source s ON s.id = v.source_id WHERE s.code = 'mx-upm-irregular'")"
err=$(ATALAYA_TOKEN=$FP_TOKEN "$ATALAYA" user disable ada 2>&1 || true)
expect_contains "a focal point cannot manage accounts" "ana.perez (focal point for PAN) does not hold the right manage_accounts" "$err"

# Revoked: refused from then on.
id=$(ATALAYA_TOKEN=$FP_TOKEN "$ATALAYA" token list --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
out=$(ATALAYA_TOKEN=$FP_TOKEN "$ATALAYA" token revoke "$id")
expect_contains "she revokes her own token" "revoked token $id (ana.perez: monthly)" "$out"
err=$("$ATALAYA" ingest --token "$FP_TOKEN" --mapping "$ROOT/sources/pa-snm-darien.toml" \
        "$DATA/corridor/pa-darien-transit-by-nationality.csv" 2>&1 || true)
expect_contains "a revoked token is refused" "the token is unknown, revoked or expired" "$err"

# Disabled: her password no longer signs her in.
ATALAYA_TOKEN=$ADMIN_TOKEN "$ATALAYA" user disable ana.perez >/dev/null
err=$(echo "$FP_PW" | "$ATALAYA" token create --as ana.perez --password-stdin --name again --rights upload_data 2>&1 || true)
expect_contains "a disabled account cannot sign in" "the account ana.perez is disabled" "$err"

# The audit trail holds each step, and no secret.
audit=$(sql_query "SELECT person || ' ' || action || ' ' || outcome || ' ' || detail FROM audit_line ORDER BY id")
expect_contains "the first account's creation" "operator:" "$audit"
expect_contains "the focal point's creation, by ada" "ada account.add ok" "$audit"
expect_contains "the refused Mexican upload" 'ana.perez vintage.write denied {"missing_right":"upload_data:MEX"}' "$audit"
expect_contains "the revocation" "ana.perez token.revoke ok" "$audit"
expect_contains "the failed sign-in" "ada account.sign_in denied" "$audit"
for secret in "$ADMIN_PW" "$FP_PW" "$ADMIN_TOKEN" "$FP_TOKEN"; do
  expect_eq "no secret in the audit trail" "" "$(echo "$audit" | grep -F -- "$secret" || true)"
done
finish

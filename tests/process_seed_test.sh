#!/usr/bin/env bash
# The L.A. Process seeded from the shipped file: `atalaya process seed`
# loads the Los Angeles Declaration; the pillars x states matrix answers 19
# June-2022 commitments, 6 under pillar 1, 11 under pillar 2, 2 under pillar
# 3 and none under pillar 4, from 20 states; seeding again adds nothing; a
# hostile seed file is refused naming its line and field, and changes
# nothing; once the store has accounts, seeding needs manage_process.
source "$(dirname "$0")/lib.sh"

out=$("$ATALAYA" process seed)
expect_contains "the seed adds the commitments" "commitments: 19 added, 0 already present" "$out"
expect_contains "the seed adds the twenty states" "endorsements: 20 added, 0 already present" "$out"
expect_contains "the seed adds the four pillars" "pillars: 4 added" "$out"
expect_contains "the seed adds the three meetings" "meetings: 3 added" "$out"

# matrix_total CSV PILLAR PARTY COLUMN: one number of the matrix's CSV.
matrix_total() {
  echo "$1" | awk -F, -v p="$2" -v who="$3" -v col="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
    $1 == p && $2 == who { print $c }'
}
csv=$("$ATALAYA" process matrix --as-of 2022-06-10 --format csv)
expect_eq "pillar 1" 6 "$(matrix_total "$csv" P1 total total)"
expect_eq "pillar 2" 11 "$(matrix_total "$csv" P2 total total)"
expect_eq "pillar 3" 2 "$(matrix_total "$csv" P3 total total)"
expect_eq "pillar 4" 0 "$(matrix_total "$csv" P4 total total)"
expect_eq "19 commitments" 19 "$(matrix_total "$csv" total total total)"
expect_eq "none reported yet" 19 "$(matrix_total "$csv" total total not_reported)"
expect_eq "the United States' commitments" 9 "$(matrix_total "$csv" total USA total)"
expect_eq "Canada's under pillar 2" 3 "$(matrix_total "$csv" P2 CAN total)"
json=$("$ATALAYA" process matrix --as-of 2022-06-10 --format json)
expect_eq "twenty endorsing states" 20 "$(echo "$json" | jq '.parties | length')"
expect_eq "the pillars in order" "P1 P2 P3 P4" "$(echo "$json" | jq -r '[.pillars[].code] | join(" ")')"
expect_eq "the day before the adoption: nobody" 0 \
  "$("$ATALAYA" process matrix --as-of 2022-06-09 --format json | jq '.parties | length')"
table=$("$ATALAYA" process matrix --as-of 2022-06-10)
expect_contains "the table says what it counts" "20 endorsing, 4 pillars open, 19 commitments" "$table"

out=$("$ATALAYA" process seed)
expect_contains "seeding twice adds nothing" "nothing added: the store already holds this seed" "$out"
expect_contains "... and says what it found" "commitments: 0 added, 19 already present" "$out"
expect_eq "still 19" 19 "$(matrix_total "$("$ATALAYA" process matrix --as-of 2022-06-10 --format csv)" total total total)"

out=$("$ATALAYA" process progress la-2022-P2-USA-h2b)
expect_contains "a commitment without an indicator says so" "no indicator" "$out"
expect_contains "... and what was announced" "11,500 visas" "$out"

# --- Observed progress beside a claim ---------------------------------------
# A test declaration whose one commitment (Panama's, a target in persons
# counted through the Darién) names an indicator over the Darién's Haitian
# series; its target is 2.5 times what 2023's months hold, so the data says
# 40% while Panama reports it fulfilled: flagged.
ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
observed=$("$ATALAYA" series --source pa-snm-darien --citizenship HTI --from 2023-01 --to 2023-12 --format csv \
  | awk -F, 'NR > 1 && $2 != "" { sum += $2; n++ } END { print sum, n }')
read -r sum months <<<"$observed"
expect_eq "twelve months of 2023 published" 12 "$months"
target=$((sum * 5 / 2))
cat > "$WORK/test-seed.toml" <<SEED
[sources]
t = "A test declaration, written for this scenario"

[declaration]
code = "test-2023"
title = { en = "A test declaration", es = "Una declaración de prueba" }
adopted_on = "2023-01-01"
place = "Panama City, Panama"
text_reference = "https://example.org/test-2023"
source = "t"

[[endorsers]]
parties = ["PAN", "USA"]
kind = "state"
joined_on = "2023-01-01"
source = "t"

[[meeting]]
code = "adoption"
kind = "ministerial"
title = { en = "Adoption" }
held_on = "2023-01-01"
place = "Panama City, Panama"
hosts = ["PAN"]
source = "t"

[[meeting]]
code = "review"
kind = "ministerial"
title = { en = "Review" }
held_on = "2024-02-01"
place = "Panama City, Panama"
hosts = ["PAN"]
source = "t"

[[pillar]]
code = "P1"
number = 1
kind = "permanent"
name = { en = "Humane migration management" }
goals = [{ en = "Assist people in transit" }]
opened_on = "2023-01-01"
added_at = "adoption"
source = "t"

[[commitment]]
code = "test-2023-P1-PAN-assistance"
pillar = "P1"
parties = ["PAN"]
kind = "operation"
text = { en = "Assist people crossing the Darién in 2023" }
target = { value = $target, unit = "persons assisted" }
deadline = "2023-12"
made_on = "2023-01-01"
made_at = "adoption"
indicator = { select = { source = ["pa-snm-darien"], citizenship = ["HTI"] }, counting = "cumulative_from", from = "2023-01" }
source = "t"
SEED
out=$("$ATALAYA" process seed "$WORK/test-seed.toml")
expect_contains "the test declaration is seeded" "commitments: 1 added" "$out"
"$ATALAYA" process report test-2023-P1-PAN-assistance --declaration test-2023 --meeting review --status fulfilled \
  --narrative 'done' >/dev/null
json=$("$ATALAYA" process progress test-2023-P1-PAN-assistance --declaration test-2023 --today 2024-03-01 --format json)
expect_eq "observed: the sum of 2023's months" "$sum" "$(echo "$json" | jq '.value')"
expect_eq "40% of the target" "0.4" "$(echo "$json" | jq '.share')"
expect_eq "twelve months counted, no gap" "12 0" "$(echo "$json" | jq -r '"\(.periods_counted) \(.gaps | length)"')"
expect_eq "the Darién's years are left out, not summed" "true" "$(echo "$json" | jq '.other_periods_ignored > 0')"
expect_eq "claimed fulfilled, data short, deadline past: flagged" "claimed_fulfilled_data_short deadline_passed_short" \
  "$(echo "$json" | jq -r '.flags | join(" ")')"
table=$("$ATALAYA" process progress test-2023-P1-PAN-assistance --declaration test-2023 --today 2024-03-01)
expect_contains "the table shows the share" "(40% of the target)" "$table"
expect_contains "... and the claim beside it" "fulfilled at review" "$table"
expect_eq "judged before the deadline: only the claim's mismatch" "claimed_fulfilled_data_short" \
  "$("$ATALAYA" process progress test-2023-P1-PAN-assistance --declaration test-2023 --today 2023-06-01 --format json \
     | jq -r '.flags | join(" ")')"

# A hostile seed: one country code changed to one that does not exist.
line=$(grep -n '^parties = \["ARG"' "$ROOT/data/process/los-angeles-declaration.toml" | cut -d: -f1)
sed 's/^parties = \["ARG"/parties = ["XAR"/' "$ROOT/data/process/los-angeles-declaration.toml" > "$WORK/bad.toml"
if out=$("$ATALAYA" process seed "$WORK/bad.toml" 2>&1); then
  expect_eq "a bad country code is refused" "refused" "accepted: $out"
fi
expect_contains "the refusal names the file, line and field" "bad.toml:$line: column 'endorsers[1].parties'" "$out"
expect_contains "... and what was expected" "ISO 3166-1 alpha-3" "$out"
sed 's/^held_on = "2022-10-06"/held_on = "2022-10-32"/' "$ROOT/data/process/los-angeles-declaration.toml" > "$WORK/bad-day.toml"
out=$("$ATALAYA" process seed "$WORK/bad-day.toml" 2>&1 || true)
expect_contains "a bad day is refused at its field" "column 'meeting[2].held_on'" "$out"

# With accounts, seeding is the secretariat's (manage_process).
PW='a long enough passphrase'
echo "$PW" | "$ATALAYA" user add ada --admin --email ada@example.org --password-stdin >/dev/null
out=$("$ATALAYA" process seed 2>&1 || true)
expect_contains "without a credential, seeding is refused" "credential" "$out"
admin=$(echo "$PW" | "$ATALAYA" token create --as ada --password-stdin --name accounts --rights manage_accounts 2>/dev/null)
token=$(echo "$PW" | "$ATALAYA" token create --as ada --password-stdin --name seed --rights manage_process 2>/dev/null)
out=$(ATALAYA_TOKEN=$token "$ATALAYA" process seed)
expect_contains "manage_process may seed" "nothing added" "$out"
echo "$PW" | ATALAYA_TOKEN=$admin "$ATALAYA" user add ana --role analyst --email ana@example.org --password-stdin >/dev/null
echo "$PW" | ATALAYA_TOKEN=$admin "$ATALAYA" user add col --role focal_point --reporter COL --email col@example.org \
  --password-stdin >/dev/null
for who in ana:read_restricted col:report_commitments; do
  theirs=$(echo "$PW" | "$ATALAYA" token create --as "${who%%:*}" --password-stdin --name t --rights "${who#*:}" 2>/dev/null)
  out=$(ATALAYA_TOKEN=$theirs "$ATALAYA" process seed 2>&1 || true)
  expect_contains "${who%%:*} may not seed" "the right manage_process" "$out"
done

finish

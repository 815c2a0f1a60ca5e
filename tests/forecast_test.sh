# Forecasting and back-testing on the real corridor data: the back-test prints
# every model beside seasonal naive with numeric errors, the leading-indicator
# verdict agrees with the numbers it reports, forecasts keep their intervals in
# order, short series say why they fell back, and bad options are named.
source "$(dirname "$0")/lib.sh"

ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
ingest_mapped mx-upm-irregular corridor/mx-irregular-events-by-nationality.csv
ingest_mapped us-cbp-swb-nat corridor/us-sw-border-encounters-by-nationality.csv

# csv_field MODEL COLUMN < backtest csv: one model's value in a named column.
csv_field() {
  awk -F, -v m="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
                               $1 == m { print $col[c] }'
}
is_number() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }

# --- back-test: Haitians at the U.S. border, univariate models -------------
bt=$("$ATALAYA" backtest --source us-cbp-swb-nat --citizenship HTI --horizon 3 --origins 12 --format csv)
expect_eq "backtest csv header" "model,mase,relative_mase,smape,coverage_80,coverage_95,origins_scored,failures,fallbacks,chosen" \
  "$(head -1 <<<"$bt")"
expect_eq "backtest default models, in order" "snaive naive ets" "$(tail -n +2 <<<"$bt" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
for m in snaive naive ets; do
  mase=$(csv_field "$m" mase <<<"$bt")
  checks=$((checks + 1))
  is_number "$mase" || { echo "FAIL: $m MASE is not a number: [$mase]" >&2; failures=$((failures + 1)); }
  expect_eq "$m scored at every origin" 12 "$(csv_field "$m" origins_scored <<<"$bt")"
done
expect_eq "seasonal naive is the reference" "1.0000" "$(csv_field snaive relative_mase <<<"$bt")"
# relative MASE = MASE / seasonal naive MASE on the same origins.
ratio=$(awk -v a="$(csv_field ets mase <<<"$bt")" -v b="$(csv_field snaive mase <<<"$bt")" \
  -v r="$(csv_field ets relative_mase <<<"$bt")" 'BEGIN { d = a / b - r; print (d < 0.001 && d > -0.001) ? "ok" : a "/" b " != " r }')
expect_eq "ets relative MASE is its MASE over seasonal naive's" ok "$ratio"

table=$("$ATALAYA" backtest --source us-cbp-swb-nat --citizenship HTI --horizon 3 --origins 12)
expect_contains "table names the reference column" "vs snaive" "$table"
expect_contains "table shows the ETS models chosen" "ETS(" "$table"
expect_contains "table ends with a summary across groups" "summary over 1 group" "$table"

# --- back-test with the Darién as a leading indicator --------------------
lead=$("$ATALAYA" backtest --source us-cbp-swb-nat --citizenship HTI --horizon 3 --origins 12 \
  --leading pa-snm-darien --format csv 2>"$WORK/lead.err")
expect_eq "leading and its control are added to the default models" "snaive naive ets log-ar1 leading" \
  "$(tail -n +2 <<<"$lead" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
lead_mase=$(csv_field leading mase <<<"$lead")
ets_mase=$(csv_field ets mase <<<"$lead")
checks=$((checks + 1))
is_number "$lead_mase" || { echo "FAIL: leading MASE is not a number: [$lead_mase]" >&2; failures=$((failures + 1)); }
expect_eq "leading scored at the same 12 origins" 12 "$(csv_field leading origins_scored <<<"$lead")"
expect_eq "ets unchanged by adding the leading model" "$(csv_field ets mase <<<"$bt")" "$ets_mase"
verdict=$(grep '^verdict:' "$WORK/lead.err" || true)
expect_contains "the lag is reported" "lag pa-snm-darien -> downstream:" "$(cat "$WORK/lead.err")"
# The verdict must agree with the numbers, whichever way they go.
if awk -v a="$lead_mase" -v b="$ets_mase" 'BEGIN { exit !(a < b) }'; then
  expect_contains "verdict: leading won" "leading beats ets: MASE" "$verdict"
else
  expect_contains "verdict: leading lost, and says so" "leading does not beat ets: MASE" "$verdict"
fi
# So must the comparison with the same regression without the Darién.
if awk -v a="$lead_mase" -v b="$(csv_field log-ar1 mase <<<"$lead")" 'BEGIN { exit !(a < b) }'; then
  expect_contains "verdict: the upstream helped" "the upstream terms help" "$verdict"
else
  expect_contains "verdict: the upstream did not help, and says so" "the upstream terms do not help" "$verdict"
fi
# A given lag is used as given.
given=$("$ATALAYA" backtest --source us-cbp-swb-nat --citizenship HTI --horizon 3 --origins 12 \
  --leading pa-snm-darien:2 --models ets,leading)
expect_contains "given lag used" "Leading(pa-snm-darien:2) x12" "$given"
expect_contains "given lag reported" "2 months (given)" "$given"

# --- forecast: Venezuelans through the Darién --------------------------------
fc=$("$ATALAYA" forecast --source pa-snm-darien --citizenship VEN --horizon 6 --format csv 2>/dev/null)
expect_eq "forecast csv header" "month,actual,forecast,lower_80,upper_80,lower_95,upper_95,model" "$(head -1 <<<"$fc")"
future=$(awk -F, 'NR > 1 && $3 != ""' <<<"$fc")
expect_eq "6 future months" 6 "$(wc -l <<<"$future")"
expect_eq "forecast months follow the last (2025-04)" "2025-05 2025-10" \
  "$(head -1 <<<"$future" | cut -d, -f1) $(tail -1 <<<"$future" | cut -d, -f1)"
bad=$(awk -F, '!($6 <= $4 && $4 <= $3 && $3 <= $5 && $5 <= $7) { print $1 }' <<<"$future")
expect_eq "lower95 <= lower80 <= mean <= upper80 <= upper95" "" "$bad"
expect_eq "12 months of history shown" 12 "$(awk -F, 'NR > 1 && $2 != ""' <<<"$fc" | wc -l)"
tbl=$("$ATALAYA" forecast --source pa-snm-darien --citizenship VEN --horizon 6)
expect_contains "table names the chosen model and its evidence" "chosen by back-test: " "$tbl"
expect_contains "the evidence: each candidate's back-test MASE" "origins at horizon 6; " "$tbl"
expect_contains "table heads the intervals" "95% high" "$tbl"
json=$("$ATALAYA" forecast --source pa-snm-darien --citizenship VEN --horizon 6 --format json 2>/dev/null)
expect_eq "json: the selection's candidates" "naive theta" \
  "$(python3 -c 'import json,sys; print(" ".join(c["model"] for c in json.load(sys.stdin)["groups"][0]["selection"]["candidates"]))' <<<"$json")"
ets_tbl=$("$ATALAYA" forecast --source pa-snm-darien --citizenship VEN --horizon 6 --model ets)
expect_contains "--model ets: automatic ETS" "; model ETS(" "$ets_tbl"

# Haitians at the U.S. border fell from thousands to single digits in 2025,
# never to zero: no forecast of 0 to 0 (ETS's trend ran through zero).
hti=$("$ATALAYA" forecast --source us-cbp-swb-nat --citizenship HTI --horizon 6 --format csv 2>/dev/null)
expect_eq "HTI: every forecast and upper bound above 0" "" \
  "$(awk -F, 'NR > 1 && $3 != "" && !($3 > 0 && $5 > 0 && $7 > 0 && $4 >= 0 && $6 >= 0) { print $1 }' <<<"$hti")"

# A short series (4 months) cannot be back-tested and says so.
short=$("$ATALAYA" forecast --source pa-snm-darien --citizenship VEN --from 2025-01 --horizon 2)
expect_contains "short series: naive" "model Naive" "$short"
expect_contains "short series: no selection, and why" "note: only 0 back-test origins" "$short"
short_ets=$("$ATALAYA" forecast --source pa-snm-darien --citizenship VEN --from 2025-01 --horizon 2 --model ets)
expect_contains "short series, ETS: the reason" "note: only 4 observations" "$short_ets"
# Too little overlap for the leading model: univariate ETS, with the reason.
few=$("$ATALAYA" forecast --source us-cbp-swb-nat --citizenship HTI --from 2024-01 --horizon 3 --leading pa-snm-darien:1)
expect_contains "leading fallback named" "leading indicator not used: only" "$few"
# The leading forecast itself says which upstream months are observed.
lf=$("$ATALAYA" forecast --source us-cbp-swb-nat --citizenship HTI --horizon 3 --leading pa-snm-darien:2)
expect_contains "leading model named" "model Leading(pa-snm-darien:2)" "$lf"
expect_contains "observed upstream months named" "pa-snm-darien observed for h=1" "$lf"

# --- bad input --------------------------------------------------------------
refused() {  # WHAT NEEDLE ARGS...: exits non-zero, stderr contains NEEDLE
  local what=$1 needle=$2 err code
  shift 2
  set +e
  err=$("$ATALAYA" "$@" 2>&1 >/dev/null)
  code=$?
  set -e
  expect_eq "$what exits 1" 1 "$code"
  expect_contains "$what names the option" "$needle" "$err"
}
refused "horizon 0" "--horizon: must be at least 1" forecast --source pa-snm-darien --citizenship VEN --horizon 0
refused "backtest horizon 0" "--horizon: must be at least 1" backtest --source pa-snm-darien --horizon 0
refused "unknown citizenship" "--citizenship: unknown country 'Narnia'" forecast --source pa-snm-darien --citizenship Narnia
refused "origins 0" "--origins: must be at least 1" backtest --source pa-snm-darien --origins 0
refused "unknown model" "--model: unknown model" forecast --source pa-snm-darien --model arima
refused "level out of range" "--level:" forecast --source pa-snm-darien --level 80,100
refused "unknown upstream" "--leading: no source 'nope'" backtest --source us-cbp-swb-nat --leading nope
refused "bad lag" "--leading: 'pa-snm-darien:x'" forecast --source us-cbp-swb-nat --leading pa-snm-darien:x
refused "leading without --leading" "--models: 'leading' needs --leading" backtest --source us-cbp-swb-nat --models leading
refused "too many origins" "need at least" backtest --source pa-snm-darien --citizenship VEN --origins 60
finish

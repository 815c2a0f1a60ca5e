#!/usr/bin/env bash
# Known truth: on simulated routes, where the injected migration events (and
# when each checkpoint sees them) are known exactly, the shipped common set of
# triggers must find the events, early, without crying wolf. Measures (see
# tests/scoring/known_truth.py for the definitions) and the thresholds this
# test holds them to, documented in docs/validation.md:
#   detection rate                     >= 0.85 of event-checkpoints
#   false alerts per series-year       <= 0.25
#   median lead time before the peak   >= 1 month
# Three simulated routes (different seeds and numbers of events), pooled.
source "$(dirname "$0")/lib.sh"

MIN_DETECTION=0.85
MAX_FALSE_PER_SERIES_YEAR=0.25
MIN_MEDIAN_LEAD=1

all_events=0; all_detected=0; all_false=0; all_series_years=0; leads=()
for run in "20211 4" "7 6" "99 6"; do
  set -- $run
  seed=$1; events=$2
  out=$WORK/sim-$seed
  export ATALAYA_DB=$WORK/sim-$seed.db
  "$ATALAYA" simulate --out "$out" --seed "$seed" --events "$events" >/dev/null
  for mapping in "$out"/*.toml; do "$ATALAYA" ingest --mapping "$mapping" "${mapping%.toml}.csv" >/dev/null; done
  "$ATALAYA" replay --from 2016-01 --to 2024-12 --triggers "$ROOT/triggers/default.toml" --format csv > "$out/timeline.csv"
  score=$(python3 "$ROOT/tests/scoring/known_truth.py" "$out/timeline.csv" "$out/ground-truth.csv" \
          "$ROOT/routes/darien-north.toml" 108 9)
  echo "seed $seed: $(echo "$score" | tr '\n' ' ')"
  get() { echo "$score" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
  all_events=$((all_events + $(get events)))
  all_detected=$((all_detected + $(get detected)))
  all_false=$((all_false + $(get false_alerts)))
  all_series_years=$(python3 -c "print($all_series_years + 9 * 4 * 108 / 12)")
  leads+=("$(get median_lead_months)")
done

detection=$(python3 -c "print(round($all_detected / $all_events, 3))")
false_rate=$(python3 -c "print(round($all_false / $all_series_years, 3))")
lead=$(python3 -c "import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "${leads[@]}")
echo "pooled: detection rate $detection ($all_detected of $all_events), false alerts per series-year $false_rate, median lead $lead months before the peak"

check_at_least() {  # WHAT VALUE MIN
  checks=$((checks + 1))
  if ! python3 -c "import sys; sys.exit(0 if $2 >= $3 else 1)"; then
    echo "FAIL: $1: $2 is below the documented threshold $3" >&2
    failures=$((failures + 1))
  fi
}
check_at_most() {  # WHAT VALUE MAX
  checks=$((checks + 1))
  if ! python3 -c "import sys; sys.exit(0 if $2 <= $3 else 1)"; then
    echo "FAIL: $1: $2 is above the documented threshold $3" >&2
    failures=$((failures + 1))
  fi
}
check_at_least "detection rate" "$detection" "$MIN_DETECTION"
check_at_most "false alerts per series-year" "$false_rate" "$MAX_FALSE_PER_SERIES_YEAR"
check_at_least "median lead months" "$lead" "$MIN_MEDIAN_LEAD"
finish

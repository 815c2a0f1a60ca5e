#!/usr/bin/env bash
# The main job: simulate a route and ingest it (and the real corridor data
# when ../shared/data is beside the project) into two stores, print a summary
# per checkpoint, then run the early-warning triggers and print the open
# alerts with their evidence, and the 2021 replay on the real data; seed the
# L.A. Process (the Los Angeles Declaration) and print its matrix; end by
# serving the dashboard on the simulated route as of the first release, when
# its alerts are open (DEMO_SERVE=0 skips that, DEMO_PORT changes the port
# from 8080).
set -euo pipefail
ATALAYA=${1:-build/atalaya}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${DEMO_OUT:-$ROOT/demo-out}
TRIGGERS=$ROOT/triggers/default.toml
rm -rf "$OUT"
mkdir -p "$OUT"
SIM_DB=$OUT/simulated.db
REAL_DB=$OUT/real.db

echo "== Simulating the Darién -> Honduras -> Mexico -> U.S. route"
"$ATALAYA" simulate --out "$OUT/sim" | grep '^event:' || true
echo
# The simulated checkpoints publish monthly; replay that as two releases: one
# that ends in the month after the last event peaks at the Darién (the
# moment a task force most needs the warning), then the full files.
CUT=$(awk -F, '$3 == "sim-pa-darien" { peak = $5 } END { print peak }' "$OUT/sim/ground-truth.csv")
CUT=$(python3 -c "y, m = map(int, '$CUT'.split('-')); m += 1; y, m = (y + 1, 1) if m > 12 else (y, m); print(f'{y}-{m:02d}')")
mkdir -p "$OUT/sim-release-1"
for mapping in "$OUT"/sim/*.toml; do
  stem=$(basename "${mapping%.toml}")
  awk -F, -v cut="$CUT" 'NR == 1 || $1 <= cut' "$OUT/sim/$stem.csv" > "$OUT/sim-release-1/$stem.csv"
done
echo "== Ingesting the simulated route into $SIM_DB: the release up to $CUT"
for mapping in "$OUT"/sim/*.toml; do
  "$ATALAYA" --db "$SIM_DB" ingest --mapping "$mapping" "$OUT/sim-release-1/$(basename "${mapping%.toml}").csv"
done
echo
echo "== Early warning on the simulated route as of $CUT: atalaya watch"
"$ATALAYA" --db "$SIM_DB" watch --triggers "$TRIGGERS"
# The store as the task force had it then, with those alerts open: the
# dashboard serves this copy at the end.
AT_CUT_DB=$OUT/simulated-at-$CUT.db
sqlite3 "$SIM_DB" ".backup '$AT_CUT_DB'"
echo
echo "== The full simulated files (a later release), then watch again"
for mapping in "$OUT"/sim/*.toml; do
  "$ATALAYA" --db "$SIM_DB" ingest --mapping "$mapping" "${mapping%.toml}.csv"
done
DATA=${ATALAYA_DATA:-$ROOT/../shared/data}
if [ -d "$DATA" ]; then
  echo
  echo "== Ingesting the real corridor data into $REAL_DB"
  "$ATALAYA" --db "$REAL_DB" ingest "$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv"
  "$ATALAYA" --db "$REAL_DB" ingest --mapping "$ROOT/sources/pa-snm-darien.toml" "$DATA/corridor/pa-darien-transit-by-nationality.csv"
  "$ATALAYA" --db "$REAL_DB" ingest --mapping "$ROOT/sources/mx-upm-irregular.toml" "$DATA/corridor/mx-irregular-events-by-nationality.csv"
  "$ATALAYA" --db "$REAL_DB" ingest --mapping "$ROOT/sources/us-cbp-swb-nat.toml" "$DATA/corridor/us-sw-border-encounters-by-nationality.csv"
  "$ATALAYA" --db "$REAL_DB" ingest --mapping "$ROOT/sources/unhcr-asylum-applications.toml" "$DATA/unhcr/asylum-applications.csv"
fi
echo
echo "== Checkpoints"
ATALAYA_DB=$SIM_DB bash "$ROOT/scripts/checkpoint_summary.sh" "$ATALAYA" sim-pa-darien sim-hn-inm sim-mx-upm sim-us-cbp
if [ -d "$DATA" ]; then
  ATALAYA_DB=$REAL_DB bash "$ROOT/scripts/checkpoint_summary.sh" "$ATALAYA" pa-snm-darien mx-upm-irregular us-cbp-swb-nat
fi
echo
echo "== Early warning on the full simulated files: atalaya watch (alerts extend, then expire once quiet)"
"$ATALAYA" --db "$SIM_DB" watch --triggers "$TRIGGERS"
if [ -d "$DATA" ]; then
  echo
  echo "== Early warning on the real data: atalaya watch"
  "$ATALAYA" --db "$REAL_DB" watch --triggers "$TRIGGERS"
  echo
  echo "== The 2021 Haitian movement, replayed month by month: one warning event and its projected windows"
  "$ATALAYA" --db "$REAL_DB" replay --from 2021-03 --to 2021-10 --triggers "$TRIGGERS" --every-change \
    | awk 'NR == 1 || / HTI /'
  echo
  echo "== Haitians along the route, 2021"
  "$ATALAYA" --db "$REAL_DB" route --citizenship HTI --from 2021-01 --to 2021-12 --route "$ROOT/routes/darien-north.toml" || true
fi
echo
echo "== The L.A. Process: the Los Angeles Declaration seeded (atalaya process seed), its pillars x states matrix"
"$ATALAYA" --db "$SIM_DB" process seed
"$ATALAYA" --db "$AT_CUT_DB" process seed >/dev/null
if [ -d "$DATA" ]; then "$ATALAYA" --db "$REAL_DB" process seed >/dev/null; fi
"$ATALAYA" --db "$SIM_DB" process matrix --as-of 2022-06-10
echo
echo "Stores: $SIM_DB and $REAL_DB"
echo "  try: $ATALAYA --db $SIM_DB events --status all"
echo "       $ATALAYA --db $SIM_DB process commitments --pillar P2"
echo "       $ATALAYA --db $REAL_DB series --source pa-snm-darien --citizenship HTI --from 2021-01 --to 2021-12"
if [ "${DEMO_SERVE:-1}" != 0 ]; then
  PORT=${DEMO_PORT:-8080}
  echo
  echo "== The dashboard and the API on the simulated route as of $CUT, its alerts open (Ctrl-C stops it)"
  echo "   open http://127.0.0.1:$PORT/   (API: http://127.0.0.1:$PORT/api/v1/openapi.json; access log: $OUT/access.log)"
  exec "$ATALAYA" --db "$AT_CUT_DB" serve --port "$PORT" --access-log "$OUT/access.log" --web "$ROOT/web/dist" \
    --routes "$ROOT/routes"
fi

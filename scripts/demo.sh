#!/usr/bin/env bash
# The main job for now: simulate a route, ingest it (and the real corridor
# data when ../shared/data is beside the project), and print a summary per
# checkpoint: latest month, 12-month trend, top citizenships.
set -euo pipefail
ATALAYA=${1:-build/atalaya}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${DEMO_OUT:-$ROOT/demo-out}
rm -rf "$OUT"
mkdir -p "$OUT"
export ATALAYA_DB=$OUT/atalaya.db

echo "== Simulating the Darién -> Honduras -> Mexico -> U.S. route"
"$ATALAYA" simulate --out "$OUT/sim" | grep '^event:' || true
echo
echo "== Ingesting"
for mapping in "$OUT"/sim/*.toml; do
  "$ATALAYA" ingest --mapping "$mapping" "${mapping%.toml}.csv"
done
DATA=${ATALAYA_DATA:-$ROOT/../shared/data}
if [ -d "$DATA" ]; then
  "$ATALAYA" ingest "$DATA/cbp/sw-land-border-encounters-fy22-fy25aug.csv"
  "$ATALAYA" ingest --mapping "$ROOT/sources/pa-snm-darien.toml" "$DATA/corridor/pa-darien-transit-by-nationality.csv"
  "$ATALAYA" ingest --mapping "$ROOT/sources/mx-upm-irregular.toml" "$DATA/corridor/mx-irregular-events-by-nationality.csv"
  "$ATALAYA" ingest --mapping "$ROOT/sources/us-cbp-swb-nat.toml" "$DATA/corridor/us-sw-border-encounters-by-nationality.csv"
fi
echo
echo "== Sources"
"$ATALAYA" sources
echo
echo "== Checkpoints"
bash "$ROOT/scripts/checkpoint_summary.sh" "$ATALAYA" sim-pa-darien sim-hn-inm sim-mx-upm sim-us-cbp
if [ -d "$DATA" ]; then
  bash "$ROOT/scripts/checkpoint_summary.sh" "$ATALAYA" pa-snm-darien mx-upm-irregular us-cbp-swb-nat
fi
echo
echo "Store: $ATALAYA_DB   (try: $ATALAYA --db $ATALAYA_DB series --source pa-snm-darien --citizenship HTI --from 2021-01 --to 2021-12)"

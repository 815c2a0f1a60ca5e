#!/usr/bin/env bash
# Regenerates the figures of docs/validation.md: ingests the real corridor
# data into a scratch store, replays the shipped triggers month by month over
# 2020-2024, and scores the alert timeline against events found in hindsight
# (scripts/replay_validation.py says how).
# Usage: bash scripts/replay_validation.sh [path/to/atalaya]
set -euo pipefail
ATALAYA=${1:-build/atalaya}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${ATALAYA_DATA:-$ROOT/../shared/data}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export ATALAYA_DB=$WORK/real.db
"$ATALAYA" ingest --mapping "$ROOT/sources/pa-snm-darien.toml" "$DATA/corridor/pa-darien-transit-by-nationality.csv" >/dev/null
"$ATALAYA" ingest --mapping "$ROOT/sources/mx-upm-irregular.toml" "$DATA/corridor/mx-irregular-events-by-nationality.csv" >/dev/null
"$ATALAYA" ingest --mapping "$ROOT/sources/us-cbp-swb-nat.toml" "$DATA/corridor/us-sw-border-encounters-by-nationality.csv" >/dev/null
"$ATALAYA" replay --from 2020-01 --to 2024-12 --triggers "$ROOT/triggers/default.toml" --format csv > "$WORK/timeline.csv"
mkdir -p "$WORK/series"
for s in pa-snm-darien mx-upm-irregular us-cbp-swb-nat; do
  "$ATALAYA" series --source "$s" --by citizenship --freq M --format csv --from 2018-01 --to 2024-12 \
    > "$WORK/series/$s.csv" 2>/dev/null
done
python3 "$ROOT/scripts/replay_validation.py" "$WORK/timeline.csv" "$WORK/series" "$ROOT/routes/darien-north.toml" 2020-01 2024-12

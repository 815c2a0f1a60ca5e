# The layers hold: no file under src/atalaya includes a folder above its own
# (core < ingest < store < analysis < warning < reports < serve; sim: core
# only). scripts/check_layers.py names each upward include as FILE:LINE.
source "$(dirname "$0")/lib.sh"

check="$ROOT/scripts/check_layers.py"
set +e
out=$(python3 "$check" "$ROOT/src/atalaya" 2>&1)
code=$?
set -e
expect_eq "no upward include in src/atalaya (got: $out)" 0 "$code"

# The check itself fails on an upward include, naming the file and line.
mkdir -p "$WORK/src/analysis" "$WORK/src/serve" "$WORK/src/sim"
printf '#pragma once\n' > "$WORK/src/serve/server.h"
printf '#include <vector>\n\n#include "atalaya/serve/server.h"\n' > "$WORK/src/analysis/model.cpp"
printf '#include "atalaya/analysis/model.h"\n' > "$WORK/src/sim/walk_test.cpp"
set +e
out=$(python3 "$check" "$WORK/src" 2>&1)
code=$?
set -e
expect_eq "an upward include fails the check" 1 "$code"
expect_contains "names file and line" "analysis/model.cpp:3: analysis/ includes serve/" "$out"
expect_contains "tests follow their folder's rule" "sim/walk_test.cpp:1: sim/ includes analysis/" "$out"

finish

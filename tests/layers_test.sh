# The layers hold: no file under src/atalaya includes a folder above its own
# (core < ingest < store < analysis < warning < reports < serve; sim: core
# only). The build refuses such an include (each layer's library sees only
# its own headers and those below: CMakeLists.txt), and
# scripts/check_layers.py names each one as FILE:LINE, tests included.
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

# The build itself refuses an upward include: the probes in tests/layers/
# are compiled against one layer's library. A store file including its own
# and lower layers builds; one including warning/, or an analysis file
# including serve/, does not find the header.
if [ -n "${ATALAYA_BUILD_DIR:-}" ]; then
  probe() { cmake --build "$ATALAYA_BUILD_DIR" --target "layer_probe_$1" 2>&1; }
  set +e
  out=$(probe store_down); code=$?
  set -e
  expect_eq "a store file including store/, ingest/ and core/ builds (got: $(echo "$out" | tail -3))" 0 "$code"
  for p in store_up:warning/alert.h analysis_up:serve/server.h; do
    set +e
    out=$(probe "${p%%:*}"); code=$?
    set -e
    expect_eq "layer_probe_${p%%:*} does not build" 1 "$([ "$code" -ne 0 ] && echo 1 || echo 0)"
    expect_contains "because the upper layer's header is not found" "atalaya/${p#*:}: No such file or directory" "$out"
  done
fi

finish

#!/usr/bin/env python3
"""Checks that every include under src/atalaya goes down (or across) the
layers, never up. Prints each upward include as FILE:LINE and exits 1.

  python3 scripts/check_layers.py [SRC_DIR]      (default: src/atalaya beside this script)

Run by tests/layers_test.sh. Tests (*_test.cpp) and test helpers
(*_testing.h) follow their folder's rule like any other file.
"""
import pathlib
import re
import sys

# The floors, lowest first: a folder may include its own floor and those
# below it. A new layer is one line here. sim/ stands apart (core only).
ORDER = ["core", "ingest", "store", "access", "analysis", "warning", "process", "reports", "serve"]
MAY_INCLUDE = {layer: set(ORDER[: i + 1]) for i, layer in enumerate(ORDER)}
MAY_INCLUDE["sim"] = {"core", "sim"}

# Upward includes known and being removed, listed so the check passes
# meanwhile. Empty, and to stay so.
EXPECTED_TO_FIX = set()

INCLUDE = re.compile(r'^\s*#\s*include\s+"atalaya/([a-z_]+)/')


def check(src: pathlib.Path):
    upward, fixed = [], set(EXPECTED_TO_FIX)
    for path in sorted(list(src.rglob("*.h")) + list(src.rglob("*.cpp")) + list(src.rglob("*.cpp.in"))):
        rel = path.relative_to(src).as_posix()
        layer = rel.split("/", 1)[0]
        if layer not in MAY_INCLUDE:
            upward.append(f"{rel}:1: folder '{layer}' is in no layer (add it to ORDER in {__file__})")
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m or m.group(1) in MAY_INCLUDE[layer]:
                continue
            if (rel, m.group(1)) in EXPECTED_TO_FIX:
                fixed.discard((rel, m.group(1)))
                continue
            upward.append(f"{rel}:{number}: {layer}/ includes {m.group(1)}/ ({line.strip()}); "
                          f"{layer}/ may include {', '.join(l for l in ORDER + ['sim'] if l in MAY_INCLUDE[layer])}")
    return upward, sorted(fixed)


def main():
    src = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent / "src/atalaya"
    upward, fixed = check(src)
    for u in upward:
        print(u)
    for rel, layer in fixed:
        print(f"note: {rel} no longer includes {layer}/: remove it from EXPECTED_TO_FIX in {__file__}")
    return 1 if upward else 0


if __name__ == "__main__":
    sys.exit(main())

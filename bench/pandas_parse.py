#!/usr/bin/python3
"""Peer 2 of bench/ingest: time pandas.read_csv of one file.

Usage: pandas_parse.py FILE

Times only the read_csv call (time.perf_counter), with pandas' defaults (C
engine, type inference). The DtypeWarning about the mixed-type "Fiscal Year"
column (caused by "2025 (FYTD)") is silenced. Prints "<seconds> <rows>" on
stdout. Run it with Debian's /usr/bin/python3 (python3-pandas from apt).
"""
import sys
import time
import warnings

import pandas as pd


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pandas_parse.py FILE")
    path = sys.argv[1]
    warnings.simplefilter("ignore", pd.errors.DtypeWarning)
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    t1 = time.perf_counter()
    print(f"{t1 - t0:.6f} {len(df)}")


if __name__ == "__main__":
    main()

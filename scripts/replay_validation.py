#!/usr/bin/env python3
"""What replay raises on the real corridor data, scored against events found
in hindsight (docs/validation.md is written from this script's output).

A hindsight event, per checkpoint source and citizenship: a run of months
(gaps of one month joined) in which the monthly count is at least twice the
median of the 12 months before and at least 1,000. It uses the whole series,
future included, which the replay never sees: that is what makes it a
yardstick for the replay.

For each event: the first alert on that citizenship at that checkpoint (a
series trigger keyed by the source, or an upstream projection for the
checkpoint) opened or extended from three months before the event's first
month to its last; lead = event start - that month (positive: before the
surge began at that checkpoint). Alerts opened on series with no event in
the whole period are counted separately: those are the alarms no hindsight
justifies.

Usage: replay_validation.py TIMELINE.csv SERIES_DIR ROUTE.toml FIRST LAST
SERIES_DIR holds one `atalaya series --by citizenship --freq M --format csv`
file per source, named SOURCE.csv.
"""
import csv
import os
import statistics
import sys
import tomllib
from collections import Counter, defaultdict


def mi(text):
    y, m = text.split("-")
    return int(y) * 12 + int(m) - 1


def label(i):
    return f"{i // 12}-{i % 12 + 1:02d}"


def main():
    timeline, series_dir, route_file, first, last = sys.argv[1:6]
    first, last = mi(first), mi(last)
    route = tomllib.load(open(route_file, "rb"))
    checkpoint_source = {}
    for cp in route["checkpoint"]:
        for s in cp.get("sources", []):
            if os.path.exists(os.path.join(series_dir, s + ".csv")):
                checkpoint_source[cp["id"]] = s
                break
    series = defaultdict(dict)
    for f in os.listdir(series_dir):
        source = f[:-4]
        for r in csv.DictReader(open(os.path.join(series_dir, f))):
            # A month no release covers is empty: missing, never 0.
            if r["value"] != "":
                series[(r["citizenship"], source)][mi(r["period"])] = float(r["value"])
    events = []
    for key, values in series.items():
        flagged = []
        for t in range(first, last + 1):
            before = [values[u] for u in range(t - 12, t) if u in values]
            if len(before) < 6 or t not in values:
                continue
            med = statistics.median(before)
            v = values[t]
            if v >= 1000 and v >= 2 * med:
                flagged.append(t)
        runs = []
        for t in flagged:
            if runs and t - runs[-1][-1] <= 2:
                runs[-1].append(t)
            else:
                runs.append([t])
        for run in runs:
            peak = max(run, key=lambda t: values.get(t, 0))
            events.append({"key": key, "start": run[0], "end": run[-1], "peak": peak,
                           "peak_value": values.get(peak, 0), "first_alert": None, "triggers": set()})
    alerts = []
    for r in csv.DictReader(open(timeline)):
        key = dict(p.split("=", 1) for p in r["key"].split(";") if "=" in p)
        source = key.get("source") or checkpoint_source.get(key.get("checkpoint", ""))
        if not source or "citizenship" not in key:
            continue
        alerts.append(((key["citizenship"], source), mi(r["month"]), r["change"], r["trigger"]))
    for key, month, change, trigger in alerts:
        if change == "expired":
            continue
        for e in events:
            if e["key"] == key and e["start"] - 3 <= month <= e["end"]:
                e["triggers"].add(trigger)
                if e["first_alert"] is None or month < e["first_alert"]:
                    e["first_alert"] = month
    keys_with_events = {e["key"] for e in events}
    opened = [a for a in alerts if a[2] == "opened"]
    no_event = [a for a in opened if a[0] not in keys_with_events]
    outside = [a for a in opened if a[0] in keys_with_events and not any(
        e["key"] == a[0] and e["start"] - 3 <= a[1] <= e["end"] + 3 for e in events)]
    detected = [e for e in events if e["first_alert"] is not None]
    print(f"hindsight events: {len(events)}; caught: {len(detected)}")
    leads = [e["start"] - e["first_alert"] for e in detected]
    if leads:
        print(f"lead before the event's first month: median {statistics.median(leads)}, "
              f"before the peak: median {statistics.median(e['peak'] - e['first_alert'] for e in detected)}")
    print(f"alerts opened: {len(opened)}; on series with no event: {len(no_event)}; "
          f"on series with events but outside every event (+-3 months): {len(outside)}")
    series_keys = {k for k in series if any(first <= t <= last and v >= 1000 for t, v in series[k].items())}
    print(f"series reaching 1,000 in a month: {len(series_keys)}; with an event: {len(keys_with_events)}")
    print("by trigger, opened on series with no event:", dict(Counter(a[3] for a in no_event)))
    print()
    print("| checkpoint | citizenship | event months | peak | first alert | lead (months) | triggers |")
    print("|---|---|---|---|---|---|---|")
    for e in sorted(events, key=lambda e: (e["start"], e["key"][1], e["key"][0])):
        fa = label(e["first_alert"]) if e["first_alert"] is not None else "missed"
        lead = str(e["start"] - e["first_alert"]) if e["first_alert"] is not None else ""
        print(f"| {e['key'][1]} | {e['key'][0]} | {label(e['start'])}..{label(e['end'])} | "
              f"{label(e['peak'])}: {int(e['peak_value']):,} | {fa} | {lead} | {', '.join(sorted(e['triggers']))} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Scores an `atalaya replay --format csv` alert timeline against the
simulator's ground-truth.csv (tests/known_truth_test.sh).

An event is one injected surge of one citizenship as seen at one checkpoint
(a ground-truth row: start, peak and end months at that checkpoint).

- Detected: an alert about that citizenship at that checkpoint (a series
  trigger whose key names the checkpoint's source, or an upstream trigger
  whose key names the checkpoint) is opened or extended in a month from
  two months before the event's start to its end.
- Lead time: event peak minus the first such alert month, in months
  (positive: the warning came before the peak).
- False alert: an alert opened on a key (citizenship at a checkpoint) in a
  month outside every event window of that key, widened by two months
  before and three after (the tail of a surge is still the surge).
- False alerts per series-year: false alerts / (series x years replayed),
  series = citizenships x checkpoints.

Usage: known_truth.py TIMELINE.csv GROUND_TRUTH.csv ROUTE.toml MONTHS CITIZENSHIPS
Prints the measures as key=value lines.
"""
import csv
import statistics
import sys
import tomllib


def month_index(text):
    y, m = text.split("-")
    return int(y) * 12 + int(m) - 1


def main():
    timeline, truth_file, route_file, months, citizenships = sys.argv[1:6]
    months, citizenships = int(months), int(citizenships)
    with open(route_file, "rb") as f:
        route = tomllib.load(f)
    # checkpoint id -> the simulator's source for it
    checkpoint_source = {}
    for cp in route["checkpoint"]:
        for s in cp.get("sources", []):
            if s.startswith("sim-"):
                checkpoint_source[cp["id"]] = s
    events = []
    with open(truth_file) as f:
        for row in csv.DictReader(f):
            events.append({
                "key": (row["citizenship"], row["checkpoint_source"]),
                "start": month_index(row["start"]),
                "peak": month_index(row["peak"]),
                "end": month_index(row["end"]),
                "first_alert": None,
            })
    alerts = []  # (key, month, change)
    with open(timeline) as f:
        for row in csv.DictReader(f):
            key = dict(part.split("=", 1) for part in row["key"].split(";") if "=" in part)
            source = key.get("source") or checkpoint_source.get(key.get("checkpoint", ""))
            if not source or "citizenship" not in key:
                continue
            alerts.append(((key["citizenship"], source), month_index(row["month"]), row["change"]))
    for key, month, change in alerts:
        if change not in ("opened", "extended", "escalated"):
            continue
        for e in events:
            if e["key"] == key and e["start"] - 2 <= month <= e["end"]:
                if e["first_alert"] is None or month < e["first_alert"]:
                    e["first_alert"] = month
    false_alerts = 0
    for key, month, change in alerts:
        if change != "opened":
            continue
        if not any(e["key"] == key and e["start"] - 2 <= month <= e["end"] + 3 for e in events):
            false_alerts += 1
    detected = [e for e in events if e["first_alert"] is not None]
    leads = [e["peak"] - e["first_alert"] for e in detected]
    checkpoints = len({e["key"][1] for e in events})
    series_years = citizenships * checkpoints * months / 12.0
    print(f"events={len(events)}")
    print(f"detected={len(detected)}")
    print(f"detection_rate={len(detected) / max(1, len(events)):.3f}")
    print(f"false_alerts={false_alerts}")
    print(f"false_alerts_per_series_year={false_alerts / series_years:.3f}")
    print(f"median_lead_months={statistics.median(leads) if leads else float('nan')}")
    for e in events:
        if e["first_alert"] is None:
            print(f"missed={e['key'][0]}@{e['key'][1]}")


if __name__ == "__main__":
    main()

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

Warning events: the alerts about one movement (a citizenship along the
route, or at one source off it) form one event, and an event, not an alert,
is what a task force reads and is notified of. Events opened are counted from
the timeline's event columns; an event is justified when a hindsight event of
its citizenship at one of its checkpoints (any checkpoint of the route, for
an event along it) runs within three months of its opening.

Projected windows: every month an upstream alert was opened, extended or
escalated with a window for an event's checkpoint and citizenship, from three
months before the event's first month to its peak month, is one projection
of that peak. A projection hits when its window contains the event's peak
month. The hit rate is over those projections, and again over each event's
first projection; widths are window_to - window_from + 1 months.

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
    # Residual groups ("other or unknown", OOO; "other", OTH; "unknown", UNK)
    # lump many peoples together: not a movement, and the triggers leave them
    # out (docs/triggers.md). Their surges are counted apart.
    residual = {"OTH", "OOO", "UNK"}
    residual_surges = 0
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
        if key[0] in residual:
            residual_surges += len(runs)
            continue
        for run in runs:
            peak = max(run, key=lambda t: values.get(t, 0))
            events.append({"key": key, "start": run[0], "end": run[-1], "peak": peak,
                           "peak_value": values.get(peak, 0), "first_alert": None, "triggers": set()})
    alerts = []
    projections = []  # (key, month, window_from, window_to)
    warning_events = {}  # id -> {"opened": month, "citizenship", "sources": set}
    route_sources = set(checkpoint_source.values())
    for r in csv.DictReader(open(timeline)):
        if r.get("event"):
            key0 = dict(p.split("=", 1) for p in r["key"].split(";") if "=" in p)
            we = warning_events.setdefault(r["event"], {"opened": None, "citizenship": key0.get("citizenship"),
                                                        "sources": set()})
            if r["event_change"] == "opened" and we["opened"] is None:
                we["opened"] = mi(r["month"])
            if key0.get("route"):
                we["sources"] |= route_sources
            elif key0.get("source") in route_sources:
                we["sources"] |= route_sources
            elif key0.get("source"):
                we["sources"].add(key0["source"])
        key = dict(p.split("=", 1) for p in r["key"].split(";") if "=" in p)
        source = key.get("source") or checkpoint_source.get(key.get("checkpoint", ""))
        if not source or "citizenship" not in key:
            continue
        alerts.append(((key["citizenship"], source), mi(r["month"]), r["change"], r["trigger"]))
        if r["change"] != "expired" and r["window_from"] and r["window_to"]:
            projections.append(((key["citizenship"], source), mi(r["month"]), mi(r["window_from"]),
                                 mi(r["window_to"])))
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
    print(f"hindsight events: {len(events)}; caught: {len(detected)} "
          f"(and {residual_surges} surges of residual groups, OTH/OOO/UNK, left out)")
    leads = [e["start"] - e["first_alert"] for e in detected]
    if leads:
        print(f"lead before the event's first month: median {statistics.median(leads)}, "
              f"before the peak: median {statistics.median(e['peak'] - e['first_alert'] for e in detected)}")
    print(f"alerts opened: {len(opened)}; on series with no event: {len(no_event)}; "
          f"on series with events but outside every event (+-3 months): {len(outside)}")
    opened_events = [w for w in warning_events.values() if w["opened"] is not None]
    unjustified = [w for w in opened_events if not any(
        e["key"][0] == w["citizenship"] and e["key"][1] in w["sources"] and
        e["start"] - 3 <= w["opened"] <= e["end"] + 3 for e in events)]
    print(f"warning events opened: {len(opened_events)}; with no hindsight surge of their citizenship on "
          f"their route or source within +-3 months: {len(unjustified)}")
    series_keys = {k for k in series if any(first <= t <= last and v >= 1000 for t, v in series[k].items())}
    print(f"series reaching 1,000 in a month: {len(series_keys)}; with an event: {len(keys_with_events)}")
    print("by trigger, opened on series with no event:", dict(Counter(a[3] for a in no_event)))
    windows(events, projections)
    print()
    print("| checkpoint | citizenship | event months | peak | first alert | lead (months) | triggers |")
    print("|---|---|---|---|---|---|---|")
    for e in sorted(events, key=lambda e: (e["start"], e["key"][1], e["key"][0])):
        fa = label(e["first_alert"]) if e["first_alert"] is not None else "missed"
        lead = str(e["start"] - e["first_alert"]) if e["first_alert"] is not None else ""
        print(f"| {e['key'][1]} | {e['key'][0]} | {label(e['start'])}..{label(e['end'])} | "
              f"{label(e['peak'])}: {int(e['peak_value']):,} | {fa} | {lead} | {', '.join(sorted(e['triggers']))} |")


def windows(events, projections):
    """How often an upstream alert's projected window held the event's peak."""
    scored, firsts = [], []
    for e in events:
        mine = sorted((p for p in projections if p[0] == e["key"] and e["start"] - 3 <= p[1] <= e["peak"]),
                      key=lambda p: p[1])
        scored += [(e, p) for p in mine]
        if mine:
            firsts.append((e, mine[0]))
    if not scored:
        print("projected windows: none for any event")
        return
    def rate(pairs):
        hits = sum(1 for e, p in pairs if p[2] <= e["peak"] <= p[3])
        return f"{hits} of {len(pairs)} ({100 * hits / len(pairs):.0f}%)"
    widths = [p[3] - p[2] + 1 for _, p in scored]
    early = sum(1 for e, p in scored if e["peak"] < p[2])
    late = sum(1 for e, p in scored if e["peak"] > p[3])
    print(f"projected windows of an event's peak: {len(scored)} projections for {len(firsts)} events; "
          f"peak inside the window: {rate(scored)} (peak before the window {early}, after it {late}); "
          f"first projection per event: {rate(firsts)}")
    print(f"window width (months): median {statistics.median(widths)}, mean {statistics.mean(widths):.2f}, "
          f"range {min(widths)}-{max(widths)}")
    print("| checkpoint | citizenship | peak | projections (month: window) |")
    print("|---|---|---|---|")
    for e in sorted({id(e): e for e, _ in scored}.values(), key=lambda e: (e["start"], e["key"][1], e["key"][0])):
        mine = [p for x, p in scored if x is e]
        cells = ", ".join(f"{label(p[1])}: {label(p[2])}..{label(p[3])}{'' if p[2] <= e['peak'] <= p[3] else ' (miss)'}"
                          for p in mine)
        print(f"| {e['key'][1]} | {e['key'][0]} | {label(e['peak'])} | {cells} |")


if __name__ == "__main__":
    main()

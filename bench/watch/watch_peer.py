#!/usr/bin/python3
"""The watch benchmark's peer: the trigger rules of Atalaya's detectors
(src/atalaya/warning/detectors.h) written the way a competent analyst would
in Python, vectorised with numpy over every series of the hemisphere at
once (pandas reads the key file), and timed on the same data.

    watch_peer.py DIR RUNS

DIR is bench_watch's output: series.f64 (one row of float64 per series),
keys.csv, comparison.json (the like-for-like trigger set with every
parameter, defaults included, and Atalaya's counts per trigger) and
atalaya_firings.csv (trigger,row). Loading is not timed; evaluation is, as
the median of RUNS runs (time.perf_counter; CPU time with time.process_time). Prints a per-trigger comparison
with Atalaya and writes DIR/peer.txt (key=value). Exit status 3 when growth
or threshold firings differ from Atalaya's (they must agree exactly: their
arithmetic is exact on counts); the statistical rules' differences are
reported, not judged.

Each rule follows evaluate.cpp's volume gate (a rule runs only on series
whose latest month reaches the trigger's minimum volume; threshold on all)
and detectors.cpp's arithmetic, with direction = up.
"""
import json
import resource
import sys
import time
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

YEAR = 12


def median_last(x):
    """Median along the last axis; sorting and taking the middle is faster
    than np.median on many short rows, and gives the same value."""
    s = np.sort(x, axis=-1)
    k = x.shape[-1]
    return s[..., k // 2] if k % 2 else 0.5 * (s[..., k // 2 - 1] + s[..., k // 2])


def robust_centre_scale(x, min_scale):
    """Row-wise median and 1.4826 MAD (1.2533 mean absolute deviation when
    the MAD is 0), floored at min_scale."""
    centre = median_last(x)
    dev = np.abs(x - centre[:, None])
    mad = median_last(dev)
    scale = np.where(mad > 0, 1.4826 * mad, 1.2533141373155 * dev.sum(axis=1) / x.shape[1])
    return centre, np.maximum(scale, min_scale)


def reweighted_centre_scale(x, min_scale):
    """One reweighting step: mean and truncation-corrected sd of the values
    within 3 robust sd of the median."""
    c, s = robust_centre_scale(x, min_scale)
    keep = np.abs(x - c[:, None]) <= 3 * s[:, None]
    kept = keep.sum(axis=1)
    mu = np.where(keep, x, 0.0).sum(axis=1) / kept
    d = np.where(keep, x - mu[:, None], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(kept > 1, np.sqrt((d * d).sum(axis=1) / (kept - 1)) / 0.98658, 0.0)
    return mu, np.maximum(sd, min_scale)


def threshold(y, p):
    return y[:, -1] >= p["level"]


def growth(y, p):
    v = y[:, -1]
    if p["compare"] == "year_ago":
        b = y[:, -1 - YEAR]
    else:
        w = p["window"]
        b = y[:, -1 - w:-1].sum(axis=1) / w
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(b > 0, v / b, np.where(v > 0, np.inf, 1.0))
    return (v > b) & (score >= p["ratio"]) & (v - b >= p["min_increase"]) & (v >= p["minimum_volume"])


def chart_input(y, p):
    """The control charts' standardised basis: training x (for mu, sigma)
    and the monitored x, or None when the series are too short."""
    n = y.shape[1]
    lag = YEAR if p["basis"] == "year_over_year" else 0
    monitor = p["monitor_months"]
    used = min(p["training_months"], n - monitor - lag)
    if used < p["min_training_months"]:
        return None
    z = np.log1p(y[:, n - monitor - used - lag:])
    x = z[:, lag:] - z[:, :-lag] if lag else z
    mu, sigma = reweighted_centre_scale(x[:, :used], p["min_scale"])
    return mu, sigma, x[:, used:]


def cusum(y, p):
    chart = chart_input(y, p)
    if chart is None:
        return np.zeros(len(y), bool)
    mu, sigma, monitored = chart
    upper = np.zeros(len(y))
    for j in range(monitored.shape[1]):
        upper = np.maximum(0.0, upper + (monitored[:, j] - mu) / sigma - p["k"])
    return (upper > p["h"]) & (y[:, -1] >= p["minimum_volume"])


def ewma(y, p):
    chart = chart_input(y, p)
    if chart is None:
        return np.zeros(len(y), bool)
    mu, sigma, monitored = chart
    lam = p["lambda"]
    z = mu.copy()
    for j in range(monitored.shape[1]):
        z = lam * monitored[:, j] + (1 - lam) * z
    steps = monitored.shape[1]
    sd = sigma * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * steps)))
    return ((z - mu) / sd > p["L"]) & (y[:, -1] >= p["minimum_volume"])


def seasonal_anomaly(y, p):
    n = y.shape[1]
    years = min(p["years"], (n - 2 * YEAR - 1 - p["min_reference_months"]) // YEAR + 1)
    if n < 2 * YEAR + 1 + p["min_reference_months"] or years < 1:
        return np.zeros(len(y), bool)
    reference = min(p["reference_months"], n - 1 - YEAR * (years + 1))
    first = n - 1 - reference - YEAR * years - YEAR
    z = np.log1p(y[:, first:])
    length = z.shape[1]
    # Trailing 12-month median level for u = 12 .. length-1.
    windows = np.lib.stride_tricks.sliding_window_view(z, YEAR, axis=1)[:, :-1]
    r = z[:, YEAR:] - median_last(windows)  # r[:, u - 12]
    us = np.arange(length - 1 - reference, length)
    past = np.stack([r[:, us - YEAR * k - YEAR] for k in range(1, years + 1)], axis=2)
    adjusted = r[:, us - YEAR] - median_last(past)
    centre, scale = robust_centre_scale(adjusted[:, :reference], p["min_scale"])
    score = (adjusted[:, reference] - centre) / scale
    return (score >= p["z_threshold"]) & (y[:, -1] >= p["minimum_volume"])


def forecast_exceedance(y, p):
    n = y.shape[1]
    lag = {"snaive": YEAR, "naive": 1}.get(p["model"])
    if lag is None:
        raise SystemExit(f"watch_peer: {p['id']}: model {p['model']} has no vectorised equivalent here")
    fit_months = max(p["min_training_months"], YEAR + 1) if lag == YEAR else p["min_training_months"]
    if n < fit_months + 1:
        return np.zeros(len(y), bool)
    fit = y[:, :-1]
    d = fit[:, lag:] - fit[:, :-lag]
    sd = np.sqrt((d * d).sum(axis=1) / d.shape[1])
    mean = fit[:, -lag]
    z = NormalDist().inv_cdf(0.5 + p["level"] / 200)
    v = y[:, -1]
    return (v > mean + z * sd) & (v >= p["minimum_volume"])


RULES = {
    "threshold": threshold,
    "growth": growth,
    "seasonal_anomaly": seasonal_anomaly,
    "cusum": cusum,
    "ewma": ewma,
    "forecast_exceedance": forecast_exceedance,
}


def evaluate(y, triggers):
    """Every trigger over every series: per trigger, the rows evaluated, the
    rows below the minimum volume and the rows that fired."""
    latest = y[:, -1]
    out = []
    for t in triggers:
        if t["rule"] == "threshold":  # every series, and only the latest month read
            rows = np.arange(len(y))
            fired = np.flatnonzero(threshold(y, t))
        else:
            rows = np.flatnonzero(latest >= t["minimum_volume"])
            fired = rows[RULES[t["rule"]](y[rows], t)]
        out.append((len(rows), len(y) - len(rows), fired))
    return out


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: watch_peer.py DIR RUNS")
    folder, runs = Path(sys.argv[1]), int(sys.argv[2])
    meta = json.loads((folder / "comparison.json").read_text())
    n, months = meta["series"], meta["months"]
    y = np.fromfile(folder / "series.f64", dtype="<f8")
    if y.size != n * months:
        raise SystemExit(f"watch_peer: series.f64 holds {y.size} values, expected {n} x {months}")
    y = y.reshape(n, months)
    keys = pd.read_csv(folder / "keys.csv")
    if len(keys) != n:
        raise SystemExit(f"watch_peer: keys.csv has {len(keys)} rows, expected {n}")
    triggers = meta["triggers"]

    times, cpu, per_rule = [], [], {t["id"]: [] for t in triggers}
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        result = evaluate(y, triggers)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    # Per-trigger times, separately (the timed runs above are not split).
    for _ in range(runs):
        for t in triggers:
            t0 = time.perf_counter()
            evaluate(y, [t])
            per_rule[t["id"]].append(time.perf_counter() - t0)
    seconds, cpu_seconds = float(np.median(times)), float(np.median(cpu))

    atalaya = pd.read_csv(folder / "atalaya_firings.csv")
    exact_rules = {"threshold", "growth"}
    failed = []
    lines = []
    lines.append(f"  {'trigger':<18} {'rule':<28} {'evaluated':>10} {'firings':>17} {'only atalaya':>13} "
                 f"{'only peer':>10} {'peer ms':>9}")
    total_fired = 0
    for t, (evaluated, below, fired) in zip(triggers, result):
        a = set(atalaya.loc[atalaya["trigger"] == t["id"], "row"].tolist())
        b = set(fired.tolist())
        total_fired += len(b)
        only_a, only_b = len(a - b), len(b - a)
        counts_ok = (evaluated == t["atalaya"]["evaluated"] and below == t["atalaya"]["below_volume"])
        rule = t["rule"] + (f" ({t['model']})" if "model" in t else "")
        mark = ""
        if only_a or only_b or not counts_ok:
            mark = "  DIFFERS" if t["rule"] in exact_rules else "  (statistical rule: reported)"
            if t["rule"] in exact_rules or not counts_ok:
                failed.append(t["id"])
        lines.append(f"  {t['id']:<18} {rule:<28} {evaluated:>10,} {len(a):>7,} vs {len(b):>7,} "
                     f"{only_a:>13,} {only_b:>10,} {np.median(per_rule[t['id']]) * 1000:>9.1f}{mark}")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"peer: numpy {np.__version__}, pandas {pd.__version__}: {len(triggers)} triggers over {n:,} series, "
          f"median of {runs} run(s) {seconds:.3f} s (best {min(times):.3f} s; CPU {cpu_seconds:.3f} s); peak RSS {peak_kib / 1024:,.0f} MiB")
    print("  firings: atalaya vs peer, per trigger (rows that fired on one side only):")
    print("\n".join(lines))
    if failed:
        print(f"  DISAGREEMENT on: {', '.join(failed)} (growth and threshold must agree exactly, "
              f"and every rule must evaluate the same series)")
    (folder / "peer.txt").write_text(
        f"peer_s={seconds}\npeer_cpu_s={cpu_seconds}\npeer_firings={total_fired}\npeer_peak_kib={peak_kib}\n"
        f"peer_disagreements={','.join(failed)}\nnumpy={np.__version__}\npandas={pd.__version__}\n")
    return 3 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: daily AQI plus annual statistics for every city of one real year.

Times the project's vectorised path (``yqplan.air.stats``: daily values with the
GB 3095 validity rules → daily AQI (HJ 633—2012, round up) → HJ 663 annual
statistics) against a plain row-by-row Python implementation of the same rules,
in the same run, and prints the ratio.  The baseline runs on a subset of cities
(it is slow) and the project is timed on that same subset as well as on all
cities; both must agree on the subset.

Target (issue 6): all cities of one year in under 2 s.

Usage:  .venv/bin/python bench/bench_assessment.py [--year 2022] [--baseline-cities 15]
Needs the real archive under $YQPLAN_SHARED_DATA/cnemc (reading it is not timed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from collections import defaultdict


def baseline(df, year, breakpoints):
    """Row by row: the same rules as yqplan.air.stats / yqplan.air.aqi, in plain Python."""
    levels = (0, 50, 100, 150, 200, 300, 400, 500)

    def iaqi(c, bps):
        if c is None:
            return None
        if c > bps[-1]:
            return None if len(bps) < 8 else 500.0
        for j in range(len(bps) - 1):
            if bps[j] <= c <= bps[j + 1]:
                v = (levels[j + 1] - levels[j]) / (bps[j + 1] - bps[j]) * (c - bps[j]) + levels[j]
                return float(math.ceil(v - 1e-7))
        return None

    cols = ("so2", "no2", "co", "pm10", "pm25", "o3")
    cube = defaultdict(lambda: {c: [None] * 24 for c in cols})
    one_hour = dt.timedelta(hours=1)
    times = df["time"].dt.tz_convert("Asia/Shanghai").dt.tz_localize(None).dt.to_pydatetime()
    for row, t in zip(df[["city", *cols]].itertuples(index=False), times):
        t = t - one_hour  # hour-ending labels: 00:00 closes the previous day
        cell = cube[(row[0], t.date())]
        for k, c in enumerate(cols):
            v = row[k + 1]
            if v == v:  # not NaN
                cell[c][t.hour] = v
    per_city = defaultdict(list)
    for (city, day), cell in cube.items():
        if day.year != year:
            continue
        d = {}
        for c in ("so2", "no2", "co", "pm10", "pm25"):
            vals = [v for v in cell[c] if v is not None]
            d[c] = sum(vals) / len(vals) if len(vals) >= 20 else None
        o3 = cell["o3"]
        vals = [v for v in o3 if v is not None]
        d["o3_1h_max"] = max(vals) if len(vals) >= 20 else None
        windows = []
        for j in range(7, 24):
            w = [v for v in o3[j - 7:j + 1] if v is not None]
            if len(w) >= 6:
                windows.append(sum(w) / len(w))
        m8 = max(windows) if windows else None
        d["o3_8h_max"] = m8 if m8 is not None and (len(windows) >= 14 or m8 > 160) else None
        bp = breakpoints
        ia = [iaqi(d["so2"], bp["so2_24h"]), iaqi(d["no2"], bp["no2_24h"]),
              iaqi(d["co"], bp["co_24h"]), iaqi(d["pm10"], bp["pm10_24h"]),
              iaqi(d["pm25"], bp["pm25_24h"]), iaqi(d["o3_1h_max"], bp["o3_1h"])]
        i8 = iaqi(d["o3_8h_max"], bp["o3_8h"])
        present = [v for v in ia + [i8] if v is not None]
        missing = any(v is None for v in ia) or (i8 is None and d["o3_8h_max"] is None)
        a = max(present) if present else None
        if missing and not (a is not None and a > 100):
            a = None
        d["aqi"] = a
        per_city[city].append(d)

    def pct(vals, p):
        x = sorted(vals)
        n = len(x)
        if not n:
            return None
        k = 1 + (n - 1) * p
        s = int(k)
        return x[-1] if s >= n else x[s - 1] + (x[s] - x[s - 1]) * (k - s)

    out = {}
    for city, days in per_city.items():
        r = {}
        for c in ("so2", "no2", "pm10", "pm25"):
            v = [d[c] for d in days if d[c] is not None]
            r[c] = sum(v) / len(v) if v else None
        r["co_p95"] = pct([d["co"] for d in days if d["co"] is not None], 0.95)
        r["o3_8h_p90"] = pct([d["o3_8h_max"] for d in days if d["o3_8h_max"] is not None], 0.90)
        aq = [d["aqi"] for d in days if d["aqi"] is not None]
        r["valid_days"] = len(aq)
        r["good_days"] = sum(1 for a in aq if a <= 100)
        r["heavy_days"] = sum(1 for a in aq if a > 200)
        r["composite_index"] = (r["so2"] / 60 + r["no2"] / 40 + r["pm10"] / 70 + r["pm25"] / 35
                                + r["co_p95"] / 4 + r["o3_8h_p90"] / 160)
        out[city] = r
    return out


def project(df, year):
    from yqplan.air import stats as airstats

    days, _ = airstats.assess_hourly(df, edition="2012")
    return airstats.compute_annual_stats(days, year)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--baseline-cities", type=int, default=15)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    from yqplan import config
    from yqplan.air import aqi
    from yqplan.air.cnemc import read_cnemc

    src = config.shared_data_dir() / "cnemc" / f"城市_{args.year}0101-{args.year}1231.zip"
    if not src.exists():
        print(f"skip: {src} not found (set YQPLAN_SHARED_DATA)")
        return 0
    t0 = time.perf_counter()
    df, meta = read_cnemc(src)
    t_read = time.perf_counter() - t0
    n_cities = df["city"].nunique()
    print(f"read {src.name}: {len(df):,} rows, {n_cities} cities, {t_read:.1f} s (not timed below)")

    best = min(_timed(project, df, args.year)[1] for _ in range(args.repeat))
    stats, _ = _timed(project, df, args.year)
    print(f"project, all {n_cities} cities: {best:.2f} s (best of {args.repeat}); "
          f"target < 2 s: {'met' if best < 2 else 'NOT met'}")

    subset = sorted(df["city"].unique())[: args.baseline_cities]
    if "阳泉" not in subset:
        subset[-1] = "阳泉"
    sub = df[df["city"].isin(subset)].reset_index(drop=True)
    base_res, t_base = _timed(baseline, sub, args.year, aqi.BREAKPOINTS["2012"])
    proj_best = min(_timed(project, sub, args.year)[1] for _ in range(args.repeat))
    proj_res, _ = _timed(project, sub, args.year)
    print(f"subset of {len(subset)} cities ({len(sub):,} rows): baseline row-by-row "
          f"{t_base:.2f} s, project {proj_best:.3f} s, ratio {t_base / proj_best:.0f}x")
    print(f"baseline extrapolated to all cities: {t_base * n_cities / len(subset):.0f} s "
          f"(ratio {t_base * n_cities / len(subset) / best:.0f}x)")
    worst = 0.0
    for s in proj_res:
        b = base_res[s.location]
        for k in ("pm25", "so2", "no2", "pm10", "co_p95", "o3_8h_p90", "composite_index"):
            worst = max(worst, abs(getattr(s, k) - b[k]))
        if (s.good_days, s.valid_days, s.heavy_days) != (b["good_days"], b["valid_days"],
                                                         b["heavy_days"]):
            print(f"MISMATCH {s.location}: project {s.good_days}/{s.valid_days} "
                  f"baseline {b['good_days']}/{b['valid_days']}")
            return 1
    print(f"project and baseline agree on the subset (largest difference {worst:.2e})")
    yq = next(s for s in stats if s.location == "阳泉")
    print(f"阳泉 {args.year}: PM2.5 {yq.pm25:.1f} µg/m³, good days {yq.good_days}/{yq.valid_days} "
          f"({yq.good_ratio:.1f} %), heavy {yq.heavy_days}, composite {yq.composite_index:.2f}")
    return 0


def _timed(fn, *a):
    t = time.perf_counter()
    r = fn(*a)
    return r, time.perf_counter() - t


if __name__ == "__main__":
    sys.exit(main())

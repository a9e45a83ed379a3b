"""Scale: a SYNTHETIC national station-level decade, generated and ingested year by year.

For each year k = 1 … N (``--years N``, default 2; 10 for the decade) of the demo
generator's national station network (``--stations``, default 1,700;
:func:`yqplan.air.demo.write_national_sites`):

1. generate the year's archive (a fresh child process: wall time, peak RSS);
2. ingest it into ONE growing store (a fresh child process, as ``yqplan air ingest`` runs);
   the archive is then deleted (the disk holds the store, not the CSVs);
3. compute the HJ 663 annual statistics of every station for that year from the store
   (``read_store`` of the six pollutants → ``compute_daily_values`` → ``assess_days`` →
   ``compute_annual_stats``; a fresh child process: wall time, peak RSS, stations).

Printed after each year: the year's figures, the store size, the cumulative times, and —
at the end — how each grows from 1 to N years (per-year cost at year N over year 1: flat
means linear growth of the totals) plus a linear extrapolation to ten years, labelled as
such.  Per-year annual statistics are independent, so "every station for every year" is the
sum of the per-year runs.  Limits checked: 2 cores, 24 GiB (peak RSS), free disk.  Nothing
is asserted; timing belongs to benchmarks, never tests.

Usage: ``.venv/bin/python bench/bench_scale.py [--years N] [--stations N] [--first-year Y]
[--keep DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = r"""
import json, re, sys, time
job, a, b, year = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t = time.perf_counter()
if job == "generate":
    from yqplan.air import demo
    info = demo.write_national_sites(a, year, int(b))
    out = {"files": info["files"]}
elif job == "ingest":
    from yqplan.air import store
    s = store.ingest(a, b, progress=False)
    out = {"files": s["files_read"], "rows": s["rows_written"]}
else:
    from yqplan.air import stats as airstats, store
    cols = ["so2", "no2", "co", "o3", "pm10", "pm25"]
    hourly, meta = store.read_store(a, kind="sites", start=f"{year}-01-01",
                                    end=f"{year}-12-31", columns=cols)
    t_read = time.perf_counter() - t
    daily = airstats.compute_daily_values(hourly)
    del hourly
    days = airstats.assess_days(daily, "auto")
    stats = airstats.compute_annual_stats(days, year)
    out = {"stations": len(stats), "read_s": t_read,
           "pm25_mean": sum(s.pm25 for s in stats if s.pm25 == s.pm25) / len(stats)}
out["seconds"] = time.perf_counter() - t
status = open("/proc/self/status").read()
out["peak_mib"] = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
print(json.dumps(out))
"""

LIMIT_MIB = 24 * 1024


def run(job: str, a, b, year: int) -> dict:
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", _CHILD, job, str(a), str(b), str(year)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"{job} {year} failed:\n{res.stderr[-3000:]}")
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["process_s"] = time.perf_counter() - t0
    return out


def du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def growth(first: float, last: float) -> str:
    return f"×{last / first:.2f}" if first else "–"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=2,
                    help="years to generate and ingest (default 2, as `make bench` runs it; 10: the decade)")
    ap.add_argument("--stations", type=int, default=1700)
    ap.add_argument("--first-year", type=int, default=2015)
    ap.add_argument("--keep", type=Path, default=None,
                    help="build the store here and keep it (default: a temporary folder)")
    args = ap.parse_args(argv)
    if args.years < 1 or args.stations < 1:
        ap.error("--years and --stations must be at least 1")
    tmp = Path(tempfile.mkdtemp(prefix="yqplan-bench-scale-"))
    store_dir = args.keep or tmp / "store"
    print(f"bench_scale: {args.stations} SYNTHETIC stations × {args.years} year(s) from "
          f"{args.first_year}; {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at start; store {store_dir}", flush=True)
    head = (f"{'yr':>2} {'year':>4} {'gen s':>6} {'ingest s':>8} {'ing MiB':>7} "
            f"{'store MB':>8} {'annual s':>8} {'(read s)':>8} {'ann MiB':>7} {'stations':>8} "
            f"{'cum ingest s':>12} {'cum annual s':>12} {'load':>5}")
    print(head, flush=True)
    rows = []
    try:
        for k in range(args.years):
            year = args.first_year + k
            arch = tmp / f"national-{year}"
            g = run("generate", arch, args.stations, year)
            i = run("ingest", arch, store_dir, year)
            shutil.rmtree(arch)
            size = du_mb(store_dir)
            a = run("annual", store_dir, "", year)
            rows.append({"year": year, "gen": g, "ingest": i, "annual": a, "store_mb": size,
                         "load": os.getloadavg()[0],
                         "free_gb": shutil.disk_usage(store_dir).free / 1e9})
            cum_i = sum(r["ingest"]["process_s"] for r in rows)
            cum_a = sum(r["annual"]["process_s"] for r in rows)
            print(f"{k + 1:>2} {year:>4} {g['process_s']:6.1f} {i['process_s']:8.1f} "
                  f"{i['peak_mib']:7.0f} {size:8.0f} {a['process_s']:8.1f} {a['read_s']:8.1f} "
                  f"{a['peak_mib']:7.0f} {a['stations']:8d} {cum_i:12.1f} {cum_a:12.1f} "
                  f"{rows[-1]['load']:5.1f}", flush=True)
        first, last = rows[0], rows[-1]
        n = len(rows)
        print(f"\ngrowth from 1 to {n} year(s) (same run; per-year figures flat = totals "
              "linear):")
        print(f"  ingest time of the year added:   {first['ingest']['process_s']:.1f} s → "
              f"{last['ingest']['process_s']:.1f} s ({growth(first['ingest']['process_s'], last['ingest']['process_s'])})")
        print(f"  ingest peak memory:              {first['ingest']['peak_mib']:.0f} → "
              f"{last['ingest']['peak_mib']:.0f} MiB ({growth(first['ingest']['peak_mib'], last['ingest']['peak_mib'])})")
        print(f"  store size:                      {first['store_mb']:.0f} → "
              f"{last['store_mb']:.0f} MB ({growth(first['store_mb'], last['store_mb'])} for "
              f"×{n} years; {last['store_mb'] / n:.0f} MB a year)")
        print(f"  annual stats of one year:        {first['annual']['process_s']:.1f} s → "
              f"{last['annual']['process_s']:.1f} s ({growth(first['annual']['process_s'], last['annual']['process_s'])}); "
              f"peak {first['annual']['peak_mib']:.0f} → {last['annual']['peak_mib']:.0f} MiB")
        per_i = sum(r["ingest"]["process_s"] for r in rows) / n
        per_a = sum(r["annual"]["process_s"] for r in rows) / n
        per_g = sum(r["gen"]["process_s"] for r in rows) / n
        per_mb = last["store_mb"] / n
        peak = max(max(r["ingest"]["peak_mib"], r["annual"]["peak_mib"]) for r in rows)
        print(f"\nEXTRAPOLATED to 10 years (linear, from the {n} measured year(s); not "
              "measured):" if n < 10 else "\nten years measured:")
        print(f"  ingest {10 * per_i:.0f} s, annual statistics of every station for every year "
              f"{10 * per_a:.0f} s, generation {10 * per_g:.0f} s, store {10 * per_mb / 1e3:.1f} GB; "
              f"peak memory stays the per-year peak ({peak:.0f} MiB of {LIMIT_MIB} MiB) "
              "because each step handles one year")
        print(f"  free disk now {last['free_gb']:.0f} GB; 2 cores: every step uses at most "
              "the CPU count")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

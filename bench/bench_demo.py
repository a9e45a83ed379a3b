"""Demo generator and station-level ingest: time and peak memory, one month vs one year.

1. The demonstration archive used by ``make report`` (2015–2025, 11 Shanxi cities + 7 Yangquan
   stations): generation time, ingest time, peak memory.
2. A SYNTHETIC national station-level year (``--stations``, default 1,700 stations): one month
   vs twelve months — generation and ingest time, peak memory, and how they grow.

Each step runs in a fresh child process that reports its own wall time and VmHWM (peak RSS),
so one step's memory does not leak into the next.  Everything is written to a temporary
folder and removed at the end.

Usage: python bench/bench_demo.py [--stations N] [--skip-year]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = r"""
import json, re, sys, time
from yqplan.air import demo
from yqplan.air import store
job, a, b = sys.argv[1], sys.argv[2], sys.argv[3]
t = time.perf_counter()
if job == "demo":
    info = demo.write_demo_archive(a, 2015, 2025, overwrite=True)
    out = {"files": info["files"]}
elif job == "national":
    n, months = (int(x) for x in b.split(":"))
    info = demo.write_national_sites(a, 2022, n, months=months)
    out = {"files": info["files"]}
else:
    s = store.ingest(a, b, progress=False)
    out = {"files": s["files_read"], "rows": s["rows_written"]}
out["seconds"] = time.perf_counter() - t
status = open("/proc/self/status").read()
out["peak_mib"] = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
print(json.dumps(out))
"""


def run(job, a, b=""):
    res = subprocess.run([sys.executable, "-c", _CHILD, job, str(a), str(b)], check=True,
                         capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def du(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=1700)
    ap.add_argument("--skip-year", action="store_true", help="national: one month only")
    args = ap.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    tmp = Path(tempfile.mkdtemp(prefix="yqplan-bench-"))
    try:
        g = run("demo", tmp / "demo")
        i = run("ingest", tmp / "demo", tmp / "store")
        print(f"demo archive 2015–2025: {g['files']} files, {du(tmp / 'demo'):.0f} MB, "
              f"generated in {g['seconds']:.1f} s (peak {g['peak_mib']:.0f} MiB); "
              f"ingested in {i['seconds']:.1f} s, {i['rows']:,} rows "
              f"(peak {i['peak_mib']:.0f} MiB); store {du(tmp / 'store'):.0f} MB")
        i2 = run("ingest", tmp / "demo", tmp / "store")
        print(f"  second ingest of the same archive: {i2['files']} files read in "
              f"{i2['seconds']:.2f} s")
        shutil.rmtree(tmp / "demo")
        shutil.rmtree(tmp / "store")
        results = {}
        for months in ((1,) if args.skip_year else (1, 12)):
            arch = tmp / f"national{months}"
            g = run("national", arch, f"{args.stations}:{months}")
            i = run("ingest", arch, tmp / f"nstore{months}")
            results[months] = (g, i)
            print(f"national stations x{args.stations}, {months:2d} month(s): {g['files']} files, "
                  f"{du(arch):.0f} MB CSV; generate {g['seconds']:.1f} s "
                  f"(peak {g['peak_mib']:.0f} MiB); ingest {i['seconds']:.1f} s, "
                  f"{i['rows']:,} rows (peak {i['peak_mib']:.0f} MiB); "
                  f"store {du(tmp / f'nstore{months}'):.0f} MB")
            shutil.rmtree(arch)
        if 12 in results:
            (g1, i1), (g12, i12) = results[1], results[12]
            print("growth one month → one year (same run):")
            print(f"  files x{g12['files'] / g1['files']:.1f}; generate time "
                  f"x{g12['seconds'] / g1['seconds']:.1f}, "
                  f"peak x{g12['peak_mib'] / g1['peak_mib']:.2f}; "
                  f"ingest time x{i12['seconds'] / i1['seconds']:.1f}, "
                  f"peak x{i12['peak_mib'] / i1['peak_mib']:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

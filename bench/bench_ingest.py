"""Ingest speed and memory on one real year of the national city archive (2022 zip).

Prints, from ONE run on this machine:
  * store.ingest vs a plain pandas loop (read_csv each file, concat, melt to long) — goal ≥ 6×;
  * store.ingest vs a bare typed pyarrow parse of the same files, parallel over files,
    nothing else (no reshape, no write) — goal ≤ 1.5×;
  * (extra reference, no goal) the same bare parse done the way the ingest does it: members
    read in a thread pool, consecutive files with an identical header concatenated and parsed
    in ONE multithreaded typed pyarrow call per group — the floor of the ingest's parsing;
  * reading one city-year back from the store vs the ingest — goal ≥ 50×;
  * peak memory (max RSS) of the ingest, measured in a child process — goal < 2 GB.
Wall-clock and CPU seconds are both shown: on a shared machine CPU time is the steadier one.

Protocol: ``--repeat`` rounds (default 5) in this one process; each round runs every contender
once, back to back (ingest, ingest with the compiled pass off, bare pyarrow, grouped pyarrow,
pandas loop, 7 reads).  A ratio is taken within each round — two runs made in the same state
of a machine whose speed drifts — and the median over rounds is printed with its range;
absolute times are the best round (as ``timeit`` does).  The first, cold ingest of the
process is printed too: it carries one-off costs (loading the compiled CSV kernel, about
0.5 s, and first-touch memory) that a long-running session or a second year does not pay.
The ingest with the compiled fast path switched off (``YQPLAN_FAST_CSV=0``: pyarrow parses)
is shown for reference.

Usage: python bench/bench_ingest.py [--zip PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def _timed(fn, repeat=1):
    walls, cpus = [], []
    out = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus), out


def _members(zpath):
    with zipfile.ZipFile(zpath) as zf:
        return [i.filename for i in zf.infolist()
                if i.filename.endswith(".csv") and "/._" not in i.filename]


def pandas_loop(zpath):
    import pandas as pd

    frames = []
    with zipfile.ZipFile(zpath) as zf:
        for m in _members(zpath):
            frames.append(pd.read_csv(io.BytesIO(zf.read(m))))
    wide = pd.concat(frames, ignore_index=True)
    return wide.melt(id_vars=["date", "hour", "type"], var_name="city", value_name="value")


def pyarrow_bare(zpath, workers):
    import pyarrow as pa
    import pyarrow.csv as pcsv

    members = _members(zpath)

    def one(m):
        with zipfile.ZipFile(zpath) as zf:
            data = zf.read(m)
        head = data[:data.find(b"\n")].decode().rstrip("\r").split(",")
        types = {h: pa.float64() for h in head[3:]}
        types.update(date=pa.int32(), hour=pa.int32(), type=pa.string())
        return pcsv.read_csv(io.BytesIO(data),
                             read_options=pcsv.ReadOptions(use_threads=False),
                             convert_options=pcsv.ConvertOptions(column_types=types)).num_rows

    with ThreadPoolExecutor(workers) as pool:
        return sum(pool.map(one, members))


def pyarrow_grouped(zpath, workers):
    """Bare typed parse, one multithreaded pyarrow call per run of files sharing a header."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    members = _members(zpath)

    def read(m):
        with zipfile.ZipFile(zpath) as zf:
            return zf.read(m)

    with ThreadPoolExecutor(workers) as pool:
        datas = list(pool.map(read, members))
    groups: list = []
    for data in datas:
        nl = data.find(b"\n")
        head = data[:nl].rstrip(b"\r")
        body = data[nl + 1:]
        if not body.endswith(b"\n"):
            body += b"\n"
        if groups and groups[-1][0] == head:
            groups[-1][1].append(body)
        else:
            groups.append((head, [body]))
    rows = 0
    for head, bodies in groups:
        names = head.decode().split(",")
        types = {h: pa.float64() for h in names[3:]}
        types.update(date=pa.int32(), hour=pa.int32(), type=pa.string())
        rows += pcsv.read_csv(io.BytesIO(b"".join(bodies)),
                              read_options=pcsv.ReadOptions(column_names=names,
                                                            use_threads=True),
                              convert_options=pcsv.ConvertOptions(column_types=types)).num_rows
    return rows, len(groups)


def child_peak(code: str) -> float:
    """Peak RSS (MiB) of a fresh child process running ``code``.

    The child reports its own VmHWM (high-water RSS of its address space after exec), so the
    parent's size does not leak into the figure as it would with RUSAGE_CHILDREN.
    """
    code += ("\nimport re\nprint(re.search(r'VmHWM:\\s+(\\d+)', "
             "open('/proc/self/status').read()).group(1))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return int(out.strip().splitlines()[-1]) / 1024


def main(argv=None):
    import pandas  # noqa: F401  warm imports: every contender runs with modules loaded
    import pyarrow.csv  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    from yqplan import config
    from yqplan.air import store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zip", default=str(config.shared_data_dir() / "cnemc"
                                         / "城市_20220101-20221231.zip"))
    ap.add_argument("--repeat", type=int, default=5, help="interleaved rounds (at least 1)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat: at least 1 round")
    zpath = Path(args.zip)
    if not zpath.is_file():
        print(f"bench_ingest: {zpath} not found (set YQPLAN_SHARED_DATA)", file=sys.stderr)
        return 1
    workers = min(8, os.cpu_count() or 1)
    n = len(_members(zpath))
    mb = sum(i.file_size for i in zipfile.ZipFile(zpath).infolist()) / 1e6
    print(f"input: {zpath.name}: {n} daily files, {mb:.0f} MB of CSV; {workers} worker threads; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    with tempfile.TemporaryDirectory() as tmp:
        def do_ingest():
            d = Path(tmp) / f"store{time.perf_counter_ns()}"
            return store.ingest(zpath, d, progress=False), d

        def ingest_off():
            os.environ["YQPLAN_FAST_CSV"] = "0"
            try:
                return do_ingest()
            finally:
                del os.environ["YQPLAN_FAST_CSV"]

        def read_year(sdir):
            return store.read_store(sdir, names="阳泉", start="2022-01-01", end="2022-12-31")

        w_cold, c_cold, _ = _timed(do_ingest, 1)
        # Interleaved rounds: each round runs every contender once, back to back, so a ratio
        # compares runs made in the same state of a machine whose speed drifts (shared
        # hosts: ±30 % within minutes).  Ratios are taken within a round; the median over
        # rounds is the result, the range shows the spread.
        runs: dict = {k: [] for k in ("ingest", "off", "pa", "pg", "pd", "read")}
        for _ in range(args.repeat):
            w, c, (summary, sdir) = _timed(do_ingest)
            runs["ingest"].append((w, c))
            runs["off"].append(_timed(ingest_off)[:2])
            w, c, rows_pa = _timed(lambda: pyarrow_bare(zpath, workers))
            runs["pa"].append((w, c))
            w, c, (rows_pg, n_groups) = _timed(lambda: pyarrow_grouped(zpath, workers))
            runs["pg"].append((w, c))
            w, c, long_pd = _timed(lambda: pandas_loop(zpath))
            runs["pd"].append((w, c))
            n_long = len(long_pd)
            del long_pd
            reads = [_timed(lambda: read_year(sdir)) for _ in range(7)]
            runs["read"].append((statistics.median(r[0] for r in reads),
                                 statistics.median(r[1] for r in reads)))
            df = reads[-1][2][0]
        peak = child_peak(
            "from yqplan import store; import tempfile\n"
            f"store.ingest({str(zpath)!r}, tempfile.mkdtemp(), progress=False)")
        peak_pd = child_peak(
            f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            f"import bench_ingest as b; b.pandas_loop({str(zpath)!r})")

    def best(k, i=0):
        return min(r[i] for r in runs[k])

    def ratio(num, den, i=0, invert=False):
        rs = [(b[i] / a[i]) if invert else (a[i] / b[i]) for a, b in zip(runs[num], runs[den])]
        return statistics.median(rs), min(rs), max(rs)

    def show(label, num, den, goal, invert=False, fmt="5.1f"):
        m, lo, hi = ratio(num, den, 0, invert)
        mc = ratio(num, den, 1, invert)[0]
        print(f"  {label:26s}= {m:{fmt}}x wall (rounds: {lo:{fmt}}-{hi:{fmt}}), "
              f"{mc:{fmt}}x CPU  {goal}")

    print(f"{args.repeat} interleaved rounds; times are the best round, ratios the median of "
          f"the rounds' own ratios (first, cold ingest of the process: {w_cold:.2f} s wall "
          f"{c_cold:.2f} s CPU)")
    print(f"ingest (store):      {best('ingest'):6.2f} s wall {best('ingest', 1):6.2f} s CPU  "
          f"{summary['rows_written']:,} rows, {summary['store']['cities']['locations']} cities")
    print(f"ingest, pyarrow only:{best('off'):6.2f} s wall {best('off', 1):6.2f} s CPU  "
          "(compiled fast path off, YQPLAN_FAST_CSV=0)")
    print(f"bare pyarrow parse:  {best('pa'):6.2f} s wall {best('pa', 1):6.2f} s CPU  "
          f"{rows_pa:,} wide rows")
    print(f"bare pyarrow grouped:{best('pg'):6.2f} s wall {best('pg', 1):6.2f} s CPU  "
          f"{rows_pg:,} wide rows, {n_groups} header group(s)")
    print(f"pandas loop + melt:  {best('pd'):6.2f} s wall {best('pd', 1):6.2f} s CPU  "
          f"{n_long:,} long rows")
    print(f"read one city-year:  {best('read') * 1000:6.1f} ms wall "
          f"{best('read', 1) * 1000:6.1f} ms CPU  {len(df)} rows (median of 7 per round)")
    print(f"peak RSS: ingest {peak:.0f} MiB, pandas loop {peak_pd:.0f} MiB")
    print("ratios (within each round):")
    show("pandas loop / ingest", "pd", "ingest", "(goal >= 6)")
    print(f"  {'pandas loop / cold ingest':26s}= {best('pd') / w_cold:5.1f}x wall (best pandas "
          "round; first ingest of a process)")
    show("pandas loop / bare pyarrow", "pd", "pa",
         "(the most an ingest that parses with pyarrow could reach)")
    show("ingest / bare pyarrow", "ingest", "pa", "(goal <= 1.5)", fmt="5.2f")
    show("ingest / grouped pyarrow", "ingest", "pg", "(reference, no goal)", fmt="5.2f")
    show("ingest / read city-year", "ingest", "read", "(goal >= 50)", fmt="5.0f")
    print(f"  {'peak memory of ingest':26s}= {peak / 1024:5.2f} GiB  (goal < 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

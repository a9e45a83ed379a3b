"""The command line as users run it: each contender is a fresh process, timed whole.

Prints, from ONE run on this machine, each figure beside its baseline from the same run:

1. **cold ingest** — ``yqplan air ingest <2022 city zip> --store <empty>`` in a new process
   against a plain pandas loop (read each file, concatenate, melt) also run as a new
   process: goal ≥ 6×.  The floor of any Python command (``python -c pass``), of one that
   reads Parquet (``import pyarrow.parquet``; with pandas: what ``air read``/``annual``
   must import to return DataFrames) and of the CLI (``yqplan --help``) are printed beside
   them.
2. **the daily update** — a store holding the three real years minus their last day, then
   ``yqplan air ingest <folder with that one day>``: goal ≤ 0.5 s wall; and a re-ingest of
   the unchanged folder (nothing to read).  That day (2024-02-24) rewrites its month's
   partition file (February 2024, 24 days); the same is timed for 31 December 2022 added to
   the rest of 2022 (a full month; a whole year's file before month partitions).
3. **one city-year from the CLI** — ``yqplan air read --names 阳泉`` and
   ``yqplan air annual --city 阳泉`` for 2023 into /dev/null: goal ≤ 0.5 s each.

Protocol: ``--repeat`` rounds (default 3); each round runs every contender once, back to
back, so a ratio compares two runs made in the same state of a machine whose speed drifts;
the median of the per-round ratios is printed with its range, absolute times are the best
round.  Nothing is asserted.

Usage: ``.venv/bin/python bench/bench_cli.py [--data DIR] [--repeat N]``
(``DIR`` defaults to ``yqplan.config.shared_data_dir()``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
YQPLAN = str(BIN / "yqplan")

PANDAS_LOOP = r"""
import io, sys, zipfile
import pandas as pd
frames = []
with zipfile.ZipFile(sys.argv[1]) as zf:
    for m in zf.namelist():
        if m.endswith(".csv") and "/._" not in m and not m.startswith("._"):
            frames.append(pd.read_csv(io.BytesIO(zf.read(m))))
wide = pd.concat(frames, ignore_index=True)
long = wide.melt(id_vars=["date", "hour", "type"], var_name="city", value_name="value")
print(len(long))
"""


def run(cmd: list[str], env: dict | None = None) -> float:
    """Wall seconds of one whole process; its failure stops the benchmark with its output."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return wall


def split_last_day(archive: Path, rest: Path, day: Path) -> tuple[Path, Path]:
    """The daily files of a yearly zip but its last day into ``rest``, that day into ``day``."""
    with zipfile.ZipFile(archive) as zf:
        members = sorted(m for m in zf.namelist() if m.endswith(".csv") and "._" not in m)
        for folder, part in ((rest, members[:-1]), (day, members[-1:])):
            folder.mkdir()
            for m in part:
                (folder / Path(m).name).write_bytes(zf.read(m))
    return rest, day


def ratio_line(name: str, goal: str, ratios: list[float]) -> str:
    med = statistics.median(ratios)
    return (f"{name:<44s} median {med:6.2f}×  range {min(ratios):.2f}–{max(ratios):.2f}×  "
            f"goal {goal}")


def main(argv=None) -> int:
    from yqplan import config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=config.shared_data_dir())
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    cnemc = args.data / "cnemc"
    zips = sorted(cnemc.glob("城市_*.zip"))
    if len(zips) < 3:
        print(f"skipped: the real city archives are not under {cnemc}")
        return 0
    year_zip = next(z for z in zips if "2022" in z.name)

    # As `make env` does: without byte code (a shell with PYTHONDONTWRITEBYTECODE, or sources
    # newer than their .pyc) every command would recompile yqplan, ≈ 0.1 s of each figure.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "yqplan")], check=True,
                   stdout=subprocess.DEVNULL, env={k: v for k, v in os.environ.items()
                                                   if k != "PYTHONDONTWRITEBYTECODE"})
    with tempfile.TemporaryDirectory(prefix="yqplan-bench-cli-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, YQPLAN_STORE=str(tmp / "unused-store"))
        # The three years minus their last day, and that day alone in a folder.
        rest, day = split_last_day(zips[-1], tmp / "rest", tmp / "day")
        base_store = tmp / "base-store"
        run([YQPLAN, "air", "ingest", *map(str, zips[:-1]), str(rest), "--store", str(base_store)],
            env)
        # The same for a day late in a year: 2022 minus 31 December, and that day alone.
        rest22, dec31 = split_last_day(year_zip, tmp / "rest22", tmp / "dec31")
        base22 = tmp / "base-2022"
        run([YQPLAN, "air", "ingest", str(rest22), "--store", str(base22)], env)

        rows: dict[str, list[float]] = {k: [] for k in (
            "python -c pass", "floor: import pyarrow.parquet",
            "floor: import pyarrow.parquet, pandas", "yqplan --help", "pandas loop (process)",
            "yqplan air ingest (cold)",
            "daily update: one new day", "daily update: nothing new",
            "daily update: 31 Dec into 2022",
            "air read 阳泉 2023", "air annual 阳泉 2023")}
        for rnd in range(args.repeat):
            rows["python -c pass"].append(run([sys.executable, "-c", "pass"], env))
            rows["floor: import pyarrow.parquet"].append(
                run([sys.executable, "-c", "import pyarrow.parquet"], env))
            rows["floor: import pyarrow.parquet, pandas"].append(
                run([sys.executable, "-c", "import pyarrow.parquet, pandas"], env))
            rows["yqplan --help"].append(run([YQPLAN, "--help"], env))
            rows["pandas loop (process)"].append(
                run([sys.executable, "-c", PANDAS_LOOP, str(year_zip)], env))
            store = tmp / f"cold-{rnd}"
            rows["yqplan air ingest (cold)"].append(
                run([YQPLAN, "air", "ingest", str(year_zip), "--store", str(store)], env))
            shutil.rmtree(store)
            upd = tmp / f"upd-{rnd}"
            shutil.copytree(base_store, upd)
            rows["daily update: one new day"].append(
                run([YQPLAN, "air", "ingest", str(day), "--store", str(upd)], env))
            rows["daily update: nothing new"].append(
                run([YQPLAN, "air", "ingest", str(day), "--store", str(upd)], env))
            rows["air read 阳泉 2023"].append(run(
                [YQPLAN, "air", "read", "--store", str(upd), "--names", "阳泉",
                 "--start", "2023-01-01", "--end", "2023-12-31", "--format", "csv"], env))
            rows["air annual 阳泉 2023"].append(run(
                [YQPLAN, "air", "annual", "--store", str(upd), "--city", "阳泉", "--year", "2023"],
                env))
            shutil.rmtree(upd)
            upd = tmp / f"upd22-{rnd}"
            shutil.copytree(base22, upd)
            rows["daily update: 31 Dec into 2022"].append(
                run([YQPLAN, "air", "ingest", str(dec31), "--store", str(upd)], env))
            shutil.rmtree(upd)

    print(f"bench_cli: {args.repeat} rounds, each contender a fresh process "
          f"({year_zip.name} for the cold ingest); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs at the end")
    print(f"{'command':<44s} {'best':>8s} {'median':>8s}")
    for name, ts in rows.items():
        print(f"{name:<44s} {min(ts):7.2f}s {statistics.median(ts):7.2f}s")
    pandas = rows["pandas loop (process)"]
    ingest = rows["yqplan air ingest (cold)"]
    print()
    print(ratio_line("pandas loop / cold CLI ingest", "≥ 6×",
                     [p / i for p, i in zip(pandas, ingest)]))
    for name in ("daily update: one new day", "daily update: 31 Dec into 2022",
                 "air read 阳泉 2023", "air annual 阳泉 2023"):
        ts = rows[name]
        print(f"{name:<44s} best {min(ts):5.2f}s  median {statistics.median(ts):5.2f}s  "
              f"goal ≤ 0.5 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: read every 2021–2023 Shanxi water snapshot.

Times ``yqplan.water.monitoring.read_water_auto`` against a plain pandas loop doing the
same job (one ``pd.read_csv`` per file with the encoding its name suggests and a
fallback, year from the file name, concat, deduplicate, ``*``/``--`` to NaN) in
the same run, prints files per second for both and the ratio, then the readings
surviving each cleaning step.

Run: ``.venv/bin/python bench/bench_water.py [--repeat N]`` (needs ../shared/data).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd

from yqplan import config
from yqplan.water import monitoring as water

ZIP = "国家地表水水质自动监测_山西省_2021-2023.zip"


def plain_pandas(path: Path) -> tuple[pd.DataFrame, int]:
    """The straightforward loop a user would write; returns (wide table, files read)."""
    frames = []
    n = 0
    with zipfile.ZipFile(path, metadata_encoding="utf-8") as zf:
        for info in zf.infolist():
            if info.is_dir() or info.file_size == 0:
                continue
            name = info.filename.rsplit("/", 1)[-1]
            m = re.search(r"(\d{4})_\d{2}_\d{2}_\d{2}h\d{2}m", name)
            raw = zf.read(info)
            enc = "utf-8" if name.startswith("utf8_") else "gb18030"
            try:
                df = pd.read_csv(io.BytesIO(raw), encoding=enc, dtype=str)
            except UnicodeDecodeError:
                df = pd.read_csv(io.BytesIO(raw), encoding="gb18030", dtype=str)
            n += 1
            if df.empty:
                continue
            t = df["监测时间"].str.strip()
            short = t.str.match(r"^\d{1,2}-\d{1,2} ")
            t = t.where(~short, m.group(1) + "-" + t)
            df["time"] = pd.to_datetime(t.str.replace("/", "-"), format="mixed", errors="coerce")
            frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out = out[out["time"].notna()].drop_duplicates(["断面名称", "time"], keep="last")
    out = out.replace({"*": pd.NA, "--": pd.NA})
    return out, n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each (best is kept)")
    args = ap.parse_args(argv)
    path = config.shared_data_dir() / "water" / ZIP
    if not path.exists():
        print(f"skip: {path} not found (set YQPLAN_SHARED_DATA)")
        return 0
    with zipfile.ZipFile(path) as zf:
        n_files = sum(1 for i in zf.infolist() if not i.is_dir())

    def best(fn):
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            res = fn()
            times.append(time.perf_counter() - t0)
        return min(times), res

    t_lib, (df, meta) = best(lambda: water.read_water_auto(path))
    t_pd, (wide, n_pd) = best(lambda: plain_pandas(path))
    print(f"files in the zip: {n_files} (read {meta['files_read']}, empty {meta['files_empty']}, "
          f"header only {meta['files_header_only']}, named utf8_ but GB18030 "
          f"{len(meta['encoding_mismatch'])})")
    print(f"yqplan.water.monitoring.read_water_auto : {t_lib:6.2f} s  {n_files / t_lib:7.0f} files/s")
    print(f"plain pandas loop            : {t_pd:6.2f} s  {n_files / t_pd:7.0f} files/s")
    print(f"ratio (pandas time / yqplan time): {t_pd / t_lib:.2f}x  (best of {args.repeat})")
    print(f"memory of the long table: {df.memory_usage(deep=True).sum() / 2**20:.1f} MiB "
          f"({len(df)} values); plain loop's wide table: "
          f"{wide.memory_usage(deep=True).sum() / 2**20:.1f} MiB ({len(wide)} rows)")
    print("readings surviving each cleaning step:")
    for k, v in meta["steps"].items():
        print(f"  {k:<22} {v:>9}")
    print(f"  (duplicate copies removed {meta['duplicate_rows']}, of which readings whose copies "
          f"differ {meta['duplicate_conflicts']}; status after dedup {meta['status_counts']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

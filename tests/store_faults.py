"""Fault-injection kit for the store (used by tests/test_store_faults.py and
bench/fault_campaign.py): small hand-made archives, a store state as one comparable value,
and ingests run in a child process that is killed at a chosen moment.

Not a test module (no ``test_`` prefix): helpers only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

TYPES = ["AQI", "PM2.5", "PM2.5_24h", "PM10", "PM10_24h", "SO2", "SO2_24h", "NO2",
         "NO2_24h", "O3", "O3_24h", "O3_8h", "O3_8h_24h", "CO", "CO_24h"]
CITIES = ["阳泉", "太原", "晋中"]
STATIONS = ["1738A", "1739A"]


def day_csv(day: dt.date, locations, base: float, hours=range(24), cells=None) -> str:
    """One CNEMC daily file: every cell ``base + hour + location index`` (CO: / 10);
    ``cells`` {(hour, type, location): text} overrides single cells."""
    cells = cells or {}
    lines = ["date,hour,type," + ",".join(locations)]
    for h in hours:
        for t in TYPES:
            row = []
            for j, loc in enumerate(locations):
                v = base + h + j
                text = cells.get((h, t, loc), f"{v / 10:g}" if t.startswith("CO") else f"{v:g}")
                row.append(text)
            lines.append(f"{day:%Y%m%d},{h},{t}," + ",".join(row))
    return "\r\n".join(lines) + "\r\n"


def write_day(folder: Path, kind: str, day: dt.date, base: float, **kw) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    locs = CITIES if kind == "cities" else STATIONS
    p = folder / f"china_{kind}_{day:%Y%m%d}.csv"
    p.write_text(day_csv(day, locs, base, **kw), encoding="utf-8")
    return p


DAYS_A = [dt.date(2022, 12, 30), dt.date(2022, 12, 31), dt.date(2023, 1, 1),
          dt.date(2023, 1, 2)]


def make_archives(root: Path) -> tuple[Path, Path]:
    """Archive A (four days over two years, both kinds) and archive B: A with one day of
    each year changed (both years' partitions rewritten, for both kinds), one day cut short
    and one new day."""
    a, b = root / "A", root / "B"
    for kind in ("cities", "sites"):
        for i, d in enumerate(DAYS_A):
            write_day(a, kind, d, 10 + i)
        for i, d in enumerate(DAYS_A):
            changed = d in (dt.date(2022, 12, 31), dt.date(2023, 1, 1))
            write_day(b, kind, d, 50 + i if changed else 10 + i,
                      hours=range(20) if d == dt.date(2023, 1, 2) else range(24))
        write_day(b, kind, dt.date(2023, 1, 3), 90)
    # B must not look unchanged: same mtime is impossible to rely on, sizes differ anyway
    return a, b


def prepare(root: Path) -> dict:
    """Archives A and B under ``root``, the store after A (``template``, to copy for each
    trial) and the two states a reader may see: ``A`` (before) and ``B`` (after A then B)."""
    from yqplan.air import store

    a, b = make_archives(root)
    tmpl = root / "store-A"
    store.ingest(a, tmpl, progress=False)
    state_a = state(tmpl)
    full = fresh_copy(tmpl, root / "store-AB")
    store.ingest(b, full, progress=False)
    return {"a": a, "b": b, "template": tmpl, "A": state_a, "B": state(full), "root": root}


def race_folders(root: Path, trial: int) -> list:
    """Two archives of one different day each (2022-01-01, 2022-01-02), for a lock race."""
    out = []
    for i in range(2):
        f = root / f"race{trial}-{i}"
        write_day(f, "cities", dt.date(2022, 1, 1 + i), 10 * (i + 1))
        out.append(f)
    return out


def days_in_store(store_dir: Path) -> tuple[set, set]:
    """The days the manifest lists and the days a reader finds rows for (cities)."""
    from yqplan.air import store

    days = {e["day"] for e in store.read_manifest(store_dir)["files"].values()}
    df, _ = store.read_store(store_dir)
    return days, {str(d) for d in df.time.dt.date.unique()}


def state(store_dir: Path) -> str:
    """Everything a reader can see of the store, as one hash: both kinds' full reads and
    the metadata derived from the manifest."""
    from yqplan.air import store

    h = hashlib.sha256()
    for kind in ("cities", "sites"):
        df, meta = store.read_store(store_dir, kind=kind)
        h.update(df.to_csv(index=False).encode())
        h.update(json.dumps({k: meta[k] for k in ("files_read", "files_skipped")},
                            sort_keys=True, ensure_ascii=False).encode())
        h.update(str(list(meta["missing_hours"])).encode())
    return h.hexdigest()


def child_script(paths, store_dir, replace_exit_at: int | None = None) -> str:
    """Python source of a child that ingests ``paths`` into ``store_dir``; prints GO just
    before the ingest starts.  ``replace_exit_at``: end the process right after the n-th
    ``os.replace`` (any implementation's renames are its step boundaries)."""
    hook = ""
    if replace_exit_at is not None:
        hook = f"""
import os as _os
_real = _os.replace
_n = [0]
def _replace(a, b, **kw):
    _real(a, b, **kw)
    _n[0] += 1
    if _n[0] == {replace_exit_at}:
        _os._exit(77)
_os.replace = _replace
"""
    return hook + f"""
import sys, time
from yqplan.air import store
print("GO", flush=True)
t = time.perf_counter()
store.ingest({[str(p) for p in paths]!r}, {str(store_dir)!r}, progress=False)
print("DONE", round(time.perf_counter() - t, 4), flush=True)
"""


def run_child(paths, store_dir, env_extra=None, replace_exit_at=None, timeout=120):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-c", child_script(paths, store_dir,
                                                               replace_exit_at)],
                          env=env, capture_output=True, text=True, timeout=timeout)


def start_child(paths, store_dir):
    return subprocess.Popen([sys.executable, "-c", child_script(paths, store_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def fresh_copy(template: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(template, dest)
    return dest


def to_year_layout(store_dir: Path, generations: bool = True) -> Path:
    """Rewrite a store (month partitions) into a layout an older version wrote, in place.

    ``generations``: the layout up to commit 93fb33c — ``CURRENT`` naming one file per kind
    and year (``<kind>/year=YYYY/data-gNNNNNN.parquet``, pointer and manifest keys
    ``<kind>/year=YYYY``); False: the layout before generations (``manifest.json`` version
    1, ``days.arrow``, ``<kind>/year=YYYY/data.parquet``, no ``CURRENT``).  A year file holds
    the months one after another, each its own row groups, as those versions wrote it.
    """
    import pyarrow.parquet as pq

    from yqplan.air import store

    snap = store._resolve(store_dir)
    man = json.loads(snap.manifest.read_text(encoding="utf-8"))
    years: dict = {}
    for (kind, year, month), p in sorted(snap.partitions.items()):
        assert month, "already a year layout"
        years.setdefault((kind, year), []).append(p)
    ptr_parts, man_parts = {}, {}
    for (kind, year), paths in years.items():
        name = f"data-g{snap.generation:06d}.parquet" if generations else "data.parquet"
        out = store_dir / kind / f"year={year}" / name
        tables = [pq.ParquetFile(p).read() for p in paths]
        with pq.ParquetWriter(out, tables[0].schema) as w:
            for t in tables:
                w.write_table(t, row_group_size=16_384)
        infos = [man["partitions"].pop(f"{kind}/year={year}/month={p.parent.name[6:]}")
                 for p in paths]
        key = f"{kind}/year={year}"
        rel = out.relative_to(store_dir).as_posix()
        ptr_parts[key] = rel
        man_parts[key] = {"rows": sum(i["rows"] for i in infos),
                          "locations": sorted({n for i in infos for n in i["locations"]})}
        if generations:
            man_parts[key]["file"] = rel
        for p in paths:
            p.unlink()
            p.parent.rmdir()
    assert not man["partitions"]
    man["partitions"] = man_parts
    for p in [*store_dir.glob("*/year=*/month=*/*.parquet")]:   # the previous generation's
        p.unlink()
    for d in store_dir.glob("*/year=*/month=*"):
        d.rmdir()
    text = json.dumps(man, ensure_ascii=False)
    for p in store_dir.glob("*-g*.*"):
        p.unlink()
    (store_dir / store.CURRENT).unlink()
    if generations:
        man_name, days_name = snap.manifest.name, snap.days.name
    else:
        man["version"] = 1
        text = json.dumps(man, ensure_ascii=False)
        man_name, days_name = store.MANIFEST, store.DAY_INDEX
    (store_dir / man_name).write_text(text, encoding="utf-8")
    store._write_day_index(store_dir / days_name, man, len(text.encode("utf-8")))
    if generations:
        (store_dir / store.CURRENT).write_text(json.dumps(
            {"generation": snap.generation, "manifest": man_name, "days": days_name,
             "partitions": ptr_parts, "previous": None}, ensure_ascii=False), encoding="utf-8")
    return store_dir

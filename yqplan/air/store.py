"""An incremental Parquet store of the CNEMC hourly archive, committed in one atomic step.

Layout under ``store_dir`` (default :func:`yqplan.config.store_dir`)::

    CURRENT                                    the pointer: names the generation readers use,
                                               its manifest, day index and partition files
    manifest-g000042.json                      every daily file ingested: size, CRC/mtime,
                                               hours, status (one manifest per generation)
    days-g000042.arrow                         what reads need of it: kind, day, status,
                                               source, reason, hours (a small Arrow file)
    cities/year=2022/month=12/data-g000041.parquet
                                               one immutable file per kind, year and month,
                                               named by the generation that wrote it; rows
                                               sorted by (city, time)
    sites/year=2022/month=12/data-g000042.parquet   ... by (station, time)
    SYNTHETIC.json                             copy of the archive's marker (synthetic data)
    .ingest.lock                               the ingest lock (``fcntl.flock``)

A generation's files are written once and never changed.  An ingest writes the months it
rewrites under new names (a daily update: one month; the other months' files are carried
into the new generation as they are), then the generation's manifest and day index, fsyncs them, and
commits by replacing ``CURRENT`` (a temporary file, fsync, ``os.replace``): before that one
rename every reader sees the whole previous store, after it the whole new one, never a mix,
whatever moment the ingest is killed at.  Readers resolve ``CURRENT`` once and read only that
generation's files.  Files of older generations are removed after the pointer moves, except
the previous generation's (a reader that resolved it just before still finds its files).

Stores of earlier versions keep one file per kind and year: ``CURRENT`` naming
``<kind>/year=YYYY/data-gNNNNNN.parquet`` (up to 93fb33c), or no ``CURRENT`` at all
(``manifest.json``, ``days.arrow``, ``<kind>/year=YYYY/data.parquet``, before generations).
They read as they are (a whole-year file is partition "month 0"); the next commit splits
every whole-year file into month files in its new generation (``docs/store_layout.md``).

``ingest`` re-reads only daily files that are new or whose size/CRC (mtime for loose files)
changed; a re-read day replaces that day's rows.  One ingest at a time: ``.ingest.lock`` is
held with ``fcntl.flock`` (released by the kernel when the process dies).

Each month of a year is one chunk: its files are read, parsed and assembled into a long table
sorted by (location, time) in a worker thread (:func:`yqplan.air.cnemc.iter_chunks`) while the
main thread writes the previous month's file, in row groups of at most :data:`ROW_GROUP_ROWS` rows
cut between locations.  Memory stays bounded (a few months in flight) and ``read_store`` for
one city or station and a period reads only the row groups whose statistics can match
(predicate pushdown) — one per month — slices the location's rows out of each without
copying, then sorts the months' rows by location (a stable sort, skipped when there is one
location).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import time as _time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from yqplan import _io, config
from yqplan.air import cnemc
from yqplan.errors import DataFileError, LockHeldError

#: the commit pointer (see the module docstring)
CURRENT = "CURRENT"
#: a store written before generations: its manifest, day index and partition file names
MANIFEST = "manifest.json"
#: 2: partitions named by generation (``partitions[...]["file"]``), status ``kept``, per
#: entry ``rejected`` counts and ``source_raw``; version-1 manifests read the same
MANIFEST_VERSION = 2
_READABLE_VERSIONS = (1, 2)
#: what :func:`read_store` needs of the manifest, as a small Arrow (Feather) table (see
#: :func:`_write_day_index`): the manifest is JSON that grows with every file ingested —
#: 2.5 MB and ~65 ms to parse for the 8,000-file demonstration store — while a read needs
#: only its own kind and days (~1 ms from the index)
DAY_INDEX = "days.arrow"
ROW_GROUP_ROWS = 16_384
#: threads reading the month files of a period side by side (see :func:`read_store`)
READ_THREADS = 4
PARTITION_FILE = "data.parquet"   # (the layout before generations)
#: lz4 (with dictionary pages: about as small as zstd here, cheaper to write) where it pays:
#: the location and time columns and the smooth 24-hour averages (20–70 % smaller).  The
#: hourly values' dictionary indices barely compress (3–8 %, measured on the 2022 city year),
#: and compressing them cost ~15 % of the write's CPU; left plain, the year is 5 % larger.
COMPRESSED = "lz4"
#: Manifest statuses of a day whose rows are in the store ("kept": a bad replacement file
#: left the old rows in place).
DATA_STATUSES = ("ok", "kept")
#: chunks parsed ahead of the writer, by kind (None: workers + 1).  A month of ~1,700 stations
#: is ~0.3 GB in flight: two bound the peak memory of a national station year (measured:
#: 1.6 GiB with three).
CHUNKS_IN_FLIGHT = {"cities": None, "sites": 2}
_DAY_NS = 86400 * 1_000_000_000
_OFFSET_NS = 8 * 3600 * 1_000_000_000


def _store(store_dir) -> Path:
    return Path(store_dir) if store_dir is not None else config.store_dir()


def _gen_name(stem: str, gen: int, suffix: str) -> str:
    return f"{stem}-g{gen:06d}{suffix}"


#: a partition's key in ``CURRENT`` and in the manifest: ``cities/year=2022/month=12``, or
#: ``cities/year=2022`` for a whole-year file (the layout before month partitions)
_KEY = re.compile(r"^(\w+)/year=(\d+)(?:/month=(\d+))?$")


def _part_key(kind: str, year: int, month: int) -> str:
    """The key of partition ``(kind, year, month)``; month 0: a whole-year file."""
    return f"{kind}/year={year}" + (f"/month={month}" if month else "")


def _parse_key(key: str) -> tuple[str, int, int]:
    m = _KEY.match(key)
    if m is None:
        raise ValueError(f"partition key {key!r}")
    return m.group(1), int(m.group(2)), int(m.group(3) or 0)


@dataclass(frozen=True)
class _Snapshot:
    """One generation of the store, as ``CURRENT`` names it (or the layout before
    generations: ``generation`` 0)."""

    generation: int
    manifest: Path          # the manifest file (may not exist: an empty store)
    days: Path              # its day index
    partitions: dict        # (kind, year, month) -> partition file; month 0: a whole year
    pointer: dict | None    # the parsed CURRENT, None for the older layout


def _resolve(store: Path) -> _Snapshot:
    """Read ``CURRENT`` once: the generation every file of a read must come from."""
    ptr_path = store / CURRENT
    try:
        text = ptr_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    if text is None:   # the layout before generations (or no store yet)
        parts = {}
        for kind in cnemc.KINDS:
            base = store / kind
            if base.is_dir():
                for d in base.iterdir():
                    if d.name.startswith("year=") and (d / PARTITION_FILE).is_file():
                        parts[(kind, int(d.name[5:]), 0)] = d / PARTITION_FILE
        return _Snapshot(0, store / MANIFEST, store / DAY_INDEX, parts, None)
    try:
        ptr = json.loads(text)
        parts = {_parse_key(key): store / rel for key, rel in ptr["partitions"].items()}
        return _Snapshot(int(ptr["generation"]), store / ptr["manifest"], store / ptr["days"],
                         parts, ptr)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataFileError(ptr_path, f"store pointer is not valid ({exc})", line=1,
                            expected='{"generation", "manifest", "days", "partitions"}') \
            from None


def _pointer_partitions(store: Path, parts: dict) -> dict:
    return {_part_key(*key): p.relative_to(store).as_posix() for key, p in sorted(parts.items())}


def _span_ns(year: int, month: int) -> tuple[int, int]:
    """UTC ns bounds ``[lo, hi)`` of a partition's local month (month 0: the whole year)."""
    lo, hi = _month_bounds(year, month or 1, 12 if not month else 1)
    return lo.value, hi.value


def _load_manifest(path: Path) -> dict:
    if not path.is_file():
        return {"version": MANIFEST_VERSION, "files": {}, "synthetic": False,
                "synthetic_marker": None}
    try:
        man = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFileError(path, f"manifest is not valid JSON ({exc.msg})", line=exc.lineno) \
            from None
    if man.get("version") not in _READABLE_VERSIONS:
        raise DataFileError(path, "unknown manifest version", column="version",
                            expected=" or ".join(map(str, _READABLE_VERSIONS)),
                            found=man.get("version"))
    return man


def read_manifest(store_dir=None) -> dict:
    """The manifest of the store's current generation (an empty one if there is no store).

    Entries of ``files`` (key ``<kind>/china_<kind>_YYYYMMDD.csv``, one per day): ``kind,
    day, size, stamp, source, synthetic, status`` (``ok``; ``skipped`` with ``reason``;
    ``kept``: the file changed and its new version could not be read, ``reason`` says why,
    and the rows of its previous version are kept — ``hours`` are theirs), ``hours``,
    ``rows``, optionally ``rejected`` (location → cells made missing, see
    :data:`yqplan.air.cnemc.PLAUSIBLE_MAX`) and ``source_raw`` (base64 of the source's path
    bytes when they are not UTF-8; ``source`` is then a readable decoding).
    """
    return _load_manifest(_resolve(_store(store_dir)).manifest)


def _write_day_index(path: Path, man: dict, manifest_bytes: int) -> None:
    """Write :data:`DAY_INDEX`: one row per daily file of the manifest (kind, day, status,
    source, reason, hours present), sorted by kind, day and source, plus the manifest's
    synthetic flag and marker and its size in bytes.

    One per generation, written (fsynced) after the generation's manifest and before the
    commit; :func:`_day_entries` uses it only while the manifest has that size, so an index
    that does not match (or a store from an older version without one) falls back to the
    manifest itself.
    """
    import pyarrow as pa  # heavy: imported on use
    import pyarrow.feather as feather  # heavy: imported on use

    ents = sorted(man["files"].values(), key=lambda e: (e["kind"], e["day"] or "",
                                                        e["source"]))
    table = pa.table({
        "kind": pa.array([e["kind"] for e in ents], pa.string()),
        "day": pa.array([e["day"] for e in ents], pa.string()),
        "status": pa.array([e["status"] for e in ents], pa.string()),
        "source": pa.array([e["source"] for e in ents], pa.string()),
        "reason": pa.array([e.get("reason") for e in ents], pa.string()),
        "hours": pa.array([e.get("hours") for e in ents], pa.list_(pa.int8())),
    })
    table = table.replace_schema_metadata({
        "manifest_bytes": str(manifest_bytes),
        "synthetic": json.dumps(bool(man.get("synthetic"))),
        "synthetic_marker": json.dumps(man.get("synthetic_marker"), ensure_ascii=False)})
    with _io.atomic_path(path, suffix=".tmp") as tmp:
        feather.write_feather(table, tmp, compression="lz4")
        _fsync(tmp)


def _day_entries(snap: _Snapshot, kind: str, lo_day: str | None, hi_day: str | None):
    """Manifest entries of ``kind`` whose day is in ``lo_day``..``hi_day`` (ISO dates,
    inclusive; None: open), in (day, source) order, and the manifest's
    ``(synthetic, synthetic_marker)``.

    From :data:`DAY_INDEX` when it matches the manifest, else from the manifest (parsed
    whole).  Entries carry ``day``, ``status``, ``source``, ``reason`` and ``hours``.
    """
    import pyarrow.compute as pc  # heavy: imported on use
    import pyarrow.feather as feather  # heavy: imported on use

    idx = snap.days
    table = None
    if idx.is_file():
        try:
            table = feather.read_table(idx)
            meta = table.schema.metadata or {}
            synthetic = (json.loads(meta[b"synthetic"]), json.loads(meta[b"synthetic_marker"]))
            if int(meta[b"manifest_bytes"]) != snap.manifest.stat().st_size:
                table = None
        except (OSError, ValueError, KeyError):   # (pyarrow's errors derive from these)
            table = None
    if table is not None:
        mask = pc.and_(pc.equal(table.column("kind"), kind), pc.is_valid(table.column("day")))
        if lo_day is not None:
            mask = pc.and_(mask, pc.greater_equal(table.column("day"), lo_day))
        if hi_day is not None:
            mask = pc.and_(mask, pc.less_equal(table.column("day"), hi_day))
        table = table.filter(mask)
        cols = [table.column(c).to_pylist()
                for c in ("day", "status", "source", "reason", "hours")]
        rows = [{"day": d, "status": st, "source": src, "reason": r, "hours": h}
                for d, st, src, r, h in zip(*cols)]
        return rows, synthetic
    man = _load_manifest(snap.manifest)
    rows = [e for e in man["files"].values() if e["kind"] == kind and e["day"]
            and (lo_day is None or e["day"] >= lo_day)
            and (hi_day is None or e["day"] <= hi_day)]
    rows.sort(key=lambda e: (e["day"], e["source"]))
    return rows, (bool(man.get("synthetic")), man.get("synthetic_marker"))


def _day_of(time_ns: np.ndarray) -> np.ndarray:
    """Local (UTC+8) day number since 1970-01-01 of UTC ns timestamps."""
    return (time_ns + _OFFSET_NS) // _DAY_NS


def _schema(loc_col: str, dictionary: bool = False):
    """The partition schema; ``dictionary``: the location column as the writer takes it (a
    dictionary is written as it is, instead of hashing every row's name again).

    Every field is non-nullable: an empty cell is NaN, never null, so no column needs
    definition levels — which the writer would encode and every read decode (measured: about
    7 % of the write, 20 % of reading a city-year's row groups) and the footer would carry.
    Partitions written before this (nullable fields) read the same; see :func:`_canonical`.
    """
    import pyarrow as pa  # heavy: imported on use

    loc_type = pa.dictionary(pa.int32(), pa.string()) if dictionary else pa.string()
    return pa.schema([pa.field(loc_col, loc_type, nullable=False),
                      pa.field("time", pa.timestamp("ns", tz=cnemc.TIMEZONE), nullable=False),
                      *[pa.field(c, pa.float64(), nullable=False)
                        for c in cnemc.VALUE_COLUMNS]])


def _compression(schema) -> dict:
    """Codec per column (see :data:`COMPRESSED`)."""
    return {name: (COMPRESSED if i < 2 or name.endswith("_24h") else "none")
            for i, name in enumerate(schema.names)}


def _canonical(table, loc_col):
    """``table`` (columns of a partition, location as a dictionary) with the fields of
    :func:`_schema`, whichever version wrote the file: tables concatenate only when their
    schemas are equal, nullability included."""
    import pyarrow as pa  # heavy: imported on use

    want = _schema(loc_col, dictionary=True)
    target = pa.schema([want.field(name) for name in table.column_names])
    return table if table.schema.equals(target) else table.cast(target)


def _month_bounds(year: int, month: int, span: int = 1):
    import pyarrow as pa  # heavy: imported on use

    t = pa.timestamp("ns", tz=cnemc.TIMEZONE)
    lo = (_dt.date(year, month, 1) - _dt.date(1970, 1, 1)).days * _DAY_NS - _OFFSET_NS
    end = month + span - 1
    nxt = _dt.date(year + (end == 12), end % 12 + 1, 1)
    hi = (nxt - _dt.date(1970, 1, 1)).days * _DAY_NS - _OFFSET_NS
    return pa.scalar(lo, t), pa.scalar(hi, t)


def _rewrite_months(old: dict, store: Path, kind: str, year: int, gen: int, chunks, on_file,
                    step=lambda: None) -> tuple[int, dict]:
    """Write the months of a year that change as new partition files of generation ``gen``.

    ``old``: the current generation's files of this kind and year, ``{month: path}`` (month
    0: a whole-year file of the layout before month partitions).  ``chunks`` yields
    ``(month, table or None, [(source, FileResult|None, skip|None)])`` in month order
    (:func:`yqplan.air.cnemc.iter_chunks`: parsed and assembled in worker threads while this
    thread writes).  A month with new rows is its old rows minus re-read days merged with
    the new ones; a month without is carried unchanged (its file is not touched) — unless
    the year is still one whole-year file, which is then split into months (all of them:
    every month file of the new generation is written, the year file is only read).  Each
    file is written to a temporary name, fsynced and renamed; ``step()`` after each.

    Returns (new rows, ``{month: (path, info)}`` for every month written; ``path`` None
    when a month no longer holds rows).
    """
    import pyarrow as pa  # heavy: imported on use
    import pyarrow.compute as pc  # heavy: imported on use
    import pyarrow.parquet as pq  # heavy: imported on use

    loc_col = cnemc.KINDS[kind][0]
    schema = _schema(loc_col)
    wschema = _schema(loc_col, dictionary=True)
    whole_year = _OldPartition(old[0]) if 0 in old else None
    new_rows = 0
    written: dict = {}
    pending = iter(chunks)
    nxt = next(pending, None)
    for month in range(1, 13):
        got, days = None, []
        if nxt is not None and nxt[0] == month:   # one chunk per month key
            got = nxt[1]
            for src, res, skip in nxt[2]:
                on_file(src, res, skip)
                if res is not None:
                    days.append((res.day - _dt.date(1970, 1, 1)).days)
            nxt = next(pending, None)
        if whole_year is not None:
            old_rows = whole_year.read_months(*_month_bounds(year, month))
        elif month in old and got is not None:
            old_rows = pq.ParquetFile(old[month]).read()
        else:   # carried unchanged, or nothing old and nothing new
            old_rows = None
            if got is None:
                continue
        if old_rows is not None and old_rows.num_rows == 0:
            old_rows = None
        if got is not None:
            new = got.cast(wschema)
            new_rows += new.num_rows
            if old_rows is not None:
                t = old_rows.column("time").cast(pa.int64()).to_numpy()
                keep = ~np.isin(_day_of(t), days)
                table = pa.concat_tables([old_rows.filter(pa.array(keep)).cast(schema),
                                          new.cast(schema)])
                idx = pc.sort_indices(table, sort_keys=[(loc_col, "ascending"),
                                                        ("time", "ascending")])
                table = table.take(idx).cast(wschema)
            else:
                table = new
        elif old_rows is not None:
            table = old_rows.cast(wschema)
        else:
            table = None
        if table is None or table.num_rows == 0:
            if month in old:
                written[month] = (None, None)
            continue
        path = store / kind / f"year={year}" / f"month={month}" / _gen_name("data", gen,
                                                                              ".parquet")
        with _io.atomic_path(path, suffix=".parquet.tmp") as tmp:
            # statistics only where predicates are pushed down
            writer = pq.ParquetWriter(tmp, wschema, compression=_compression(wschema),
                                      use_dictionary=True, write_statistics=[loc_col, "time"])
            try:
                _write_row_groups(writer, table, loc_col)
            finally:
                writer.close()
            _fsync(tmp)
        _fsync_dir(path.parent)
        written[month] = (path, {"rows": table.num_rows,
                                 "locations": sorted(pc.unique(table.column(loc_col))
                                                     .to_pylist())})
        step()
    return new_rows, written


class _OldPartition:
    """The current generation's partition of a year, read month by month while it is
    rewritten: opened once, and only the row groups whose time statistics can fall in the
    month are read (a month's rows are its own row groups).  Reading the whole file with a
    filter for each of the twelve months cost ≈ 80 ms a month even where the month is
    empty — most of a daily update early in a year."""

    def __init__(self, path: Path):
        import pyarrow.parquet as pq  # heavy: imported on use

        self.file = pq.ParquetFile(path)
        meta = self.file.metadata
        col = self.file.schema_arrow.get_field_index("time")
        # raw statistics are UTC nanoseconds when the column is stored in nanoseconds
        ns = "timeUnit=nanoseconds" in str(self.file.schema.column(col).logical_type)
        self.spans = []   # (row group, min, max); None: no usable statistics, always read
        for i in range(meta.num_row_groups):
            st = meta.row_group(i).column(col).statistics
            ok = ns and st is not None and st.has_min_max
            self.spans.append((i, st.min_raw if ok else None, st.max_raw if ok else None))

    def read_months(self, lo, hi):
        """Rows with ``lo <= time < hi`` (Arrow timestamp scalars), in file order — what
        ``pq.read_table(path, filters=...)`` returns."""
        import pyarrow as pa  # heavy: imported on use
        import pyarrow.compute as pc  # heavy: imported on use

        a, b = lo.value, hi.value
        groups = [i for i, t0, t1 in self.spans if t0 is None or (t1 >= a and t0 < b)]
        table = self.file.read_row_groups(groups) if groups else \
            self.file.schema_arrow.empty_table()
        t = table.column("time").cast(pa.int64())
        keep = pc.and_(pc.greater_equal(t, a), pc.less(t, b))
        return table if pc.all(keep).as_py() is not False else table.filter(keep)


def _write_row_groups(writer, table, loc_col):
    """Write ``table`` (rows sorted by location) in row groups of at most
    :data:`ROW_GROUP_ROWS` rows, cut between locations, each with its own compact location
    dictionary.

    Cut between locations, a location's month is never split over two row groups: reading
    one city-year touches 12 of them, not ~14.  The chunk's dictionary holds every location
    of the month (~340 cities) while a row group holds ~22; written as it is, each row
    group's dictionary page would carry all of them, and every read would decode them.  The
    dictionary is sorted by name, so a row group's locations are one contiguous range of
    it: slicing the dictionary and shifting the indices is all it takes (no hashing).
    """
    import pyarrow as pa  # heavy: imported on use

    i = table.schema.get_field_index(loc_col)
    column = table.column(i)
    n = table.num_rows
    idx_all = None
    if column.num_chunks == 1:
        idx_all = column.chunk(0).indices.to_numpy(zero_copy_only=False)
        if n > 1 and (idx_all[1:] < idx_all[:-1]).any():
            idx_all = None   # (not sorted by location: plain cuts, whole dictionary)
    if idx_all is not None:
        firsts = np.flatnonzero(idx_all[1:] != idx_all[:-1]) + 1   # where a location begins
    start = 0
    while start < n:
        stop = min(start + ROW_GROUP_ROWS, n)
        if idx_all is not None and stop < n:
            k = firsts.searchsorted(stop, "right") - 1      # the last cut at or before stop
            if k >= 0 and firsts[k] > start:
                stop = int(firsts[k])
        part = table.slice(start, stop - start)   # zero-copy
        if idx_all is not None:
            col = part.column(i).chunk(0)
            idx = idx_all[start:stop]
            lo, hi = int(idx[0]), int(idx[-1])
            if lo > 0 or hi < len(col.dictionary) - 1:
                col = pa.DictionaryArray.from_arrays(pa.array(idx - lo, pa.int32()),
                                                     col.dictionary.slice(lo, hi - lo + 1))
                part = part.set_column(i, part.schema.field(i), col)
        writer.write_table(part, row_group_size=ROW_GROUP_ROWS)
        start = stop


def _fsync(path) -> None:
    """Flush a file's data to the disk (the commit must not name data still in memory)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path) -> None:
    """Flush a folder's entries (renames into it) to the disk, where the OS allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:   # pragma: no cover - folders cannot be opened on some systems
        return
    try:
        os.fsync(fd)
    except OSError:   # pragma: no cover
        pass
    finally:
        os.close(fd)


#: exit status of a process ended at a kill point (see :class:`_KillPoints`)
KILL_EXIT = 77
KILL_ENV = "YQPLAN_STORE_KILL_AT"


class _KillPoints:
    """Fault injection for the tests: with ``YQPLAN_STORE_KILL_AT=k`` the ingest ends its
    process with ``os._exit(KILL_EXIT)`` (no cleanup, as a kill) at its k-th step boundary
    (lock taken, each month file written, manifest, day index, marker, pointer, each file
    removed, done).  Unset: no effect."""

    def __init__(self):
        v = os.environ.get(KILL_ENV, "").strip()
        self.at = int(v) if v.isdigit() else None
        self.n = 0

    def step(self, name: str) -> None:
        self.n += 1
        if self.at is not None and self.n == self.at:
            os.write(2, f"yqplan: killed at step {self.n} ({name})\n".encode())
            os._exit(KILL_EXIT)


_GEN_FILE = re.compile(r"(?:manifest|days|data)-g\d{6,}\.(?:json|arrow|parquet)$")


def _referenced(store: Path, ptr: dict | None) -> set:
    if not ptr:
        return set()
    return {store / ptr["manifest"], store / ptr["days"],
            *(store / rel for rel in ptr["partitions"].values())}


def _collect_garbage(store: Path, snap: _Snapshot, kills: _KillPoints | None = None) -> None:
    """Remove leftovers of killed runs (temporary files, files of a generation never
    committed) and the files of generations older than the previous one.

    Only under the lock (no other ingest is writing).  A store still in the layout before
    generations keeps all its files until the first commit.
    """
    if not store.is_dir():
        return
    for p in [*store.glob("*/year=*/month=*/.*.tmp"), *store.glob("*/year=*/.*.tmp"),
              *store.glob(".*.tmp")]:
        p.unlink(missing_ok=True)
    if snap.pointer is None:
        return
    keep = _referenced(store, snap.pointer) | _referenced(store, snap.pointer.get("previous"))
    candidates = [p for p in [*store.glob("*-g*.*"), *store.glob("*/year=*/data-g*.parquet"),
                              *store.glob("*/year=*/month=*/data-g*.parquet")]
                  if _GEN_FILE.search(p.name)]
    candidates += [store / MANIFEST, store / DAY_INDEX, *store.glob(f"*/year=*/{PARTITION_FILE}")]
    for p in candidates:
        if p not in keep and p.is_file():
            p.unlink()
            if kills is not None:
                kills.step("remove")


def _write_pointer(store: Path, ptr: dict) -> None:
    """Commit: replace ``CURRENT`` atomically (temporary file, fsync, rename, fsync of the
    folder)."""
    tmp = store / f".{CURRENT}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(ptr, ensure_ascii=False, indent=1))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, store / CURRENT)
    _fsync_dir(store)


LOCK = ".ingest.lock"


class StoreBusyError(LockHeldError):
    """Another process is ingesting into the same store (the command exits 3)."""


class StoreSourceError(ValueError):
    """Synthetic and real data would be mixed in one store (one store per source)."""


def check_same_source(paths, store_dir=None, kind: str | None = None) -> None:
    """Refuse to mix synthetic and real daily files in one store; writes nothing.

    A store holds one source: the synthetic demonstration archive (files under a
    ``SYNTHETIC.json`` marker) or real CNEMC files.  The store's manifest records which
    (``synthetic``); an empty or new store accepts either.

    Raises
    ------
    StoreSourceError
        When ``paths`` mix both kinds, or their kind differs from what the store holds.
    """
    sources, _, _ = cnemc.list_sources(paths, kind=kind)
    if not sources:
        return
    synthetic = {bool(s.synthetic) for s in sources}
    if len(synthetic) > 1:
        raise StoreSourceError(f"{paths}: these files mix synthetic (under {cnemc.SYNTHETIC_MARKER}) "
                               "and real data; ingest each into its own store")
    incoming = synthetic.pop()
    man = read_manifest(store_dir)
    if not man.get("files"):
        return
    held = bool(man.get("synthetic"))
    if held != incoming:
        word = {True: "SYNTHETIC demonstration", False: "real"}
        raise StoreSourceError(
            f"{_store(store_dir)}: this store holds {word[held]} data; refusing to add "
            f"{word[incoming]} files from {paths} (one store per source: use another "
            f"--store, e.g. the demo's {config.demo_store_dir()} or the real data's "
            f"{config.store_dir()})")


@contextlib.contextmanager
def _ingest_lock(store: Path, timeout: float | None):
    """Hold the store's ingest lock: an exclusive ``fcntl.flock`` on ``.ingest.lock``.

    The kernel releases it when the holder's file is closed or the process dies (even by
    SIGKILL), so there is never a stale lock to take over, and no window in which two
    processes can both believe they hold it.  ``timeout``: seconds to wait for a busy lock
    (0: refuse at once; None: wait as long as it takes).  The file itself is never removed
    (removing it would let a waiter lock a file that a newcomer no longer sees).
    """
    import fcntl  # POSIX only: imported where the lock is taken

    path = store / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if timeout is None else _time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and _time.monotonic() >= deadline:
                    try:
                        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                    except OSError:   # pragma: no cover
                        holder = ""
                    who = f" (pid {holder})" if holder.isdigit() else ""
                    waited = f" after waiting {timeout:g} s" if timeout else ""
                    raise StoreBusyError(
                        f"{store}: another ingest{who} is writing this store{waited}; "
                        "try again when it has finished (or pass a lock timeout to wait)") \
                        from None
                _time.sleep(0.05)
        os.ftruncate(fd, 0)   # the holder's pid, for the message above (information only)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)   # releases the lock


def ingest(paths, store_dir=None, kind: str | None = None, *, progress: bool = True,
           workers: int | None = None, lock_timeout: float | None = 0.0) -> dict:
    """Add new or changed daily files from ``paths`` to the Parquet store.

    Parameters
    ----------
    paths : folder, zip, glob or CSV, or a list of them (as :func:`yqplan.air.cnemc.read_cnemc`).
    store_dir : path, optional — default :func:`yqplan.config.store_dir`.
    kind : {"cities", "sites"}, optional — restrict to one kind (default: both).
    progress : show a tqdm progress bar while reading.
    workers : parser threads (default: CPU count, at most 8).
    lock_timeout : seconds to wait while another ingest holds the store (default 0: refuse
        at once with :class:`StoreBusyError`; None: wait until it has finished).

    Returns
    -------
    summary : dict
        ``files_seen``, ``files_read``, ``files_unchanged``, ``files_skipped`` (list of
        ``{"file", "reason"}``: junk seen now plus every file recorded as skipped or kept
        in the manifest), ``files_skipped_now``, ``files_kept_previous`` (changed files that
        could not be read, whose day keeps its previous rows), ``conflicts`` (the same day
        from two sources whose content differs: ``{"kind", "day", "used", "ignored",
        "detail"}``), ``values_rejected`` (cells made missing: ``{"file", "location",
        "count", "example"}``), ``rows_written``, ``partitions_written``, ``generation``,
        ``seconds``, ``synthetic``, and ``store`` (:func:`describe_store`).

    Raises
    ------
    StoreSourceError
        Before anything is written, when synthetic and real files would share the store
        (:func:`check_same_source`).

    Notes
    -----
    One ingest at a time per store (``.ingest.lock``, see :func:`_ingest_lock`).  A daily
    file is identified by kind and day (``china_<kind>_YYYYMMDD.csv``, whatever folder or
    zip member path holds it); it is re-read when its size or its CRC-32 (zip members; mtime
    for loose files) differs from the manifest.  Its day's rows then replace the old ones —
    unless the new version cannot be read: the previous rows are then kept and the day is
    recorded as ``kept`` with the new file's reason (a bad re-download must not erase good
    data; ``missing_hours`` follows the rows kept).  Files that fail to parse are recorded
    as skipped (with the reason) and not retried until they change.  The whole ingest is
    committed in one step (the ``CURRENT`` pointer): killed or failing at any moment, it
    leaves the previous store exactly as it was.
    """
    if kind is not None and kind not in cnemc.KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(cnemc.KINDS)}")
    check_same_source(paths, store_dir, kind)   # before anything is written
    store = _store(store_dir)
    store.mkdir(parents=True, exist_ok=True)
    with _ingest_lock(store, lock_timeout):
        return _ingest_locked(paths, store, kind, progress, workers)


def _ingest_locked(paths, store: Path, kind, progress, workers) -> dict:
    t_start = _time.perf_counter()
    kills = _KillPoints()
    kills.step("locked")
    snap = _resolve(store)
    _collect_garbage(store, snap)   # only safe under the lock: no other ingest is writing
    man = _load_manifest(snap.manifest)
    files = man["files"]
    conflicts: list = []
    sources, junk, markers = cnemc.list_sources(paths, kind=kind, conflicts=conflicts)
    for s in sources:
        if s.kind not in cnemc.KINDS or s.day is None:
            junk.append({"file": s.label, "reason": "kind and day cannot be told from the "
                         "name; the store needs china_cities_YYYYMMDD.csv or "
                         "china_sites_YYYYMMDD.csv"})
    sources = [s for s in sources if s.kind in cnemc.KINDS and s.day is not None]
    junk = [{"file": j["file"], "reason": cnemc.readable_name(j["reason"])} for j in junk]
    # nothing is written unless every name can be recorded (UTF-8 JSON and Arrow strings)
    json.dumps([[s.label, s.raw] for s in sources] + junk + conflicts,
               ensure_ascii=False).encode("utf-8")
    todo = []
    unchanged = 0
    for s in sources:
        entry = files.get(f"{s.kind}/{s.key}")
        if entry and entry["size"] == s.size and entry["stamp"] == s.stamp:
            unchanged += 1
        else:
            todo.append(s)
    bar = None
    if progress and todo:
        from tqdm.auto import tqdm  # progress bar: imported on use, only when one is shown

        bar = tqdm(total=len(todo), unit="file", desc="ingest")
    rows_written = 0
    parts_written = []
    skipped_now: list = []
    kept_now: list = []
    rejected_now: list = []
    pending: dict = {}

    def on_file(src, parsed, skip):
        key = f"{src.kind}/{src.key}"
        entry = {"kind": src.kind, "day": src.day.isoformat(), "size": src.size,
                 "stamp": src.stamp, "source": src.label, "synthetic": src.synthetic}
        if src.raw is not None:
            entry["source_raw"] = src.raw
        prev = files.get(key)
        if parsed is None:
            # (an OS error's text may quote a path that is not UTF-8: made readable)
            reason = cnemc.readable_name(skip["reason"]) if skip else ""
            if prev is not None and prev["status"] in DATA_STATUSES:
                # the day's rows of the previous version stay (not replaced): say so
                entry.update(status="kept", hours=prev["hours"], rows=prev.get("rows"),
                             reason=f"{reason} — the rows of the previous version "
                             f"({prev['source']}) are kept",
                             kept_source=prev.get("kept_source", prev["source"]))
                kept_now.append({"file": src.label, "reason": entry["reason"]})
            else:
                entry.update(status="skipped", reason=reason)
            skipped_now.append(skip)
        else:
            entry.update(status="ok", hours=[int(h) for h in parsed.hours],
                         rows=parsed.n_rows)
            if parsed.rejected:
                entry["rejected"] = dict(parsed.rejected)
                for loc, n in parsed.rejected.items():
                    rejected_now.append({"file": src.label, "location": loc, "count": n,
                                         "example": parsed.rejected_examples.get(loc, "")})
        pending[key] = entry
        if bar is not None:
            bar.update(1)

    groups: dict = {}
    for s in todo:
        groups.setdefault((s.kind, s.day.year), []).append(s)
    gen = snap.generation + 1
    parts = dict(snap.partitions)
    part_info = man.setdefault("partitions", {})

    def rewrite(k, year, items):
        """Rewrite the months of (k, year) that change; record them in ``parts``."""
        old = {m: p for (kd, y, m), p in parts.items() if kd == k and y == year}
        n, written = _rewrite_months(old, store, k, year, gen, items, on_file,
                                     lambda: kills.step("partition"))
        if 0 in old:   # a whole-year file, now split into month files
            del parts[(k, year, 0)]
            part_info.pop(_part_key(k, year, 0), None)
        for month, (path, info) in written.items():
            key = _part_key(k, year, month)
            if path is None:
                parts.pop((k, year, month), None)
                part_info.pop(key, None)
                continue
            rel = path.relative_to(store).as_posix()
            parts_written.append(rel)
            parts[(k, year, month)] = path
            part_info[key] = {**info, "file": rel}
        return n

    try:
        for (k, year), group in sorted(groups.items()):
            chunks: dict = {}
            for src in sorted(group, key=lambda src: src.day):
                chunks.setdefault(src.day.month, []).append(src)   # one chunk a month
            items = cnemc.iter_chunks(list(chunks.items()), k, workers=workers,
                                      ahead=CHUNKS_IN_FLIGHT[k])
            rows_written += rewrite(k, year, items)
            files.update(pending)
            pending.clear()
    finally:
        if bar is not None:
            bar.close()
    # Commit (only when something changed): the generation's manifest and day index, then
    # the pointer.  Anything raised before the pointer moves leaves the previous store.
    synthetic = bool(markers) or any(e.get("synthetic") for e in files.values())
    if todo or synthetic != bool(man.get("synthetic")) or (
            markers and man.get("synthetic_marker") != markers[0]):
        # whole-year files (the layouts before month partitions) left untouched above are
        # split into months in this same generation: after one commit the layout is uniform
        for k, year, _ in [key for key in sorted(parts) if key[2] == 0]:
            rewrite(k, year, ())
        if markers:
            man["synthetic_marker"] = markers[0]
        man["synthetic"] = bool(man.get("synthetic")) or synthetic
        man["version"] = MANIFEST_VERSION
        man["generation"] = gen
        man["updated"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        text = json.dumps(man, ensure_ascii=False, separators=(",", ":"))
        man_name = _gen_name("manifest", gen, ".json")
        with _io.atomic_path(store / man_name) as tmp:
            tmp.write_text(text, encoding="utf-8")
            _fsync(tmp)
        kills.step("manifest")
        days_name = _gen_name("days", gen, ".arrow")
        _write_day_index(store / days_name, man, len(text.encode("utf-8")))
        kills.step("index")
        if markers:
            _io.write_text(store / cnemc.SYNTHETIC_MARKER,
                           json.dumps(markers[0], ensure_ascii=False, indent=1))
            kills.step("marker")
        previous = snap.pointer and {key: snap.pointer[key]
                                     for key in ("generation", "manifest", "days",
                                                 "partitions")}
        if snap.pointer is None and snap.manifest.is_file():   # the layout before
            previous = {"generation": 0, "manifest": MANIFEST, "days": DAY_INDEX,
                        "partitions": _pointer_partitions(store, snap.partitions)}
        _write_pointer(store, {
            "generation": gen, "manifest": man_name, "days": days_name,
            "partitions": _pointer_partitions(store, parts), "previous": previous})
        kills.step("pointer")
        _collect_garbage(store, _resolve(store), kills)
    kills.step("done")
    skipped_all = list(junk) + [{"file": e["source"], "reason": e["reason"]}
                                for e in files.values() if e["status"] in ("skipped", "kept")]
    return {
        "files_seen": len(sources),
        "files_read": len(todo),
        "files_unchanged": unchanged,
        "files_skipped": skipped_all,
        "files_skipped_now": skipped_now,
        "files_kept_previous": kept_now,
        "conflicts": conflicts,
        "values_rejected": rejected_now,
        "rows_written": rows_written,
        "partitions_written": parts_written,
        "generation": _resolve(store).generation,
        "seconds": round(_time.perf_counter() - t_start, 3),
        "synthetic": bool(man.get("synthetic")),
        "store": describe_store(store),
    }


def describe_store(store_dir=None) -> dict:
    """Per kind: files, distinct hours, locations, first/last hour, rows (reads statistics only).

    Uses the manifest only (files, hours, and per partition its rows and locations), so it is
    cheap on a large store.  Days kept from a previous version of their file count as read.
    """
    store = _store(store_dir)
    snap = _resolve(store)
    man = _load_manifest(snap.manifest)
    out = {}
    for k, (loc_col, _) in cnemc.KINDS.items():
        ents = [e for e in man["files"].values() if e["kind"] == k
                and e["status"] in DATA_STATUSES]
        keys = sorted(key for key in snap.partitions if key[0] == k)
        if not ents and not keys:
            continue
        locs: set = set()
        rows = 0
        parts = man.get("partitions", {})
        for key in keys:
            info = parts.get(_part_key(*key)) or _partition_info(snap.partitions[key], loc_col)
            rows += info["rows"]
            locs.update(info["locations"])
        days = sorted(e["day"] for e in ents if e["day"])
        out[k] = {"files": len(ents), "hours": int(sum(len(e["hours"]) for e in ents)),
                  "locations": len(locs), "rows": rows,
                  "first": days[0] if days else None, "last": days[-1] if days else None,
                  "skipped": sum(1 for e in man["files"].values()
                                 if e["kind"] == k and e["status"] == "skipped")}
    return out


def _partition_info(path: Path, loc_col: str) -> dict:
    """Rows and locations of a partition written before the manifest recorded them."""
    import pyarrow.compute as pc  # heavy: imported on use
    import pyarrow.parquet as pq  # heavy: imported on use

    t = pq.read_table(path, columns=[loc_col])
    return {"rows": t.num_rows, "locations": sorted(pc.unique(t.column(loc_col)).to_pylist())}


def current_files(store_dir=None, kind: str = "cities") -> list[Path]:
    """The partition files of the store's current generation for ``kind``, by year and month.

    What an external engine (DuckDB, Spark, Trino, Polars …) must read to see exactly what
    :func:`read_store` sees: a folder scan of ``<kind>/year=*/month=*/`` would also find the
    previous generation's files (kept for readers in flight) and would double-count.  The list comes
    from one reading of ``CURRENT`` (``docs/store_layout.md``; ``docs/external_engines.md``
    shows the SQL).  Empty when the store holds nothing of ``kind``.
    """
    if kind not in cnemc.KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(cnemc.KINDS)}")
    snap = _resolve(_store(store_dir))
    return [snap.partitions[key] for key in sorted(snap.partitions) if key[0] == kind]


def read_store(store_dir=None, kind: str = "cities", names=None, start=None, end=None,
               columns=None):
    """Read one or more cities/stations for a period back from the store — cheaply.

    Parameters
    ----------
    store_dir : path, optional — default :func:`yqplan.config.store_dir`.
    kind : {"cities", "sites"}
    names : str or list — cities (``阳泉``; trailing 市 accepted) or station codes.
    start, end : inclusive bounds (Asia/Shanghai); a date-only ``end`` includes the whole day.
    columns : value columns to return (default: all 15).

    Returns
    -------
    df, meta
        Exactly as :func:`yqplan.air.cnemc.read_cnemc` (same columns, order, convention). Only the
        partitions (months; whole years in a store of an earlier version) in range are
        opened, and within them only row groups whose location/time statistics can match.
        ``meta["missing_hours"]`` comes from the manifest (hours absent from the archive
        files, and days with no file, in range);
        ``meta["generation"]``: the store generation read (every file from that one).
    """
    if kind not in cnemc.KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(cnemc.KINDS)}")
    store = _store(store_dir)
    if not ((store / CURRENT).is_file() or (store / MANIFEST).is_file()):
        raise FileNotFoundError(f"{store}: no air store here (no {CURRENT}); run "
                                "`yqplan air ingest ARCHIVE --store DIR` first")
    for attempt in range(3):
        # every file from the one generation CURRENT names; if two ingests committed while
        # this read ran, that generation's files are gone: resolve again
        snap = _resolve(store)
        try:
            return _read_snapshot(store, snap, kind, names, start, end, columns)
        except FileNotFoundError:
            if attempt == 2 or _resolve(store).generation == snap.generation:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _read_snapshot(store: Path, snap: _Snapshot, kind, names, start, end, columns):
    """:func:`read_store` from one generation of the store."""
    import pyarrow as pa  # heavy: imported on use
    import pyarrow.compute as pc  # heavy: imported on use

    loc_col = cnemc.KINDS[kind][0]
    name_set = cnemc.normalise_names(names, kind)
    t0 = cnemc.to_timestamp(start)
    t1 = cnemc.to_timestamp(end, end=True)
    if columns is not None:
        bad = [c for c in columns if c not in cnemc.VALUE_COLUMNS]
        if bad:
            raise ValueError(f"columns: {bad} not among {', '.join(cnemc.VALUE_COLUMNS)}")
    cols = [loc_col, "time", *(columns or cnemc.VALUE_COLUMNS)]
    keys = [key for key in sorted(snap.partitions) if key[0] == kind
            and _overlaps(_span_ns(key[1], key[2]), t0, t1)]
    expr = None
    tz_type = pa.timestamp("ns", tz=cnemc.TIMEZONE)
    if name_set is not None:
        expr = pc.field(loc_col).isin(sorted(name_set))
    if t0 is not None:
        e = pc.field("time") >= pa.scalar(t0.value, tz_type)
        expr = e if expr is None else expr & e
    if t1 is not None:
        e = pc.field("time") <= pa.scalar(t1.value, tz_type)
        expr = e if expr is None else expr & e
    tables = []
    lo = t0.value if t0 is not None else None
    hi = t1.value if t1 is not None else None
    groups = [0, 0]

    def read(path, use_threads=True):
        return _read_pruned(path, cols, loc_col, name_set, lo, hi, expr, use_threads)

    paths = [snap.partitions[key] for key in keys]
    if len(paths) > 1:
        # one file a month: read them side by side (pyarrow releases the GIL), each on one
        # thread — a city-year is a row group or two in each of 12 files, and opening and
        # reading them one after another costs more than reading one file's 12 row groups
        with ThreadPoolExecutor(min(len(paths), READ_THREADS)) as pool:
            results = list(pool.map(lambda p: read(p, False), paths))
    else:
        results = [read(p) for p in paths]
    for table, n_read, n_total in results:
        tables.append(table)
        groups[0] += n_read
        groups[1] += n_total
    if tables:
        table = _sorted_by_location(pa.concat_tables(tables), loc_col)
    else:
        table = pa.table({loc_col: pa.array([], pa.string()), "time": pa.array([], tz_type),
                          **{c: pa.array([], pa.float64()) for c in cols[2:]}})
    df = cnemc.table_to_frame(table, kind)
    # manifest-based metadata (from the day index: only this kind's days in range)
    in_range, (synthetic, marker) = _day_entries(
        snap, kind, t0.date().isoformat() if t0 is not None else None,
        t1.date().isoformat() if t1 is not None else None)
    ok = [e for e in in_range if e["status"] in DATA_STATUSES]

    missing = cnemc.missing_hours_of([_P(e) for e in ok if len(e["hours"]) < 24],
                                     t0 or (_first_hour(ok)), t1 or (_last_hour(ok)),
                                     full_days={e["day"] for e in ok if len(e["hours"]) == 24})
    found = set(df[loc_col].unique()) if name_set else set()
    meta = {
        "kind": kind,
        "store": str(store),
        "files_read": [e["source"] for e in ok],
        "files_skipped": [{"file": e["source"], "reason": e["reason"]} for e in in_range
                          if e["status"] in ("skipped", "kept")],
        "missing_hours": missing,
        "synthetic": bool(synthetic),
        "synthetic_marker": marker,
        "partitions_read": [snap.partitions[key].relative_to(store).as_posix()
                            for key in keys],
        "generation": snap.generation,
        "row_groups_read": groups[0],
        "row_groups_total": groups[1],
        "names_not_found": sorted(name_set - found) if name_set else [],
        "timestamp_convention": "file date + hour label, Asia/Shanghai; hour-ending "
                                "(unverified)",
    }
    return df, meta


def _overlaps(span: tuple[int, int], t0, t1) -> bool:
    """Whether a partition's ``[lo, hi)`` (UTC ns) meets the inclusive period ``t0..t1``."""
    return (t0 is None or span[1] > t0.value) and (t1 is None or span[0] <= t1.value)


class _P:
    """A manifest entry in the shape :func:`yqplan.air.cnemc.missing_hours_of` expects."""

    def __init__(self, e):
        self.day = _dt.date.fromisoformat(e["day"])
        self.hours = np.array(e["hours"], dtype=np.int64)


def _first_hour(ents):
    days = [e["day"] for e in ents]
    return cnemc.to_timestamp(min(days)) if days else None


def _last_hour(ents):
    days = [e["day"] for e in ents]
    return cnemc.to_timestamp(max(days), end=True) if days else None


def _read_pruned(path: Path, cols, loc_col, names, lo, hi, expr, use_threads=True):
    """Read only the row groups whose min/max statistics can match, then filter exactly.

    Returns (table, row groups read, row groups in the file).
    """
    import pyarrow as pa  # heavy: imported on use
    import pyarrow.parquet as pq  # heavy: imported on use

    # the location column decoded as a dictionary: cheaper to read and to match; cast to
    # plain strings only after filtering
    pf = pq.ParquetFile(path, pre_buffer=True, read_dictionary=[loc_col])
    md = pf.metadata
    ci = {md.schema.column(i).name: i for i in range(md.num_columns)}
    keep, inside = [], []   # inside: the row group's hours all lie in the period
    sorted_names = sorted(names) if names else None
    for g in range(md.num_row_groups):
        rg = md.row_group(g)
        if sorted_names:
            ls = rg.column(ci[loc_col]).statistics
            if ls is not None and ls.has_min_max and not any(
                    ls.min <= n <= ls.max for n in sorted_names):
                continue
        ts = rg.column(ci["time"]).statistics   # (after the names: converting is dearer)
        within = False
        if ts is not None and ts.has_min_max:
            tmin, tmax = (_ns(ts.min), _ns(ts.max))
            if (lo is not None and tmax < lo) or (hi is not None and tmin > hi):
                continue
            within = (lo is None or tmin >= lo) and (hi is None or tmax <= hi)
        keep.append(g)
        inside.append(within)
    table = pf.read_row_groups(keep, columns=cols, use_threads=use_threads) if keep else \
        pf.schema_arrow.empty_table().select(cols)
    if expr is not None and table.num_rows:
        spans = _spans(table, loc_col, names, lo, hi, inside) if names else None
        if spans is not None:   # zero-copy slices of the wanted rows
            table = pa.concat_tables([table.slice(a, b - a) for a, b in spans]) if spans \
                else table.slice(0, 0)
        else:
            table = table.filter(_mask(table, loc_col, names, lo, hi))
    return _canonical(table, loc_col), len(keep), md.num_row_groups


def _spans(table, loc_col, names, lo, hi, inside=()):
    """Row ranges ``[(start, stop)]`` holding the wanted locations in the period, or None
    when the rows are not in (location, time) order within each chunk.

    ``inside[k]``: chunk ``k`` (row group) lies wholly in the period (its statistics say
    so), so its hours need no search.

    A row group holds whole runs of locations sorted by name, each run's hours ascending
    (how :func:`_rewrite_months` writes), so one location of one row group is one contiguous
    range, and a period is a sub-range of it: found by binary search, then sliced without
    copying — cheaper than building a mask and filtering every column.
    """
    import pyarrow as pa  # heavy: imported on use

    chunks = table.column(loc_col).chunks   # one per row group, each its own dictionary
    if len(inside) != len(chunks):
        inside = [False] * len(chunks)
    t = None
    spans = []
    base = 0
    for chunk, within in zip(chunks, inside):
        idx = chunk.indices.to_numpy(zero_copy_only=False)
        if len(idx) > 1 and (idx[1:] < idx[:-1]).any():
            return None
        for code, name in enumerate(chunk.dictionary.to_pylist()):
            if name not in names:
                continue
            # both ends at once, in the indices' own dtype (a Python int costs a cast)
            a, b = idx.searchsorted(np.array([code, code + 1], dtype=idx.dtype)).tolist()
            if a == b:
                continue
            if within:
                spans.append((base + a, base + b))
                continue
            if t is None:
                t = table.column("time").cast(pa.int64()).to_numpy()
            tt = t[base + a:base + b]
            if len(tt) > 1 and (tt[1:] <= tt[:-1]).any():
                return None
            a0 = a + (int(tt.searchsorted(np.int64(lo), "left")) if lo is not None else 0)
            b0 = a + (int(tt.searchsorted(np.int64(hi), "right")) if hi is not None
                      else len(tt))
            if a0 < b0:
                spans.append((base + a0, base + b0))
        base += len(idx)
    return spans   # location still a dictionary: sorted on it, cast to strings at the end


def _mask(table, loc_col, names, lo, hi):
    """Rows of the wanted locations and period, with numpy: for the few row groups of one
    city this is several times cheaper than an Acero filter expression."""
    import pyarrow as pa  # heavy: imported on use

    mask = np.ones(table.num_rows, dtype=bool)
    if names:   # the location column is read as a dictionary: match its few names, not rows
        parts = []
        for chunk in table.column(loc_col).chunks:   # a row group's dictionary: ~25 names
            hit = np.array([n in names for n in chunk.dictionary.to_pylist()], dtype=bool)
            parts.append(hit[chunk.indices.to_numpy(zero_copy_only=False)])
        mask &= np.concatenate(parts) if parts else mask
    t = table.column("time").cast(pa.int64()).to_numpy()
    if lo is not None:
        mask &= t >= lo
    if hi is not None:
        mask &= t <= hi
    return pa.array(mask)


def _sorted_by_location(table, loc_col):
    """Rows sorted by (location, time), as :func:`yqplan.air.cnemc.read_cnemc` returns them.

    Each chunk of a partition (a month) and each partition (a year) is sorted by location,
    then time, and they come in time order, so a stable sort on the location alone is
    enough; it is skipped when the rows are already in order (one location, one chunk).
    """
    import pyarrow as pa  # heavy: imported on use
    import pyarrow.compute as pc  # heavy: imported on use

    if table.num_rows < 2:
        return table
    col = table.column(loc_col)
    if not pa.types.is_dictionary(col.type):
        col = pc.dictionary_encode(col)
    # each chunk (row group) has its own small dictionary: rank its names, then its rows
    dicts = [chunk.dictionary.to_pylist() for chunk in col.chunks]
    rank = {n: i for i, n in enumerate(sorted({n for d in dicts for n in d}))}
    key = np.concatenate([np.array([rank[n] for n in d], dtype=np.int32)[
        chunk.indices.to_numpy(zero_copy_only=False)] for d, chunk in zip(dicts, col.chunks)])
    if np.all(key[1:] >= key[:-1]):
        return table
    return table.take(pa.array(np.argsort(key, kind="stable")))


def _ns(v) -> int:
    import pandas as pd  # heavy: imported on use

    return pd.Timestamp(v).value if not isinstance(v, int) else v


def location_coverage(df, kind: str = "cities", start=None, end=None):
    """Per location: hours with a row, hours expected in the span, missing hours.

    ``start``/``end`` default to the first and last day present in ``df``; the span is whole
    days (00:00–23:00).  Returns a DataFrame ``<city|station>, first, last, hours_present,
    hours_expected, hours_missing``.
    """
    import pandas as pd  # heavy: imported on use

    loc_col = cnemc.KINDS[kind][0]
    if df.empty:
        return pd.DataFrame(columns=[loc_col, "first", "last", "hours_present",
                                     "hours_expected", "hours_missing"])
    t0 = cnemc.to_timestamp(start) if start is not None else df["time"].min().normalize()
    t1 = cnemc.to_timestamp(end, end=True) if end is not None else (
        df["time"].max().normalize() + pd.Timedelta(hours=23))
    expected = int((t1 - t0) / pd.Timedelta(hours=1)) + 1
    g = df.groupby(loc_col, sort=True)["time"]
    out = pd.DataFrame({"first": g.min(), "last": g.max(), "hours_present": g.size()})
    out["hours_expected"] = expected
    out["hours_missing"] = expected - out["hours_present"]
    return out.reset_index()


#: The public API of this module (anything else is private to it).
__all__ = ["CURRENT", "MANIFEST", "MANIFEST_VERSION", "DAY_INDEX", "ROW_GROUP_ROWS",
           "PARTITION_FILE", "COMPRESSED", "DATA_STATUSES", "CHUNKS_IN_FLIGHT", "read_manifest",
           "KILL_EXIT", "KILL_ENV", "LOCK", "StoreBusyError", "StoreSourceError",
           "check_same_source", "ingest", "describe_store", "read_store", "location_coverage"]

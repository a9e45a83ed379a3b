"""An incremental, atomic Parquet store of the CNEMC hourly archive.

Layout under ``store_dir`` (default :func:`yqplan.config.store_dir`)::

    manifest.json                      every daily file ingested: size, CRC/mtime, hours, status
    days.arrow                         what reads need of it: kind, day, status, source,
                                       reason, hours (a small Arrow file, written just before)
    SYNTHETIC.json                     copy of the archive's marker, when the data are synthetic
    cities/year=2022/data.parquet      one file per kind and year; month by month, each
                                       month's rows sorted by (city, time)
    sites/year=2022/data.parquet       ... by (station, time)

``ingest`` re-reads only daily files that are new or whose size/CRC (mtime for loose files)
changed; a re-read day replaces that day's rows.  Every partition is written to a temporary
file and renamed over the old one (``os.replace``), and the manifest is written last, so a run
killed at any moment leaves a readable store: either the old or the new partition, and at
worst files that the next run re-reads (replacing the same days, so the result is identical).

Each month of a year is one chunk: its files are read, parsed and assembled into a long table
sorted by (location, time) in a worker thread (:func:`yqplan.cnemc.iter_chunks`) while the
main thread writes the previous month, in row groups of at most :data:`ROW_GROUP_ROWS` rows
cut between locations.  Memory stays bounded (a few months in flight) and ``read_store`` for
one city or station and a period reads only the row groups whose statistics can match
(predicate pushdown) — one per month — slices the location's rows out of each without
copying, then sorts the months' rows by location (a stable sort, skipped when there is one
location).
"""

from __future__ import annotations

import datetime as _dt
import json
import time as _time
from pathlib import Path

import numpy as np

from . import _io, cnemc
from .errors import LockHeldError

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
#: what :func:`read_store` needs of the manifest, as a small Arrow (Feather) table (see
#: :func:`_write_day_index`): the manifest is JSON that grows with every file ingested —
#: 2.5 MB and ~65 ms to parse for the 8,000-file demonstration store — while a read needs
#: only its own kind and days (~1 ms from the index)
DAY_INDEX = "days.arrow"
ROW_GROUP_ROWS = 16_384
PARTITION_FILE = "data.parquet"
#: lz4 (with dictionary pages: about as small as zstd here, cheaper to write) where it pays:
#: the location and time columns and the smooth 24-hour averages (20–70 % smaller).  The
#: hourly values' dictionary indices barely compress (3–8 %, measured on the 2022 city year),
#: and compressing them cost ~15 % of the write's CPU; left plain, the year is 5 % larger.
COMPRESSED = "lz4"
#: months per sorted chunk of a year's partition, by kind (a month: measured faster to ingest
#: than a quarter on 2 cores — more chunks keep both workers busy — at ~1.5× the read time)
CHUNK_MONTHS = {"cities": 1, "sites": 1}
#: chunks parsed ahead of the writer, by kind (None: workers + 1).  A month of ~1,700 stations
#: is ~0.3 GB in flight: two bound the peak memory of a national station year (measured:
#: 1.6 GiB with three).
CHUNKS_IN_FLIGHT = {"cities": None, "sites": 2}
_DAY_NS = 86400 * 1_000_000_000
_OFFSET_NS = 8 * 3600 * 1_000_000_000


def _store(store_dir) -> Path:
    from . import config

    return Path(store_dir) if store_dir is not None else config.store_dir()


def read_manifest(store_dir=None) -> dict:
    """The store's manifest (an empty one if the store does not exist yet)."""
    path = _store(store_dir) / MANIFEST
    if not path.is_file():
        return {"version": MANIFEST_VERSION, "files": {}, "synthetic": False,
                "synthetic_marker": None}
    try:
        man = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        from .errors import DataFileError

        raise DataFileError(path, f"manifest is not valid JSON ({exc.msg})", line=exc.lineno) \
            from None
    if man.get("version") != MANIFEST_VERSION:
        from .errors import DataFileError

        raise DataFileError(path, "unknown manifest version", column="version",
                            expected=str(MANIFEST_VERSION), found=man.get("version"))
    return man


def _write_day_index(store: Path, man: dict, manifest_bytes: int) -> None:
    """Write :data:`DAY_INDEX`: one row per daily file of the manifest (kind, day, status,
    source, reason, hours present), sorted by kind, day and source, plus the manifest's
    synthetic flag and marker and its size in bytes.

    Written (atomically) just before the manifest it mirrors; :func:`_day_entries` uses it
    only while the manifest still has that size, so an index left by an interrupted run, or
    by an older version that did not write one, falls back to the manifest itself.
    """
    import pyarrow as pa
    import pyarrow.feather as feather

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
    with _io.atomic_path(store / DAY_INDEX, suffix=".tmp") as tmp:
        feather.write_feather(table, tmp, compression="lz4")


def _day_entries(store: Path, kind: str, lo_day: str | None, hi_day: str | None):
    """Manifest entries of ``kind`` whose day is in ``lo_day``..``hi_day`` (ISO dates,
    inclusive; None: open), in (day, source) order, and the manifest's
    ``(synthetic, synthetic_marker)``.

    From :data:`DAY_INDEX` when it matches the manifest, else from the manifest (parsed
    whole).  Entries carry ``day``, ``status``, ``source``, ``reason`` and ``hours``.
    """
    import pyarrow.compute as pc
    import pyarrow.feather as feather

    idx = store / DAY_INDEX
    table = None
    if idx.is_file():
        try:
            table = feather.read_table(idx)
            meta = table.schema.metadata or {}
            synthetic = (json.loads(meta[b"synthetic"]), json.loads(meta[b"synthetic_marker"]))
            if int(meta[b"manifest_bytes"]) != (store / MANIFEST).stat().st_size:
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
    man = read_manifest(store)
    rows = [e for e in man["files"].values() if e["kind"] == kind and e["day"]
            and (lo_day is None or e["day"] >= lo_day)
            and (hi_day is None or e["day"] <= hi_day)]
    rows.sort(key=lambda e: (e["day"], e["source"]))
    return rows, (bool(man.get("synthetic")), man.get("synthetic_marker"))


def _partition(store: Path, kind: str, year: int) -> Path:
    return store / kind / f"year={year}" / PARTITION_FILE


def _years(store: Path, kind: str) -> list[int]:
    base = store / kind
    if not base.is_dir():
        return []
    out = []
    for d in base.iterdir():
        if d.name.startswith("year=") and (d / PARTITION_FILE).is_file():
            out.append(int(d.name[5:]))
    return sorted(out)


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
    import pyarrow as pa

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
    import pyarrow as pa

    want = _schema(loc_col, dictionary=True)
    target = pa.schema([want.field(name) for name in table.column_names])
    return table if table.schema.equals(target) else table.cast(target)


def _month_bounds(year: int, month: int, span: int = 1):
    import pyarrow as pa

    t = pa.timestamp("ns", tz=cnemc.TIMEZONE)
    lo = (_dt.date(year, month, 1) - _dt.date(1970, 1, 1)).days * _DAY_NS - _OFFSET_NS
    end = month + span - 1
    nxt = _dt.date(year + (end == 12), end % 12 + 1, 1)
    hi = (nxt - _dt.date(1970, 1, 1)).days * _DAY_NS - _OFFSET_NS
    return pa.scalar(lo, t), pa.scalar(hi, t)


def _rewrite_year(store: Path, kind: str, year: int, chunks, on_file) -> tuple[int, dict]:
    """Write the year's partition: old rows (minus re-read days) merged with new files.

    ``chunks`` yields ``(first month, table or None, [(source, FileResult|None, skip|None)])``
    in month order (:func:`yqplan.cnemc.iter_chunks`: parsed and assembled in worker
    threads while this thread writes).  Works chunk by chunk (bounded memory), writing to a
    temporary file renamed over the old partition at the end.  Returns (new rows, info:
    rows and locations of the partition).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    loc_col = cnemc.KINDS[kind][0]
    schema = _schema(loc_col)
    wschema = _schema(loc_col, dictionary=True)
    path = _partition(store, kind, year)
    has_old = path.is_file()
    new_rows = 0
    span = CHUNK_MONTHS[kind]

    path.parent.mkdir(parents=True, exist_ok=True)
    wrote_any = False
    locations: set = set()
    total_rows = 0
    with _io.atomic_path(path, suffix=".parquet.tmp") as tmp:
        # statistics only where predicates are pushed down
        writer = pq.ParquetWriter(tmp, wschema, compression=_compression(wschema),
                                  use_dictionary=True,
                                  write_statistics=[loc_col, "time"])
        try:
            pending = iter(chunks)
            nxt = next(pending, None)
            for month in range(1, 13, span):
                got, days = None, []
                if nxt is not None and nxt[0] == month:   # one chunk per month key
                    got = nxt[1]
                    for src, res, skip in nxt[2]:
                        on_file(src, res, skip)
                        if res is not None:
                            days.append((res.day - _dt.date(1970, 1, 1)).days)
                    nxt = next(pending, None)
                old = None
                if has_old:
                    lo, hi = _month_bounds(year, month, span)
                    old = pq.read_table(path, filters=(pc.field("time") >= lo) &
                                        (pc.field("time") < hi))
                    if old.num_rows == 0:
                        old = None
                if got is not None:
                    new = got.cast(wschema)
                    if old is None:   # names from the dictionary: no hashing of every row
                        col = got.column(loc_col).combine_chunks()
                        used = np.bincount(col.indices.to_numpy(), minlength=len(col.dictionary))
                        locations.update(np.array(col.dictionary.to_pylist(), dtype=object)[
                            used > 0].tolist())
                    new_rows += new.num_rows
                    if old is not None:
                        t = old.column("time").cast(pa.int64()).to_numpy()
                        keep = ~np.isin(_day_of(t), days)
                        old = old.filter(pa.array(keep)).cast(schema)
                        table = pa.concat_tables([old, new.cast(schema)])
                        idx = pc.sort_indices(table, sort_keys=[(loc_col, "ascending"),
                                                                ("time", "ascending")])
                        table = table.take(idx).cast(wschema)
                    else:
                        table = new
                elif old is not None:
                    table = old.cast(wschema)
                else:
                    continue
                if table.num_rows:
                    _write_row_groups(writer, table, loc_col)
                    wrote_any = True
                    if old is not None or got is None:
                        locations.update(pc.unique(table.column(loc_col)).to_pylist())
                    total_rows += table.num_rows
            # files of another year (date inside differs from name) cannot occur: checked
        finally:
            writer.close()
        if not wrote_any and not has_old:
            raise _NothingToWrite
    return new_rows, {"rows": total_rows, "locations": sorted(locations)}


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
    import pyarrow as pa

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


class _NothingToWrite(Exception):
    pass


def _cleanup_temps(store: Path) -> None:
    # Leftovers of a killed run: temporary partition, manifest and day-index files are never
    # read; remove them.
    if not store.is_dir():
        return
    for p in [*store.glob("*/year=*/.*.tmp"), *store.glob(".*.tmp")]:
        p.unlink(missing_ok=True)


LOCK = ".ingest.lock"


class StoreBusyError(LockHeldError):
    """Another live process is ingesting into the same store (the command exits 3)."""


def _acquire_lock(store: Path) -> Path:
    """Create ``.ingest.lock`` (O_EXCL) holding our PID; take over a stale one (dead PID)."""
    import os

    lock = store / LOCK
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or 0)
            except (OSError, ValueError):
                pid = 0
            alive = False
            if pid > 0:
                try:
                    os.kill(pid, 0)
                    alive = True
                except ProcessLookupError:
                    alive = False
                except PermissionError:
                    alive = True
            if alive and pid != os.getpid():
                raise StoreBusyError(f"{store}: another ingest (pid {pid}) is writing this "
                                     f"store; wait for it, or remove {lock} if it is stale")
            lock.unlink(missing_ok=True)   # stale: its process is gone
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        return lock
    raise StoreBusyError(f"{store}: could not take {lock}")


def ingest(paths, store_dir=None, kind: str | None = None, *, progress: bool = True,
           workers: int | None = None) -> dict:
    """Add new or changed daily files from ``paths`` to the Parquet store.

    Parameters
    ----------
    paths : folder, zip, glob or CSV, or a list of them (as :func:`yqplan.cnemc.read_cnemc`).
    store_dir : path, optional — default :func:`yqplan.config.store_dir`.
    kind : {"cities", "sites"}, optional — restrict to one kind (default: both).
    progress : show a tqdm progress bar while reading.
    workers : parser threads (default: CPU count, at most 8).

    Returns
    -------
    summary : dict
        ``files_seen``, ``files_read``, ``files_unchanged``, ``files_skipped`` (list of
        ``{"file", "reason"}``: junk seen now plus every file recorded as skipped in the
        manifest), ``files_skipped_now``, ``rows_written``, ``partitions_written``,
        ``seconds``, ``synthetic``, and ``store`` (:func:`describe_store`).

    Notes
    -----
    One ingest at a time per store: ``.ingest.lock`` (holding the PID) makes a second
    concurrent ingest fail with :class:`StoreBusyError`; a lock left by a killed process is
    taken over.  A daily file is identified by kind and base name; it is re-read when its size or its
    CRC-32 (zip members; mtime for loose files) differs from the manifest.  Its day's rows
    then replace the old ones.  Files that fail to parse are recorded as skipped (with the
    reason) and not retried until they change.
    """
    if kind is not None and kind not in cnemc.KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(cnemc.KINDS)}")
    store = _store(store_dir)
    store.mkdir(parents=True, exist_ok=True)
    lock = _acquire_lock(store)
    try:
        return _ingest_locked(paths, store, kind, progress, workers)
    finally:
        lock.unlink(missing_ok=True)


def _ingest_locked(paths, store: Path, kind, progress, workers) -> dict:
    t_start = _time.perf_counter()
    _cleanup_temps(store)   # only safe under the lock: no other ingest is writing
    man = read_manifest(store)
    files = man["files"]
    sources, junk, markers = cnemc.list_sources(paths, kind=kind)
    for s in sources:
        if s.kind not in cnemc.KINDS or s.day is None:
            junk.append({"file": s.label, "reason": "kind and day cannot be told from the "
                         "name; the store needs china_cities_YYYYMMDD.csv or "
                         "china_sites_YYYYMMDD.csv"})
    sources = [s for s in sources if s.kind in cnemc.KINDS and s.day is not None]
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
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), unit="file", desc="ingest")
    rows_written = 0
    parts_written = []
    skipped_now: list = []
    pending: dict = {}

    def on_file(src, parsed, skip):
        entry = {"kind": src.kind, "day": src.day.isoformat(), "size": src.size,
                 "stamp": src.stamp, "source": src.label, "synthetic": src.synthetic}
        if parsed is None:
            entry.update(status="skipped", reason=skip["reason"] if skip else "")
            skipped_now.append(skip)
        else:
            entry.update(status="ok", hours=[int(h) for h in parsed.hours],
                         rows=parsed.n_rows)
        pending[f"{src.kind}/{src.key}"] = entry
        if bar is not None:
            bar.update(1)

    groups: dict = {}
    for s in todo:
        groups.setdefault((s.kind, s.day.year), []).append(s)
    completed = False
    try:
        for (k, year), group in sorted(groups.items()):
            span = CHUNK_MONTHS[k]
            chunks: dict = {}
            for src in sorted(group, key=lambda src: src.day):
                chunks.setdefault((src.day.month - 1) // span * span + 1, []).append(src)
            items = cnemc.iter_chunks(list(chunks.items()), k, workers=workers,
                                      ahead=CHUNKS_IN_FLIGHT[k])
            try:
                n, info = _rewrite_year(store, k, year, items, on_file)
            except _NothingToWrite:
                n = 0
            else:
                parts_written.append(f"{k}/year={year}/{PARTITION_FILE}")
                man.setdefault("partitions", {})[f"{k}/year={year}"] = info
            rows_written += n
            files.update(pending)   # only once the partition holding them is in place
            pending.clear()
        completed = True
    finally:
        if bar is not None:
            bar.close()
        # Manifest last: it lists only files whose partition was renamed into place.  A run that
        # failed before any partition was replaced leaves the manifest untouched (byte for byte).
        if completed or parts_written:
            if markers:
                man["synthetic"] = True
                man["synthetic_marker"] = markers[0]
                _io.write_text(store / cnemc.SYNTHETIC_MARKER,
                               json.dumps(markers[0], ensure_ascii=False, indent=1))
            if any(e.get("synthetic") for e in files.values()):
                man["synthetic"] = True
            man["updated"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
            text = json.dumps(man, ensure_ascii=False, separators=(",", ":"))
            _write_day_index(store, man, len(text.encode("utf-8")))
            _io.write_text(store / MANIFEST, text)
    skipped_all = list(junk) + [{"file": e["source"], "reason": e["reason"]}
                                for e in files.values() if e["status"] == "skipped"]
    return {
        "files_seen": len(sources),
        "files_read": len(todo),
        "files_unchanged": unchanged,
        "files_skipped": skipped_all,
        "files_skipped_now": skipped_now,
        "rows_written": rows_written,
        "partitions_written": parts_written,
        "seconds": round(_time.perf_counter() - t_start, 3),
        "synthetic": bool(man["synthetic"]),
        "store": describe_store(store),
    }


def describe_store(store_dir=None) -> dict:
    """Per kind: files, distinct hours, locations, first/last hour, rows (reads statistics only).

    Uses the manifest only (files, hours, and per partition its rows and locations), so it is
    cheap on a large store.
    """
    store = _store(store_dir)
    man = read_manifest(store)
    out = {}
    for k, (loc_col, _) in cnemc.KINDS.items():
        ents = [e for e in man["files"].values() if e["kind"] == k and e["status"] == "ok"]
        years = _years(store, k)
        if not ents and not years:
            continue
        locs: set = set()
        rows = 0
        parts = man.get("partitions", {})
        for y in years:
            info = parts.get(f"{k}/year={y}") or _partition_info(_partition(store, k, y),
                                                                 loc_col)
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
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    t = pq.read_table(path, columns=[loc_col])
    return {"rows": t.num_rows, "locations": sorted(pc.unique(t.column(loc_col)).to_pylist())}


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
        Exactly as :func:`yqplan.cnemc.read_cnemc` (same columns, order, convention). Only the
        partitions (years) in range are opened, and within them only row groups whose
        location/time statistics can match.  ``meta["missing_hours"]`` comes from the
        manifest (hours absent from the archive files, and days with no file, in range).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind not in cnemc.KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(cnemc.KINDS)}")
    store = _store(store_dir)
    if not (store / MANIFEST).is_file():
        raise FileNotFoundError(f"{store}: no air store here (no {MANIFEST}); run "
                                "`yqplan air ingest ARCHIVE --store DIR` first")
    loc_col = cnemc.KINDS[kind][0]
    name_set = cnemc._normalise_names(names, kind)
    t0 = cnemc._to_timestamp(start)
    t1 = cnemc._to_timestamp(end, end=True)
    if columns is not None:
        bad = [c for c in columns if c not in cnemc.VALUE_COLUMNS]
        if bad:
            raise ValueError(f"columns: {bad} not among {', '.join(cnemc.VALUE_COLUMNS)}")
    cols = [loc_col, "time", *(columns or cnemc.VALUE_COLUMNS)]
    years = [y for y in _years(store, kind)
             if (t0 is None or y >= t0.year) and (t1 is None or y <= t1.year)]
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
    for y in years:
        tables.append(_read_pruned(_partition(store, kind, y), cols, loc_col, name_set, lo, hi,
                                   expr, groups))
    if tables:
        table = _sorted_by_location(pa.concat_tables(tables), loc_col)
    else:
        table = pa.table({loc_col: pa.array([], pa.string()), "time": pa.array([], tz_type),
                          **{c: pa.array([], pa.float64()) for c in cols[2:]}})
    df = cnemc.table_to_frame(table, kind)
    # manifest-based metadata (from the day index: only this kind's days in range)
    in_range, (synthetic, marker) = _day_entries(
        store, kind, t0.date().isoformat() if t0 is not None else None,
        t1.date().isoformat() if t1 is not None else None)
    ok = [e for e in in_range if e["status"] == "ok"]

    missing = cnemc.missing_hours_of([_P(e) for e in ok if len(e["hours"]) < 24],
                                     t0 or (_first_hour(ok)), t1 or (_last_hour(ok)),
                                     full_days={e["day"] for e in ok if len(e["hours"]) == 24})
    found = set(df[loc_col].unique()) if name_set else set()
    meta = {
        "kind": kind,
        "store": str(store),
        "files_read": [e["source"] for e in ok],
        "files_skipped": [{"file": e["source"], "reason": e["reason"]} for e in in_range
                          if e["status"] == "skipped"],
        "missing_hours": missing,
        "synthetic": bool(synthetic),
        "synthetic_marker": marker,
        "partitions_read": [str(_partition(store, kind, y).relative_to(store)) for y in years],
        "row_groups_read": groups[0],
        "row_groups_total": groups[1],
        "names_not_found": sorted(name_set - found) if name_set else [],
        "timestamp_convention": "file date + hour label, Asia/Shanghai; hour-ending "
                                "(unverified)",
    }
    return df, meta


class _P:
    """A manifest entry in the shape :func:`yqplan.cnemc.missing_hours_of` expects."""

    def __init__(self, e):
        self.day = _dt.date.fromisoformat(e["day"])
        self.hours = np.array(e["hours"], dtype=np.int64)


def _first_hour(ents):
    days = [e["day"] for e in ents]
    return cnemc._to_timestamp(min(days)) if days else None


def _last_hour(ents):
    days = [e["day"] for e in ents]
    return cnemc._to_timestamp(max(days), end=True) if days else None


def _read_pruned(path: Path, cols, loc_col, names, lo, hi, expr, groups):
    """Read only the row groups whose min/max statistics can match, then filter exactly.

    ``groups`` ([read, total]) is incremented, for the metadata.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    # the location column decoded as a dictionary: cheaper to read and to match; cast to
    # plain strings only after filtering
    pf = pq.ParquetFile(path, pre_buffer=True, read_dictionary=[loc_col])
    md = pf.metadata
    groups[1] += md.num_row_groups
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
    groups[0] += len(keep)
    table = pf.read_row_groups(keep, columns=cols) if keep else pf.schema_arrow.empty_table(
    ).select(cols)
    if expr is not None and table.num_rows:
        spans = _spans(table, loc_col, names, lo, hi, inside) if names else None
        if spans is not None:   # zero-copy slices of the wanted rows
            table = pa.concat_tables([table.slice(a, b - a) for a, b in spans]) if spans \
                else table.slice(0, 0)
        else:
            table = table.filter(_mask(table, loc_col, names, lo, hi))
    return _canonical(table, loc_col)


def _spans(table, loc_col, names, lo, hi, inside=()):
    """Row ranges ``[(start, stop)]`` holding the wanted locations in the period, or None
    when the rows are not in (location, time) order within each chunk.

    ``inside[k]``: chunk ``k`` (row group) lies wholly in the period (its statistics say
    so), so its hours need no search.

    A row group holds whole runs of locations sorted by name, each run's hours ascending
    (how :func:`_rewrite_year` writes), so one location of one row group is one contiguous
    range, and a period is a sub-range of it: found by binary search, then sliced without
    copying — cheaper than building a mask and filtering every column.
    """
    import pyarrow as pa

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
    import pyarrow as pa

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
    """Rows sorted by (location, time), as :func:`yqplan.cnemc.read_cnemc` returns them.

    Each chunk of a partition (a month) and each partition (a year) is sorted by location,
    then time, and they come in time order, so a stable sort on the location alone is
    enough; it is skipped when the rows are already in order (one location, one chunk).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

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
    import pandas as pd

    return pd.Timestamp(v).value if not isinstance(v, int) else v


def location_coverage(df, kind: str = "cities", start=None, end=None):
    """Per location: hours with a row, hours expected in the span, missing hours.

    ``start``/``end`` default to the first and last day present in ``df``; the span is whole
    days (00:00–23:00).  Returns a DataFrame ``<city|station>, first, last, hours_present,
    hours_expected, hours_missing``.
    """
    import pandas as pd

    loc_col = cnemc.KINDS[kind][0]
    if df.empty:
        return pd.DataFrame(columns=[loc_col, "first", "last", "hours_present",
                                     "hours_expected", "hours_missing"])
    t0 = cnemc._to_timestamp(start) if start is not None else df["time"].min().normalize()
    t1 = cnemc._to_timestamp(end, end=True) if end is not None else (
        df["time"].max().normalize() + pd.Timedelta(hours=23))
    expected = int((t1 - t0) / pd.Timedelta(hours=1)) + 1
    g = df.groupby(loc_col, sort=True)["time"]
    out = pd.DataFrame({"first": g.min(), "last": g.max(), "hours_present": g.size()})
    out["hours_expected"] = expected
    out["hours_missing"] = expected - out["hours_present"]
    return out.reset_index()

"""Read the CNEMC hourly air archive (city and station level), fast, without unpacking.

The China National Environmental Monitoring Centre (CNEMC, 中国环境监测总站) publishes hourly
concentrations; the public mirror keeps one CSV per day::

    https://quotsoft.net/air/data/china_cities_YYYYMMDD.csv   (city averages)
    https://quotsoft.net/air/data/china_sites_YYYYMMDD.csv    (national stations)

Each file has the header ``date,hour,type,<one column per city or station code>`` and, per
hour, 15 rows (one per ``type`` in :data:`VARIABLE_MAP`).  :func:`read_cnemc` turns any mix
of folders, yearly zip files, globs and single CSVs into one long table, one row per
(location, hour), with one float column per type.

Quirks of the real files handled here (see ``docs/data-formats/cnemc-archive.md`` §5): LF or CRLF line ends,
no final newline, short days (whole hours missing), columns that change over the years, a
station code listed twice in a header (values merged: first non-empty wins, conflicts
counted in ``meta["duplicate_columns"]``), decimals for CO, columns empty for a whole day,
macOS ``._*`` junk, empty and cut-off files (skipped, with the reason, and the batch goes on).

Parsing uses ``pyarrow.csv`` with explicit column types, one file per task, files in
parallel over a thread pool (zip inflation and the CSV parser release the GIL).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import glob as _glob
import io
import json
import os
import re
import struct
import threading
import time as _time
import urllib.parse
import zipfile
import zlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from yqplan import _io, _limits, config
from yqplan.air import _fastcsv
from yqplan.air.cities import DEFAULT_PROVINCE, normalise_city, region_cities
from yqplan.errors import DataFileError

#: Source ``type`` labels, in file order → output column names (units in :data:`UNITS`).
VARIABLE_MAP = {
    "AQI": "aqi",
    "PM2.5": "pm25",
    "PM2.5_24h": "pm25_24h",
    "PM10": "pm10",
    "PM10_24h": "pm10_24h",
    "SO2": "so2",
    "SO2_24h": "so2_24h",
    "NO2": "no2",
    "NO2_24h": "no2_24h",
    "O3": "o3",
    "O3_24h": "o3_24h",
    "O3_8h": "o3_8h",
    "O3_8h_24h": "o3_8h_24h",
    "CO": "co",
    "CO_24h": "co_24h",
}
SOURCE_TYPES = tuple(VARIABLE_MAP)
VALUE_COLUMNS = tuple(VARIABLE_MAP.values())
UNITS = {c: ("mg/m³" if c.startswith("co") else "1" if c == "aqi" else "µg/m³")
         for c in VALUE_COLUMNS}

#: Largest plausible value by column (units as :data:`UNITS`); a larger, negative or
#: non-finite value is made missing and counted (``docs/value_screening.md``: AQI ends at
#: 500 by HJ 633's definition; each concentration bound is about twice the largest value in
#: the real 2022–2024 city archive — dust-storm hours included, PM10 saturating at 10,000 —
#: and far below typing or instrument faults such as 1e5).
PLAUSIBLE_MAX = {"aqi": 500.0,
                 "pm25": 5000.0, "pm25_24h": 5000.0,
                 "pm10": 20000.0, "pm10_24h": 20000.0,
                 "so2": 5000.0, "so2_24h": 5000.0,
                 "no2": 3000.0, "no2_24h": 3000.0,
                 "o3": 2000.0, "o3_24h": 2000.0, "o3_8h": 2000.0, "o3_8h_24h": 2000.0,
                 "co": 100.0, "co_24h": 100.0}

#: kind → (location column, file-name prefix)
KINDS = {"cities": ("city", "china_cities_"), "sites": ("station", "china_sites_")}
TIMEZONE = "Asia/Shanghai"
#: Marker file at the root of a synthetic (generated) archive.
SYNTHETIC_MARKER = "SYNTHETIC.json"
DEFAULT_BASE_URL = "https://quotsoft.net/air/data/"

_NAME_RE = re.compile(r"china_(cities|sites)_(\d{8})\.csv$")
_TYPE_INDEX = {t: i for i, t in enumerate(SOURCE_TYPES)}
_UTC_OFFSET_S = 8 * 3600  # Asia/Shanghai: UTC+8, no DST since 1991
_MAX_BY_TYPE = np.array([PLAUSIBLE_MAX[c] for c in VALUE_COLUMNS])
_NS = 1_000_000_000


# --------------------------------------------------------------------------- sources

@dataclass(frozen=True)
class SourceFile:
    """One daily file, loose or inside a zip.

    ``key`` is the file's base name (``china_cities_20220101.csv``): the same day read from a
    folder or from a zip is the same source.  ``stamp`` identifies the content cheaply
    without reading it: the zip directory's CRC-32 for members, ``mtime_ns`` for loose files.
    """

    key: str
    label: str          # what messages show: path or zip::member
    kind: str | None    # "cities" | "sites" | None (unknown name)
    day: _dt.date | None
    size: int
    stamp: str
    container: str | None = None   # zip path
    member: str | None = None      # member name in the zip, or the loose file's path
    synthetic: bool = False
    #: zip members: (local header offset, compressed size, method, CRC-32, size) from the
    #: central directory, for the direct read in :func:`_read_member`
    zinfo: tuple | None = None
    #: base64 of the label's bytes when they are not UTF-8 (a GB18030 folder or member
    #: name); ``label`` is then a readable decoding (see :func:`readable_name`)
    raw: str | None = None

    def read_bytes(self, _zips: dict | None = None, max_bytes: int | None = None) -> bytes:
        """The file's bytes, refused (:class:`~yqplan._limits.InputTooLargeError`) past
        ``max_bytes`` (default :data:`~yqplan._limits.CNEMC_FILE_CAP`): declared size checked
        first, then the bytes actually read or inflated, which stop at the cap."""
        cap = daily_file_cap(max_bytes)
        if self.container is None:
            return _limits.read_file_capped(self.member, cap, self.label)
        if self.zinfo is not None:
            key = ("raw", self.container)
            fh = None if _zips is None else _zips.get(key)
            if fh is None:
                fh = open(self.container, "rb")  # noqa: SIM115 - kept per thread
                if _zips is not None:
                    _zips[key] = fh
            try:
                return _read_member(fh, self.zinfo, self.label, cap)
            finally:
                if _zips is None:
                    fh.close()
        zf = None if _zips is None else _zips.get(self.container)
        if zf is None:
            zf = zipfile.ZipFile(self.container)
            if _zips is not None:
                _zips[self.container] = zf
        return _limits.read_member_capped(zf, zf.getinfo(self.member), cap, self.label)


def daily_file_cap(max_bytes: int | None = None) -> int:
    """The size cap on one daily file: ``max_bytes``, else ``$YQPLAN_MAX_DAILY_FILE_MB``
    (MiB), else :data:`~yqplan._limits.CNEMC_FILE_CAP` (see ``docs/input_limits.md``)."""
    return _limits.resolve_cap(max_bytes, _limits.CNEMC_FILE_CAP, _limits.CNEMC_FILE_CAP_ENV)


def _zlib():
    """ISA-L's zlib-compatible inflate if installed (measured ~2.5x faster here), else zlib."""
    try:
        from isal import isal_zlib  # optional accelerator: imported on use, zlib when absent
        return isal_zlib
    except ImportError:  # pragma: no cover - isal is a dependency; zlib is the fallback
        return zlib


#: errors that mean "this zip member cannot be read" (zlib's and ISA-L's)
def _inflate_errors() -> tuple:
    z = _zlib()
    return (zlib.error,) if z is zlib else (zlib.error, z.error)


def _read_member(fh, zinfo: tuple, label: str, cap: int | None = None) -> bytes:
    """Read and inflate one zip member directly, checking its size and CRC-32.

    The same checks as ``ZipFile.read`` (local header signature, size, CRC-32 from the
    central directory), bounded: a member declaring more than ``cap`` bytes is refused
    unread, and inflating stops as soon as the output passes the declared size (a zip
    header can lie), so at most ``min(size, cap) + 1`` bytes are ever held.  A real daily
    member is one read and one inflate call.
    """
    off, csize, method, crc, size = zinfo
    cap = daily_file_cap(cap)
    _limits.refuse_declared(label, size, cap)
    fh.seek(off)
    head = fh.read(30)
    if len(head) != 30 or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{label}: bad local file header")
    n, m = struct.unpack("<HH", head[26:30])
    fh.seek(off + 30 + n + m)
    z = _zlib()
    if method == zipfile.ZIP_STORED:
        data = _limits.read_capped(_Window(fh, csize), min(size, cap), label)
    else:
        try:
            data = _limits.inflate_capped(fh, csize, size, cap, label, z)
        except EOFError as exc:
            raise zipfile.BadZipFile(str(exc)) from None
    if len(data) != size or (z.crc32(data) & 0xFFFFFFFF) != crc:
        raise zipfile.BadZipFile(f"Bad CRC-32 or size for file {label!r}")
    return data


class _Window:
    """``fh`` limited to its next ``n`` bytes (a stored member's data)."""

    def __init__(self, fh, n: int):
        self.fh, self.left = fh, n

    def read(self, k: int) -> bytes:
        piece = self.fh.read(min(k, self.left))
        self.left -= len(piece)
        return piece


def _member_name(info: zipfile.ZipInfo) -> str:
    # Zips made on Windows/macOS often store UTF-8 names without the UTF-8 flag;
    # zipfile then decodes them as cp437 (城市_… becomes mojibake). Undo that; a zip made
    # on Chinese Windows stores GB18030 (GBK) names: decode those as such.
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for enc in ("utf-8", "gb18030"):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                pass
    return name


def _member_raw(info: zipfile.ZipInfo) -> bytes:
    """A member name's bytes as stored in the zip."""
    if info.flag_bits & 0x800:
        return info.filename.encode("utf-8", "surrogateescape")
    try:
        return info.filename.encode("cp437")
    except UnicodeEncodeError:   # pragma: no cover - zipfile decodes them as cp437
        return info.filename.encode("utf-8", "surrogateescape")


def _decode_part(raw: bytes) -> str:
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "backslashreplace")


def readable_name(text: str) -> str:
    """``text`` (a path as the OS gave it: bytes that are not UTF-8 become lone surrogates)
    as a readable string that UTF-8 can encode: each path component that is not UTF-8 is
    decoded as GB18030 (what Chinese Windows and ``unzip`` of its zips produce), else shown
    with ``\\xNN`` escapes.  Unchanged when ``text`` is valid already."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    parts = re.split(r"([/\\]|::)", text)
    return "".join(_decode_part(p.encode("utf-8", "surrogateescape")) for p in parts)


def _raw_label(path_text: str, member_raw: bytes | None = None) -> str | None:
    """base64 of a label's bytes (``path`` or ``path::member``), or None when they are
    UTF-8 (the label itself records them without loss)."""
    raw = os.fsencode(path_text)
    if member_raw is not None:
        raw += b"::" + member_raw
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode("ascii")


def _day_key(kind: str, day: _dt.date) -> str:
    """The one key of a day's file, whatever folder or member path holds it."""
    return f"{KINDS[kind][1]}{day:%Y%m%d}.csv"


def _direct_zinfo(info: zipfile.ZipInfo):
    """What :func:`_read_member` needs, or None (encrypted or not stored/deflated: zipfile)."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                          zipfile.ZIP_DEFLATED):
        return None
    return (info.header_offset, info.compress_size, info.compress_type, info.CRC,
            info.file_size)


def _classify(base: str):
    """(kind, day, junk reason or None) from a file's base name."""
    base = re.split(r"[\\/]", base)[-1]   # a member named with Windows separators too
    if base.startswith("._"):
        return None, None, "macOS resource-fork file (._*), not data"
    m = _NAME_RE.search(base)
    if not m:
        return None, None, None
    day = _dt.datetime.strptime(m.group(2), "%Y%m%d").date()
    return m.group(1), day, None


def read_synthetic_marker(path) -> dict | None:
    """The content of the synthetic-archive marker governing ``path``, or None."""
    path = Path(path)
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if _member_name(info).rsplit("/", 1)[-1] == SYNTHETIC_MARKER:
                    return json.loads(zf.read(info))
        path = path.parent
    for p in [path, *list(path.parents)[:3]]:
        f = p / SYNTHETIC_MARKER
        if f.is_file():
            return json.loads(f.read_text(encoding="utf-8"))
    return None


def list_sources(paths, kind: str | None = None, conflicts: list | None = None):
    """Expand folders, zips, globs and files into daily sources.

    Returns ``(sources, skipped, markers)``: the daily files (sorted by day, then name),
    junk and unrecognised files as ``{"file", "reason"}`` dicts, and the synthetic
    markers found (list of dicts).  Files of the other ``kind`` are left out silently.
    Nothing is decompressed: zip members are listed from the central directory.

    One day has one source: its key is ``china_<kind>_YYYYMMDD.csv`` whatever folder or
    member path (``..\\`` included) holds it.  A day found twice is taken from the later
    path; when the two differ in content, a ``{"kind", "day", "used", "ignored", "detail"}``
    dict is appended to ``conflicts`` (if given; the two are then read and compared) and
    the ignored one is listed in ``skipped`` with the reason.  Labels are readable text
    (:func:`readable_name`); the bytes of a non-UTF-8 path are kept in ``SourceFile.raw``.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    sources: list[SourceFile] = []
    skipped: list[dict] = []
    markers: list[dict] = []
    seen_markers: set = set()
    dir_cache: dict = {}

    def add_marker(where: Path):
        if where in dir_cache:
            return dir_cache[where]
        m = read_synthetic_marker(where)
        dir_cache[where] = m is not None
        if m is not None:
            key = json.dumps(m, sort_keys=True)
            if key not in seen_markers:
                seen_markers.add(key)
                markers.append(m)
            return True
        return False

    def add_file(p: Path, explicit: bool):
        if p.suffix.lower() == ".zip":
            add_zip(p)
            return
        base = p.name
        k, day, junk = _classify(base)
        if junk:
            skipped.append({"file": readable_name(str(p)), "reason": junk})
            return
        if k is None:
            if not base.lower().endswith(".csv") or base == SYNTHETIC_MARKER:
                return
            if not explicit:
                # Other CSVs in a folder (water snapshots, notes) are not ours: ignored.
                # Reported only if they look like CNEMC files or a station list.
                with open(p, "rb") as fh:
                    head = fh.read(64).lstrip(b"\xef\xbb\xbf")
                if head.startswith("监测点编码".encode()):
                    skipped.append({"file": readable_name(str(p)), "reason": "a station list (站点列表), not "
                                    "a daily file; read it with read_station_list()"})
                elif head.startswith(b"date,hour,type,"):
                    skipped.append({"file": readable_name(str(p)), "reason": "CNEMC header but the name is "
                                    "not china_cities_YYYYMMDD.csv or china_sites_YYYYMMDD.csv "
                                    "(the day and kind come from the name)"})
                return
        if kind is not None and k is not None and k != kind:
            return
        st = p.stat()
        key = _day_key(k, day) if k is not None else base
        sources.append(SourceFile(key=key, label=readable_name(str(p)), kind=k or kind,
                                  day=day, size=st.st_size, stamp=f"mtime:{st.st_mtime_ns}",
                                  member=str(p), synthetic=add_marker(p.parent),
                                  raw=_raw_label(str(p))))

    def add_zip(p: Path):
        try:
            zf = zipfile.ZipFile(p)
        except (zipfile.BadZipFile, OSError) as exc:
            skipped.append({"file": readable_name(str(p)),
                            "reason": f"not a readable zip file: {readable_name(str(exc))}"})
            return
        with zf:
            infos = zf.infolist()
            synthetic = any(_member_name(i).rsplit("/", 1)[-1] == SYNTHETIC_MARKER for i in infos)
            synthetic = add_marker(p) if synthetic else add_marker(p.parent)
            for info in infos:
                if info.is_dir():
                    continue
                name = _member_name(info)
                base = name.rsplit("/", 1)[-1]
                label = readable_name(f"{p}::{name}")
                if name.startswith("__MACOSX/"):
                    skipped.append({"file": label,
                                    "reason": "macOS metadata folder (__MACOSX), not data"})
                    continue
                k, day, junk = _classify(base)
                if junk:
                    skipped.append({"file": label, "reason": junk})
                    continue
                if k is None:
                    if base.lower().endswith(".csv"):
                        skipped.append({"file": label, "reason": "name is not "
                                        "china_cities_YYYYMMDD.csv or china_sites_YYYYMMDD.csv"})
                    continue
                if kind is not None and k != kind:
                    continue
                sources.append(SourceFile(key=_day_key(k, day), label=label, kind=k, day=day,
                                          size=info.file_size, stamp=f"crc:{info.CRC:08x}",
                                          container=str(p), member=info.filename,
                                          synthetic=synthetic, zinfo=_direct_zinfo(info),
                                          raw=_raw_label(str(p), _member_raw(info))))

    for raw in paths:
        text = str(raw)
        if any(ch in text for ch in "*?["):
            hits = sorted(_glob.glob(text, recursive=True))
            if not hits:
                raise FileNotFoundError(f"{text}: no file matches this pattern")
            for h in hits:
                hp = Path(h)
                if hp.is_dir():
                    _walk(hp, add_file)
                else:
                    add_file(hp, explicit=True)
            continue
        p = Path(text).expanduser()
        if p.is_dir():
            _walk(p, add_file)
        elif p.is_file():
            add_file(p, explicit=True)
        else:
            raise FileNotFoundError(f"{p}: no such file or folder (expected a folder, a zip "
                                    "file, a glob pattern or a CNEMC daily CSV)")
    # A day present twice (folder and zip): keep the last listed, as a later path overrides;
    # say so, and whether the two differ.
    by_key: dict[tuple, SourceFile] = {}
    for s in sources:
        prev = by_key.get((s.kind, s.key))
        by_key[(s.kind, s.key)] = s
        # reading both copies costs I/O: only a caller that reports conflicts pays it
        detail = None if prev is None or conflicts is None else _compare_sources(prev, s)
        if detail is not None:   # (identical copies of a day are no conflict)
            conflicts.append({"kind": s.kind, "day": s.day.isoformat() if s.day else None,
                              "used": s.label, "ignored": prev.label, "detail": detail})
            skipped.append({"file": prev.label, "reason": f"CONFLICT: the same day as "
                            f"{s.label}, which is used (the later path wins); {detail}"})
    out = sorted(by_key.values(), key=lambda s: (s.day or _dt.date.max, s.key))
    return out, skipped, markers


def _compare_sources(a: SourceFile, b: SourceFile) -> str | None:
    """How two files of one day differ (None: same bytes, or same values)."""
    if a.size == b.size and a.stamp == b.stamp and a.stamp.startswith("crc:"):
        return None
    try:
        da, db = a.read_bytes(), b.read_bytes()
    except (zipfile.BadZipFile, OSError, EOFError, DataFileError, *_inflate_errors()) as exc:
        # e.g. a copy over the size cap: reported here, refused with its reason when read
        return f"could not compare them ({exc})"
    if da == db:
        return None
    try:
        pa_, pb = parse_bytes(da, a.label, a.kind, day=a.day), parse_bytes(db, b.label,
                                                                           b.kind, day=b.day)
    except DataFileError as exc:
        return f"different content; one does not parse ({exc})"
    if pa_.names == pb.names and np.array_equal(pa_.hours, pb.hours) and np.array_equal(
            pa_.vals, pb.vals, equal_nan=True):
        return None
    if pa_.names != pb.names or not np.array_equal(pa_.hours, pb.hours):
        return "different locations or hours"
    n = int(np.sum(~((pa_.vals == pb.vals) | (np.isnan(pa_.vals) & np.isnan(pb.vals)))))
    return f"values differ in {n} cell(s)"


def _walk(folder: Path, add_file):
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
        for f in sorted(files):
            add_file(Path(root) / f, explicit=False)


# --------------------------------------------------------------------------- parsing

@dataclass
class _Parsed:
    """One daily file, parsed: values as (location, hour, type).

    ``vals`` is usually a view into the value block of the pyarrow call that parsed the
    file (column-major: each location's column is its hours × 15 types, in file order), so
    no copy is made until the long table is assembled.
    """

    names: list          # location names, unique, sorted (after the names filter)
    vals: np.ndarray     # float64, shape (locations, hours present, 15); NaN = empty
    hours: np.ndarray    # hours present in the file (0–23), ascending
    day: _dt.date
    dup_conflicts: dict  # code -> number of cells where the two columns disagreed
    #: set when ``vals`` is the slice ``[:, :, h0:h1]`` of a group's (type, location, hour)
    #: block: ``(block, block's present mask, h0, h1)``; lets :func:`assemble_table` use the
    #: block as it is instead of copying file by file
    block: tuple | None = None
    #: location → cells made missing (not a number, not finite, negative, implausible)
    rejected: dict = field(default_factory=dict)
    #: location → the first such cell, described with its line (for the report)
    rejected_examples: dict = field(default_factory=dict)

    @property
    def vt(self) -> np.ndarray:
        """(type, location, hour): a view of :attr:`vals`."""
        return self.vals.transpose(2, 0, 1)

    @property
    def mat3(self) -> np.ndarray:
        """The file's own layout, (hour, type, location): a view of :attr:`vals`."""
        return self.vals.transpose(1, 2, 0)

    @property
    def time_ns(self) -> np.ndarray:
        day_s = (self.day - _dt.date(1970, 1, 1)).days * 86400 - _UTC_OFFSET_S
        return (day_s + self.hours.astype(np.int64) * 3600) * _NS

    @property
    def present(self) -> np.ndarray:
        """(location, hour) bool: at least one of the 15 values is not empty (cached)."""
        got = self.__dict__.get("_present")
        if got is None:
            got = self.__dict__["_present"] = ~np.isnan(self.vals).all(axis=2)
        return got

    @property
    def n_rows(self) -> int:
        """Location-hours with at least one value (the rows this file contributes)."""
        if self.vals.size == 0:
            return 0
        return int(np.count_nonzero(self.present))


def _why(value: float, t: int) -> str:
    if not np.isfinite(value):
        return "not finite"
    if value < 0:
        return "negative"
    return f"above the plausible maximum {_MAX_BY_TYPE[t]:g} {UNITS[VALUE_COLUMNS[t]]}"


def _note(rejected: dict, examples: dict, name: str, line: int, text: str) -> None:
    """Count a rejected cell of ``name``; keep the description of its first line."""
    rejected[name] = rejected.get(name, 0) + 1
    if name not in examples or line < examples[name][0]:
        examples[name] = (line, f"line {line}, {name}, {text}")


def _examples(examples: dict) -> dict:
    return {k: text for k, (_line, text) in examples.items()}


def _implausible(v: np.ndarray, hi) -> np.ndarray:
    """Cells of ``v`` that hold a value but not a plausible one (NaN = empty: fine)."""
    with np.errstate(invalid="ignore"):
        return ~((v >= 0) & (v <= hi)) & ~np.isnan(v)


def _screen_rows(cols: np.ndarray, ti: np.ndarray, names: list, text_bad=()):
    """Make implausible cells of one file's ``cols`` (location, row; row r is line r + 2)
    missing.  Returns ``(cols, rejected, examples)``; ``cols`` is copied if it had to change
    and was read-only.  ``text_bad``: cells already made missing, ``(row, col, text)``."""
    rejected: dict = {}
    examples: dict = {}
    for r, j, text in text_bad:
        _note(rejected, examples, names[j], r + 2,
              f"{SOURCE_TYPES[ti[r]]}: {text!r} is not a number")
    if cols.size:
        bad = _implausible(cols, _MAX_BY_TYPE[ti][None, :])
        if bad.any():
            if not cols.flags.writeable:
                cols = cols.copy()
            for j, r in zip(*np.nonzero(bad)):
                v = float(cols[j, r])
                _note(rejected, examples, names[j], int(r) + 2,
                      f"{SOURCE_TYPES[ti[r]]}: {v:g} ({_why(v, ti[r])})")
            cols[bad] = np.nan
    return cols, rejected, _examples(examples)


def _screen_block(block: np.ndarray, kept: list, h_starts) -> tuple[list, bool]:
    """Make implausible cells of a group's (type, location, hour) block missing, in place.

    The block holds regular files (15 rows per hour in type order), file ``i`` from hour
    ``h_starts[i]``: hour ``h`` and type ``t`` are line ``(h - h0) * 15 + t + 2``.  Returns
    (per file ``(rejected, examples)``, whether anything changed).  The usual block (nothing
    to reject) costs two reductions per type."""
    nt = block.shape[0]
    out: list = [({}, {}) for _ in h_starts]
    if block.size == 0:
        return out, False
    flat = block.reshape(nt, -1)
    hi_seen = np.fmax.reduce(flat, axis=1)   # (NaN = empty is ignored; inf is not)
    lo_seen = np.fmin.reduce(flat, axis=1)
    with np.errstate(invalid="ignore"):
        suspect = np.flatnonzero((hi_seen > _MAX_BY_TYPE) | (lo_seen < 0)
                                 | np.isinf(lo_seen))
    if not len(suspect):
        return out, False
    starts = np.asarray(h_starts)
    for t in suspect:
        bad = _implausible(block[t], _MAX_BY_TYPE[t])
        for o, h in zip(*np.nonzero(bad)):
            f = int(np.searchsorted(starts, h, "right") - 1)
            v = float(block[t, o, h])
            _note(*out[f], kept[o], int(h - starts[f]) * nt + int(t) + 2,
                  f"{SOURCE_TYPES[t]}: {v:g} ({_why(v, t)})")
        block[t][bad] = np.nan
    return [(rej, _examples(ex)) for rej, ex in out], True


def _line_of_problem(data: bytes, n_cols: int) -> tuple[int, str]:
    """Locate the first line whose field count differs from the header (slow path, errors only)."""
    lines = data.split(b"\n")
    for i, line in enumerate(lines[1:], start=2):
        line = line.rstrip(b"\r")
        if not line and i == len(lines):
            continue
        n = line.count(b",") + 1
        if n != n_cols:
            return i, f"{n} fields"
    return 0, "a value pyarrow could not parse"


@dataclass
class _Header:
    header: list
    locs: list
    uniq: list
    keep: list
    body_start: int


_NON_SPACE = re.compile(rb"\S")


def _read_header(data: bytes, label: str, names, memo: dict | None = None) -> _Header:
    """The header of one daily file, checked.  ``memo`` (header line → parsed header) lets
    the files of a batch, which nearly always share one header, skip re-parsing it."""
    if _NON_SPACE.search(data) is None:        # (a search, not a copy of the file)
        raise DataFileError(label, "empty file", expected="a header line and hourly rows",
                            found=f"{len(data)} bytes")
    nl = data.find(b"\n")
    if memo is not None and nl >= 0 and _NON_SPACE.search(data, nl + 1) is not None:
        got = memo.get(data[:nl])   # (a file without rows gets the full checks below)
        if got is not None:
            return got
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    nl = data.find(b"\n", start)
    if not data.startswith(b"date,hour,type,", start):
        # refused on the line's first bytes: a crafted file can be one line of megabytes
        head = data[start:start + 200 if nl < 0 else min(nl, start + 200)]
        raise DataFileError(label, "not a CNEMC daily file", line=1,
                            expected="header 'date,hour,type,<locations>'",
                            found=",".join(head.decode("utf-8", "replace").rstrip("\r")
                                           .split(",")[:4])[:80])
    header_bytes = (data[start:] if nl < 0 else data[start:nl]).rstrip(b"\r")
    try:
        header = header_bytes.decode("utf-8").split(",")
    except UnicodeDecodeError as exc:
        raise DataFileError(label, f"header is not UTF-8 ({exc.reason})", line=1) from None
    if header[:3] != ["date", "hour", "type"] or len(header) < 4:
        raise DataFileError(label, "not a CNEMC daily file", line=1,
                            expected="header 'date,hour,type,<locations>'",
                            found=",".join(header[:4])[:80])
    if nl < 0 or _NON_SPACE.search(data, nl + 1) is None:
        raise DataFileError(label, "no data rows after the header (cut off?)", line=2)
    locs = [h.strip() for h in header[3:]]
    # Unique column names for pyarrow; duplicate groups are merged after parsing.
    uniq, first_pos = [], {}
    for j, h in enumerate(locs):
        if h in first_pos:
            uniq.append(f"{h}#dup{j}")
        else:
            first_pos[h] = j
            uniq.append(h)
    # an empty header field (a trailing comma) names no location: never kept
    keep = ([j for j, h in enumerate(locs) if h and h in names] if names is not None
            else [j for j, h in enumerate(locs) if h])
    # Parsed in name order (pyarrow returns columns in include order), so the long table,
    # sorted by location, needs no gather later; duplicates keep their file order.
    keep.sort(key=locs.__getitem__)
    hd = _Header(header, locs, uniq, keep, nl + 1)
    if memo is not None:
        memo[data[:nl]] = hd
    return hd


def _parse_table(body: bytes, hd: _Header):
    import pyarrow as pa  # heavy: imported on use
    import pyarrow.csv as pcsv  # heavy: imported on use

    col_names = ["date", "hour", "type"] + hd.uniq
    include = ["date", "hour", "type"] + [hd.uniq[j] for j in hd.keep]
    types = {"date": pa.int32(), "hour": pa.int32(), "type": pa.string()}
    types.update({hd.uniq[j]: pa.float64() for j in hd.keep})
    # Single-threaded (files/groups are parallel over the pool); 1 MiB blocks keep the
    # parser's working set in cache: measured ~1.5x faster than one 64 MiB block.
    return pcsv.read_csv(
        io.BytesIO(body),
        read_options=pcsv.ReadOptions(column_names=col_names, use_threads=False,
                                      block_size=1 << 20),
        parse_options=pcsv.ParseOptions(newlines_in_values=False),
        convert_options=pcsv.ConvertOptions(column_types=types, include_columns=include,
                                            strings_can_be_null=False,
                                            quoted_strings_can_be_null=True))


def _type_codes(table, label, line_offset=2):
    import pyarrow.compute as pc  # heavy: imported on use

    enc = pc.dictionary_encode(table.column("type").combine_chunks())
    dict_vals = enc.dictionary.to_pylist()
    codes_np = enc.indices.to_numpy(zero_copy_only=False)
    unknown = [t for t in dict_vals if t not in _TYPE_INDEX]
    if unknown:
        bad = int(np.flatnonzero(codes_np == dict_vals.index(unknown[0]))[0])
        raise DataFileError(label, "unknown type", line=bad + line_offset, column="type",
                            expected="one of " + ", ".join(SOURCE_TYPES), found=unknown[0])
    return np.array([_TYPE_INDEX[t] for t in dict_vals], dtype=np.int64)[codes_np]


def _value_columns(table, nk):
    """Value columns as one C-contiguous (locations, rows) float64 array (NaN = empty).

    Column-major on purpose: each location's column is already in (hour, type) order, so
    the (type, location, hour) block of a file is one small cache-resident transpose.
    """
    if table.num_rows == 0 or nk == 0:
        return np.empty((nk, table.num_rows))
    batch = table.combine_chunks().to_batches()[0].select(list(range(3, 3 + nk)))
    return batch.to_tensor(null_to_nan=True, row_major=False).to_numpy().T


def _check_day(dates, label, day):
    ud = np.unique(dates)
    if len(ud) != 1:
        raise DataFileError(label, "more than one date in a daily file", column="date",
                            expected="one YYYYMMDD value", found=[int(x) for x in ud[:3]])
    try:
        file_day = _dt.datetime.strptime(str(int(ud[0])), "%Y%m%d").date()
    except ValueError:
        raise DataFileError(label, "bad date", column="date", expected="YYYYMMDD",
                            found=int(ud[0])) from None
    if day is not None and file_day != day:
        raise DataFileError(label, "date inside the file differs from the date in its name",
                            column="date", expected=day.strftime("%Y%m%d"), found=int(ud[0]))
    return file_day


def _check_hours(hours_col, label, line_offset=2):
    if len(hours_col) and (hours_col.min() < 0 or hours_col.max() > 23):
        bad = int(np.flatnonzero((hours_col < 0) | (hours_col > 23))[0])
        raise DataFileError(label, "hour out of range", line=bad + line_offset, column="hour",
                            expected="0–23", found=int(hours_col[bad]))


def _build(hd: _Header, cols, ti, hours_col, file_day, names, text_bad=()) -> _Parsed:
    """One file's ``cols`` (location, row = hour × type) → a (location, hour, type) block.

    Implausible cells are made missing first (:func:`_screen_rows`); ``text_bad``: cells
    that were not numbers, ``(row, kept column, text)``."""
    cols, rejected, examples = _screen_rows(cols, ti, [hd.locs[j] for j in hd.keep], text_bad)
    hours_present = np.unique(hours_col)
    nh = len(hours_present)
    nk = len(hd.keep)
    nt = len(VALUE_COLUMNS)
    if names is not None and not hd.keep:
        return _Parsed([], np.empty((0, nh, nt)), hours_present, file_day, {})
    regular = (len(ti) == nh * nt and np.array_equal(ti, np.tile(np.arange(nt), nh))
               and np.array_equal(hours_col, np.repeat(hours_present, nt)))
    if regular:   # the usual case: hours ascending, 15 types in platform order — a view
        vals = cols.reshape(nk, nh, nt)
    else:         # rows out of order or a type missing: scatter (later duplicates win)
        hpos = np.full(24, -1, dtype=np.int64)
        hpos[hours_present] = np.arange(nh)
        vals = np.full((nk, nh, nt), np.nan)
        if cols.shape[1]:
            vals[:, hpos[hours_col], ti] = cols
    kept_names = [hd.locs[j] for j in hd.keep]
    dup_conflicts: dict = {}
    if len(set(kept_names)) != len(kept_names):
        vals = vals.copy()   # never write into the shared block of a group
        order: dict[str, int] = {}
        sel = []
        for c, h in enumerate(kept_names):
            if h in order:
                a, b = vals[order[h]], vals[c]
                conflict = int(np.sum(~np.isnan(a) & ~np.isnan(b) & (a != b)))
                dup_conflicts[h] = dup_conflicts.get(h, 0) + conflict
                vals[order[h]] = np.where(np.isnan(a), b, a)  # first non-empty wins
            else:
                order[h] = c
                sel.append(c)
        vals = vals[sel]
        kept_names = [kept_names[c] for c in sel]
    out = _Parsed(kept_names, vals, hours_present, file_day, dup_conflicts,
                  rejected=rejected, rejected_examples=examples)
    out.present  # computed here, in the worker thread, once
    return out


def parse_bytes(data: bytes, label: str, kind: str, names=None,
                day: _dt.date | None = None) -> _Parsed:
    """Parse one daily file's bytes.

    Raises :class:`~yqplan.errors.DataFileError` naming ``label`` (and the line) for an empty,
    cut-off or garbled file.
    """
    import pyarrow as pa  # heavy: imported on use

    hd = _read_header(data, label, names)
    text_bad = ()
    try:
        table = _parse_table(data[hd.body_start:], hd)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        line, found = _line_of_problem(data, len(hd.header))
        if line:
            raise DataFileError(label, "row does not match the header (cut off or garbled)",
                                line=line, expected=f"{len(hd.header)} comma-separated fields",
                                found=found) from None
        try:   # a cell that is not a number ('-', '—') costs that cell, not the day
            table, text_bad = _parse_table_lenient(data[hd.body_start:], hd, label)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            raise DataFileError(label, f"cannot parse: {str(exc).splitlines()[0]}") from None
    dates = table.column("date").to_numpy(zero_copy_only=False)
    file_day = _check_day(dates, label, day)
    hours_col = table.column("hour").to_numpy(zero_copy_only=False)
    _check_hours(hours_col, label)
    ti = _type_codes(table, label)
    return _build(hd, _value_columns(table, len(hd.keep)), ti, hours_col, file_day, names,
                  text_bad)


def _parse_table_lenient(body: bytes, hd: _Header, label):
    """As :func:`_parse_table`, every column read as text first: a value cell that is not a
    number becomes missing; a date or hour that is not an integer raises
    :class:`~yqplan.errors.DataFileError` naming its line.  Returns ``(table, [(row, kept
    column, text)])``.  Only for a file the typed parse refused (slow)."""
    import pandas as pd  # heavy: imported on use
    import pyarrow as pa  # heavy: imported on use
    import pyarrow.compute as pc  # heavy: imported on use
    import pyarrow.csv as pcsv  # heavy: imported on use

    col_names = ["date", "hour", "type"] + hd.uniq
    include = ["date", "hour", "type"] + [hd.uniq[j] for j in hd.keep]
    types = {"date": pa.string(), "hour": pa.string(), "type": pa.string()}
    types.update({hd.uniq[j]: pa.string() for j in hd.keep})
    table = pcsv.read_csv(
        io.BytesIO(body),
        read_options=pcsv.ReadOptions(column_names=col_names, use_threads=False),
        parse_options=pcsv.ParseOptions(newlines_in_values=False),
        convert_options=pcsv.ConvertOptions(column_types=types, include_columns=include,
                                            strings_can_be_null=True,
                                            quoted_strings_can_be_null=True))
    for i, name in enumerate(("date", "hour")):
        col = table.column(i)
        ok = pc.fill_null(pc.match_substring_regex(col, r"^\s*\d{1,9}\s*$"), False)
        if not pc.all(ok).as_py():
            r = int(np.flatnonzero(~ok.to_numpy(zero_copy_only=False))[0])
            raise DataFileError(label, f"{name} is not a whole number", line=r + 2,
                                column=name, expected="digits", found=col[r].as_py())
        table = table.set_column(i, name, pc.cast(pc.utf8_trim_whitespace(col), pa.int32()))
    bad = []
    for k in range(len(hd.keep)):
        col = table.column(3 + k)
        try:
            num = col.cast(pa.float64())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            text = col.to_numpy(zero_copy_only=False)
            vals = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(
                dtype=float)
            wrong = pd.notna(text) & np.isnan(vals)
            for r in np.flatnonzero(wrong):
                bad.append((int(r), k, str(text[r])))
            try:   # the others as the typed parse reads them (pyarrow's exact conversion)
                num = pa.array(np.where(wrong, None, text), pa.string()).cast(pa.float64())
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                num = pa.array(vals, pa.float64())
        table = table.set_column(3 + k, table.field(3 + k).name, num)
    return table, bad


def parse_many(items, kind: str, names=None):
    """Parse several daily files at once: ``items`` = [(data, label, day)].

    Files sharing one header are concatenated and parsed in a single pyarrow call (the
    per-call cost dominates for small files); any problem in a group falls back to
    :func:`parse_bytes` file by file, so errors still name the right file and line.
    Returns a list of ``_Parsed`` or ``DataFileError`` (same order).
    """
    import pyarrow as pa  # heavy: imported on use

    out: list = [None] * len(items)
    groups: dict = {}
    memo: dict = {}
    for i, (data, label, day) in enumerate(items):
        try:
            hd = _read_header(data, label, names, memo)
        except DataFileError as exc:
            out[i] = exc.with_traceback(None)   # its frames would keep the file's bytes alive
            continue
        if day is None:
            out[i] = _parse_one(data, label, kind, names, day)
            continue
        groups.setdefault(tuple(hd.header), []).append((i, hd))
    for members in groups.values():
        if len(members) == 1:
            i, _ = members[0]
            out[i] = _parse_one(*items[i][:2], kind, names, items[i][2])
            continue
        try:
            bodies, ends = [], []
            for i, hd in members:
                data = items[i][0]
                end = len(data)
                while end > hd.body_start and data[end - 1] in b"\r\n":
                    end -= 1
                bodies.append(memoryview(data)[hd.body_start:end])   # no copy until the join
                ends.append(end)
            hd0 = members[0][1]
            body = b"\n".join(bodies) + b"\n"
            # where each file's rows begin in the joined body
            offsets = np.cumsum([0] + [len(b) + 1 for b in bodies[:-1]])
            del bodies
            if _fast_group(out, body, members, items, offsets):
                continue
            # rows per file (the fast path tells the files apart by their dates instead)
            counts = np.array([items[i][0].count(b"\n", hd.body_start, end) + 1
                               for (i, hd), end in zip(members, ends)])
            table = _parse_table(body, hd0)
            if table.num_rows != counts.sum():
                raise ValueError("row count differs (blank lines?)")
            dates = table.column("date").to_numpy(zero_copy_only=False)
            want = np.repeat([int(items[i][2].strftime("%Y%m%d")) for i, _ in members], counts)
            if not np.array_equal(dates, want):
                raise ValueError("dates differ from file names")
            hours_col = table.column("hour").to_numpy(zero_copy_only=False)
            if len(hours_col) and (hours_col.min() < 0 or hours_col.max() > 23):
                raise ValueError("hour out of range")
            ti = _type_codes(table, "batch")
        except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError, DataFileError):
            for i, _ in members:
                out[i] = _parse_one(*items[i][:2], kind, names, items[i][2])
            continue
        ends = np.cumsum(counts)
        starts = ends - counts
        if _fill_block(out, table, members, items, starts, ends, ti, hours_col):
            continue
        mat = _value_columns(table, len(hd0.keep))
        for (i, hd), r0, r1 in zip(members, starts, ends):
            out[i] = _build(hd, mat[:, r0:r1], ti[r0:r1], hours_col[r0:r1], items[i][2], names)
    return out


def _fill_block(out, table, members, items, starts, ends, ti, hours_col) -> bool:
    """The usual group (every file: hours ascending × the 15 types in platform order, no
    duplicated location): scatter the parsed columns straight into one (type, location,
    hour) block and give each file a view of it.  Returns False (nothing done) otherwise.

    This skips the (location, row) copy and the per-file transpose of the general path; the
    block is what :func:`assemble_table` needs, already in location-name order.
    """
    kept = _kept_unique(members[0][1])
    nt = len(VALUE_COLUMNS)
    n = table.num_rows
    if kept is None or n % nt or np.any(starts % nt):
        return False
    nh = n // nt
    hrs = hours_col[::nt]
    if not (np.array_equal(ti, np.tile(np.arange(nt), nh))
            and np.array_equal(hours_col, np.repeat(hrs, nt))):
        return False
    if not _hours_ascend(hrs, starts // nt):
        return False
    block = np.empty((nt, len(kept), nh))
    for j in range(len(kept)):
        # one location's column is its hours × 15 types: a small, cache-resident transpose
        block[:, j, :] = table.column(3 + j).to_numpy().reshape(nh, nt).T
    _emit_block(out, block, members, items, starts // nt, ends // nt, hrs, kept)
    return True


def _kept_unique(hd: _Header) -> list | None:
    """The kept location names of a header, or None when one appears twice (duplicate
    columns are merged by the general path, not laid out in a block)."""
    kept = [hd.locs[j] for j in hd.keep]
    return kept if len(set(kept)) == len(kept) else None


def _emit_block(out, block, members, items, h_starts, h_ends, hrs, kept, present=None):
    """Give each file of a group its slice of the group's (type, location, hour) block.

    ``present`` (location, hour): location-hours with a value, if already known.
    Implausible cells are made missing first (:func:`_screen_block`)."""
    screened, changed = _screen_block(block, kept, h_starts)
    if present is None or changed:
        present = ~np.isnan(block).all(axis=0)
    for (i, _hd), h0, h1, (rej, ex) in zip(members, h_starts, h_ends, screened):
        p = _Parsed(kept, block[:, :, h0:h1].transpose(1, 2, 0), hrs[h0:h1], items[i][2], {},
                    block=(block, present, h0, h1), rejected=rej, rejected_examples=ex)
        p.__dict__["_present"] = present[:, h0:h1]
        out[i] = p


def _hours_ascend(hrs, cuts) -> bool:
    """Hour labels in 0–23 and strictly ascending within each file (files start at ``cuts``)."""
    if len(hrs) and (hrs.min() < 0 or hrs.max() > 23):
        return False
    steps = np.diff(hrs)
    steps[cuts[1:] - 1] = 1            # a file boundary may go back to hour 0
    return not np.any(steps <= 0)


def _fast_group(out, body, members, items, offsets) -> bool:
    """The compiled fast path (:mod:`yqplan.air._fastcsv`) for a group of regular files.

    Returns False, having done nothing, whenever the group is not exactly the usual layout
    (the pyarrow path then parses it, and names the file and line of any problem).  Each
    file must be exactly one run of hours dated as its name says: the runs of dates must
    begin at the files' byte ``offsets`` in ``body`` (so no row strays into a neighbour).
    """
    hd0 = members[0][1]
    kept = _kept_unique(hd0)
    if not kept:
        return False
    got = _fastcsv.parse_rows(body, len(hd0.header) - 3, hd0.keep, SOURCE_TYPES,
                              max_hours=24 * len(members))
    if got is None or not len(got[1]):
        return False
    block, dates, hrs, present, starts = got
    cuts = np.flatnonzero(dates[1:] != dates[:-1]) + 1
    h_starts = np.concatenate([[0], cuts])
    h_ends = np.concatenate([cuts, [len(dates)]])
    want = [int(items[i][2].strftime("%Y%m%d")) for i, _ in members]
    if len(h_starts) != len(members) or not np.array_equal(dates[h_starts], want) \
            or not np.array_equal(starts[h_starts], offsets) \
            or not _hours_ascend(hrs, h_starts):
        return False
    _emit_block(out, block, members, items, h_starts, h_ends, hrs, kept, present)
    return True


def _parse_one(data, label, kind, names, day):
    try:
        return parse_bytes(data, label, kind, names=names, day=day)
    except DataFileError as exc:
        return exc.with_traceback(None)   # its frames would keep the file's bytes alive


# --------------------------------------------------------------------------- reading

def normalise_names(names, kind):
    """The set of names to read: cities as the archive writes them
    (:func:`yqplan.air.cities.normalise_city`), station codes stripped; None = all."""
    if names is None:
        return None
    if isinstance(names, str):
        names = [names]
    return {normalise_city(n) if kind == "cities" else str(n).strip() for n in names}


def to_timestamp(value, end=False):
    """``value`` (date, string or ISO text) as a Timestamp in China Standard Time, or None.

    ``end``: a bare date means that day's 23:00 hour (the last of the day).  A clear
    ValueError naming ``start``/``end`` when ``value`` is no date.
    """
    import pandas as pd  # heavy: imported on use (the fetcher starts without pandas)

    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except ValueError:
        ts = pd.NaT
    if ts is pd.NaT:
        raise ValueError(f"{'end' if end else 'start'}: {value!r} is not a date or time "
                         "(expected YYYY-MM-DD or an ISO timestamp)")
    date_only = isinstance(value, _dt.date) and not isinstance(value, _dt.datetime) or (
        isinstance(value, str) and len(value.strip()) <= 10)
    if ts.tzinfo is None:
        ts = ts.tz_localize(TIMEZONE)
    else:
        ts = ts.tz_convert(TIMEZONE)
    if end and date_only:
        ts = ts + pd.Timedelta(hours=23)
    return ts


#: raw bytes of one batch's files held at once before they are parsed (then freed): a month
#: of real station files (~60 MB) is parsed in 4 steps, a month of city files (~14 MB) in
#: one; a crafted archive of members near the cap cannot pile up gigabytes unparsed
_BATCH_READ_BUDGET = 16 << 20


def _read_parse(batch, kind, names, errors, local, max_bytes=None):
    """Read and parse ``batch`` (sources): ``[(parsed or None, skip dict or None)]`` in order.

    Files are read until :data:`_BATCH_READ_BUDGET` bytes are held, then parsed, so the raw
    bytes held stay bounded whatever the archive holds; a file over the cap
    (:func:`daily_file_cap`) is skipped with the reason, and the batch goes on.
    """
    zips = getattr(local, "zips", None)
    if zips is None:
        zips = local.zips = {}
    results: list = []
    items, early, held = [], {}, 0

    def flush():
        parsed = iter(parse_many([it for k, it in enumerate(items) if k not in early],
                                 kind, names))
        results.extend(early[k] if k in early else next(parsed) for k in range(len(items)))
        items.clear()
        early.clear()

    for src in batch:
        try:
            data = src.read_bytes(zips, max_bytes)
        except (zipfile.BadZipFile, OSError, EOFError, *_inflate_errors()) as exc:
            early[len(items)] = DataFileError(src.label, f"cannot read: {exc}")
            data = b""
        except _limits.InputTooLargeError as exc:
            early[len(items)] = exc.with_traceback(None)   # (its frames hold what was read)
            data = b""
        items.append((data, src.label, src.day))
        held += len(data)
        if held > _BATCH_READ_BUDGET:
            flush()
            held = 0
    flush()
    res = []
    for src, r in zip(batch, results):
        if isinstance(r, DataFileError):
            if errors == "raise":
                raise r
            res.append((None, {"file": src.label, "reason": str(r)}))
        else:
            res.append((r, None))
    return res


def _run_ahead(pool, tasks, fn, ahead):
    """``fn(task)`` for each task on ``pool``, at most ``ahead`` in flight; yield in order.

    Bounded look-ahead: a slow consumer (assembling, writing) does not let parsed data pile
    up in memory.
    """
    pending: deque = deque()
    it = iter(tasks)
    for task in it:
        pending.append((task, pool.submit(fn, task)))
        if len(pending) >= ahead:
            break
    while pending:
        task, fut = pending.popleft()
        nxt = next(it, None)
        if nxt is not None:
            pending.append((nxt, pool.submit(fn, nxt)))
        yield task, fut.result()


def iter_files(sources, kind, names=None, errors="skip", workers=None,
               batch_bytes: int = 8 << 20, batch_files: int = 64,
               max_file_bytes: int | None = None):
    """Parse sources in parallel; yield ``(source, parsed or None, skip dict or None)`` in order.

    Sources are cut into batches (consecutive files, up to ``batch_files`` files or
    ``batch_bytes`` bytes); each batch is one task for the thread pool and is parsed by
    :func:`parse_many`.  Lazy: the pool runs ahead of the consumer (2 batches per worker).
    A file over ``max_file_bytes`` (default :func:`daily_file_cap`) is skipped, unread.
    """
    sources = list(sources)
    cap = daily_file_cap(max_file_bytes)   # (files refused for their size are never parsed)
    _fastcsv.load_if_worth_it(sum(s.size for s in sources if s.size <= cap))
    local = threading.local()
    batches, cur, size = [], [], 0
    for src in sources:
        if cur and (len(cur) >= batch_files or size + src.size > batch_bytes):
            batches.append(cur)
            cur, size = [], 0
        cur.append(src)
        size += src.size
    if cur:
        batches.append(cur)
    workers = workers or min(8, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for batch, res in _run_ahead(pool, batches,
                                     lambda b: _read_parse(b, kind, names, errors, local,
                                                           max_file_bytes),
                                     2 * workers):
            for src, (parsed, skip) in zip(batch, res):
                yield src, parsed, skip


@dataclass(frozen=True)
class FileResult:
    """What a parsed daily file contributed to its chunk (the values are in the chunk table)."""

    day: _dt.date
    hours: np.ndarray    # hours present in the file (0–23), ascending
    n_rows: int          # location-hours with at least one value
    rejected: dict = field(default_factory=dict)            # location → cells made missing
    rejected_examples: dict = field(default_factory=dict)   # location → the first, described


def iter_chunks(chunks, kind, names=None, errors="skip", workers=None, ahead=None,
                max_file_bytes: int | None = None):
    """Read, parse and assemble chunks of sources in parallel, one chunk per task.

    ``chunks`` is a sequence of ``(key, sources)``.  Each chunk is read, parsed
    (:func:`parse_many`) and turned into its long Arrow table (:func:`assemble_table`, sorted
    by location, then time) in a worker thread, so assembling runs in parallel with the
    consumer (which writes the previous chunk).  Yields, in order,
    ``(key, table or None, [(source, FileResult or None, skip dict or None)])``;
    ``table`` is None when no file of the chunk could be read.  At most ``ahead`` chunks
    (default: workers + 1) are in flight, bounding memory.
    """
    chunks = list(chunks)
    cap = daily_file_cap(max_file_bytes)   # (files refused for their size are never parsed)
    _fastcsv.load_if_worth_it(sum(s.size for _key, srcs in chunks for s in srcs
                                  if s.size <= cap))
    local = threading.local()
    workers = workers or min(8, os.cpu_count() or 1)

    def work(chunk):
        _key, sources = chunk
        res = _read_parse(sources, kind, names, errors, local, max_file_bytes)
        good = [p for p, _ in res if p is not None]
        table = assemble_table(good, kind, consume=True) if good else None
        out = [(src, None if p is None else FileResult(p.day, p.hours, p.n_rows, p.rejected,
                                                        p.rejected_examples), skip)
               for src, (p, skip) in zip(sources, res)]
        return table, out

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for (key, _sources), (table, out) in _run_ahead(pool, chunks, work,
                                                          ahead or workers + 1):
            yield key, table, out


def read_files(sources, kind, names=None, errors="skip", workers=None, progress=None,
               max_file_bytes: int | None = None):
    """Parse sources in parallel. Returns ``(parsed list, skipped list)`` in source order.

    ``progress`` is called with each finished source (for a progress bar).
    """
    parsed, skipped = [], []
    for src, res, skip in iter_files(sources, kind, names, errors, workers,
                                     max_file_bytes=max_file_bytes):
        if progress is not None:
            progress(src)
        parsed.append(res)
        if skip:
            skipped.append(skip)
    return parsed, skipped


def assemble_table(parsed, kind, consume: bool = False):
    """Concatenate parsed files into an Arrow table sorted by location, then time.

    Consecutive files with the same locations are stacked into one (hour, type, location)
    block and turned into long form with a single transpose; location-hours whose 15 values
    are all empty are dropped.  The location column is dictionary-encoded.
    ``consume=True``: the parsed files' values are not needed afterwards (their hours and
    counts are), so a parsed block may be compacted in place instead of copied.
    """
    import pyarrow as pa  # heavy: imported on use

    loc_col = KINDS[kind][0]
    parsed = [p for p in parsed if p is not None and p.vals.size]
    runs: list[list] = []
    for p in parsed:
        if runs and runs[-1][0].names == p.names:
            runs[-1].append(p)
        else:
            runs.append([p])
    all_names = sorted({n for p in parsed for n in p.names})
    rank = {n: i for i, n in enumerate(all_names)}
    keys, times, vals = [], [], []
    nt = len(VALUE_COLUMNS)
    for run in runs:
        names = run[0].names
        perm = np.argsort(np.array(names, dtype=object).astype(str), kind="stable")
        t = np.concatenate([p.time_ns for p in run])
        nh, nk = len(t), len(names)
        b = run[0].block
        if (b is not None and b[2] == 0 and b[0].shape[2] == nh
                and all(p.block is not None and p.block[0] is b[0] for p in run)
                and all(p.block[2] == q.block[3] for q, p in zip(run, run[1:]))):
            v3, present = b[0], b[1]   # the run is exactly one parsed block: no copy
            owned = consume
        else:
            # (type, location, hour) in file location order, filled file by file: one
            # strided copy per file from its cache-sized (location, hour, type) block.
            v3 = np.empty((nt, nk, nh))
            owned = True
            present = np.empty((nk, nh), dtype=bool)
            h0 = 0
            for p in run:
                h1 = h0 + p.vals.shape[1]
                v3[:, :, h0:h1] = p.vt
                present[:, h0:h1] = p.present
                h0 = h1
        v3 = v3.reshape(nt, nk * nh)
        if np.array_equal(perm, np.arange(nk)):
            # the usual case (columns parsed in name order): only drop all-empty hours
            keep = present.reshape(-1)
            v = v3
            if not keep.all():   # in place where the block is ours to overwrite
                v = _fastcsv.compact_columns(v3, keep) if owned else None
                if v is None:
                    v = np.compress(keep, v3, axis=1)
        else:
            # One gather per type does both the sort by location name and the dropping of
            # all-empty location-hours.
            flat = (perm[:, None] * nh + np.arange(nh)).reshape(-1)
            keep = present[perm].reshape(-1)
            if not keep.all():
                flat = flat[keep]
            v = np.empty((nt, len(flat)))
            for i in range(nt):
                np.take(v3[i], flat, out=v[i])
        del v3
        k = np.repeat(np.array([rank[names[i]] for i in perm], dtype=np.int32), nh)
        tt = np.tile(t, nk)
        if not keep.all():
            k, tt = k[keep], tt[keep]
        keys.append(k)
        times.append(tt)
        vals.append(v)
    if len(runs) > 1:
        key = np.concatenate(keys)
        time = np.concatenate(times)
        values = np.concatenate(vals, axis=1)
        # runs are in day order: a stable sort by location keeps each location's hours in order
        order = np.argsort(key.astype(np.int16) if len(all_names) < 32000 else key,
                           kind="stable")
        key, time, values = key[order], time[order], values[:, order]
    elif runs:
        key, time, values = keys[0], times[0], vals[0]
    else:
        key = np.empty(0, np.int32)
        time = np.empty(0, np.int64)
        values = np.empty((nt, 0))
    cols = {loc_col: pa.DictionaryArray.from_arrays(pa.array(key, pa.int32()),
                                                    pa.array(all_names, pa.string())),
            "time": pa.array(time, pa.timestamp("ns", tz=TIMEZONE))}
    for i, c in enumerate(VALUE_COLUMNS):
        cols[c] = pa.array(values[i])
    return pa.table(cols)


def table_to_frame(table, kind):
    """Arrow table (dictionary location column) → the documented DataFrame."""
    import pyarrow as pa  # heavy: imported on use

    loc_col = KINDS[kind][0]
    i = table.schema.get_field_index(loc_col)
    if pa.types.is_dictionary(table.schema.field(i).type):
        table = table.set_column(i, loc_col, table.column(i).cast(pa.string()))
    return table.to_pandas(split_blocks=True, self_destruct=True)


def assemble(parsed, kind):
    """Concatenate parsed files into the long DataFrame (sorted by location, then time)."""
    return table_to_frame(assemble_table(parsed, kind), kind)


def missing_hours_of(parsed, start=None, end=None, full_days=()):
    """Hours absent from the archive: short days, and days with no file in the span.

    The span is ``start``..``end`` if given, else the first..last day read.  ``full_days``
    (ISO dates) are days known to be complete without a parsed entry.
    """
    import pandas as pd  # heavy: imported on use

    have: dict[_dt.date, np.ndarray] = {}
    for p in parsed:
        if p is not None:
            prev = have.get(p.day)
            have[p.day] = p.hours if prev is None else np.union1d(prev, p.hours)
    full = {_dt.date.fromisoformat(d) for d in full_days}
    for p in parsed:
        if p is not None and len(have[p.day]) == 24:
            full.add(p.day)
    known = set(have) | full
    if not known and (start is None or end is None):
        return pd.DatetimeIndex([], tz=TIMEZONE)
    d0 = start.date() if start is not None else min(known)
    d1 = end.date() if end is not None else max(known)
    out = []
    day = d0
    while day <= d1:
        if day not in full:
            hrs = have.get(day)
            miss = range(24) if hrs is None else sorted(set(range(24)) - set(hrs.tolist()))
            out.extend((day - _dt.date(1970, 1, 1)).days * 24 + h for h in miss)
        day += _dt.timedelta(days=1)
    ns = (np.array(out, dtype=np.int64) * 3600 - _UTC_OFFSET_S) * _NS
    idx = pd.DatetimeIndex(ns.astype("datetime64[ns]")).tz_localize("UTC").tz_convert(TIMEZONE)
    if start is not None:
        idx = idx[idx >= start]
    if end is not None:
        idx = idx[idx <= end]
    return idx


def read_cnemc(paths, kind: str = "cities", names=None, start=None, end=None, *,
               errors: str = "skip", workers: int | None = None, progress: bool = False,
               max_file_bytes: int | None = None):
    """Read CNEMC daily archive files into one row per (location, hour).

    Parameters
    ----------
    paths : str, Path or list of them
        Folders (searched recursively), yearly zip files (members read without unpacking),
        glob patterns (``data/**/china_cities_2022*.csv``) or single daily CSVs.
    kind : {"cities", "sites"}
        City averages (``china_cities_*``) or national stations (``china_sites_*``).
    names : str or list of str, optional
        Keep only these cities (``阳泉``; a trailing 市 is accepted) or station codes
        (``1738A``).  Pushed down: other columns are never converted.
    start, end : date, str or Timestamp, optional
        Inclusive bounds in Asia/Shanghai time (naive values are taken as Asia/Shanghai).
        A date-only ``end`` (a ``datetime.date`` or a string without a time, e.g.
        ``"2023-12-31"``) includes that whole day, up to 23:00; a Timestamp is used as is.
        Pushed down: files whose name dates fall outside are not opened.
    errors : {"skip", "raise"}
        ``skip`` (default): an empty, cut-off or garbled file is left out and reported in
        ``meta["files_skipped"]``; the batch goes on. ``raise``: raise its
        :class:`~yqplan.errors.DataFileError`.
    workers : int, optional
        Threads parsing files in parallel (default: CPU count, at most 8).
    progress : bool
        Show a tqdm progress bar.
    max_file_bytes : int, optional
        Size cap on one daily file (default :func:`daily_file_cap`: 32 MiB, or
        ``$YQPLAN_MAX_DAILY_FILE_MB``).  A larger file, or a zip member inflating past its
        declared size, is skipped with the reason (``docs/input_limits.md``).

    Returns
    -------
    df : DataFrame
        Columns ``city`` (kind="cities", name without 市) or ``station`` (code like 1738A);
        ``time`` (tz-aware Asia/Shanghai); then float columns ``aqi, pm25, pm25_24h, pm10,
        pm10_24h, so2, so2_24h, no2, no2_24h, o3, o3_24h, o3_8h, o3_8h_24h, co, co_24h``
        (CO mg/m³, AQI dimensionless, the rest µg/m³; NaN = empty field). Sorted by location
        then time. A location-hour whose 15 fields are all empty is not a row.
    meta : dict
        ``kind``; ``files_read`` (labels); ``files_skipped`` (list of ``{"file", "reason"}``:
        junk, empty, cut-off, garbled); ``missing_hours`` (tz-aware DatetimeIndex of hours
        with no row in any file — short days and days without a file within ``start``..``end``,
        or within the first..last day read); ``synthetic`` (True if any file comes from an
        archive carrying the ``SYNTHETIC.json`` marker) and ``synthetic_marker``;
        ``duplicate_columns`` (location → cells where a header's repeated code disagreed);
        ``conflicts`` (a day found in two sources whose values differ: ``{"kind", "day",
        "used", "ignored", "detail"}``; the later path is used); ``values_rejected`` (cells
        made missing — not a number, not finite, negative or above
        :data:`PLAUSIBLE_MAX` — per file and location: ``{"file", "location", "count",
        "example"}``, the example naming the line);
        ``names_not_found``; ``timestamp_convention``.

    Notes
    -----
    Timestamp convention: ``time`` is the file's ``date`` plus ``hour`` hours, in
    Asia/Shanghai (UTC+8), exactly the label the platform prints; no shift is applied.
    CNEMC's real-time release labels each hourly value with the *end* of its averaging hour
    (value at 10:00 = mean over 09:00–10:00), so ``hour`` 0 of day D would cover 23:00–24:00
    of D−1.  This is **(unverified)**: the archive itself carries no statement.  What the
    real files do show: a station's ``O3_8h`` at label h is the mean of the ``O3`` values
    labelled h−7 … h (98 % of 3,077 station-hours on 2018-01-01 within ±1 µg/m³, against
    38 % for h−8 … h−1): the platform's windows end at, and include, the labelled hour —
    natural if a label marks the end of its hour, but not proof of it.
    Statistics that group by calendar day use the labels 0–23 of the file's date.
    """
    if kind not in KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    if errors not in ("skip", "raise"):
        raise ValueError(f"errors: {errors!r} is not one of skip, raise")
    name_set = normalise_names(names, kind)
    t0 = to_timestamp(start)
    t1 = to_timestamp(end, end=True)
    conflicts: list = []
    sources, skipped, markers = list_sources(paths, kind=kind, conflicts=conflicts)
    if t0 is not None:
        sources = [s for s in sources if s.day is None or s.day >= t0.date()]
    if t1 is not None:
        sources = [s for s in sources if s.day is None or s.day <= t1.date()]
    bar = None
    cb = None
    if progress:
        from tqdm.auto import tqdm  # progress bar: imported on use, only when one is shown

        bar = tqdm(total=len(sources), unit="file", desc=f"reading {kind}")
        cb = lambda _s: bar.update(1)  # noqa: E731
    try:
        parsed, bad = read_files(sources, kind, names=name_set, errors=errors,
                                 workers=workers, progress=cb, max_file_bytes=max_file_bytes)
    finally:
        if bar is not None:
            bar.close()
    skipped = skipped + bad
    df = assemble(parsed, kind)
    if t0 is not None or t1 is not None:
        mask = np.ones(len(df), dtype=bool)
        if t0 is not None:
            mask &= (df["time"] >= t0).to_numpy()
        if t1 is not None:
            mask &= (df["time"] <= t1).to_numpy()
        if not mask.all():
            df = df.loc[mask].reset_index(drop=True)
    dups: dict = {}
    found = set()
    for p in parsed:
        if p is not None and p.vals.size:
            found.update(p.names)
            for k, v in p.dup_conflicts.items():
                dups[k] = dups.get(k, 0) + v
    meta = {
        "kind": kind,
        "files_read": [s.label for s, p in zip(sources, parsed) if p is not None],
        "files_skipped": skipped,
        "missing_hours": missing_hours_of(parsed, t0, t1),
        "synthetic": any(s.synthetic for s in sources) or bool(markers),
        "synthetic_marker": markers[0] if markers else None,
        "duplicate_columns": dups,
        "conflicts": conflicts,
        "values_rejected": [{"file": s.label, "location": loc, "count": n,
                             "example": p.rejected_examples.get(loc, "")}
                            for s, p in zip(sources, parsed) if p is not None
                            for loc, n in p.rejected.items()],
        "names_not_found": sorted(name_set - found) if name_set else [],
        "timestamp_convention": "file date + hour label, Asia/Shanghai; hour-ending "
                                "(unverified)",
    }
    return df, meta


# --------------------------------------------------------------------------- stations

STATION_LIST_COLUMNS = {"监测点编码": "station", "监测点名称": "station_name", "城市": "city",
                        "经度": "lon", "纬度": "lat", "对照点": "reference_site"}


def read_station_list(path=None):
    """Read a CNEMC station list (站点列表) or the shipped Yangquan station table.

    Parameters
    ----------
    path : path, optional
        A published list with the header ``监测点编码,监测点名称,城市,经度,纬度,对照点``
        (UTF-8 or GB18030), or a table with the English columns.  Default: the shipped
        ``data/air/yangquan_stations.csv`` (facts with their source).

    Returns
    -------
    df : DataFrame with ``station, station_name, city, lon, lat, reference_site`` (bool)
        and, for the shipped table, ``listed_2018`` and ``source``.
    meta : dict with ``file``, ``rows``.
    """
    import pandas as pd  # heavy: imported on use (the fetcher starts without pandas)

    path = Path(path) if path is not None else config.data_dir() / "air" / "yangquan_stations.csv"
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    df = df.rename(columns={k: v for k, v in STATION_LIST_COLUMNS.items() if k in df.columns})
    missing = [c for c in STATION_LIST_COLUMNS.values() if c not in df.columns]
    if missing:
        raise DataFileError(path, "station list lacks columns", line=1,
                            expected=", ".join(STATION_LIST_COLUMNS), found=list(df.columns))
    for c in ("lon", "lat"):
        num = pd.to_numeric(df[c], errors="coerce")
        bad = num.isna() | ~num.between(-180 if c == "lon" else -90, 180 if c == "lon" else 90)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataFileError(path, "bad coordinate", line=i + 2, column=c,
                                expected="decimal degrees", found=df[c].iloc[i])
        df[c] = num
    truthy = ["Y", "TRUE", "1", "是"]
    df["reference_site"] = df["reference_site"].str.strip().str.upper().isin(truthy)
    if "listed_2018" in df.columns:
        df["listed_2018"] = df["listed_2018"].str.strip().str.upper().isin(truthy)
    for c in ("station", "station_name", "city"):
        df[c] = df[c].str.strip()
    return df, {"file": str(path), "rows": len(df)}


def read_shanxi_cities():
    """The 11 prefecture-level cities of Shanxi as named in the archive, with their codes.

    Membership is the region 山西 of ``data/air/regions.csv`` (the one membership list,
    :func:`yqplan.air.cities.region_cities`), in its order; ``data/air/shanxi_cities.csv``
    adds each city's attributes (full name, GB/T 2260 code) and must list the same cities.

    Returns ``(df, meta)``; df columns ``city`` (as in the archive header, no 市),
    ``city_full``, ``adcode``, ``source``.
    """
    import pandas as pd  # heavy: imported on use (the fetcher starts without it)

    path = config.data_dir() / "air" / "shanxi_cities.csv"
    attrs = pd.read_csv(path, dtype=str, keep_default_na=False)
    attrs["city"] = attrs["city"].map(normalise_city)
    members = region_cities(DEFAULT_PROVINCE)
    if sorted(attrs["city"]) != sorted(members):
        raise DataFileError(path, "cities differ from the region 山西 of data/air/regions.csv",
                            column="city", expected=", ".join(members),
                            found=", ".join(attrs["city"]))
    df = attrs.set_index("city").loc[members].reset_index()
    return df, {"file": str(path), "rows": len(df)}


# --------------------------------------------------------------------------- fetch

#: Overall deadline on one file's download, seconds.  A real daily file (≤ ~2 MB) takes
#: seconds even from a slow mirror; a server drip-feeding bytes (each read returns before the
#: read timeout, so that timeout never fires) is cut off here instead of hanging the run.
FETCH_FILE_DEADLINE = 300.0
#: Overall deadline on a whole fetch run, seconds: a year of station files at the polite pace
#: takes well under an hour; a cron job must end even if the mirror misbehaves all night.
FETCH_RUN_DEADLINE = 6 * 3600.0


class FetchWriteError(OSError):
    """A downloaded file could not be saved (disk full, read-only folder): the run stops.

    ``filename`` is the file meant to be written; its temporary file was removed.
    """

    def __init__(self, path, exc: OSError):
        super().__init__(exc.errno, exc.strerror or str(exc), str(path))

    def __str__(self) -> str:
        return (f"{self.filename}: cannot save the downloaded file: {self.strerror} "
                "(nothing partial was left; free space or fix the folder, then run again)")


class _Deadline(Exception):
    pass


def _download_bounded(session, url: str, name: str, *, deadline: float, why: str, **kw):
    """:func:`_download` in a daemon thread, waited for until ``deadline`` (+1 s).

    The body loop checks the deadline itself; this covers the one wait it cannot: a server
    dripping its status line and headers (each byte resets the read timeout).  A thread
    stuck there is left behind (daemon: it cannot keep the process alive) and ends when the
    server gives up or its read times out; it holds no more than the headers.
    """
    box: dict = {}

    def run():
        try:
            box["result"] = _download(session, url, name, deadline=deadline, why=why, **kw)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True, name=f"yqplan-fetch {name}")
    t.start()
    t.join(max(0.0, deadline - _time.monotonic()) + 1.0)
    if t.is_alive():
        raise _Deadline(f"{why} (no complete reply headers)")
    if "error" in box:
        raise box["error"]
    return box["result"]


def _content_length(value) -> int | None:
    """The declared body length, or None when absent or not a number (then: unknown)."""
    if value is None:
        return None
    value = value.split(",")[0].strip()
    return int(value) if value.isdigit() else None


def _download(session, url: str, name: str, *, timeout: float, deadline: float,
              why: str, cap: int):
    """GET ``url`` as a stream: ``(HTTP status, body or None, reason)``.

    The body is read in pieces as they arrive (``read1``), so the overall ``deadline``
    (``time.monotonic()``; ``why`` says which) is checked even when a server sends a byte at
    a time.  ``Content-Encoding: gzip`` (asked for) and ``deflate`` are decoded with the same
    ``cap`` on the decoded bytes; a declared length over the cap is refused unread; a length
    that is not a number counts as unknown.  Raises ``requests``/``urllib3`` errors for
    connection problems (retried by the caller).
    """
    left = deadline - _time.monotonic()
    if left <= 0:
        raise _Deadline(why)
    resp = session.get(url, timeout=(min(timeout, left), min(timeout, left)), stream=True,
                       headers={"Accept-Encoding": "gzip, deflate"})
    with contextlib.closing(resp):
        if resp.status_code != 200:
            return resp.status_code, None, ""
        declared = _content_length(resp.headers.get("Content-Length"))
        try:
            dec = _limits.BodyDecoder(resp.headers.get("Content-Encoding"), cap, name)
            if dec.d is None:
                _limits.refuse_declared(name, declared, cap)
            got = 0
            read1 = getattr(resp.raw, "read1", None)   # (urllib3 2: returns what has arrived)
            while True:
                if _time.monotonic() > deadline:
                    raise _Deadline(f"{why} ({got:,} bytes received)")
                piece = (read1(1 << 16, decode_content=False) if read1 is not None
                         else resp.raw.read(1 << 16, decode_content=False))
                if not piece:
                    break
                got += len(piece)
                dec.feed(piece)
            if declared is not None and got != declared:
                return 200, None, f"cut-off body: {got} of {declared} bytes"
            return 200, dec.finish(), ""
        except (DataFileError, EOFError, zlib.error) as exc:
            return 200, None, f"{url}: body refused: {exc}"


def fetch_cnemc(kind: str, start, end, dest, base_url: str = DEFAULT_BASE_URL, *,
                delay: float = 1.0, retries: int = 4, backoff: float = 1.0,
                timeout: float = 60.0, progress: bool = True, session=None,
                file_deadline: float = FETCH_FILE_DEADLINE,
                run_deadline: float | None = FETCH_RUN_DEADLINE,
                max_file_bytes: int | None = None):
    """Download the missing daily files of the public mirror into ``dest``.

    Each day's ``china_{kind}_YYYYMMDD.csv`` is fetched from ``base_url`` unless a
    complete copy already exists in ``dest`` (resume).  A download goes to a temporary file
    and is renamed only when it is a CNEMC daily CSV (header ``date,hour,type,…``, at least
    one well-formed row of that day): a body shorter than its ``Content-Length`` (a cut-off
    transfer) or one that is not such a file (an HTML error page, a cut-off CSV) is retried,
    then reported, never saved, so the next run asks for it again.
    Server errors (429, 5xx) and connection errors are retried with exponential backoff
    (``urllib3`` Retry for the status codes, a loop for cut-off bodies).  ``delay`` seconds
    between requests keep the load on the mirror polite.

    Bounded (``docs/input_limits.md``): ``timeout`` is per network read; ``file_deadline``
    seconds bound one file's download (a server sending a byte a second is cut off),
    ``run_deadline`` seconds the whole run (None: no limit; days not reached are reported
    failed); a body, gzip-decoded or not, over ``max_file_bytes`` (default
    :func:`daily_file_cap`) is refused as it arrives.  ``Content-Encoding: gzip`` is
    accepted; a ``Content-Length`` that is not a number counts as unknown.

    Raises
    ------
    FetchWriteError
        (an ``OSError``) when a downloaded file cannot be saved — disk full, read-only
        folder: the run stops, naming the file; its temporary file is removed.

    Returns
    -------
    df : DataFrame with one row per day: ``day, file, status`` (``downloaded``, ``present``,
        ``failed``, ``not_found``), ``bytes``, ``reason``.
    meta : dict ``kind, base_url, dest, downloaded, present, failed, not_found``.
    """
    import pandas as pd  # heavy: imported on use
    import requests  # heavy: imported on use (only the fetcher needs it)
    import urllib3  # heavy: imported on use (only the fetcher needs it)
    from requests.adapters import HTTPAdapter  # heavy: imported on use (only the fetcher needs it)
    from urllib3.util.retry import Retry  # heavy: imported on use (only the fetcher needs it)

    if kind not in KINDS:
        raise ValueError(f"--kind: {kind!r} is not one of {', '.join(KINDS)}")
    d0 = pd.Timestamp(start).date()
    d1 = pd.Timestamp(end).date()
    if d1 < d0:
        raise ValueError(f"--end {d1} is before --start {d0}")
    if not file_deadline > 0:
        raise ValueError(f"--file-deadline: {file_deadline} must be > 0 seconds")
    if run_deadline is not None and not run_deadline > 0:
        raise ValueError(f"--run-deadline: {run_deadline} must be > 0 seconds")
    cap = daily_file_cap(max_file_bytes)
    run_end = float("inf") if run_deadline is None else _time.monotonic() + run_deadline
    run_why = f"run deadline of {run_deadline:g} s reached" if run_deadline else ""
    dest = Path(dest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchWriteError(dest, exc) from None
    prefix = KINDS[kind][1]
    if not base_url.endswith("/"):
        base_url += "/"
    own_session = session is None
    if own_session:
        session = requests.Session()
        retry = Retry(total=retries, backoff_factor=backoff, status_forcelist=(429, 500, 502,
                      503, 504), allowed_methods=("GET",), raise_on_status=False)
        session.mount("http://", HTTPAdapter(max_retries=retry))
        session.mount("https://", HTTPAdapter(max_retries=retry))
        session.headers["User-Agent"] = "yqplan (air data fetch; polite, resumable)"
    days = [d0 + _dt.timedelta(days=i) for i in range((d1 - d0).days + 1)]
    rows = []
    bar = None
    if progress:
        from tqdm.auto import tqdm  # progress bar: imported on use, only when one is shown

        bar = tqdm(total=len(days), unit="day", desc=f"fetch {kind}")
    first = True
    try:
        for day in days:
            name = f"{prefix}{day:%Y%m%d}.csv"
            # joined as a URL (a path join turns http:// into http:/)
            url = urllib.parse.urljoin(base_url, urllib.parse.quote(name))
            target = dest / name
            if target.is_file() and _is_complete(target, kind, cap):
                rows.append((day, name, "present", target.stat().st_size, ""))
            elif _time.monotonic() >= run_end:
                rows.append((day, name, "failed", 0, f"{run_why}; not attempted"))
            else:
                status, nbytes, reason = "failed", 0, ""
                for attempt in range(retries + 1):
                    # polite: pause between requests; back off further on a retry
                    pause = (delay if not first else 0) + (backoff * 2 ** attempt if attempt else 0)
                    if pause:
                        if _time.monotonic() + pause >= run_end:
                            reason = f"{run_why}; not attempted" if not attempt else reason
                            break
                        _time.sleep(pause)
                    first = False
                    file_end = _time.monotonic() + file_deadline
                    why = (f"deadline of {file_deadline:g} s for one file passed"
                           if file_end <= run_end else run_why)
                    try:
                        code, body, reason = _download_bounded(
                            session, url, name, timeout=timeout,
                            deadline=min(file_end, run_end), why=why, cap=cap)
                    except _Deadline as exc:
                        reason = f"{url}: {exc}"
                        if why == run_why:
                            break
                        continue
                    except (requests.RequestException, urllib3.exceptions.HTTPError,
                            OSError) as exc:
                        reason = f"{type(exc).__name__}: {exc}"
                        continue
                    if code == 404:
                        status, reason = "not_found", "HTTP 404"
                        break
                    if code != 200:
                        # urllib3 has already retried 429/5xx with backoff: give up on it
                        reason = f"HTTP {code} (after {retries} retries)"
                        break
                    if body is None:      # cut off or refused: the reason says which
                        continue
                    try:
                        parse_bytes(body, name, kind, names=set(), day=day)
                    except DataFileError as exc:
                        reason = f"{url}: not a CNEMC daily CSV, not saved: {exc}"
                        continue
                    try:
                        _io.write_bytes(target, body)
                    except OSError as exc:   # disk full, read-only: no use going on
                        raise FetchWriteError(target, exc) from None
                    status, nbytes, reason = "downloaded", len(body), ""
                    break
                rows.append((day, name, status, nbytes, reason))
            if bar is not None:
                bar.update(1)
    except requests.exceptions.RetryError as exc:  # pragma: no cover - raise_on_status=False
        raise DataFileError(None, f"{base_url}: retries exhausted: {exc}") from None
    finally:
        if bar is not None:
            bar.close()
        if own_session:
            session.close()
    df = pd.DataFrame(rows, columns=["day", "file", "status", "bytes", "reason"])
    meta = {"kind": kind, "base_url": base_url, "dest": str(dest)}
    for s in ("downloaded", "present", "failed", "not_found"):
        meta[s] = int((df["status"] == s).sum())
    return df, meta


def _is_complete(path: Path, kind: str, cap: int | None = None) -> bool:
    """A local file counts as complete if it parses (header and every row well formed)."""
    try:
        data = SourceFile(path.name, str(path), kind, None, 0, "",
                          member=str(path)).read_bytes(max_bytes=cap)
        parse_bytes(data, str(path), kind, names=set())
        return True
    except (DataFileError, OSError):
        return False


#: The public API of this module (anything else is private to it).
__all__ = ["VARIABLE_MAP", "SOURCE_TYPES", "VALUE_COLUMNS", "UNITS", "PLAUSIBLE_MAX", "KINDS",
           "TIMEZONE", "SYNTHETIC_MARKER", "DEFAULT_BASE_URL", "SourceFile", "daily_file_cap",
           "readable_name", "read_synthetic_marker", "list_sources", "parse_bytes", "parse_many",
           "normalise_names", "to_timestamp", "iter_files", "FileResult", "iter_chunks",
           "read_files", "assemble_table", "table_to_frame", "assemble", "missing_hours_of",
           "read_cnemc", "STATION_LIST_COLUMNS", "read_station_list", "read_shanxi_cities",
           "FETCH_FILE_DEADLINE", "FETCH_RUN_DEADLINE", "FetchWriteError", "fetch_cnemc"]

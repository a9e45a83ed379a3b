"""Surface-water readers: national automatic-monitoring snapshots, manual lab data, sections.

* :func:`read_water_auto` — the snapshots of the national automatic surface-water
  stations (国家地表水水质自动监测系统), one CSV per snapshot, in a folder, a zip,
  or a folder holding zips.
* :func:`read_water_manual` — the project's CSV template for laboratory
  (manual) monitoring, any of the 24 GB 3838 Table 1 indicators.
* :func:`read_sections` — Yangquan's sections (``data/water/sections.csv``).

Both data readers return ``(df, meta)`` with the same long table, one row per
(section, time, indicator): section_name, basin, province, sampled_at,
indicator, value, unit, station_status, valid, station_class, source. Classes are computed in
:mod:`yqplan.water.gb3838`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from yqplan import _limits, config
from yqplan._schema import Column, Schema, read_csv_checked, read_utf8_lines
from yqplan.errors import DataFileError
from yqplan.water.gb3838 import INDICATORS, parse_class

#: Source column -> (indicator key, unit) of the automatic-monitoring export.
VARIABLE_MAP: dict[str, tuple[str, str]] = {
    "水温(℃)": ("temp", "℃"),
    "pH(无量纲)": ("ph", "无量纲"),
    "溶解氧(mg/L)": ("do", "mg/L"),
    "电导率(μS/cm)": ("conductivity", "μS/cm"),
    "浊度(NTU)": ("turbidity", "NTU"),
    "高锰酸盐指数(mg/L)": ("codmn", "mg/L"),
    "氨氮(mg/L)": ("nh3n", "mg/L"),
    "总磷(mg/L)": ("tp", "mg/L"),
    "总氮(mg/L)": ("tn", "mg/L"),
    "叶绿素α(mg/L)": ("chla", "mg/L"),
    "藻密度(cells/L)": ("algae_density", "cells/L"),
}

#: The descriptive columns of the export -> our column names.
ID_MAP: dict[str, str] = {
    "省份": "province",
    "流域": "basin",
    "断面名称": "section_name",
    "监测时间": "sampled_at",
    "水质类别": "station_class",
    "站点情况": "station_status",
}

#: The header of the export, in order (docs/data-formats/water-auto.md §2).
AUTO_HEADER: tuple[str, ...] = ("省份", "流域", "断面名称", "监测时间", "水质类别",
                                *VARIABLE_MAP, "站点情况")

#: Station status meaning a valid reading; 维护 (maintenance), 不具备运行条件
#: (not operable) and anything else are kept but flagged invalid.
VALID_STATUS = "正常"

#: Sentinels: ``*`` not measured, ``--`` no value (both become NaN).
SENTINELS = ("*", "--")

LONG_COLUMNS = ["section_name", "basin", "province", "sampled_at", "indicator", "value", "unit",
                "station_status", "valid", "station_class", "source"]

_SNAPSHOT_RE = re.compile(r"(\d{4})_(\d{2})_(\d{2})_(\d{2})h(\d{2})m")
_TZ = "Asia/Shanghai"


# ------------------------------------------------------------ snapshots ---

def _iter_sources(path: Path, cap: int):
    """Yield (display name, base name, size, reader()) for every CSV under ``path``.

    ``reader()`` returns the file's bytes, refused (:class:`~yqplan._limits.InputTooLargeError`)
    once more than ``cap`` bytes are declared or actually read (a zip header can lie)."""
    if path.is_file() and path.suffix.lower() == ".zip":
        yield from _iter_zip(path, cap)
    elif path.is_file():
        yield (str(path), path.name, path.stat().st_size, lambda: _limits.read_file_capped(path, cap))
    elif path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.suffix.lower() == ".zip":
                yield from _iter_zip(p, cap)
            elif p.suffix.lower() == ".csv" and p.is_file():
                yield (str(p), p.name, p.stat().st_size, lambda p=p: _limits.read_file_capped(p, cap))
    else:
        raise FileNotFoundError(f"{path}: no such file or folder; expected a folder of "
                                "snapshot CSV files or a zip of them")


def _iter_zip(path: Path, cap: int):
    # Member names are UTF-8 without the zip's UTF-8 flag; cp437 would garble them.
    try:
        zf = zipfile.ZipFile(path, metadata_encoding="utf-8")
    except zipfile.BadZipFile as exc:
        raise DataFileError(path, f"not a readable zip ({exc})") from None
    with zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            if info.is_dir() or not info.filename.lower().endswith(".csv"):
                continue
            name = info.filename.rsplit("/", 1)[-1]
            shown = f"{path}!{info.filename}"
            yield (shown, name, info.file_size,
                   lambda zf=zf, info=info, shown=shown: _limits.read_member_capped(zf, info, cap, shown))


def water_file_cap(max_bytes: int | None = None) -> int:
    """The size cap on one snapshot file: ``max_bytes``, else ``$YQPLAN_MAX_WATER_FILE_MB``
    (MiB), else :data:`~yqplan._limits.WATER_FILE_CAP` (see ``docs/input_limits.md``)."""
    return _limits.resolve_cap(max_bytes, _limits.WATER_FILE_CAP, _limits.WATER_FILE_CAP_ENV)


def _decode(raw: bytes) -> tuple[str, str]:
    """Text and encoding. UTF-8 is tried first whatever the name says: files named
    ``utf8_`` are sometimes GB18030 in the real export, and GB18030 text is
    practically never valid UTF-8."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("gb18030"), "gb18030"


def read_water_auto(path=None, names=None, keep: str = "last", *,
                    max_file_bytes: int | None = None):
    """Read national automatic surface-water monitoring snapshots.

    Parameters
    ----------
    path : folder, zip, or folder holding zips of snapshot CSV files named like
        ``2022_01_11_09h04m_国家地表水水质自动监测系统检测数据.csv`` (optionally
        prefixed ``utf8_``); default ``config.shared_data_dir() / "water"``.
    names : section names to keep (e.g. ``["白羊墅", "闫家庄大桥"]``); default all.
    keep : which copy of a reading published in several snapshots to keep:
        "last" (the latest snapshot — readings are revised between snapshots)
        or "first".
    max_file_bytes : size cap on one snapshot file (default :func:`water_file_cap`: 4 MiB,
        or ``$YQPLAN_MAX_WATER_FILE_MB``); a larger file, declared or as read, is skipped
        with the reason and the batch goes on (``docs/input_limits.md``).

    Returns
    -------
    df : DataFrame, one row per (section, time, indicator) with a value:
        section_name, basin (流域), province, sampled_at (tz-aware Asia/Shanghai: the
        sampling time printed by the station), indicator (key of
        :data:`VARIABLE_MAP`), value [unit], unit, station_status (站点情况),
        valid (True only for 正常), station_class (the station's instantaneous
        class, 1–6, NA when blank), source ("auto").
    meta : dict — files_read, files_skipped (list of {"file", "reason"}),
        files_empty, files_header_only, encodings (counts), encoding_mismatch
        (files named ``utf8_`` that are not UTF-8), bad_lines (list of {"file",
        "line", "reason"}: rows without 17 fields, left out), time_formats (counts),
        duplicate_rows, duplicate_conflicts (copies that differ), status_counts,
        steps (readings surviving each cleaning step), synthetic (False).

    Notes
    -----
    docs/data-formats/water-auto.md §3. Timestamps ``MM-DD HH:MM`` take the year of the snapshot in
    the file name (a December reading in a January snapshot takes the year
    before); ``YYYY/M/D HH:MM`` is read as printed; a blank time (a non-breaking
    space in the real files) drops the row. ``*`` and ``--`` become NaN.
    Readings under maintenance are kept with ``valid`` False — they are not valid
    data. The station's class is not the official assessment.

    Examples
    --------
    >>> df, meta = read_water_auto(names=["白羊墅", "闫家庄大桥"])   # doctest: +SKIP
    >>> meta["steps"]["unique_readings"], meta["files_empty"]        # doctest: +SKIP
    """
    if keep not in ("last", "first"):
        raise ValueError(f"keep: {keep!r} is not 'last' or 'first'")
    path = Path(path) if path is not None else config.shared_data_dir() / "water"
    meta = {"source": "auto", "path": str(path), "synthetic": False, "files_read": 0,
            "files_skipped": [], "files_empty": 0, "files_header_only": 0,
            "encodings": Counter(), "encoding_mismatch": [], "bad_lines": []}
    wanted = set(names) if names is not None else None
    chunks: list[str] = []
    snap_times: list[pd.Timestamp] = []
    expected_header = ",".join(AUTO_HEADER)
    cap = water_file_cap(max_file_bytes)
    for shown, base, size, read in _iter_sources(path, cap):
        m = _SNAPSHOT_RE.search(base)
        if not m:
            meta["files_skipped"].append({"file": shown, "reason": "no snapshot time in the name; "
                                          "expected YYYY_MM_DD_HHhMMm_…csv"})
            continue
        if size == 0:
            meta["files_empty"] += 1
            meta["files_skipped"].append({"file": shown, "reason": "empty file (0 bytes)"})
            continue
        try:
            text, enc = _decode(read())
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:  # zlib: corrupt zip member
            meta["files_skipped"].append({"file": shown, "reason": f"cannot read: {exc}"})
            continue
        except _limits.InputTooLargeError as exc:   # a bomb costs its file, not the batch
            meta["files_skipped"].append({"file": shown, "reason": str(exc)})
            continue
        except UnicodeDecodeError as exc:  # one corrupt file must not stop the batch
            meta["files_skipped"].append({"file": shown, "reason": "not text in UTF-8 or "
                                          f"GB18030 (byte {exc.start}: {exc.reason})"})
            continue
        meta["encodings"][enc] += 1
        if base.startswith("utf8_") and enc != "utf-8":
            meta["encoding_mismatch"].append(shown)
        lines = text.splitlines()
        header = lines[0].strip().replace(" ", "") if lines else ""
        if header != expected_header:
            meta["files_skipped"].append({"file": shown, "reason": "unexpected header; expected "
                                          + expected_header + f"; found {header[:200]!r}"})
            continue
        meta["files_read"] += 1
        body = []
        for n, ln in enumerate(lines[1:], start=2):
            if not ln.strip():
                continue
            fields = ln.count(",") + 1 if '"' not in ln else len(next(csv.reader([ln])))
            if fields != len(AUTO_HEADER):
                meta["bad_lines"].append({"file": shown, "line": n, "reason":
                                          f"{fields} fields; expected {len(AUTO_HEADER)}"})
                continue
            body.append(ln)
        if not body:
            if len(lines) <= 1 or not any(ln.strip() for ln in lines[1:]):
                meta["files_header_only"] += 1
            continue
        k = len(snap_times)
        snap_times.append(pd.Timestamp(*map(int, m.groups())))
        chunks.append("\n".join(f"{k},{ln}" for ln in body))
    meta["encodings"] = dict(meta["encodings"])

    steps: dict[str, int] = {}
    cols = ["snapshot", *AUTO_HEADER]
    if chunks:
        raw = pd.read_csv(io.StringIO("\n".join(chunks)), header=None, names=cols, dtype=str,
                          keep_default_na=False, na_filter=False, engine="c")
    else:
        raw = pd.DataFrame(columns=cols, dtype=str)
    raw = raw.rename(columns=ID_MAP)
    raw["snapshot"] = raw["snapshot"].astype(int)
    for c in ("section_name", "basin", "province", "station_status", "station_class", "sampled_at"):
        raw[c] = raw[c].str.strip()
    steps["rows_read"] = len(raw)
    if wanted is not None:
        raw = raw[raw["section_name"].isin(wanted)]
        steps["rows_of_selected_sections"] = len(raw)

    # --- time: MM-DD HH:MM (year from the file name) or YYYY/M/D HH:MM
    snap = pd.Series(snap_times, dtype="datetime64[ns]")
    snap_of_row = snap.iloc[raw["snapshot"].to_numpy()].reset_index(drop=True) if len(raw) else snap
    raw = raw.reset_index(drop=True)
    t = raw["sampled_at"]
    short = t.str.fullmatch(r"\d{1,2}-\d{1,2} \d{1,2}:\d{2}")
    full = t.str.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}")
    meta["time_formats"] = {"MM-DD HH:MM": int(short.sum()), "YYYY/M/D HH:MM": int(full.sum()),
                            "blank or other": int((~short & ~full).sum())}
    times = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if short.any():
        years = snap_of_row[short].dt.year.astype(str)
        parsed = pd.to_datetime(years + "-" + t[short], format="%Y-%m-%d %H:%M", errors="coerce")
        # a December reading published in a January snapshot belongs to the year before
        late = parsed > snap_of_row[short] + pd.Timedelta(days=31)
        parsed[late] = parsed[late] - pd.DateOffset(years=1)
        times[short] = parsed
    if full.any():
        times[full] = pd.to_datetime(t[full], format="%Y/%m/%d %H:%M", errors="coerce")
    raw["sampled_at"] = times
    raw["snapshot_time"] = snap_of_row
    raw = raw[raw["sampled_at"].notna()]
    steps["rows_with_time"] = len(raw)

    # --- the same reading in several snapshots: keep the last (or first) published copy
    raw = raw.sort_values(["section_name", "sampled_at", "snapshot_time"], kind="stable")
    value_cols = ["station_class", *VARIABLE_MAP, "station_status"]
    dup_all = raw.duplicated(["section_name", "sampled_at"], keep=False)
    meta["duplicate_rows"] = int(raw.duplicated(["section_name", "sampled_at"]).sum())
    n_versions = raw[dup_all].drop_duplicates(["section_name", "sampled_at", *value_cols]) \
        .groupby(["section_name", "sampled_at"]).size()
    meta["duplicate_conflicts"] = int((n_versions > 1).sum())
    raw = raw.drop_duplicates(["section_name", "sampled_at"], keep=keep)
    steps["unique_readings"] = len(raw)
    meta["status_counts"] = raw["station_status"].value_counts().to_dict()
    steps["valid_readings"] = int((raw["station_status"] == VALID_STATUS).sum())

    # --- long form
    raw["station_class"] = raw["station_class"].map(parse_class).astype("Int64")
    long = raw.melt(id_vars=["section_name", "basin", "province", "sampled_at", "station_status",
                             "station_class"], value_vars=list(VARIABLE_MAP),
                    var_name="column", value_name="text")
    steps["values_possible"] = len(long)
    text = long["text"].str.strip()
    long = long[~text.isin(SENTINELS) & (text != "")]
    steps["values_present"] = len(long)
    long["value"] = pd.to_numeric(long["text"].str.strip(), errors="coerce")
    meta["unparsable_values"] = int(long["value"].isna().sum())
    long = long[long["value"].notna()]
    steps["values_numeric"] = len(long)
    long["valid"] = long["station_status"] == VALID_STATUS
    steps["values_valid"] = int(long["valid"].sum())
    key = {c: v[0] for c, v in VARIABLE_MAP.items()}
    unit = {c: v[1] for c, v in VARIABLE_MAP.items()}
    long["indicator"] = long["column"].map(key)
    long["unit"] = long["column"].map(unit)
    long["sampled_at"] = long["sampled_at"].dt.tz_localize(_TZ)
    long["source"] = "auto"
    df = long[LONG_COLUMNS].sort_values(["section_name", "sampled_at", "indicator"], kind="stable") \
        .reset_index(drop=True)
    for c in ("section_name", "basin", "province", "indicator", "unit", "station_status", "source"):
        df[c] = df[c].astype("category")
    meta["steps"] = steps
    meta["sections"] = sorted(map(str, df["section_name"].unique())) if len(df) else []
    return df, meta


# --------------------------------------------------------------- manual ---

_BELOW_RE = re.compile(r"^(?:<\s*(?P<a>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(?P<b>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*L)$")
_NUM_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")


def _value_check(key: str):
    unit = INDICATORS[key][1]

    def check(text: str):
        t = text.strip()
        if _BELOW_RE.match(t):
            return None
        if not _NUM_RE.match(t):
            return f"a number in {unit}, or a detection limit written <0.01 or 0.01L"
        v = float(t)
        if key == "ph" and not 0 <= v <= 14:
            return "a pH between 0 and 14"
        if key != "temp" and v < 0:
            return f"a concentration >= 0 {unit}"
        return None

    return check


def _header_of(path: Path) -> tuple[list[str], int]:
    """Header fields and their line number (comment lines above are skipped)."""
    for n, line in enumerate(read_utf8_lines(path), start=1):
        if not line.lstrip().startswith("#"):
            return [h.strip() for h in next(csv.reader([line]))], n
    return [], 1


def manual_schema(header) -> Schema:
    """Schema of the manual template for the indicator columns present in ``header``."""
    cols = [Column("section_name", required=True, description="section name"),
            Column("sample_date", kind="date", required=True, pattern=r"\d{4}-\d{2}-\d{2}",
                   description="sampling date YYYY-MM-DD"),
            ]
    if "sample_time" in header:
        cols.append(Column("sample_time", pattern=r"\d{1,2}:\d{2}",
                           description="sampling time HH:MM"))
    cols += [Column(k, check=_value_check(k), description=f"{INDICATORS[k][0]} [{INDICATORS[k][1]}]")
             for k in INDICATORS if k in header]
    unique = ("section_name", "sample_date", "sample_time") if "sample_time" in header else \
        ("section_name", "sample_date")
    return Schema(cols, unique=unique)


def read_water_manual(path, sections=None):
    """Read laboratory (manual) monitoring results from the project's CSV template.

    Parameters
    ----------
    path : CSV file (UTF-8, ``#`` comment lines allowed above the header) with
        columns ``section_name``, ``sample_date`` (YYYY-MM-DD), optional
        ``sample_time`` (HH:MM) and any of the 24 GB 3838 Table 1 indicator keys
        (:data:`yqplan.water.gb3838.INDICATORS`), each in its fixed unit (mg/L; pH
        无量纲; temp ℃; fecal_coliform 个/L). See ``data/water/README.md``.
    sections : sections table (:func:`read_sections`) for the basin; default the
        shipped one when it exists.

    Returns
    -------
    df : the long table of :func:`read_water_auto` (source "manual",
        station_status "manual", valid True, station_class NA), plus
        below_detection (True where the lab reported < detection limit).
    meta : dict — rows, values, below_detection count, sections, unknown_sections
        (not in the sections table).

    Raises
    ------
    DataFileError
        Unknown or missing columns, or a field that is not a number in the
        indicator's unit: the message names the file, line and column.

    Notes
    -----
    A result below the detection limit (``<0.01`` or ``0.01L``) counts as half
    the limit (HJ 91.2 convention — unverified here); flagged in
    ``below_detection``.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file not found")
    header, header_line = _header_of(path)
    schema = manual_schema(header)
    indicator_cols = [k for k in INDICATORS if k in header]
    if not indicator_cols and header:
        extra = [h for h in header if h not in ("section_name", "sample_date", "sample_time")]
        raise DataFileError(path, "no indicator column", line=header_line,
                            expected="one or more of " + ", ".join(INDICATORS),
                            found=",".join(extra) or None)
    wide = read_csv_checked(path, schema)
    hhmm = wide["sample_time"].fillna("00:00") if "sample_time" in wide else "00:00"
    time_text = wide["sample_date"] + " " + hhmm
    wide["sampled_at"] = pd.to_datetime(time_text, format="%Y-%m-%d %H:%M").dt.tz_localize(_TZ)
    long = wide.melt(id_vars=["section_name", "sampled_at"], value_vars=indicator_cols,
                     var_name="indicator", value_name="text")
    long = long[long["text"].notna()]
    below = long["text"].str.strip().str.match(_BELOW_RE)
    num = long["text"].str.strip().str.extract(r"([+-]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)")[0].astype(float)
    long["value"] = np.where(below, num / 2.0, num)
    long["below_detection"] = below.to_numpy()
    long["unit"] = long["indicator"].map(lambda k: INDICATORS[k][1])
    if sections is None:
        try:
            sections = read_sections()
        except DataFileError:
            sections = None
    basin = dict(zip(sections["section_name"], sections["basin"])) if sections is not None else {}
    long["basin"] = long["section_name"].map(basin)
    long["province"] = "山西省"
    long["station_status"] = "manual"
    long["valid"] = True
    long["station_class"] = pd.array([pd.NA] * len(long), dtype="Int64")
    long["source"] = "manual"
    df = long[LONG_COLUMNS + ["below_detection"]].sort_values(["section_name", "sampled_at", "indicator"]) \
        .reset_index(drop=True)
    meta = {"source": "manual", "path": str(path), "synthetic": False, "rows": len(wide),
            "values": len(df), "below_detection": int(df["below_detection"].sum()),
            "sections": sorted(df["section_name"].unique()),
            "unknown_sections": sorted(set(df["section_name"]) - set(basin)) if basin else []}
    return df, meta


# ------------------------------------------------------------- sections ---

def _roman_or_blank(v):
    return None if parse_class(v) is not None else "a class Ⅰ–Ⅴ or 劣Ⅴ (also I–V)"


SECTIONS_SCHEMA = Schema([
    Column("section_name", required=True, description="section name (断面名称)"),
    Column("river", required=True, description="river (河流)"),
    Column("basin", required=True, description="basin (流域) as the national system names it"),
    Column("district", description="county-level district (区县)"),
    Column("adcode", pattern=r"\d{6}", description="administrative code of the district"),
    Column("lon", kind="float", min=73, max=136, description="longitude [° E, WGS-84]"),
    Column("lat", kind="float", min=3, max=54, description="latitude [° N, WGS-84]"),
    Column("coord_quality", required=True, choices=("ok", "approximate", "unknown", "wrong"),
           description="ok | approximate | unknown | wrong (published coordinates known wrong)"),
    Column("level", choices=("国考", "省考", "市考"), description="国考 / 省考 / 市考 when known"),
    Column("water_body", required=True, choices=("river", "lake"),
           description="river, or lake (lakes and reservoirs: lake TP limit)"),
    Column("target_class", check=_roman_or_blank, description="target class (editable)"),
    Column("source", description="where the row's facts come from"),
], unique=("section_name",))


def read_sections(path=None) -> pd.DataFrame:
    """Yangquan's surface-water sections (``data/water/sections.csv``).

    Parameters
    ----------
    path : default ``config.data_dir() / "water" / "sections.csv"``.

    Returns
    -------
    DataFrame with the columns of :data:`SECTIONS_SCHEMA` plus
    ``target_class_num`` (1–6). Coordinates are blank where unknown;
    ``coord_quality`` "wrong" marks a section whose published coordinates are
    known to be wrong (they are not used).

    Raises
    ------
    DataFileError naming the line and column of a bad field.
    """
    path = Path(path) if path is not None else config.data_dir() / "water" / "sections.csv"
    df = read_csv_checked(path, SECTIONS_SCHEMA)
    df["target_class_num"] = df["target_class"].map(parse_class).astype("Int64")
    return df


#: The public API of this module (anything else is private to it).
__all__ = ["VARIABLE_MAP", "ID_MAP", "AUTO_HEADER", "VALID_STATUS", "SENTINELS", "LONG_COLUMNS",
           "water_file_cap", "read_water_auto", "manual_schema", "read_water_manual",
           "SECTIONS_SCHEMA", "read_sections"]

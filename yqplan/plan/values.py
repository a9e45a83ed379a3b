"""Yearly values of a plan's indicators and text targets, entered by hand with their sources.

Each plan folder (:func:`yqplan.plan.tables.plan_dir`) holds

* ``values.csv`` — one row per indicator and year: ``indicator_id, year, value, unit,
  source, source_date, note`` (the 14th plan ships the published figures the project
  holds, converted from ``data/official/figures.csv`` with their sources);
* ``text_target_values.csv`` — the same for the quantified targets of the plan text:
  ``target_id, year, value, unit, source, source_date, note`` (empty as shipped).

Both are checked by :func:`read_values` / :func:`read_text_target_values`; a bad row is
refused with :class:`yqplan.errors.DataFileError` naming the file, line, column and the
expected form: an unknown id, a unit that is not the indicator's (units are compared after
Unicode NFKC normalisation, so µ U+00B5 and μ U+03BC are the same), a year outside
base year … end of the plan period, two different values for one id and year, an empty
source, a source date in the future.  The same value entered twice is kept once.

:func:`value_gaps` lists which id-years are still empty (``yqplan plan gaps``).
See ``docs/final-assessment.md``.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pandas as pd

from yqplan._schema import Column, Schema, read_csv_checked
from yqplan.errors import DataFileError
from yqplan.plan import tables as plan_mod
from yqplan.plan.tables import data_lines, same_unit  # the one unit rule, re-exported

__all__ = ["VALUES_FILE", "TEXT_VALUES_FILE", "same_unit", "read_values",
           "read_text_target_values", "values_for_assessment", "value_gaps",
           "check_date_not_future", "combine_values",
           "read_plan_text_targets"]

VALUES_FILE = "values.csv"
TEXT_VALUES_FILE = "text_target_values.csv"

def check_date_not_future(text, today: _dt.date | None = None) -> bool:
    """Whether a date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` has begun by ``today``."""
    if text is None or (isinstance(text, float) and text != text) or str(text).strip() == "":
        return True  # no date given (None or NaN)
    today = today or _dt.date.today()
    parts = [int(p) for p in str(text).split("-")]
    start = _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return start <= today


def _schema(id_col: str, ids) -> Schema:
    return Schema([
        Column(id_col, required=True, choices=tuple(ids),
               description=f"{id_col} as in the plan's table"),
        Column("year", "int", required=True, description="year the value is for"),
        Column("value", "float", required=True, description="the value [unit]"),
        Column("unit", required=True, description="unit; must be the indicator's or target's unit"),
        Column("source", required=True, description="document and issuer of the value"),
        Column("source_date", "date", description="date of the document (YYYY, YYYY-MM or YYYY-MM-DD)"),
        Column("note", description="remarks"),
    ])


def _read_dated(path, id_col: str, units: dict, first_year: int, last_year: int,
                today: _dt.date | None):
    """Read and check a values file; the shared rules of both files."""

    path = Path(path)
    cols = [id_col, "year", "value", "unit", "source", "source_date", "note"]
    if not path.exists():  # an optional table: absent = nothing entered yet
        df = pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else
                                        "Int64" if c == "year" else object) for c in cols})
        df.attrs["source_path"] = str(path)
        return df
    df = read_csv_checked(path, _schema(id_col, list(units)))
    lines = data_lines(path) if len(df) else []
    keep, seen = [], {}
    for i, r in enumerate(df.to_dict("records")):
        line = lines[i]
        if not first_year <= r["year"] <= last_year:
            raise DataFileError(path, "year outside the plan period", line=line, column="year",
                                expected=f"a year from {first_year} (base year) to {last_year}",
                                found=r["year"])
        want = units[r[id_col]]
        if not same_unit(r["unit"], want):
            raise DataFileError(path, "unit does not match", line=line, column="unit",
                                expected=f"{want} (the unit of {id_col} {r[id_col]})",
                                found=r["unit"])
        if not check_date_not_future(r["source_date"], today):
            raise DataFileError(path, "date in the future", line=line, column="source_date",
                                expected=f"a date not after {(today or _dt.date.today()).isoformat()}",
                                found=r["source_date"])
        key = (r[id_col], r["year"])
        if key in seen:
            j, v = seen[key]
            if abs(v - r["value"]) > 1e-9:
                raise DataFileError(path, f"a second, different value for {id_col} {key[0]}, "
                                    f"{key[1]} (line {j}: {v:g})", line=line, column="value",
                                    expected=f"{v:g} or remove one of the two rows", found=r["value"])
            continue  # the same value twice: kept once
        seen[key] = (line, r["value"])
        keep.append(i)
    out = df.iloc[keep].reset_index(drop=True)
    out["year"] = out["year"].astype(int)
    out.attrs["source_path"] = str(path)
    return out


def read_values(path=None, *, plan=None, indicators=None, today: _dt.date | None = None):
    """Read a plan's ``values.csv``: yearly indicator values with their sources.

    Parameters
    ----------
    path : path-like, optional
        Default ``plan_dir(plan)/values.csv`` (absent → no rows).
    plan : plan id or folder (default the 14th plan).
    indicators : the registry (default :func:`yqplan.plan.tables.read_indicators`).
    today : the date "future" is measured from (default today).

    Returns
    -------
    DataFrame ``indicator_id, year (int), value [indicator unit], unit, source,
    source_date, note``.

    Raises
    ------
    DataFileError
        Unknown indicator, unit mismatch, year outside base year … period end, two
        different values for one indicator-year, empty source, future source date.
    """

    meta = plan_mod.plan_meta(plan)
    ind = indicators if indicators is not None else plan_mod.read_indicators(plan=plan)
    path = Path(path) if path is not None else meta.folder / VALUES_FILE
    return _read_dated(path, "indicator_id", dict(zip(ind["indicator_id"], ind["unit"])),
                       meta.base_year, meta.period_end, today)


def read_text_target_values(path=None, *, plan=None, text_targets=None,
                            today: _dt.date | None = None):
    """Read a plan's ``text_target_values.csv`` (same rules as :func:`read_values`).

    Returns ``target_id, year, value [target unit], unit, source, source_date, note``;
    for a ``count`` target each value is the number added in that year.
    """

    meta = plan_mod.plan_meta(plan)
    tt = text_targets if text_targets is not None else read_plan_text_targets(plan)
    path = Path(path) if path is not None else meta.folder / TEXT_VALUES_FILE
    return _read_dated(path, "target_id", dict(zip(tt["target_id"], tt["unit"])),
                       meta.base_year, meta.period_end, today)


def read_plan_text_targets(plan):
    """The plan folder's text targets (:func:`yqplan.plan.tables.read_text_targets`), or an empty
    table with their columns when the folder has no ``text_targets.csv``."""

    if not (plan_mod.plan_dir(plan) / "text_targets.csv").is_file():
        return pd.DataFrame(columns=plan_mod.TEXT_TARGETS_SCHEMA.names)
    return plan_mod.read_text_targets(plan=plan)


def values_for_assessment(values=None, *, plan=None):
    """``values.csv`` as the long table :func:`yqplan.plan.targets.assess_plan` takes.

    Returns ``indicator_id, year, value, source`` with the source and its date joined
    (``"山西省生态环境厅 … (2024-06-05)"``).
    """

    v = read_values(plan=plan) if values is None else values
    date = v["source_date"].fillna("").astype(str)
    src = v["source"].astype(str) + date.map(lambda d: f" ({d})" if d else "")
    return pd.DataFrame({"indicator_id": v["indicator_id"].astype(str),
                         "year": v["year"].astype(int), "value": v["value"].astype(float),
                         "source": src})


def value_gaps(values=None, *, plan=None, what: str = "indicators", years=None):
    """Which id-years have a value and which are still empty.

    Parameters
    ----------
    values : the values (default: read from the plan folder).
    what : ``"indicators"`` (``values.csv``) or ``"text_targets"`` (``text_target_values.csv``).
    years : the years to check (default base year … target year of the plan).

    Returns
    -------
    DataFrame, one row per id and year: ``id``, ``name_zh``, ``unit``, ``year``,
    ``value`` (NaN when empty), ``source``, ``filled`` (bool).
    """

    meta = plan_mod.plan_meta(plan)
    years = list(years) if years is not None else list(range(meta.base_year, meta.target_year + 1))
    if what == "indicators":
        reg = plan_mod.read_indicators(plan=plan)
        v = read_values(plan=plan, indicators=reg) if values is None else values
        ids, names, units, col = reg["indicator_id"], reg["name_zh"], reg["unit"], "indicator_id"
    elif what == "text_targets":
        reg = read_plan_text_targets(plan)
        v = read_text_target_values(plan=plan, text_targets=reg) if values is None else values
        ids, names, units, col = reg["target_id"], reg["item_zh"], reg["unit"], "target_id"
    else:
        raise ValueError(f"what: {what!r} is not one of indicators, text_targets")
    have = {(str(r[col]), int(r["year"])): r for r in v.to_dict("records")}
    rows = []
    for iid, name, unit in zip(ids, names, units):
        for y in years:
            r = have.get((str(iid), y))
            rows.append({"id": str(iid), "name_zh": name, "unit": unit, "year": y,
                         "value": float(r["value"]) if r else float("nan"),
                         "source": str(r["source"]) if r else "", "filled": r is not None})
    return pd.DataFrame(rows)


def combine_values(frames):
    """Concatenate values tables; a later frame's value wins for the same indicator and year.

    Published figures first, then measured ones (:func:`yqplan.analyses.measured_values`):
    measured values replace the published ones of the same year.  Sorted by indicator and year.
    """

    values = pd.concat(frames, ignore_index=True)
    values = values.drop_duplicates(["indicator_id", "year"], keep="last")
    return values.sort_values(["indicator_id", "year"], ignore_index=True)

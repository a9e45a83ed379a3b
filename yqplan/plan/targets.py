"""Target tracking: a verdict for every indicator of the plan, by several methods.

For each indicator of the registry (:func:`yqplan.plan.tables.read_indicators`) and a series
of actual yearly values, :func:`assess_indicator` gives (docs/progress-methods.md):

* **status** in the latest year — target met or not and by what margin; from the
  target year (2025) on it is the final verdict;
* **序时进度** (time-elapsed progress) — the straight line from the 2020 baseline to the
  2025 target; on schedule when the actual is at least as good as the line;
* **progress ratio** (Eurostat / Open SDG) — target met → "met"; otherwise actual
  compound annual rate ÷ required rate, ≥ 0.95 on track, 0.60–0.95 needs
  acceleration, 0–0.60 limited progress, < 0 deterioration; for percentages on the
  distance to the bound (100 − x when higher is better, x − 0 when lower is better);
* **projection** to the target year from the Theil–Sen trend with a bootstrap
  prediction interval and the **probability of meeting the target**
  (:func:`yqplan.stats.trend.project_trend`);
* **base-year sensitivity** — 序时进度 and progress ratio again with the 2019–2021 mean
  as the base (2020 was an unusual year).

Target kinds: ``value`` (a bound on either side of the baseline: a ceiling above
or a floor below it is met from the start), ``province_assigned`` (a value the user
supplies in ``data/plans/14th/province_targets.csv``; when missing every target verdict is
"no target supplied", never invented) and ``not_below_baseline`` (不低于现状: the 2020
level is the floor).  :func:`score_plan` returns the typed scoreboard (:class:`Scoreboard`:
one :class:`IndicatorAssessment` per indicator, each keeping the
:class:`~yqplan.stats.trend.TrendResult` and :class:`~yqplan.stats.trend.ProjectionResult`
objects it was computed from); :func:`assess_plan` is that scoreboard as a table, one row
per indicator (:meth:`Scoreboard.to_frame`); :func:`write_scoreboard` writes it as CSV and JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from yqplan import _io
from yqplan._schema import Column, Schema, read_csv_checked, read_utf8_lines
from yqplan.air.cities import DEFAULT_CITY_FULL
from yqplan.errors import DataFileError
from yqplan.plan import tables as plan
from yqplan.stats import trend as tr

__all__ = ["BASE_YEAR", "TARGET_YEAR", "BASE_YEARS_ALT", "ON_TRACK", "ACCELERATE", "NO_TARGET",
           "NO_DATA", "NO_BASELINE", "BASELINE_ONLY", "TARGET_YEAR_REACHED", "IndicatorAssessment",
           "SCOREBOARD_COLUMNS", "Scoreboard", "meets", "schedule_line", "progress_ratio",
           "normalise_indicator_id", "read_values_csv", "values_from_figures", "assess_indicator",
           "score_plan", "assess_plan", "write_scoreboard"]

BASE_YEAR = 2020
TARGET_YEAR = 2025
BASE_YEARS_ALT = (2019, 2020, 2021)
#: Progress-ratio thresholds (Eurostat SDG monitoring; Open SDG).
ON_TRACK, ACCELERATE = 0.95, 0.60

NO_TARGET = "no target supplied"
NO_DATA = "no data"
NO_BASELINE = "no baseline"
#: Only the base year's value is known: no evidence yet for a met / not-met verdict.
BASELINE_ONLY = "baseline only"
#: ``projection_status`` of an indicator whose latest value is of the target year: nothing projected.
TARGET_YEAR_REACHED = "target year reached"
MET, NOT_MET = "met", "not met"

_TOL = 1e-9


@dataclass(frozen=True)
class IndicatorAssessment:
    """All verdicts for one indicator, with the trend and projection objects they come from.

    Units: the indicator's.  The trend tests and the projection stay the typed results of
    :mod:`yqplan.stats.trend`; :meth:`to_dict` flattens them into the scoreboard's
    ``trend_*`` and ``projection*`` columns (:data:`SCOREBOARD_COLUMNS`) only when a table
    is shown or written.

    Attributes
    ----------
    indicator_id, name_zh, name_en, unit, attribute, direction, target_kind : from the registry.
    target_value : the target in use [unit] (NaN when none).
    comparator : how a value meets it (``<=``, ``>=``, ``<``, ``>``).
    target_source : where the target comes from (plan Table 1, province table, baseline).
    baseline_value, baseline_source : the 2020 base [unit] and where it comes from.
    latest_year, latest_value : the last year with a value (≤ the assessment year and ≤ the
        target year: later values never decide the plan's verdict) [year, unit].
    latest_source : where that value comes from (the values' ``source`` column).
    n_years : number of years with a value.
    final : True when ``latest_year`` ≥ the target year — the status is then the final verdict.
    status_verdict : ``met``, ``not met``, ``no target supplied``, ``no data``, ``no baseline``,
        ``baseline only`` (no value after the base year: no verdict from the baseline alone).
    margin : distance from the target in the good direction [unit] (+ = better than the target).
    margin_percent : margin relative to the target [%].
    verdict : the target status in words, with the year and "final" or "interim".
    schedule_expected : value on the straight baseline→target line in ``latest_year`` [unit].
    schedule_deviation : actual minus that line in the good direction [unit] (+ = ahead).
    schedule_verdict : ``on schedule``, ``behind schedule``, ``baseline year`` or why not assessed.
    progress_ratio : actual ÷ required annual rate [ratio]; NaN when the target is met.
    progress_verdict : ``met``, ``on track``, ``needs acceleration``, ``limited progress``,
        ``deterioration`` or why not assessed.
    progress_basis : what the rates are computed on (``value``, ``distance to 100 %`` …).
    trend : :class:`yqplan.stats.trend.TrendResult`
        Theil–Sen slope of the yearly values with its 95 % bootstrap interval [unit/year]
        (:func:`yqplan.stats.trend.theil_sen`); columns ``trend_n``, ``trend_status``,
        ``trend_slope``, ``trend_slope_low``, ``trend_slope_high``.
    mann_kendall : :class:`yqplan.stats.trend.TrendResult`
        Mann–Kendall test, Hamed–Rao corrected (:func:`yqplan.stats.trend.mann_kendall`);
        columns ``trend_mk_p`` and ``trend_mk_direction`` (the status when no direction).
    spearman : :class:`yqplan.stats.trend.TrendResult`
        HJ 663 Spearman rank test (:func:`yqplan.stats.trend.spearman_trend`); columns
        ``trend_spearman_rs`` and ``trend_spearman_direction``.
    projection : :class:`yqplan.stats.trend.ProjectionResult` or None
        The Theil–Sen line projected to the target year with its 90 % bootstrap prediction
        interval and the probability of meeting the target
        (:func:`yqplan.stats.trend.project_trend`); None when ``final`` (nothing is
        projected, ``projection_status`` :data:`TARGET_YEAR_REACHED`).  Columns
        ``projection``, ``projection_low``, ``projection_high`` [unit], ``probability_met``
        [0–1], ``projection_status`` (``ok``, ``too few points`` …).
    base3_value, base3_years : the 2019–2021 mean used as an alternative base [unit], and
        the years it averages.
    schedule_deviation_base3, schedule_verdict_base3, progress_ratio_base3,
    progress_verdict_base3 : the same verdicts with that base.
    n_boot, seed : bootstrap settings.
    method_notes : method notes and caveats, ``; ``-separated.
    """

    indicator_id: str
    name_zh: str
    name_en: str
    unit: str
    attribute: str
    direction: str
    target_kind: str
    target_value: float
    comparator: str
    target_source: str
    baseline_value: float
    baseline_source: str
    latest_year: float
    latest_value: float
    latest_source: str
    n_years: int
    final: bool
    status_verdict: str
    margin: float
    margin_percent: float
    verdict: str
    schedule_expected: float
    schedule_deviation: float
    schedule_verdict: str
    progress_ratio: float
    progress_verdict: str
    progress_basis: str
    trend: tr.TrendResult
    mann_kendall: tr.TrendResult
    spearman: tr.TrendResult
    projection: tr.ProjectionResult | None
    base3_value: float
    base3_years: str
    schedule_deviation_base3: float
    schedule_verdict_base3: str
    progress_ratio_base3: float
    progress_verdict_base3: str
    n_boot: int
    seed: int
    method_notes: str

    def to_dict(self) -> dict:
        """The scoreboard row: a dict keyed by :data:`SCOREBOARD_COLUMNS`, in that order.

        The objects are flattened here (:data:`_FLAT`): a test without a direction gives its
        status (``too few points`` …), a missing projection NaN values and the status
        :data:`TARGET_YEAR_REACHED`.
        """
        row = {}
        for f in fields(self):
            obj = getattr(self, f.name)
            if f.name not in _FLAT:
                row[f.name] = obj
            elif obj is None:  # the projection of a final verdict: none
                row.update({col: math.nan for col, _ in _FLAT[f.name]})
                row["projection_status"] = TARGET_YEAR_REACHED
            else:
                for col, attr in _FLAT[f.name]:
                    v = getattr(obj, attr)
                    row[col] = (v or obj.trend_status) if attr == "direction" else v
        return row


#: The typed fields of :class:`IndicatorAssessment` → their scoreboard columns, as
#: ``(column, attribute of the object)`` pairs in column order.
_FLAT = {
    "trend": (("trend_n", "n"), ("trend_status", "trend_status"), ("trend_slope", "slope"),
              ("trend_slope_low", "slope_low"), ("trend_slope_high", "slope_high")),
    "mann_kendall": (("trend_mk_p", "p_value"), ("trend_mk_direction", "direction")),
    "spearman": (("trend_spearman_rs", "statistic"), ("trend_spearman_direction", "direction")),
    "projection": (("projection", "projection"), ("projection_low", "projection_low"),
                   ("projection_high", "projection_high"), ("probability_met", "probability_met"),
                   ("projection_status", "projection_status")),
}

#: Scoreboard columns, in order (the CLI's JSON schema of ``yqplan targets assess``).
SCOREBOARD_COLUMNS = [col for f in fields(IndicatorAssessment)
                      for col in ([c for c, _ in _FLAT[f.name]] if f.name in _FLAT else [f.name])]


@dataclass(frozen=True)
class Scoreboard:
    """The plan's scoreboard: one :class:`IndicatorAssessment` per registry indicator.

    Look an indicator up by id (``board["1"]``; ``"1" in board``), iterate over the
    assessments in registry order, and flatten to a table only to show or write it
    (:meth:`to_frame`).

    Attributes
    ----------
    assessments : tuple of IndicatorAssessment
        In the registry's order.
    year : int or None
        Assessed as of this year (None: each indicator's latest value).
    base_year, target_year : int
        The plan's base year (the baselines) and target year (verdicts, projections).
    n_boot, seed : int
        Bootstrap resamples and seed of the trend intervals and projections.
    plan : str
        The plan's id (e.g. ``"14th"``) when known, else "".
    """

    assessments: tuple
    year: int | None = None
    base_year: int = BASE_YEAR
    target_year: int = TARGET_YEAR
    n_boot: int = tr.N_BOOT
    seed: int = tr.SEED
    plan: str = ""

    @property
    def ids(self) -> tuple:
        """The indicator ids, in registry order."""
        return tuple(a.indicator_id for a in self.assessments)

    def __len__(self) -> int:
        return len(self.assessments)

    def __iter__(self):
        return iter(self.assessments)

    def __contains__(self, indicator_id) -> bool:
        return normalise_indicator_id(indicator_id) in self.ids

    def __getitem__(self, indicator_id) -> IndicatorAssessment:
        """The assessment of ``indicator_id`` (``1.0`` → ``"1"``); KeyError naming the valid ids."""
        iid = normalise_indicator_id(indicator_id)
        for a in self.assessments:
            if a.indicator_id == iid:
                return a
        raise KeyError(f"indicator_id {iid!r} is not on the scoreboard; "
                       f"expected one of {', '.join(self.ids)}")

    def to_frame(self) -> pd.DataFrame:
        """The scoreboard as a table: one row per indicator, columns :data:`SCOREBOARD_COLUMNS`."""
        return pd.DataFrame([a.to_dict() for a in self.assessments], columns=SCOREBOARD_COLUMNS)


# --------------------------------------------------------------------------- basics

def _comparator(comparator, direction) -> str:
    comparator = (comparator or "").strip() if isinstance(comparator, str) else ""
    if comparator:
        if comparator not in ("<=", "<", ">=", ">"):
            raise ValueError(f"comparator: expected <=, <, >= or >, found {comparator!r}")
        return comparator
    if direction not in ("lower", "higher"):
        raise ValueError(f"direction: expected 'lower' or 'higher', found {direction!r}")
    return "<=" if direction == "lower" else ">="


def meets(value: float, target: float, comparator: str) -> bool:
    """Whether ``value comparator target`` holds (a tolerance of 1e-9 absorbs float noise)."""
    if comparator == "<=":
        return value <= target + _TOL
    if comparator == "<":
        return value < target - _TOL
    if comparator == ">=":
        return value >= target - _TOL
    if comparator == ">":
        return value > target + _TOL
    raise ValueError(f"comparator: expected <=, <, >= or >, found {comparator!r}")


def _good(delta: float, direction: str) -> float:
    """Sign a difference so that + means better (lower is better → negate)."""
    return -delta if direction == "lower" else delta


def schedule_line(baseline: float, target: float, year: float, *,
                  base_year: float = BASE_YEAR, target_year: float = TARGET_YEAR) -> float:
    """序时进度: the value expected in ``year`` on the straight line baseline → target.

    expected(t) = b + (T − b)·(t − t0)/(T_year − t0), held at T after the target year.
    """
    frac = min(1.0, max(0.0, (year - base_year) / (target_year - base_year)))
    return baseline + (target - baseline) * frac


def progress_ratio(baseline: float, value: float, target: float, year: float, *,
                   direction: str, unit: str = "", comparator: str | None = None,
                   base_year: float = BASE_YEAR,
                   target_year: float = TARGET_YEAR) -> tuple[float, str, str]:
    """Eurostat / Open SDG progress ratio and its verdict (docs/progress-methods.md §3).

    Target met → (NaN, "met").  Otherwise ratio = actual CAGR ÷ required CAGR, with
    actual CAGR = (x_t/x_0)^(1/(t − t0)) − 1 and required CAGR =
    (x_T/x_0)^(1/(T_year − t0)) − 1.  For percentages (unit ``%``) x is the distance
    to the bound: 100 − value when higher is better, the value itself (distance to 0)
    when lower is better.  When one of x_0, x_t, x_T is ≤ 0 a compound rate does not
    exist, and linear annual changes are used instead (said in the basis).  A target
    met at the base but missed now, or equal to the base, is "deterioration".
    Thresholds: ≥ 0.95 on track, ≥ 0.60 needs acceleration, ≥ 0 limited progress,
    < 0 deterioration.

    Returns
    -------
    (ratio, verdict, basis)
    """
    comparator = _comparator(comparator, direction)
    if meets(value, target, comparator):
        return math.nan, MET, ""
    if year <= base_year:
        return math.nan, "baseline year", ""
    if meets(baseline, target, comparator) or abs(target - baseline) <= _TOL:
        return math.nan, "deterioration", "target met at the base, missed now"
    if unit.strip() == "%":
        if direction == "higher":
            x0, xt, xT, basis = 100 - baseline, 100 - value, 100 - target, "distance to 100 %"
        else:
            x0, xt, xT, basis = baseline, value, target, "distance to 0 %"
    else:
        x0, xt, xT, basis = baseline, value, target, "value"
    span_t, span_T = year - base_year, target_year - base_year
    if min(x0, xt, xT) <= 0:
        actual, required = (xt - x0) / span_t, (xT - x0) / span_T
        basis += ", linear rates (a value is 0 or below)"
    else:
        actual = (xt / x0) ** (1 / span_t) - 1
        required = (xT / x0) ** (1 / span_T) - 1
        basis += ", compound annual rates"
    ratio = actual / required
    verdict = ("on track" if ratio >= ON_TRACK else "needs acceleration" if ratio >= ACCELERATE
               else "limited progress" if ratio >= 0 else "deterioration")
    return float(ratio), verdict, basis


# --------------------------------------------------------------------------- inputs

def _check_values(values):

    if not isinstance(values, pd.DataFrame):
        raise ValueError("values: expected a DataFrame with columns indicator_id, year, value")
    missing = [c for c in ("indicator_id", "year", "value") if c not in values.columns]
    if missing:
        raise ValueError(f"values: missing column(s) {', '.join(missing)}; expected "
                         "indicator_id, year, value[, source]")
    v = values.copy()
    v["indicator_id"] = v["indicator_id"].map(normalise_indicator_id)
    try:
        years = pd.to_numeric(v["year"], errors="raise")
    except (ValueError, TypeError):
        bad = v.loc[pd.to_numeric(v["year"], errors="coerce").isna(), "year"].iloc[0]
        raise ValueError(f"values: column 'year' must hold years such as 2021, found {bad!r}") from None
    v["year"] = years.astype(int)
    v["value"] = pd.to_numeric(v["value"], errors="coerce")
    v = v.dropna(subset=["value"])
    dup = v.duplicated(["indicator_id", "year"], keep=False)
    if dup.any():
        rows = v.loc[dup, ["indicator_id", "year", "value"]].to_dict("records")
        raise ValueError(f"values: more than one value for the same indicator and year: {rows}; "
                         "keep one per (indicator_id, year)")
    return v


def normalise_indicator_id(x) -> str:
    """An indicator id as Table 1 prints it: ``1.0`` (read as a float) → ``"1"``; None/NaN → ``""``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    s = str(x).strip()
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]  # 1.0 read as a float → "1"
    return s


def _province_lookup(province_targets, target_year):
    """{indicator_id: (value, comparator, source)} for the target year."""

    if province_targets is None:
        return {}
    if isinstance(province_targets, dict):
        return {normalise_indicator_id(k): (float(v), "", "province target (supplied)")
                for k, v in province_targets.items() if v is not None and not pd.isna(v)}
    df = province_targets
    vcol = "target_value" if "target_value" in df.columns else "value"
    out = {}
    for _, r in df.iterrows():
        if "period" in df.columns and not pd.isna(r["period"]):
            per = str(r["period"]).strip()
            if per[:4].isdigit() and int(per[:4]) != target_year:
                continue
        val = r.get(vcol)
        if val is None or pd.isna(val):
            continue
        comp = r.get("comparator")
        comp = "" if comp is None or pd.isna(comp) else str(comp)
        src = r.get("source")
        src = "province target" + (f": {src}" if src is not None and not pd.isna(src) else "")
        out[normalise_indicator_id(r["indicator_id"])] = (float(val), comp, src)
    return out


def read_values_csv(path):
    """Read a values CSV for :func:`assess_plan`: ``indicator_id, year, value[, source]``.

    Extra columns are allowed.  Errors name the file, line and column
    (:func:`yqplan._schema.read_csv_checked`); an id not in Table 1 is refused on its line.
    Ids are :func:`normalise_indicator_id`'d (``1.0`` → ``1``), as :func:`assess_plan` does.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file not found", expected="a CSV with indicator_id,year,value")
    header = next((ln for ln in read_utf8_lines(path)
                   if ln.strip() and not ln.lstrip().startswith("#")), "")
    ids = list(plan.read_indicators()["indicator_id"])

    def known(text):  # an id not in Table 1: named with its line here, not later without one
        return (None if normalise_indicator_id(text) in ids
                else "an indicator of Table 1: " + ", ".join(ids))

    cols = [
        Column("indicator_id", "str", required=True, pattern=r"\d+(\.\d+)?", check=known,
               description="indicator number as printed in Table 1 (1 … 19, 10.1 … 10.5)"),
        Column("year", "int", required=True, min=1990, max=2100, description="year"),
        Column("value", "float", description="the indicator's value that year [indicator unit]"),
    ]
    if "source" in [h.strip() for h in header.split(",")]:  # optional column
        cols.append(Column("source", "str", description="where the value comes from"))
    schema = Schema(columns=cols, unique=("indicator_id", "year"), allow_extra=True)
    df = read_csv_checked(path, schema)
    df["year"] = df["year"].astype(int)
    df["indicator_id"] = df["indicator_id"].map(normalise_indicator_id)
    return df


def values_from_figures(figures=None):
    """Yearly indicator values from the published-figures table.

    Keeps rows with an ``indicator_id``, a one-year ``period`` (e.g. ``2020``) and a
    numeric value (the area 阳泉市 when the column exists).  Where a year has several
    figures for one indicator (the 2020 good-day ratio: 68.6 % in Table 1, 69.9 % in
    chapter 1), the one marked ``used_in_charts`` is kept; if that does not decide, an
    error lists them.  The same value printed in several places is kept once, with
    all its sources.

    Returns
    -------
    DataFrame ``indicator_id, year, value, source``.
    """

    if figures is None:

        figures = plan.read_official_figures()
    f = figures.copy()
    f["indicator_id"] = f["indicator_id"].map(normalise_indicator_id)
    f = f[f["indicator_id"] != ""]
    if "area" in f.columns:
        f = f[f["area"].fillna(DEFAULT_CITY_FULL) == DEFAULT_CITY_FULL]
    per = f["period"].astype(str).str.strip()
    f = f[per.str.fullmatch(r"\d{4}")]
    f = f.assign(year=f["period"].astype(str).str.strip().astype(int),
                 value=pd.to_numeric(f["value"], errors="coerce")).dropna(subset=["value"])
    src = (f["source"].astype(str) + (", " + f["location"].fillna("").astype(str)
                                      if "location" in f.columns else "")
           if "source" in f.columns else pd.Series("", index=f.index))
    f = f.assign(_src=src.str.rstrip(", "))
    if "used_in_charts" in f.columns:
        used = f["used_in_charts"].map(lambda b: str(b).strip().lower() in ("true", "1", "yes"))
    else:
        used = pd.Series(True, index=f.index)
    rows = []
    for (iid, year), g in f.groupby(["indicator_id", "year"], sort=False):
        if g["value"].nunique() > 1:  # conflicting figures: the one used in charts wins
            g = g[used[g.index]]
            if g["value"].nunique() != 1:
                raise ValueError(f"published figures: indicator {iid}, {year}: several values "
                                 f"{sorted(set(g['value']))} and used_in_charts does not decide")
        # the same value printed in several places: keep it once, cite all
        rows.append({"indicator_id": iid, "year": int(year), "value": float(g["value"].iloc[0]),
                     "source": " = ".join(dict.fromkeys(g["_src"]))})
    out = pd.DataFrame(rows, columns=["indicator_id", "year", "value", "source"])
    return _check_values(out)


# --------------------------------------------------------------------------- one indicator

def assess_indicator(indicator, series, *, year: int | None = None,
                     province_target: tuple | float | None = None,
                     base_year: int = BASE_YEAR, target_year: int = TARGET_YEAR,
                     n_boot: int | None = None, seed: int | None = None,
                     sources=None) -> IndicatorAssessment:
    """All verdicts for one indicator.

    Parameters
    ----------
    indicator : mapping with the registry columns (``indicator_id``, ``unit``,
        ``baseline_2020``, ``target_kind``, ``target_value``, ``comparator``,
        ``direction``, ``attribute``, names).
    series : mapping or Series year → value (NaN = no value).
    year : assess as of this year (values after it are ignored); default the latest.
        Values after ``target_year`` are never used (noted in ``method_notes``).
    province_target : for ``province_assigned`` indicators, the supplied target — a
        number or ``(value, comparator, source)``; None → "no target supplied".
    sources : optional mapping year → source of the value, for ``latest_source``.

    Returns
    -------
    IndicatorAssessment
        The verdicts, and the trend tests and projection as the
        :mod:`yqplan.stats.trend` results they are (``trend``, ``mann_kendall``,
        ``spearman``, ``projection``); ``to_dict()`` is the scoreboard row.
    """


    n_boot = tr.N_BOOT if n_boot is None else n_boot
    seed = tr.SEED if seed is None else seed
    ind = dict(indicator)
    iid = normalise_indicator_id(ind.get("indicator_id"))
    unit = str(ind.get("unit") or "")
    direction = str(ind.get("direction") or "")
    kind = str(ind.get("target_kind") or "")
    notes: list[str] = []
    s = pd.Series(series, dtype=float) if not isinstance(series, pd.Series) else series.astype(float)
    s.index = pd.Index([int(i) for i in s.index])
    s = s.dropna().sort_index()
    if year is not None:
        s = s[s.index <= year]
    if (s.index > target_year).any():
        # the plan's final verdict is on the target year, never on a later year's value
        later = ", ".join(str(y) for y in s.index[s.index > target_year])
        notes.append(f"values after the target year {target_year} ({later}) are not used")
        s = s[s.index <= target_year]

    # Baseline: the plan's 2020 value; the series' 2020 value where the plan prints "-".
    b_reg = ind.get("baseline_2020")
    b_reg = math.nan if b_reg is None or pd.isna(b_reg) else float(b_reg)
    if not math.isnan(b_reg):
        baseline, baseline_source = b_reg, "plan Table 1 (2020)"
        if base_year in s.index and abs(s[base_year] - b_reg) > _TOL:
            notes.append(f"the series' {base_year} value {s[base_year]:g} differs from the plan "
                         f"baseline {b_reg:g}; the plan baseline is used")
    elif base_year in s.index:
        baseline, baseline_source = float(s[base_year]), f"values ({base_year})"
        notes.append(f"the plan prints no baseline; the {base_year} value of the series is used")
    else:
        baseline, baseline_source = math.nan, ""

    # Target.
    comparator = _comparator(ind.get("comparator"), direction)
    target, target_source = math.nan, ""
    if kind == "value":
        target = float(ind.get("target_value"))
        target_source = "plan Table 1"
    elif kind == "province_assigned":
        if province_target is not None:
            if isinstance(province_target, tuple):
                val, comp, src = province_target
            else:
                val, comp, src = float(province_target), "", "province target (supplied)"
            target, target_source = float(val), src
            comparator = _comparator(comp, direction)
        else:
            notes.append("完成省下达指标: the province's value is not in the province-targets "
                         "table; no target supplied (none invented)")
    elif kind == "not_below_baseline":
        target, target_source = baseline, "not below the 2020 level (不低于现状)"
        comparator = ">=" if direction == "higher" else "<="
    else:
        raise ValueError(f"indicator {iid}: target_kind {kind!r} is not one of value, "
                         "province_assigned, not_below_baseline")
    has_target = not math.isnan(target)
    if has_target and not math.isnan(baseline) and meets(baseline, target, comparator) \
            and kind == "value" and abs(target - baseline) > _TOL:
        notes.append(f"the target ({target:g}) is already met by the 2020 baseline "
                     f"({baseline:g}): a {'ceiling' if comparator.startswith('<') else 'floor'}, "
                     "not a forecast")

    # Status in the latest year.
    latest_year = float(s.index[-1]) if len(s) else math.nan
    latest = float(s.iloc[-1]) if len(s) else math.nan
    final = bool(len(s) and latest_year >= target_year)
    margin = margin_pct = math.nan
    if not has_target:
        # A missing target is the more basic gap: say it even when there are no data.
        status = NO_TARGET if kind != "not_below_baseline" else NO_BASELINE
    elif not len(s):
        status = NO_DATA
    elif latest_year <= base_year:
        # the baseline alone is no evidence of progress: no met / not-met colour from it
        status = BASELINE_ONLY
    else:
        status = MET if meets(latest, target, comparator) else NOT_MET
        margin = _good(latest - target, direction) + 0.0  # + 0.0: no "-0"
        margin_pct = 100 * margin / abs(target) if target != 0 else math.nan
    if status in (MET, NOT_MET):
        verdict = f"{'final' if final else 'interim'} ({int(latest_year)}): {status}"
    else:
        verdict = status

    # 序时进度 and progress ratio, with the 2020 baseline and with the 2019–2021 mean.
    def _schedule_and_ratio(base, base_t):
        if not has_target:
            return math.nan, math.nan, status, math.nan, status, ""
        if not len(s):
            return math.nan, math.nan, NO_DATA, math.nan, NO_DATA, ""
        if status == BASELINE_ONLY:
            return math.nan, math.nan, BASELINE_ONLY, math.nan, BASELINE_ONLY, ""
        if math.isnan(base):
            return math.nan, math.nan, NO_BASELINE, math.nan, NO_BASELINE, ""
        if latest_year <= base_t:
            exp = base
            sched = "baseline year"
            dev = _good(latest - exp, direction)
        else:
            exp = schedule_line(base, target, latest_year, base_year=base_t,
                                target_year=target_year)
            dev = _good(latest - exp, direction)
            sched = "on schedule" if dev >= -_TOL else "behind schedule"
        ratio, pverdict, basis = progress_ratio(base, latest, target, latest_year,
                                                direction=direction, unit=unit,
                                                comparator=comparator, base_year=base_t,
                                                target_year=target_year)
        return exp, dev, sched, ratio, pverdict, basis

    exp, dev, sched, ratio, pverdict, basis = _schedule_and_ratio(baseline, base_year)
    if sched in ("on schedule", "behind schedule") and has_target and \
            meets(baseline, target, comparator) and abs(target - baseline) > _TOL:
        notes.append("序时进度 line runs from a baseline that already meets the target; it "
                     "allows movement towards the bound")

    alt_years = [y for y in BASE_YEARS_ALT if y in s.index]
    alt_vals = [float(s[y]) for y in alt_years]
    if base_year not in s.index and not math.isnan(baseline) and base_year in BASE_YEARS_ALT:
        alt_years.append(base_year)
        alt_vals.append(baseline)
    if len(alt_years) >= 2:
        base3 = float(np.mean(alt_vals))
        base3_t = float(np.mean(alt_years))
        base3_years = ",".join(str(y) for y in sorted(alt_years))
        _, dev3, sched3, ratio3, pverdict3, _ = _schedule_and_ratio(base3, base3_t)
        if len(alt_years) < 3:
            notes.append(f"2019–2021 base uses only {base3_years}")
    else:
        base3, base3_years, dev3, ratio3 = math.nan, "", math.nan, math.nan
        sched3 = pverdict3 = "fewer than 2 of 2019–2021 available"

    # Robust trend and projection on the yearly values.
    x, y = s.index.to_numpy(dtype=float), s.to_numpy()
    ts = tr.theil_sen(y, x, unit=unit, n_boot=n_boot, seed=seed)
    mk = tr.mann_kendall(y, x, unit=unit)
    sp = tr.spearman_trend(y, x, unit=unit)
    if final:
        proj = None  # the target year's value decides: nothing to project
    elif not has_target:
        proj = tr.project_trend(y, x, target_year=target_year, n_boot=n_boot, seed=seed,
                                comparator=comparator)
    else:
        proj = tr.project_trend(y, x, target_year=target_year, target=target,
                                comparator=comparator, n_boot=n_boot, seed=seed)
    if ts.trend_status != tr.STATUS_OK:
        notes.append(f"trend: {ts.note or ts.trend_status}")
    if mk.trend_status == tr.STATUS_UNDEFINED:
        notes.append(f"Mann-Kendall: {mk.status_reason}")
    if unit.strip() == "%" and proj is not None and proj.projection_status == tr.STATUS_OK and (
            proj.projection_high > 100 or proj.projection_low < 0):
        notes.append("projection interval leaves 0–100 %: a straight-line trend ignores the bound")

    return IndicatorAssessment(
        indicator_id=iid, name_zh=str(ind.get("name_zh") or ""),
        name_en=str(ind.get("name_en") or ""), unit=unit,
        attribute=str(ind.get("attribute") or ""), direction=direction, target_kind=kind,
        target_value=target, comparator=comparator if has_target else "",
        target_source=target_source, baseline_value=baseline, baseline_source=baseline_source,
        latest_year=latest_year, latest_value=latest,
        latest_source=str((sources or {}).get(int(latest_year), "")) if len(s) else "",
        n_years=int(len(s)), final=final,
        status_verdict=status, margin=margin, margin_percent=margin_pct, verdict=verdict,
        schedule_expected=exp, schedule_deviation=dev, schedule_verdict=sched,
        progress_ratio=ratio, progress_verdict=pverdict, progress_basis=basis,
        trend=ts, mann_kendall=mk, spearman=sp, projection=proj,
        base3_value=base3, base3_years=base3_years, schedule_deviation_base3=dev3,
        schedule_verdict_base3=sched3, progress_ratio_base3=ratio3,
        progress_verdict_base3=pverdict3, n_boot=n_boot, seed=seed,
        method_notes="; ".join(notes))


# --------------------------------------------------------------------------- the plan

def score_plan(values=None, year: int | None = None, province_targets=None, registry=None, *,
               base_year: int = BASE_YEAR, target_year: int = TARGET_YEAR,
               n_boot: int | None = None, seed: int | None = None,
               plan_id: str = "") -> Scoreboard:
    """The typed scoreboard: every indicator of the registry assessed against its target.

    Parameters
    ----------
    values : long DataFrame ``indicator_id, year, value[, source]`` (one value per
        indicator and year; ids as printed, e.g. ``"1"``, ``"10.3"``); None uses the
        shipped published figures (:func:`values_from_figures`).
    year : assess as of this year (default: each indicator's latest value).
    province_targets : the province-assigned targets — a DataFrame like
        ``data/plans/14th/province_targets.csv`` (``indicator_id, period, value[, comparator,
        source]``) or a dict id → value; None reads the shipped table
        (:func:`yqplan.plan.tables.read_province_targets`).  Missing → "no target supplied".
    registry : the indicator registry; None reads :func:`yqplan.plan.tables.read_indicators`.
    base_year, target_year : the plan's base and target years.
    n_boot, seed : bootstrap settings (default :data:`yqplan.stats.trend.N_BOOT`,
        :data:`yqplan.stats.trend.SEED`).
    plan_id : the plan's id, recorded as :attr:`Scoreboard.plan`
        (:func:`yqplan.plan.final.score_plan_for`).

    Returns
    -------
    Scoreboard
        One :class:`IndicatorAssessment` per registry indicator, in registry order, with
        the settings used; :meth:`Scoreboard.to_frame` is the table (:func:`assess_plan`).
    """

    if registry is None:

        registry = plan.read_indicators()
    if province_targets is None:

        province_targets = plan.read_province_targets()
    n_boot = tr.N_BOOT if n_boot is None else n_boot
    seed = tr.SEED if seed is None else seed
    v = _check_values(values_from_figures() if values is None else values)
    reg_ids = [normalise_indicator_id(i) for i in registry["indicator_id"]]
    unknown = sorted(set(v["indicator_id"]) - set(reg_ids))
    if unknown:
        raise ValueError(f"values: indicator_id {', '.join(unknown)} not in the registry; "
                         f"expected one of {', '.join(reg_ids)}")
    prov = _province_lookup(province_targets, target_year)
    assessed = []
    for _, ind in registry.iterrows():
        iid = normalise_indicator_id(ind["indicator_id"])
        sub = v[v["indicator_id"] == iid]
        series = pd.Series(sub["value"].to_numpy(), index=sub["year"].to_numpy())
        srcs = (dict(zip(sub["year"], sub["source"].fillna("").astype(str)))
                if "source" in sub.columns else None)
        assessed.append(assess_indicator(ind.to_dict(), series, year=year, sources=srcs,
                                         province_target=prov.get(iid), base_year=base_year,
                                         target_year=target_year, n_boot=n_boot, seed=seed))
    return Scoreboard(tuple(assessed), year=year, base_year=base_year, target_year=target_year,
                      n_boot=n_boot, seed=seed, plan=str(plan_id or ""))


def assess_plan(values=None, year: int | None = None, province_targets=None, registry=None, *,
                base_year: int = BASE_YEAR, target_year: int = TARGET_YEAR,
                n_boot: int | None = None, seed: int | None = None):
    """The scoreboard as a table: :func:`score_plan` (same parameters) flattened.

    Returns
    -------
    DataFrame, one row per registry indicator, columns :data:`SCOREBOARD_COLUMNS`
    (see :class:`IndicatorAssessment`): ``score_plan(...).to_frame()``.
    """

    return score_plan(values, year, province_targets, registry, base_year=base_year,
                      target_year=target_year, n_boot=n_boot, seed=seed).to_frame()


def write_scoreboard(df, out_dir, stem: str = "scoreboard") -> dict:
    """Write the scoreboard as ``<stem>.csv`` and ``<stem>.json`` in ``out_dir``, atomically.

    JSON is a list of records, UTF-8 with Chinese kept, NaN as null.
    Returns ``{"csv": path, "json": path}``.
    """


    out = Path(out_dir)
    return {"csv": _io.write_frame(df, out / f"{stem}.csv"),
            "json": _io.write_frame(df, out / f"{stem}.json")}

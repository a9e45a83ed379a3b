"""Surface-water classes: GB 3838—2002 Table 1 and the 2011 evaluation rules.

What is implemented, and where it comes from:

* GB 3838—2002 《地表水环境质量标准》 Table 1 (basic items, 24 indicators):
  the limits are the module constants :data:`LIMITS`, :data:`TP_LAKE_LIMITS`
  and :data:`DO_FLOORS`; :func:`classify_values` gives the class of a value.
* 《地表水环境质量评价办法（试行）》 (环办〔2011〕22号): the indicator set for
  sections (:data:`EVALUATED_INDICATORS`; water temperature, TN and fecal
  coliform are reported but not used), the single-factor section class of a
  period's arithmetic means (:func:`classify_periods`), the quality labels and
  colours (:data:`QUALITY`), main pollutants with exceedance multiples
  (:func:`find_main_pollutants`), and the river / city rule for < 5 and ≥ 5
  sections (:func:`assess_group`).
* The plan's two water indicators (share of sections at I–III and at 劣V,
  targets for 2025 ≥ 80 % and 0 %) by period: :func:`compute_plan_indicators`.
* Agreement of a class recomputed from an automatic station's reading with the
  class the station itself prints: :func:`compute_agreement`.

Classes are integers 1–6 (6 = 劣V). A class computed from automatic-monitoring
data is an instantaneous or period class *recomputed by this library*; it is not
the official monthly assessment (which uses laboratory data) and every table
says so in its ``basis`` column.

The statistics' results are the types :class:`IndicatorClass`,
:class:`SectionClass`, :class:`GroupResult`, :class:`PlanShare` and
:class:`Agreement`, defined once here; table functions return DataFrames whose
columns are those types' fields.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from yqplan.report import palette as _palette

# ---------------------------------------------------------------- Table 1 ---

#: The 24 basic items of GB 3838—2002 Table 1: key -> (Chinese name, unit).
#: Keys are the ``indicator`` values used throughout the library.
INDICATORS: dict[str, tuple[str, str]] = {
    "temp": ("水温", "℃"),
    "ph": ("pH", "无量纲"),
    "do": ("溶解氧", "mg/L"),
    "codmn": ("高锰酸盐指数", "mg/L"),
    "cod": ("化学需氧量", "mg/L"),
    "bod5": ("五日生化需氧量", "mg/L"),
    "nh3n": ("氨氮", "mg/L"),
    "tp": ("总磷", "mg/L"),
    "tn": ("总氮", "mg/L"),
    "cu": ("铜", "mg/L"),
    "zn": ("锌", "mg/L"),
    "fluoride": ("氟化物", "mg/L"),
    "se": ("硒", "mg/L"),
    "as": ("砷", "mg/L"),
    "hg": ("汞", "mg/L"),
    "cd": ("镉", "mg/L"),
    "cr6": ("六价铬", "mg/L"),
    "pb": ("铅", "mg/L"),
    "cyanide": ("氰化物", "mg/L"),
    "phenol": ("挥发酚", "mg/L"),
    "petroleum": ("石油类", "mg/L"),
    "las": ("阴离子表面活性剂", "mg/L"),
    "sulfide": ("硫化物", "mg/L"),
    "fecal_coliform": ("粪大肠菌群", "个/L"),
}

#: Upper limits ("≤") of classes I, II, III, IV, V (GB 3838—2002 Table 1),
#: in the units of :data:`INDICATORS`. TP here is the river limit.
LIMITS: dict[str, tuple[float, float, float, float, float]] = {
    "codmn": (2, 4, 6, 10, 15),
    "cod": (15, 15, 20, 30, 40),
    "bod5": (3, 3, 4, 6, 10),
    "nh3n": (0.15, 0.5, 1.0, 1.5, 2.0),
    "tp": (0.02, 0.1, 0.2, 0.3, 0.4),
    "tn": (0.2, 0.5, 1.0, 1.5, 2.0),
    "cu": (0.01, 1.0, 1.0, 1.0, 1.0),
    "zn": (0.05, 1.0, 1.0, 2.0, 2.0),
    "fluoride": (1.0, 1.0, 1.0, 1.5, 1.5),
    "se": (0.01, 0.01, 0.01, 0.02, 0.02),
    "as": (0.05, 0.05, 0.05, 0.1, 0.1),
    "hg": (0.00005, 0.00005, 0.0001, 0.001, 0.001),
    "cd": (0.001, 0.005, 0.005, 0.005, 0.01),
    "cr6": (0.01, 0.05, 0.05, 0.05, 0.1),
    "pb": (0.01, 0.01, 0.05, 0.05, 0.1),
    "cyanide": (0.005, 0.05, 0.2, 0.2, 0.2),
    "phenol": (0.002, 0.002, 0.005, 0.01, 0.1),
    "petroleum": (0.05, 0.05, 0.05, 0.5, 1.0),
    "las": (0.2, 0.2, 0.2, 0.3, 0.3),
    "sulfide": (0.05, 0.1, 0.2, 0.5, 1.0),
    "fecal_coliform": (200, 2000, 10000, 20000, 40000),
}

#: TP limits for lakes and reservoirs (GB 3838—2002 Table 1, 总磷 湖、库).
TP_LAKE_LIMITS: tuple[float, ...] = (0.01, 0.025, 0.05, 0.1, 0.2)

#: Dissolved oxygen floors ("≥") of classes I–V. Class I is also met at 90 %
#: saturation; that alternative needs temperature and pressure and is not used.
DO_FLOORS: tuple[float, ...] = (7.5, 6, 5, 3, 2)

#: pH range shared by every class; outside it the value is 劣V.
PH_RANGE: tuple[float, float] = (6.0, 9.0)

#: Indicators of the section class under the 2011 rules: Table 1 minus water
#: temperature, TN and fecal coliform (21 items; for lakes the lake TP limit).
EVALUATED_INDICATORS: tuple[str, ...] = tuple(
    k for k in INDICATORS if k not in ("temp", "tn", "fecal_coliform"))

#: Reported next to the class, never used for it (2011 rules).
REPORTED_INDICATORS: tuple[str, ...] = ("temp", "tn", "fecal_coliform")

#: The five parameters behind an automatic station's printed class.
AUTO_INDICATORS: tuple[str, ...] = ("ph", "do", "codmn", "nh3n", "tp")

#: Main pollutants that go first when they exceed class III: cyanide and heavy
#: metals ("氰化物或铅、铬等重金属", 2011 rules §三). (unverified: which metals
#: count is not listed exhaustively; lead, chromium(VI), mercury, cadmium, arsenic.)
PRIORITY_POLLUTANTS: tuple[str, ...] = ("cyanide", "pb", "cr6", "hg", "cd", "as")

#: Class labels as the official tables print them (Roman numerals, 劣Ⅴ = 6).
CLASS_LABELS: dict[int, str] = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ", 6: "劣Ⅴ"}

#: Quality label and colour by class (2011 rules Table 2): name, colour, hex.  The rules
#: name the colour; the shade drawn is :data:`yqplan.report.palette.WATER_STATUS`.
QUALITY: dict[int, tuple[str, str, str]] = {
    k: (name, colour, _palette.WATER_STATUS[colour]) for k, (name, colour) in {
        1: ("优", "blue"),
        2: ("优", "blue"),
        3: ("良好", "green"),
        4: ("轻度污染", "yellow"),
        5: ("中度污染", "orange"),
        6: ("重度污染", "red"),
    }.items()
}
_QUALITY_COLOUR = {v[0]: (v[1], v[2]) for v in QUALITY.values()}

#: What a class computed by this library from automatic data is (never the
#: official assessment).
BASIS_AUTO = "auto_recomputed"
BASIS_MANUAL = "manual"
BASIS_TEXT = {
    BASIS_AUTO: "自动监测数据重算（非官方评价）",
    BASIS_MANUAL: "手工监测数据（本库按GB 3838计算）",
}

#: 2025 targets of the plan (indicators 4 and 5): I–III share ≥ 80 %, 劣V 0 %.
TARGET_GOOD_PCT = 80.0
TARGET_BAD_PCT = 0.0

#: A period of automatic data is *sufficient* when its valid readings cover at least
#: this share of the period's 4-hourly slots [%].  GB 3838—2002 and the 2011 rules set
#: no minimum for automatic data; 75 % is the smallest share GB 3095—2012 Table 4
#: asks of continuous monitoring (an 8-hour mean needs 6 of 8 hourly values), the
#: same share the monthly trend means use.  Manual (laboratory) data: one valid sample
#: in the period (national sections are sampled monthly).  See docs/water_sufficiency.md.
WATER_MIN_COVERAGE_PCT = 75.0

# Floating-point slack so that a period mean printed as the limit (0.1+0.2+0.3)/3
# is not pushed over it by binary rounding; far below any reporting precision.
_REL_TOL = 1e-9

_ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "劣Ⅴ": 6,
          "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "劣V": 6}


# ---------------------------------------------------------- result types ---

class IndicatorClass(NamedTuple):
    """Class of one indicator's value.

    indicator: key of :data:`INDICATORS`; value: in the indicator's unit;
    water_class: 1–6 (6 = 劣V) or None (water temperature has no class);
    exceedance: (C − C_III) / C_III when C is worse than class III, else NaN
    (never for pH, DO, temperature) [multiple]; used: counts for the section class.
    """

    indicator: str
    value: float
    unit: str
    water_class: int | None
    exceedance: float
    used: bool


class SectionClass(NamedTuple):
    """Class of a section for a period (2011 rules, single-factor method).

    Data sufficiency sits next to the class: ``n_readings`` rows in the period,
    ``n_valid`` valid rows, ``min_indicator_n`` the fewest valid values among the
    evaluated indicators, ``coverage_pct`` valid reading times over those
    expected (automatic data: one every 4 h) [%], ``indicators_missing``
    expected indicators with no valid value. ``basis`` says whether the class was
    recomputed from automatic data (not the official assessment). ``sufficient``:
    ``coverage_pct`` ≥ :data:`WATER_MIN_COVERAGE_PCT` (automatic data) or at least one
    valid sample (manual data); an insufficient period keeps its class for the record
    but is drawn as 数据不足 and not counted in the plan's shares.
    """

    section_name: str
    period_label: str
    water_class: int | None
    class_label: str
    quality_label: str
    class_colour: str
    main_pollutants: str
    n_readings: int
    n_valid: int
    min_indicator_n: int
    coverage_pct: float
    indicators_evaluated: str
    indicators_missing: str
    basis: str
    sufficient: bool


class GroupResult(NamedTuple):
    """Quality of a river, basin or city from its sections for one period.

    ``group_method`` is "mean" (< 5 sections: indicator means over sections, then
    single-factor; ``water_class`` set) or "share" (≥ 5 sections; ``water_class``
    None). Shares are of sections with a class [%].
    """

    group_name: str
    period_label: str
    n_sections: int
    group_method: str
    water_class: int | None
    class_label: str
    share_good_pct: float
    share_bad_pct: float
    quality_label: str
    class_colour: str
    main_pollutants: str


class PlanShare(NamedTuple):
    """The plan's indicators 4 and 5 for one period, against the 2025 targets.

    Shares in [%] of the sections that have a class from sufficient data;
    ``n_sections_missing`` listed sections not counted in the period (no class, or
    a class from insufficient data); ``n_sections_insufficient`` those of them with a
    class from insufficient data (:data:`WATER_MIN_COVERAGE_PCT`).
    """

    period_label: str
    n_sections: int
    n_sections_missing: int
    n_good: int
    n_bad: int
    share_good_pct: float
    share_bad_pct: float
    target_good_pct: float
    target_bad_pct: float
    meets_good: bool | None
    meets_bad: bool | None
    basis: str
    n_sections_insufficient: int


class Agreement(NamedTuple):
    """Recomputed instantaneous class vs the station's own printed class.

    Over valid readings that carry a station class: ``n_compared``, ``n_agree``,
    ``agree_pct`` [%], ``n_station_better`` / ``n_station_worse`` (station's class
    better / worse than recomputed), ``max_abs_diff`` in classes.
    """

    section_name: str
    period_label: str
    n_compared: int
    n_agree: int
    agree_pct: float
    n_station_better: int
    n_station_worse: int
    max_abs_diff: int


# ---------------------------------------------------- single indicators ---

def parse_class(text) -> int | None:
    """Class number 1–6 from a printed label (``Ⅲ``, ``III``, ``劣Ⅴ``); None if blank/unknown."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    return _ROMAN.get(str(text).strip())


def class_label(water_class) -> str:
    """Roman-numeral label of a class (``6`` → ``劣Ⅴ``); empty for None."""
    if water_class is None or (isinstance(water_class, float) and math.isnan(water_class)):
        return ""
    return CLASS_LABELS[int(water_class)]


def limits_for(indicator: str, water_body: str = "river") -> tuple[float, ...]:
    """Class I–V limits of an indicator (GB 3838—2002 Table 1).

    ``water_body`` "lake" (lakes and reservoirs) selects the lake TP limits.
    For DO these are floors; pH and temperature have none (ValueError).
    """
    _check_body(water_body)
    if indicator == "tp" and water_body == "lake":
        return TP_LAKE_LIMITS
    if indicator == "do":
        return DO_FLOORS
    if indicator in LIMITS:
        return LIMITS[indicator]
    raise ValueError(f"indicator {indicator!r} has no class limits; expected one of "
                     + ", ".join(["do", *LIMITS]))


def _check_body(water_body):
    if water_body not in ("river", "lake"):
        raise ValueError(f"water_body: {water_body!r} is not 'river' or 'lake'")


def classify_values(indicator: str, values, water_body: str = "river") -> np.ndarray:
    """Class (1–6, NaN where no value) of each value of one indicator.

    Parameters
    ----------
    indicator : key of :data:`INDICATORS`.
    values : array-like of concentrations in the indicator's unit.
    water_body : "river" or "lake" (lakes and reservoirs: lake TP limits).

    Returns
    -------
    numpy.ndarray of float: 1.0–6.0, NaN for missing values and for water
    temperature (no class in Table 1).

    Notes
    -----
    GB 3838—2002 Table 1: limits are "≤" (DO "≥"); a value on a limit shared by
    several classes belongs to the best of them; worse than class V is 劣V (6).
    pH 6–9 holds for every class, so pH inside it is class I and outside it 劣V.
    """
    _check_body(water_body)
    if indicator not in INDICATORS:
        raise ValueError(f"indicator {indicator!r} is not a GB 3838 Table 1 item; expected one of "
                         + ", ".join(INDICATORS))
    v = np.asarray(values, dtype="float64")
    out = np.full(v.shape, np.nan)
    ok = ~np.isnan(v)
    if indicator == "temp":
        return out
    if indicator == "ph":
        lo, hi = PH_RANGE
        inside = (v >= lo * (1 - _REL_TOL)) & (v <= hi * (1 + _REL_TOL))
        out[ok] = np.where(inside[ok], 1.0, 6.0)
        return out
    if indicator == "do":
        # smallest k with v >= floor[k]  <=>  -v <= -floor[k]
        floors = -np.asarray(DO_FLOORS) * (1 - _REL_TOL)
        out[ok] = np.searchsorted(floors, -v[ok], side="left") + 1.0
        return out
    lim = np.asarray(limits_for(indicator, water_body), dtype="float64") * (1 + _REL_TOL)
    # smallest k with v <= lim[k]; shared limits pick the first (best) class
    out[ok] = np.searchsorted(lim, v[ok], side="left") + 1.0
    return out


def classify_value(indicator: str, value: float, water_body: str = "river") -> int | None:
    """Class 1–6 of one value (None for a missing value or water temperature).

    See :func:`classify_values` (GB 3838—2002 Table 1).

    Examples
    --------
    >>> classify_value("cod", 15)          # limit shared by I and II -> I
    1
    >>> classify_value("tp", 0.05), classify_value("tp", 0.05, "lake")
    (2, 3)
    >>> classify_value("do", 1.9), classify_value("ph", 9.2)
    (6, 6)
    """
    c = classify_values(indicator, [value], water_body)[0]
    return None if np.isnan(c) else int(c)


def exceedance_multiple(indicator: str, value: float, water_body: str = "river") -> float:
    """Exceedance multiple over class III, (C − C_III) / C_III [multiple].

    NaN when the value meets class III, and always for pH, DO and water
    temperature (2011 rules §三: no multiple for them).
    """
    if indicator in ("ph", "do", "temp") or value is None or np.isnan(value):
        return float("nan")
    c3 = limits_for(indicator, water_body)[2]
    if value <= c3 * (1 + _REL_TOL):
        return float("nan")
    return (value - c3) / c3


def classify_indicators(means: dict, water_body: str = "river",
                        evaluated=EVALUATED_INDICATORS) -> list[IndicatorClass]:
    """Class of each indicator's (period mean) value.

    ``means`` maps indicator keys to values; keys outside :data:`INDICATORS`
    (conductivity, turbidity …) are ignored. ``used`` marks the indicators of the
    section class (``evaluated``, 2011 rules; TN, temperature and fecal coliform
    are reported only).
    """
    out = []
    for key, value in means.items():
        if key not in INDICATORS or value is None or np.isnan(value):
            continue
        c = classify_value(key, value, water_body)
        out.append(IndicatorClass(key, float(value), INDICATORS[key][1], c,
                                  exceedance_multiple(key, value, water_body),
                                  key in evaluated and c is not None))
    return out


def find_main_pollutants(classes: list[IndicatorClass], n: int = 3) -> list[IndicatorClass]:
    """Main pollutants: up to ``n`` used indicators worse than class III.

    Notes
    -----
    2011 rules §三: the indicators with the worst class, ties broken by the
    exceedance multiple; cyanide and heavy metals over class III go first
    (:data:`PRIORITY_POLLUTANTS`, unverified list). Only named when the section
    is worse than 良好 (class IV or worse).
    """
    bad = [c for c in classes if c.used and c.water_class is not None and c.water_class > 3]
    if not bad:
        return []

    def key(c):
        mult = c.exceedance if not np.isnan(c.exceedance) else -1.0
        return (c.indicator not in PRIORITY_POLLUTANTS, -c.water_class, -mult)

    return sorted(bad, key=key)[:n]


def format_pollutants(items: list[IndicatorClass]) -> str:
    """``氨氮(1.3), 溶解氧`` — Chinese name and exceedance multiple (2 significant digits)."""
    parts = []
    for c in items:
        name = INDICATORS[c.indicator][0]
        # round to 2 significant digits, then print without an exponent (499 -> 500, not 5e+02)
        parts.append(name if np.isnan(c.exceedance)
                     else f"{name}({float(f'{c.exceedance:.2g}'):.10g})")
    return ", ".join(parts)


def classify_section(means: dict, water_body: str = "river",
                     evaluated=EVALUATED_INDICATORS) -> tuple[int | None, list[IndicatorClass]]:
    """Single-factor class of a section from its indicator means.

    Returns the worst class over the used indicators (None if none has a value)
    and the per-indicator classes (2011 rules §二: single-factor method).
    """
    ind = classify_indicators(means, water_body, evaluated)
    used = [c.water_class for c in ind if c.used]
    return (max(used) if used else None), ind


def quality_of(water_class) -> tuple[str, str]:
    """(quality label, colour hex) of a class; empty strings for None."""
    if water_class is None:
        return "", ""
    q = QUALITY[int(water_class)]
    return q[0], q[2]


# ------------------------------------------------------------- periods ---

_BY = {"month": "M", "quarter": "Q", "year": "Y"}


def period_labels(times: pd.Series, by: str) -> pd.Series:
    """Period label of each timestamp: ``2022-01``, ``2022Q1`` or ``2022``."""
    if by not in _BY:
        raise ValueError(f"--by: {by!r} is not one of {', '.join(_BY)}")
    t = pd.to_datetime(times)
    if getattr(t.dt, "tz", None) is not None:
        t = t.dt.tz_localize(None)  # local (Beijing) calendar periods
    return t.dt.to_period(_BY[by]).astype(str)


def _water_bodies(sections) -> dict:
    if sections is None:
        return {}
    if isinstance(sections, dict):
        return sections
    return dict(zip(sections["section_name"], sections["water_body"]))


def compute_period_means(df: pd.DataFrame, by: str = "month", ph_mean: str = "arithmetic"
                         ) -> pd.DataFrame:
    """Arithmetic mean of each indicator's valid values by section and period.

    Parameters
    ----------
    df : long table from :func:`yqplan.water.monitoring.read_water_auto` or
        :func:`~yqplan.water.monitoring.read_water_manual` (columns section_name, sampled_at, indicator,
        value, valid).
    by : "month", "quarter" or "year".
    ph_mean : "arithmetic" (2011 rules) or "hydrogen" (mean of [H⁺], then −log10;
        used by some implementations — unverified, off by default).

    Returns
    -------
    DataFrame: section_name, period_label, indicator, mean_value [indicator unit], n_valid.
    """
    if ph_mean not in ("arithmetic", "hydrogen"):
        raise ValueError(f"ph_mean: {ph_mean!r} is not 'arithmetic' or 'hydrogen'")
    d = df.loc[df["valid"].astype(bool) & df["value"].notna(),
               ["section_name", "sampled_at", "indicator", "value"]].copy()
    # plain strings: grouping on categoricals would add unobserved combinations
    d["section_name"] = d["section_name"].astype(str)
    d["indicator"] = d["indicator"].astype(str)
    d["period_label"] = period_labels(d["sampled_at"], by)
    if ph_mean == "hydrogen":
        is_ph = d["indicator"] == "ph"
        d.loc[is_ph, "value"] = 10.0 ** (-d.loc[is_ph, "value"])
    g = d.groupby(["section_name", "period_label", "indicator"], sort=True)["value"]
    out = g.agg(mean_value="mean", n_valid="count").reset_index()
    if ph_mean == "hydrogen":
        is_ph = out["indicator"] == "ph"
        out.loc[is_ph, "mean_value"] = -np.log10(out.loc[is_ph, "mean_value"])
    return out


def _expected_per_period(period: str, by: str) -> int:
    p = pd.Period(period, freq=_BY[by])
    return int(p.end_time.normalize().to_period("D").ordinal - p.start_time.to_period("D").ordinal + 1) * 6


def classify_periods(df: pd.DataFrame, by: str = "month", sections=None,
                     expected: tuple[str, ...] | None = None, ph_mean: str = "arithmetic",
                     fill_gaps: bool = True) -> pd.DataFrame:
    """Class of every section for every period, with its data sufficiency.

    Parameters
    ----------
    df : long table of readings (section_name, sampled_at, indicator, value, valid, and
        ``source`` "auto" or "manual").
    by : "month", "quarter" or "year" — the class of a year is that of the
        annual means, not of the months.
    sections : the sections table (:func:`yqplan.water.monitoring.read_sections`) or a
        dict section → "river" | "lake"; sections not listed are rivers.
    expected : indicators expected for a full assessment; default the five
        automatic parameters for automatic data, the 21 evaluated ones otherwise.
    ph_mean : see :func:`compute_period_means`.
    fill_gaps : also list, with no class and ``n_readings`` 0, the periods
        between the first and the last period of ``df`` in which a section has
        no reading at all (a gap must show, not vanish).

    Returns
    -------
    DataFrame with the fields of :class:`SectionClass`, one row per section
    and period (sorted).

    Notes
    -----
    2011 rules §二: the period class is the single-factor class of the period's
    arithmetic means of the evaluated indicators (GB 3838 Table 1 minus water
    temperature, TN and fecal coliform). ``coverage_pct`` assumes one automatic
    reading every 4 hours (6 a day). ``n_readings`` counts (section, time) rows
    that carry at least one value.

    Examples
    --------
    >>> from yqplan import water
    >>> df, meta = water.read_water_auto(names=["白羊墅"])          # doctest: +SKIP
    >>> classify_periods(df, by="month")[["period_label", "class_label",
    ...                                   "n_valid", "coverage_pct"]]  # doctest: +SKIP
    """
    bodies = _water_bodies(sections)
    means = compute_period_means(df, by, ph_mean)
    sources = set(df["source"].astype(str).unique()) if "source" in df.columns else {"auto"}
    if len(sources) > 1:
        raise ValueError("classify_periods: automatic and manual data mixed; classify them "
                         "separately (found sources " + ", ".join(sorted(sources)) + ")")
    auto = sources in ({"auto"}, set())
    if expected is None:
        expected = AUTO_INDICATORS if auto else EVALUATED_INDICATORS
    basis = BASIS_AUTO if auto else BASIS_MANUAL

    rows = df[["section_name", "sampled_at", "valid"]].copy()
    rows["section_name"] = rows["section_name"].astype(str)
    rows["period_label"] = period_labels(rows["sampled_at"], by)
    # a "reading" is one (section, time) row of the source table
    per = rows.drop_duplicates(["section_name", "sampled_at"])
    n_read = per.groupby(["section_name", "period_label"]).size()
    n_val = per[per["valid"].astype(bool)].groupby(["section_name", "period_label"]).size()

    keys = list(n_read.index)
    if fill_gaps and len(per):
        freq = _BY[by]
        first, last = (pd.Period(x, freq=freq) for x in (per["period_label"].min(), per["period_label"].max()))
        all_periods = [str(p) for p in pd.period_range(first, last, freq=freq)]
        sections_seen = sorted(per["section_name"].astype(str).unique())
        have = set(keys)
        keys += [(s_, p) for s_ in sections_seen for p in all_periods if (s_, p) not in have]
        keys.sort()
    out = []
    mean_groups = {k: g for k, g in means.groupby(["section_name", "period_label"], sort=False)}
    for section, period in keys:
        n = int(n_read.get((section, period), 0))
        g = mean_groups.get((section, period))
        m = dict(zip(g["indicator"], g["mean_value"])) if g is not None else {}
        counts = dict(zip(g["indicator"], g["n_valid"])) if g is not None else {}
        body = bodies.get(section, "river")
        wc, ind = classify_section(m, body)
        quality, colour = quality_of(wc)
        main = find_main_pollutants(ind) if wc is not None and wc > 3 else []
        evaluated = [c.indicator for c in ind if c.used]
        missing = [k for k in expected if k not in m]
        nv = int(n_val.get((section, period), 0))
        min_n = min((counts.get(k, 0) for k in expected), default=0)
        cov = (100.0 * nv / _expected_per_period(period, by)) if auto else float("nan")
        # a little slack: 135 of 180 readings is 75 % however the division rounds
        enough = (cov >= WATER_MIN_COVERAGE_PCT - 1e-9) if auto else nv >= 1
        out.append(SectionClass(section, period, wc, class_label(wc), quality, colour,
                                format_pollutants(main), int(n), nv, int(min_n), cov,
                                ",".join(evaluated), ",".join(missing), basis,
                                bool(enough and wc is not None)))
    res = pd.DataFrame(out, columns=SectionClass._fields)
    res["water_class"] = res["water_class"].astype("Int64")
    return res


def pivot_classes(classes: pd.DataFrame, value: str = "water_class") -> pd.DataFrame:
    """Sections × periods table of one column of :func:`classify_periods`.

    Index = section_name, columns = period_label (sorted), values = ``value``
    (default the class 1–6; NaN where there is no class) — the shape
    :func:`yqplan.report.plots.plot_water_classes` draws.
    """
    wide = classes.pivot(index="section_name", columns="period_label", values=value)
    if value == "water_class":
        wide = wide.astype("float64")
    return wide.sort_index(axis=1)


# ---------------------------------------------------- groups of sections ---

def share_quality(share_good_pct: float, share_bad_pct: float) -> str:
    """Quality of a river/basin with ≥ 5 sections from its class shares.

    Notes
    -----
    2011 rules §四 (share method): I–III ≥ 90 % 优; 75 % ≤ I–III < 90 % 良好;
    I–III < 75 % and 劣V < 20 % 轻度污染; I–III < 75 % and 20 % ≤ 劣V < 40 %
    中度污染; I–III < 60 % and 劣V ≥ 40 % 重度污染. The text leaves
    60 % ≤ I–III < 75 % with 劣V ≥ 40 % uncovered (e.g. 3 of 5 at I–III and 2 at
    劣V); it is rated 重度污染 here, the cascade common implementations use.
    """
    g, b = share_good_pct, share_bad_pct
    eps = 1e-9
    if g >= 90 - eps:
        return "优"
    if g >= 75 - eps:
        return "良好"
    if b < 20 - eps:
        return "轻度污染"
    if b < 40 - eps:
        return "中度污染"
    return "重度污染"


def assess_group(classes: pd.DataFrame, means: pd.DataFrame | None = None, group: str = "",
                 sections=None) -> pd.DataFrame:
    """Quality of a river, basin or city for each period from its sections.

    Parameters
    ----------
    classes : :func:`classify_periods` output for the group's sections.
    means : :func:`compute_period_means` output for the same sections and
        periods; needed for periods with fewer than 5 sections.
    group : name written in the ``group_name`` column.
    sections : water bodies as for :func:`classify_periods` (the mean of a group
        uses the lake TP limit only if every section is a lake).

    Returns
    -------
    DataFrame with the fields of :class:`GroupResult`, one row per period.

    Notes
    -----
    2011 rules §四: fewer than 5 sections — average each indicator over the
    sections, then the single-factor class; 5 or more — the share method
    (:func:`share_quality`).
    """
    bodies = _water_bodies(sections)
    out = []
    for period, g in classes[classes["water_class"].notna()].groupby("period_label", sort=True):
        n = len(g)
        wc_arr = g["water_class"].astype(int)
        good = 100.0 * (wc_arr <= 3).sum() / n
        bad = 100.0 * (wc_arr == 6).sum() / n
        if n >= 5:
            q = share_quality(good, bad)
            out.append(GroupResult(group, period, n, "share", None, "", good, bad, q,
                                   _QUALITY_COLOUR[q][1], ""))
            continue
        if means is None:
            raise ValueError("assess_group: means are needed for a group of fewer than 5 sections")
        m = means[(means["period_label"] == period) & means["section_name"].isin(g["section_name"])]
        # mean of the section means, indicator by indicator
        avg = m.groupby("indicator")["mean_value"].mean().to_dict()
        body = "lake" if g["section_name"].map(lambda s: bodies.get(s, "river") == "lake").all() else "river"
        wc, ind = classify_section(avg, body)
        q, colour = quality_of(wc)
        main = find_main_pollutants(ind) if wc is not None and wc > 3 else []
        out.append(GroupResult(group, period, n, "mean", wc, class_label(wc), good, bad, q,
                               colour, format_pollutants(main)))
    res = pd.DataFrame(out, columns=GroupResult._fields)
    res["water_class"] = res["water_class"].astype("Int64")
    return res


def assess_groups(classes: pd.DataFrame, means: pd.DataFrame, groups: dict,
                  sections=None) -> pd.DataFrame:
    """:func:`assess_group` for several groups at once.

    ``groups`` maps section name -> group name (its river, basin or city);
    sections not in it are left out. Returns the :class:`GroupResult` rows of
    every group and period.
    """
    out = []
    for name in sorted(set(groups.values())):
        members = [s for s, g_ in groups.items() if g_ == name]
        c = classes[classes["section_name"].isin(members)]
        if len(c):
            out.append(assess_group(c, means[means["section_name"].isin(members)], group=name,
                                    sections=sections))
    if not out:
        return pd.DataFrame(columns=GroupResult._fields)
    return pd.concat(out, ignore_index=True)


def compute_plan_indicators(classes: pd.DataFrame, section_names=None,
                            target_good_pct: float = TARGET_GOOD_PCT,
                            target_bad_pct: float = TARGET_BAD_PCT) -> pd.DataFrame:
    """The plan's indicators 4 and 5 by period: share of sections at I–III and at 劣V.

    Parameters
    ----------
    classes : :func:`classify_periods` output (any ``by``).
    section_names : the sections that count (e.g. Yangquan's 国考/省考 sections);
        default all in ``classes``. Listed sections without a class in a period
        are counted in ``n_sections_missing``, not in the shares.
    target_good_pct, target_bad_pct : the plan's 2025 targets (≥ 80 %, ≤ 0 %).

    Only sufficient section-periods count (column ``sufficient`` of
    :func:`classify_periods`; a table without it counts every class): a class from
    a few readings is not evidence of the section's state.

    Returns
    -------
    DataFrame with the fields of :class:`PlanShare`, one row per period.
    ``meets_*`` is None for a period where no section has a class.
    """
    names = list(section_names) if section_names is not None else sorted(classes["section_name"].unique())
    c = classes[classes["section_name"].isin(names)]
    basis = ",".join(sorted(c["basis"].unique())) if len(c) else ""
    out = []
    ok = (c["sufficient"].astype(bool) if "sufficient" in c.columns
          else pd.Series(True, index=c.index))
    for period in sorted(classes["period_label"].unique()):
        in_period = (c["period_label"] == period) & c["water_class"].notna()
        g = c[in_period & ok]
        n_thin = int((in_period & ~ok).sum())
        n = len(g)
        wc = g["water_class"].astype(int)
        n_good, n_bad = int((wc <= 3).sum()), int((wc == 6).sum())
        good = 100.0 * n_good / n if n else float("nan")
        bad = 100.0 * n_bad / n if n else float("nan")
        out.append(PlanShare(period, n, len(names) - n, n_good, n_bad, good, bad,
                             target_good_pct, target_bad_pct,
                             (good >= target_good_pct) if n else None,
                             (bad <= target_bad_pct) if n else None, basis, n_thin))
    return pd.DataFrame(out, columns=PlanShare._fields)


def sections_without_data(classes: pd.DataFrame, section_names) -> list[str]:
    """The listed sections with no reading at all in ``classes`` (in the given order).

    ``温河辛庄``, named by the plan, is not in the automatic export: the report must say
    so rather than leave it out silently.
    """
    have = classes.loc[classes["n_readings"] > 0, "section_name"].astype(str)
    seen = set(have)
    return [str(s) for s in section_names if str(s) not in seen]


# ------------------------------------------------------------ agreement ---

def classify_readings(df: pd.DataFrame, sections=None) -> pd.DataFrame:
    """Recompute the instantaneous 5-parameter class of each automatic reading.

    Parameters
    ----------
    df : long table from :func:`yqplan.water.monitoring.read_water_auto`.
    sections : water bodies as for :func:`classify_periods`.

    Returns
    -------
    DataFrame, one row per (section, time): section_name, sampled_at, valid, station_class
    (1–6 or NA), recomputed_class (1–6 or NA; worst over pH, DO, CODMn, NH3-N,
    TP present in the reading), n_params (how many of the five were present).

    Notes
    -----
    The stations print a class from these five parameters (TN shown, not used,
    for rivers) — an instantaneous class, not the official assessment
    (docs/standards/gb3838-water.md §6).
    """
    bodies = _water_bodies(sections)
    # plain strings: pivoting/grouping on categoricals adds unobserved combinations
    df = df.assign(section_name=df["section_name"].astype(str), indicator=df["indicator"].astype(str))
    d = df[df["indicator"].isin(AUTO_INDICATORS)]
    wide = d.pivot_table(index=["section_name", "sampled_at"], columns="indicator", values="value",
                         aggfunc="first")
    lake = wide.index.get_level_values("section_name").map(lambda s: bodies.get(s, "river") == "lake")
    lake = np.asarray(lake, dtype=bool)
    cls = []
    for k in AUTO_INDICATORS:
        if k not in wide.columns:
            continue
        v = wide[k].to_numpy()
        if k == "tp":
            c = np.where(lake, classify_values(k, v, "lake"), classify_values(k, v, "river"))
        else:
            c = classify_values(k, v)
        cls.append(c)
    arr = np.vstack(cls) if cls else np.full((1, len(wide)), np.nan)
    with np.errstate(all="ignore"):
        n_params = (~np.isnan(arr)).sum(axis=0)
        rec = np.where(n_params > 0, np.nanmax(np.where(np.isnan(arr), -np.inf, arr), axis=0), np.nan)
    meta = df.drop_duplicates(["section_name", "sampled_at"]).set_index(["section_name", "sampled_at"])
    out = pd.DataFrame({"recomputed_class": rec, "n_params": n_params}, index=wide.index)
    out = meta[["valid", "station_class"]].join(out, how="left").reset_index()
    out["recomputed_class"] = out["recomputed_class"].astype("Int64")
    out["n_params"] = out["n_params"].fillna(0).astype(int)
    return out


def compute_agreement(df: pd.DataFrame, by: str | None = "month", sections=None,
                      full_only: bool = True) -> pd.DataFrame:
    """How often the recomputed class equals the station's own class.

    Parameters
    ----------
    df : long table from :func:`yqplan.water.monitoring.read_water_auto`.
    by : "month", "quarter", "year" or None (whole record, period "all").
    sections : water bodies as for :func:`classify_periods`.
    full_only : compare only readings where all five parameters are present.

    Returns
    -------
    DataFrame with the fields of :class:`Agreement`, one row per section and period.
    """
    r = classify_readings(df, sections)
    r = r[r["valid"].astype(bool) & r["station_class"].notna() & r["recomputed_class"].notna()]
    if full_only:
        r = r[r["n_params"] == len(AUTO_INDICATORS)]
    r = r.assign(period_label=period_labels(r["sampled_at"], by) if by else "all")
    out = []
    for (section, period), g in r.groupby(["section_name", "period_label"], sort=True):
        diff = g["station_class"].astype(int) - g["recomputed_class"].astype(int)
        n = len(g)
        out.append(Agreement(section, period, n, int((diff == 0).sum()),
                             100.0 * (diff == 0).sum() / n if n else float("nan"),
                             int((diff < 0).sum()), int((diff > 0).sum()),
                             int(diff.abs().max()) if n else 0))
    return pd.DataFrame(out, columns=Agreement._fields)


#: The public API of this module (anything else is private to it).
__all__ = ["INDICATORS", "LIMITS", "TP_LAKE_LIMITS", "DO_FLOORS", "PH_RANGE",
           "EVALUATED_INDICATORS", "REPORTED_INDICATORS", "AUTO_INDICATORS",
           "PRIORITY_POLLUTANTS", "CLASS_LABELS", "QUALITY", "BASIS_AUTO", "BASIS_MANUAL",
           "BASIS_TEXT", "TARGET_GOOD_PCT", "TARGET_BAD_PCT", "WATER_MIN_COVERAGE_PCT",
           "IndicatorClass", "SectionClass", "GroupResult", "PlanShare", "Agreement",
           "parse_class", "class_label", "limits_for", "classify_values", "classify_value",
           "exceedance_multiple", "classify_indicators", "find_main_pollutants",
           "format_pollutants", "classify_section", "quality_of", "period_labels",
           "compute_period_means", "classify_periods", "pivot_classes", "share_quality",
           "assess_group", "assess_groups", "compute_plan_indicators", "sections_without_data",
           "classify_readings", "compute_agreement"]

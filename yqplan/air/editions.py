"""Every year assessed under HJ 633—2012 and HJ 633—2026, side by side, and why they differ.

The 2026 edition (in force from 2026-03-01) changes the daily AQI in four ways
(``docs/aqi_editions.md``; the breakpoints are :data:`yqplan.air.aqi.BREAKPOINTS`):

1. PM2.5 24h at IAQI 100: 75 → 60 µg/m³ (the 100–150 segment then starts at 60);
2. PM10 24h at IAQI 100: 150 → 120 µg/m³ (likewise);
3. the daily report drops the O3 1-hour maximum (six indicators instead of seven);
4. concentrations are rounded (GB/T 8170, half to even) before the look-up, and O3 8h
   above 800 µg/m³ gives IAQI 300 instead of handing over to the 1-hour index.

``assess_both`` assesses the same daily values both ways (through
:func:`yqplan.air.stats.assess_days`); days from 2026-03-01 are *always* assessed under
2026 — the 2012 edition no longer applies to them, so its column holds the 2026 result
there too (``edition`` says so per day).  ``compare_editions`` gives, year by year, the
good-day ratio, days per level and primary pollutants of each, and ``explain_changes``
attributes every day whose level changed to the change that moved it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from yqplan.air import aqi as _aqi, seasons
from yqplan.air import stats as airstats
from yqplan.air.ozone import POLLUTANT_NAMES
from yqplan.report import words

__all__ = ["CAUSES", "EditionComparison", "changed_breakpoints", "assess_both", "primary_table",
           "compare_editions", "explain_changes"]

#: Why a day's AQI level differs between the editions (``explain_changes``): cause →
#: (Chinese, English) (catalogue ``editions.cause.*``).
CAUSES = words.section("editions.cause")


def changed_breakpoints() -> pd.DataFrame:
    """The breakpoints that differ between the editions (from ``yqplan.air.aqi.BREAKPOINTS``).

    Returns one row per (indicator, IAQI level) that changed: ``indicator``,
    ``iaqi``, ``c_2012``, ``c_2026`` [µg/m³]; plus the daily indicators present in
    one edition only (``c_2026`` NaN for the O3 1h maximum).
    """
    rows = []
    b12, b26 = _aqi.BREAKPOINTS["2012"], _aqi.BREAKPOINTS["2026"]
    for ind in b12:
        for lvl, a, b in zip(_aqi.IAQI_LEVELS, b12[ind], b26[ind]):
            if a != b:
                rows.append({"indicator": ind, "iaqi": lvl, "c_2012": a, "c_2026": b})
    only12 = set(_aqi.DAILY_INDICATORS["2012"]) - set(_aqi.DAILY_INDICATORS["2026"])
    for col in sorted(only12):
        rows.append({"indicator": f"{col} (2012 daily report only)", "iaqi": np.nan, "c_2012": np.nan,
                     "c_2026": np.nan})
    return pd.DataFrame(rows, columns=["indicator", "iaqi", "c_2012", "c_2026"])


def assess_both(daily: pd.DataFrame, *, dust=None, location: str | None = None
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The daily AQI of ``daily`` under 2012 and under 2026.

    Parameters
    ----------
    daily : DataFrame from :func:`yqplan.air.stats.compute_daily_values`.
    dust : DustDays, optional — as :func:`yqplan.air.stats.assess_days`.

    Returns
    -------
    (days_2012, days_2026) — rows in the order of ``daily``.  ``days_2012`` holds the
    2012 assessment for days before 2026-03-01 and the 2026 one from then on (the only
    edition in force); ``days_2026`` the 2026 assessment of every day.
    """
    both = airstats.assess_days(daily, "2026", dust=dust, location=location)
    # the edition in force on each day: the one rule, yqplan.air.aqi.edition_for
    new = (daily["date"].map(_aqi.edition_for) == "2026").to_numpy()
    if new.all():
        return both.copy(), both
    old = airstats.assess_days(daily[~new], "2012", dust=dust, location=location)
    d12 = pd.concat([old, both[new]]).loc[daily.index] if new.any() else old
    return d12, both


@dataclasses.dataclass(frozen=True)
class EditionComparison:
    """Year-by-year statistics under both editions.

    Attributes
    ----------
    table : DataFrame, one row per year: ``year``, and for ``e`` in 2012, 2026:
        ``valid_days_e``, ``good_days_e``, ``good_ratio_e`` [%], ``heavy_days_e``,
        ``level_<n>_e`` (days of AQI level n = 1..6), ``primary_<p>_e`` (days p was
        primary); ``good_ratio_diff`` (2026 − 2012, percentage points),
        ``days_2026_rule`` (days already under 2026 in the "2012" column), ``partial``
        (the data do not cover the year whole)
    changes : ``explain_changes`` of every year
    """

    table: pd.DataFrame
    changes: pd.DataFrame


def compare_editions(daily: pd.DataFrame, years=None, *, dust=None,
                     location: str | None = None) -> EditionComparison:
    """HJ 663 statistics of each year under both editions (one location or several).

    Statistics come from :func:`yqplan.air.stats.compute_annual_stats` on each edition's
    daily AQI; with several locations the table has one row per location and year
    (``location`` column).
    """
    d12, d26 = assess_both(daily, dust=dust, location=location)
    if years is None:  # the years with a value (not the 31 December stub of the first label)
        vals = daily[[c for c in ("so2", "no2", "co", "pm10", "pm25", "o3_8h_max") if c in daily]]
        years = sorted(set(daily.loc[vals.notna().any(axis=1), "date"].dt.year))
    years = list(years)
    loc_col = location or next(c for c in ("city", "station", "location") if c in d12.columns)
    rows = []
    for y in years:
        s12 = airstats.compute_annual_stats(d12, int(y), location=location)
        s26 = {s.location: s for s in airstats.compute_annual_stats(d26, int(y),
                                                                     location=location)}
        in_year = (d12["date"].dt.year == y).to_numpy()
        for a in s12:
            b = s26[a.location]
            row = {"location": a.location, "year": int(y)}
            for e, s in (("2012", a), ("2026", b)):
                row[f"valid_days_{e}"] = s.valid_days
                row[f"good_days_{e}"] = s.good_days
                row[f"good_ratio_{e}"] = s.good_ratio
                row[f"heavy_days_{e}"] = s.heavy_days
                for lv in range(1, 7):
                    row[f"level_{lv}_{e}"] = s.days_by_category[lv]
                for p, n in s.primary_counts.items():
                    row[f"primary_{p}_{e}"] = n
            row["good_ratio_diff"] = b.good_ratio - a.good_ratio
            loc_rows = in_year & (d12[loc_col].astype(str) == a.location).to_numpy()
            row["days_2026_rule"] = int((d12.loc[loc_rows, "edition"] == "2026").sum())
            rows.append(row)
    table = pd.DataFrame(rows)
    if len(table):
        has = d12[["so2", "no2", "co", "pm10", "pm25", "o3_8h_max"]].notna().any(axis=1)
        cov = seasons.year_coverage(d12.loc[has, "date"])
        table["partial"] = table["year"].map(dict(zip(cov["year"], cov["partial"]))).fillna(True)
    return EditionComparison(table, explain_changes(d12, d26))


def explain_changes(days_2012: pd.DataFrame, days_2026: pd.DataFrame,
                    language: str = "zh") -> pd.DataFrame:
    """Every day whose AQI level differs between the editions, with the cause.

    The cause is the change that moved the day: the pollutant whose IAQI makes the
    higher of the two AQIs and differs between the editions because of the breakpoints —
    PM2.5 or PM10 (the 2026 table gives another IAQI for the unrounded concentration) —,
    O3 1h (in the 2012 daily report only), else "other" (the GB/T 8170 rounding of
    concentrations, O3 8h above 800).

    Returns
    -------
    DataFrame: ``date``, ``aqi_2012``, ``aqi_2026``, ``level_2012``, ``level_2026``,
    ``good_2012``, ``good_2026`` (AQI ≤ 100), ``cause`` (key of :data:`CAUSES`),
    ``cause_text`` (in ``language``), and the location column when present.
    """
    a12 = days_2012["aqi"].to_numpy(dtype=float)
    a26 = days_2026["aqi"].to_numpy(dtype=float)
    l12 = days_2012["aqi_level"].to_numpy()
    l26 = days_2026["aqi_level"].to_numpy()
    changed = l12 != l26
    cause = np.full(len(a12), "other", dtype=object)

    def col(frame, c):
        return (frame[c].to_numpy(dtype=float) if c in frame.columns
                else np.full(len(frame), np.nan))

    higher = np.where(np.nan_to_num(a26, nan=-1) >= np.nan_to_num(a12, nan=-1), a26, a12)
    with np.errstate(invalid="ignore"):
        for p in ("pm25", "pm10"):
            i12, i26 = col(days_2012, f"iaqi_{p}"), col(days_2026, f"iaqi_{p}")
            # the breakpoints moved the index when the 2026 table gives another IAQI for the
            # unrounded concentration; otherwise only the GB/T 8170 rounding did ("other")
            conc = col(days_2012, p)
            by_table = _aqi.compute_iaqi(conc, f"{p}_24h", "2026", round_input=False)
            old = _aqi.compute_iaqi(conc, f"{p}_24h", "2012")
            hit = (i12 != i26) & ((i26 == higher) | (i12 == higher)) & (by_table != old)
            cause = np.where((cause == "other") & hit, p, cause)
        o3 = col(days_2012, "iaqi_o3_1h")
        cause = np.where((cause == "other") & (o3 == a12) & (a12 > a26), "o3_1h", cause)
    out = pd.DataFrame({"date": days_2012["date"].to_numpy(), "aqi_2012": a12, "aqi_2026": a26,
                        "level_2012": l12, "level_2026": l26,
                        "good_2012": a12 <= 100, "good_2026": a26 <= 100, "cause": cause})
    for c in ("city", "station"):
        if c in days_2012.columns:
            out.insert(0, c, days_2012[c].to_numpy())
            break
    out = out[changed].reset_index(drop=True)
    out["cause_text"] = out["cause"].map(lambda k: words.pick(CAUSES[k], language))
    return out


def primary_table(table: pd.DataFrame, language: str = "zh") -> pd.DataFrame:
    """Days by primary pollutant, one row per year and edition, from ``compare_editions``.

    Index ``"2023 · 2012版"`` ("2023 · 2012"), columns the display names of the
    pollutants that were primary at least once (PM2.5, PM10, O3_8h, O3_1h, NO2, SO2, CO).
    """

    rows, index = [], []
    for r in table.itertuples(index=False):
        for e in ("2012", "2026"):
            rows.append({name: getattr(r, f"primary_{key}_{e}", 0)
                         for key, name in POLLUTANT_NAMES.items()})
            index.append(words.word("editions.year_edition", language, year=r.year, edition=e))
    out = pd.DataFrame(rows, index=index).fillna(0).astype(int)
    return out.loc[:, out.sum() > 0]

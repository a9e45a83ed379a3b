"""Ozone (O3 8h) against the limit, and what makes a day not good (plan §5.1.4).

From the daily values and daily AQI of one city (``yqplan.analyses.assess_air`` or
``yqplan.air.stats.assess_hourly``):

* ``o3_by_period`` — the HJ 663 90th percentile of the daily maximum 8-hour mean by
  year or by month against the GB 3095 Grade II limit (160 µg/m³), with the days O3
  exceeded and the days it was the primary pollutant;
* ``o3_seasons`` — the warm season (May–September) against the other months;
* ``nongood_causes`` — of the days that were not good (AQI > 100), how many had each
  pollutant as the primary pollutant and how many had it over its limit (IAQI > 100);
* ``summarise_ozone`` — all of them, as an ``OzoneSummary``.

Every statistic comes from :func:`yqplan.air.stats.compute_period_stats` (percentiles,
good days, primary-pollutant days) or is a count of the daily AQI's own columns
(``iaqi_*``, ``primary_pollutant``).  A pollutant *exceeds* on a day when its IAQI
is above 100 — the HJ 633—2012 §3.6 definition of 超标污染物, whose IAQI-100
breakpoints are the Grade II 24-hour limits (O3 8h: 160 µg/m³).  See
``docs/ozone_and_episodes.md``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from yqplan.air import stats as airstats
from yqplan.air import seasons
from yqplan.report import words

__all__ = ["O3_8H_LIMIT", "POLLUTANT_NAMES", "OzoneSummary", "exceeding_mask", "primary_mask",
           "o3_by_period", "o3_seasons", "nongood_causes", "summarise_ozone", "one_location"]

#: GB 3095—2012 Grade II limit of the O3 daily maximum 8-hour mean [µg/m³].
O3_8H_LIMIT = airstats.COMPOSITE_LIMITS["o3_8h_p90"]

#: Display names of the daily-report pollutants (keys as ``yqplan.air.aqi.POLLUTANTS``).
POLLUTANT_NAMES = {"pm25": "PM2.5", "pm10": "PM10", "o3_8h": "O3_8h", "o3_1h": "O3_1h",
                   "no2": "NO2", "so2": "SO2", "co": "CO"}


def one_location(days: pd.DataFrame, location: str | None = None) -> pd.DataFrame:
    """``days`` of a single location, sorted by date; a clear error when it holds several."""
    col = next((c for c in ("city", "station", "location") if c in days.columns), None)
    if col is not None and days[col].nunique() > 1:
        if location is None:
            raise ValueError(f"days: {days[col].nunique()} locations in column {col!r}; "
                             "pass location= or select one first")
        days = days[days[col] == location]
    # a day without any value (the 31 December stub the first 00:00 label makes under the
    # natural-day boundary, or a day outside the coverage) is no day of the data
    values = [c for c in ("so2", "no2", "co", "pm10", "pm25", "o3_1h_max", "o3_8h_max", "aqi")
              if c in days.columns]
    if values:
        days = days[days[values].notna().any(axis=1)]
    return days.sort_values("date").reset_index(drop=True)


def exceeding_mask(days: pd.DataFrame, pollutant: str) -> np.ndarray:
    """True on days whose IAQI of ``pollutant`` is above 100 (HJ 633—2012 §3.6)."""
    col = f"iaqi_{pollutant}"
    if col not in days.columns:
        return np.zeros(len(days), dtype=bool)
    with np.errstate(invalid="ignore"):
        return (days[col].to_numpy(dtype=float) > 100)


def primary_mask(days: pd.DataFrame, pollutant: str) -> np.ndarray:
    """True on days where ``pollutant`` is (one of) the primary pollutant(s)."""
    prim = "," + days["primary_pollutant"].fillna("").astype(str) + ","
    return prim.str.contains(f",{pollutant},", regex=False).to_numpy(dtype=bool)


def _o3_primary(days):
    return primary_mask(days, "o3_8h") | primary_mask(days, "o3_1h")


@dataclasses.dataclass(frozen=True)
class OzoneSummary:
    """Ozone of one city: by year, by month, warm season, and the causes of non-good days.

    Attributes
    ----------
    by_year, by_month : DataFrame from ``o3_by_period``
    seasons : DataFrame from ``o3_seasons``
    causes : DataFrame from ``nongood_causes`` (by year)
    limit : the O3 8h limit used [µg/m³]
    coverage : ``yqplan.air.seasons.year_coverage`` of the days
    """

    by_year: pd.DataFrame
    by_month: pd.DataFrame
    seasons: pd.DataFrame
    causes: pd.DataFrame
    limit: float
    coverage: pd.DataFrame


def _period_rows(days, periods):
    # periods: list of (label, kind, start, end) -> one PeriodStats each (or None)
    rows = []
    for label, kind, start, end in periods:
        st = airstats.compute_period_stats(days, start, end, period=label, period_kind=kind)
        rows.append(st[0] if st else None)
    return rows


def o3_by_period(days: pd.DataFrame, by: str = "year", *, limit: float = O3_8H_LIMIT,
                 location: str | None = None) -> pd.DataFrame:
    """O3 8h 90th percentile, exceedance and primary-pollutant days by year or month.

    Parameters
    ----------
    days : daily values and AQI of one location (``assess_air``).
    by : {"year", "month"}
    limit : GB 3095 Grade II O3 8h limit [µg/m³] (160).

    Returns
    -------
    DataFrame, one row per period with data: ``period`` ("2023" or "2023-07"),
    ``start``, ``end`` (Timestamp), ``partial`` (the data's span cuts the period:
    ``yqplan.air.seasons.span_partial``, a week's tolerance for years, none for months),
    ``o3_8h_p90`` [µg/m³] (HJ 663 Appendix A percentile), ``over_limit`` (p90 > limit),
    ``o3_8h_valid_days``, ``valid_days`` (valid AQI), ``good_days``, ``good_ratio`` [%],
    ``o3_exceed_days`` (IAQI O3 8h > 100), ``o3_primary_days`` (O3 8h or 1h primary),
    ``nongood_days`` (AQI > 100), ``nongood_o3_exceed_days`` (of those, O3 exceeding).

    Notes
    -----
    HJ 663—2013 §5 (annual O3 statistic: 90th percentile of the daily max 8h mean;
    the same percentile is shown by month for the seasonal pattern).
    """
    if by not in ("year", "month"):
        raise ValueError(f"by: {by!r} is not one of year, month")
    days = one_location(days, location)
    cols = ["period", "start", "end", "partial", "o3_8h_p90", "over_limit", "o3_8h_valid_days",
            "valid_days", "good_days", "good_ratio", "o3_exceed_days", "o3_primary_days",
            "nongood_days", "nongood_o3_exceed_days"]
    if days.empty:
        return pd.DataFrame(columns=cols)
    freq = "Y" if by == "year" else "M"
    per = days["date"].dt.to_period(freq)
    labels = sorted(per.unique())
    periods = []
    for p in labels:
        text = str(p)
        kind = "annual" if by == "year" else "monthly"
        periods.append((text, kind, p.start_time, p.end_time.normalize()))
    stats = _period_rows(days, periods)
    exceed = exceeding_mask(days, "o3_8h")
    prim = _o3_primary(days)
    aqi = days["aqi"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        nongood = aqi > 100
    rows = []
    lo, hi = days["date"].min(), days["date"].max()
    # a month is partial with any day cut off by the data's span; a year with more than a week
    tol = seasons.EDGE_GAP_DAYS if by == "year" else 0
    for (text, _kind, start, end), p, st in zip(periods, labels, stats):
        sel = (per == p).to_numpy()
        rows.append({
            "period": text, "start": start, "end": end,
            "partial": seasons.span_partial(start, end, lo, hi, tol),
            "o3_8h_p90": st.o3_8h_p90 if st else np.nan,
            "over_limit": bool(st and st.o3_8h_p90 > limit),
            "o3_8h_valid_days": st.valid_days_by_pollutant["o3_8h"] if st else 0,
            "valid_days": st.valid_days if st else 0,
            "good_days": st.good_days if st else 0,
            "good_ratio": st.good_ratio if st else np.nan,
            "o3_exceed_days": int((exceed & sel).sum()),
            "o3_primary_days": int((prim & sel).sum()),
            "nongood_days": int((nongood & sel).sum()),
            "nongood_o3_exceed_days": int((nongood & exceed & sel).sum()),
        })
    return pd.DataFrame(rows, columns=cols)


def o3_seasons(days: pd.DataFrame, *, location: str | None = None,
               language: str = "zh") -> pd.DataFrame:
    """The warm season (May–September) against the other months, year by year.

    Returns
    -------
    DataFrame, one row per year and part: ``year``, ``part`` ("warm" | "other"),
    ``part_label`` (in ``language``), ``partial`` (the year is not covered whole),
    ``valid_days``, ``good_days``, ``good_ratio`` [%], ``o3_8h_mean`` (mean of the
    daily max 8h [µg/m³]), ``o3_exceed_days``, ``o3_primary_days``,
    ``pm25_primary_days``, ``pm25`` (mean of valid daily means [µg/m³]).
    """
    days = one_location(days, location)
    cov = seasons.year_coverage(days["date"])
    partial = dict(zip(cov["year"], cov["partial"]))
    warm = seasons.warm_season(days["date"])
    aqi = days["aqi"].to_numpy(dtype=float)
    exceed = exceeding_mask(days, "o3_8h")
    prim_o3 = _o3_primary(days)
    prim_pm = primary_mask(days, "pm25")
    year = days["date"].dt.year.to_numpy()
    rows = []
    names = {"warm": words.word("season.warm", language), "other": words.word("season.not_warm", language)}
    for y in sorted(set(year.tolist())):
        for part, m in (("warm", warm), ("other", ~warm)):
            sel = (year == y) & m
            if not sel.any():
                continue
            valid = sel & ~np.isnan(aqi)
            good = int((valid & (aqi <= 100)).sum())
            nv = int(valid.sum())
            rows.append({
                "year": int(y), "part": part,
                "part_label": names[part],
                "partial": bool(partial.get(y, False)), "valid_days": nv, "good_days": good,
                "good_ratio": 100.0 * good / nv if nv else np.nan,
                "o3_8h_mean": float(np.nanmean(days.loc[sel, "o3_8h_max"]))
                if days.loc[sel, "o3_8h_max"].notna().any() else np.nan,
                "o3_exceed_days": int((exceed & sel).sum()),
                "o3_primary_days": int((prim_o3 & sel).sum()),
                "pm25_primary_days": int((prim_pm & sel).sum()),
                "pm25": float(np.nanmean(days.loc[sel, "pm25"]))
                if days.loc[sel, "pm25"].notna().any() else np.nan,
            })
    return pd.DataFrame(rows)


def nongood_causes(days: pd.DataFrame, by: str = "year", *,
                   location: str | None = None) -> pd.DataFrame:
    """What the non-good days (AQI > 100) were due to, by pollutant.

    Returns
    -------
    DataFrame, one row per period and pollutant that caused at least one day:
    ``period``, ``pollutant`` (key), ``name`` (PM2.5 …), ``nongood_days`` (the
    period's days with AQI > 100), ``primary_days`` (of those, the pollutant was a
    primary pollutant), ``primary_share`` [% of non-good days], ``exceed_days`` (its
    IAQI > 100), ``exceed_share`` [%].  Ties for primary count for each pollutant, so
    shares may add up to more than 100 %.
    """
    if by not in ("year", "all"):
        raise ValueError(f"by: {by!r} is not one of year, all")
    days = one_location(days, location)
    aqi = days["aqi"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        nongood = aqi > 100
    period = (days["date"].dt.year.astype(str).to_numpy() if by == "year"
              else np.full(len(days), "all", dtype=object))
    rows = []
    for p in sorted(set(period.tolist())):
        sel = (period == p) & nongood
        n = int(sel.sum())
        for key, name in POLLUTANT_NAMES.items():
            if f"iaqi_{key}" not in days.columns:
                continue
            prim = int((primary_mask(days, key) & sel).sum())
            exc = int((exceeding_mask(days, key) & sel).sum())
            if prim == 0 and exc == 0:
                continue
            rows.append({"period": p, "pollutant": key, "name": name, "nongood_days": n,
                         "primary_days": prim,
                         "primary_share": 100.0 * prim / n if n else np.nan,
                         "exceed_days": exc, "exceed_share": 100.0 * exc / n if n else np.nan})
    return pd.DataFrame(rows, columns=["period", "pollutant", "name", "nongood_days",
                                       "primary_days", "primary_share", "exceed_days",
                                       "exceed_share"])


def summarise_ozone(days: pd.DataFrame, *, location: str | None = None,
                    limit: float = O3_8H_LIMIT, language: str = "zh") -> OzoneSummary:
    """All ozone tables of one location (see the module docstring)."""
    days = one_location(days, location)
    return OzoneSummary(by_year=o3_by_period(days, "year", limit=limit),
                        by_month=o3_by_period(days, "month", limit=limit),
                        seasons=o3_seasons(days, language=language),
                        causes=nongood_causes(days, "year"), limit=float(limit),
                        coverage=seasons.year_coverage(days["date"]))

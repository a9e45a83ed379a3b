"""Official air statistics: daily values, HJ 663 period statistics, dust, rankings.

From hourly data (one row per location and hour, as ``yqplan.air.cnemc.read_cnemc``
and ``yqplan.air.store.read_store`` return it) to

* daily values with the GB 3095 validity rules (``compute_daily_values``), or
  from the archive's own ``_24h`` rows (``method="archive_24h"``);
* the daily AQI (``assess_days``, via ``yqplan.air.aqi.compute_daily_aqi``);
* annual, monthly and any-period statistics by HJ 663 (``compute_period_stats``
  → ``PeriodStats``), with per-pollutant validity, good days, heavy days, days
  per category, primary-pollutant counts and the composite index;
* dust deduction from a user's list or a labelled estimate (``DustDays``);
* the composite-index ranking of a province's cities (``rank_cities`` →
  ``Ranking``);
* city values from station values (``compute_city_from_stations``).

Units: µg/m³, CO mg/m³; ratios in percent; the composite index is
dimensionless.  Every result records the HJ 633 edition it used.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as _dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from yqplan.air import aqi as _aqi
from yqplan.air.cities import DEFAULT_PROVINCE, normalise_city, region_cities
from yqplan.errors import DataFileError

#: Daily-value columns and the hourly column each comes from.
DAILY_MEAN_COLUMNS = ("so2", "no2", "co", "pm10", "pm25")
#: Daily columns and the ``_24h`` archive rows that stand for them (method "archive_24h").
ARCHIVE_24H = {"so2": "so2_24h", "no2": "no2_24h", "co": "co_24h", "pm10": "pm10_24h",
               "pm25": "pm25_24h", "o3_1h_max": "o3_24h", "o3_8h_max": "o3_8h_24h"}

#: GB 3095 Table 4 minimums (identical in the 2012 and 2026 editions).
MIN_HOURS_PER_DAY = 20
MIN_HOURS_PER_8H = 6
#: HJ 663 §6.1.2 (unverified wording): a daily max 8h needs ≥ 14 valid 8h means,
#: or must exceed the limit below.
MIN_8H_WINDOWS = 14
O3_8H_LIMIT = 160.0
MIN_DAYS_PER_YEAR = 324
MIN_DAYS_PER_MONTH = 27
MIN_DAYS_FEBRUARY = 25

#: Composite-index denominators: GB 3095—2012 Grade II limits (docs/standards/hj663-annual.md §4).
COMPOSITE_LIMITS = {"so2": 60.0, "no2": 40.0, "pm10": 70.0, "pm25": 35.0,
                    "co_p95": 4.0, "o3_8h_p90": 160.0}
#: Default weights: unweighted.  (A secondary source claims PM2.5 ×3, NO2 ×2,
#: O3 ×2 in newer rules — unverified; pass ``weights`` to use them.)
COMPOSITE_WEIGHTS = {k: 1.0 for k in COMPOSITE_LIMITS}

#: Estimated dust day (project rule, **estimate**): PM10 daily mean at least this …
DUST_PM10_MIN = 150.0
#: … and PM2.5/PM10 at most this (coarse particles dominate, as in dust events).
DUST_RATIO_MAX = 0.35

DAY_BOUNDARIES = ("natural", "label")
#: Location-days handled at once by ``compute_daily_values`` (memory bound).
_MAX_CELLS = 400_000
METHODS = ("hourly", "archive_24h")

_POLLUTANT_KEYS = ("so2", "no2", "co", "o3_1h", "o3_8h", "pm10", "pm25")
_VALIDITY_KEYS = ("so2", "no2", "co", "o3_8h", "pm10", "pm25")
_VALIDITY_COLUMN = {"so2": "so2", "no2": "no2", "co": "co", "o3_8h": "o3_8h_max",
                    "pm10": "pm10", "pm25": "pm25"}


# --------------------------------------------------------------------------- results

@dataclasses.dataclass(frozen=True)
class PeriodStats:
    """HJ 663 statistics of one location over one period.

    Concentrations µg/m³ (CO mg/m³), unrounded; ``good_ratio`` percent;
    ``composite_index`` dimensionless.  NaN where nothing is valid.

    Attributes
    ----------
    location, location_kind : the city (阳泉) or station code; "city" | "station"
    period, period_kind : label ("2022", "2022-05", "2022-ytd-05") and
        "annual" | "monthly" | "ytd" | "custom"
    start, end : first and last day (inclusive)
    edition, rounding : HJ 633 edition and IAQI rounding of the daily AQI
    method, day_boundary : daily values from "hourly" data or "archive_24h" rows;
        "natural" (00:00–24:00, hour-ending labels 1…24) or "label" (labels 0…23)
    dust, dust_days : "none" | "user" | "estimated"; days deducted
    pm25, pm10, so2, no2 : means of valid daily means
    co_p95, o3_8h_p90 : HJ 663 percentiles (CO daily means, O3 daily max 8h)
    pm25_p95, pm10_p95, so2_p98, no2_p98 : secondary percentiles
    co_mean, o3_8h_mean : plain means, for reference
    valid_days_by_pollutant : pollutant -> number of valid daily values
    validity : pollutant -> True when GB 3095 Table 4 is met for the period
    days : days in the period; valid_days : days with a valid daily AQI
    good_days, heavy_days : AQI ≤ 100; AQI > 200
    good_ratio : good_days / valid_days × 100 [%]
    days_by_category : level 1…6 -> days
    primary_counts : pollutant -> days it was (one of) the primary pollutant(s)
    composite_index, composite_parts, composite_weights : Σ w_i C_i/S_i, its
        terms and weights; composite_primary : the largest term
    round_reported : concentrations rounded as reported (integers, CO one
        decimal) before the composite index — **unverified** convention
    """

    location: str
    location_kind: str
    period: str
    period_kind: str
    start: _dt.date
    end: _dt.date
    edition: str
    rounding: str
    method: str
    day_boundary: str
    dust: str
    dust_days: int
    pm25: float
    pm10: float
    so2: float
    no2: float
    co_p95: float
    o3_8h_p90: float
    pm25_p95: float
    pm10_p95: float
    so2_p98: float
    no2_p98: float
    co_mean: float
    o3_8h_mean: float
    valid_days_by_pollutant: dict
    validity: dict
    days: int
    valid_days: int
    good_days: int
    heavy_days: int
    good_ratio: float
    days_by_category: dict
    primary_counts: dict
    composite_index: float
    composite_parts: dict
    composite_weights: dict
    composite_primary: str
    round_reported: bool = False

    def to_dict(self) -> dict:
        """The stable flat record of ``yqplan air annual --format json``.

        See ``ANNUAL_JSON_FIELDS`` for the fields, their order and units.
        """
        d = {
            "city" if self.location_kind == "city" else "station": self.location,
            "year": self.start.year,
            "period": self.period, "period_kind": self.period_kind,
            "start": self.start.isoformat(), "end": self.end.isoformat(),
            "edition": self.edition, "rounding": self.rounding, "method": self.method,
            "day_boundary": self.day_boundary, "dust": self.dust, "dust_days": self.dust_days,
        }
        for k in ("pm25", "pm10", "so2", "no2", "co_p95", "o3_8h_p90", "pm25_p95", "pm10_p95",
                  "so2_p98", "no2_p98"):
            d[k] = _num(getattr(self, k))
        d.update(days=self.days, valid_days=self.valid_days, good_days=self.good_days,
                 good_ratio=_num(self.good_ratio), heavy_days=self.heavy_days,
                 composite_index=_num(self.composite_index),
                 composite_primary=self.composite_primary)
        for p in _VALIDITY_KEYS:
            d[f"valid_days_{p}"] = int(self.valid_days_by_pollutant.get(p, 0))
            d[f"valid_{p}"] = bool(self.validity.get(p, False))
        for lvl in range(1, 7):
            d[f"days_level_{lvl}"] = int(self.days_by_category.get(lvl, 0))
        for p in _POLLUTANT_KEYS:
            d[f"primary_days_{p}"] = int(self.primary_counts.get(p, 0))
        d["round_reported"] = self.round_reported
        return d


#: Fields of ``PeriodStats.to_dict()`` — the JSON schema of ``yqplan air annual``
#: (stable: fields may be added at the end, never renamed or removed).
ANNUAL_JSON_FIELDS = (
    ("city", "city name as in the archive (station code for station statistics: 'station')"),
    ("year", "calendar year of the period start"),
    ("period", "period label: 2022, 2022-05, 2022-ytd-05"),
    ("period_kind", "annual | monthly | ytd | custom"),
    ("start", "first day, ISO date"), ("end", "last day, ISO date"),
    ("edition", "HJ 633 / GB 3095 edition: 2012 | 2026"),
    ("rounding", "IAQI rounding of the daily AQI: ceil (standard) | half_up | half_even | none"),
    ("method", "daily values from: hourly | archive_24h"),
    ("day_boundary", "natural (00:00-24:00) | label (hour labels 0-23)"),
    ("dust", "dust deduction: none | user | estimated"),
    ("dust_days", "days whose PM10/PM2.5 were deducted"),
    ("pm25", "annual mean PM2.5 [µg/m³]"), ("pm10", "annual mean PM10 [µg/m³]"),
    ("so2", "annual mean SO2 [µg/m³]"), ("no2", "annual mean NO2 [µg/m³]"),
    ("co_p95", "95th percentile of CO daily means, HJ 663 [mg/m³]"),
    ("o3_8h_p90", "90th percentile of O3 daily max 8h, HJ 663 [µg/m³]"),
    ("pm25_p95", "95th percentile of PM2.5 daily means [µg/m³]"),
    ("pm10_p95", "95th percentile of PM10 daily means [µg/m³]"),
    ("so2_p98", "98th percentile of SO2 daily means [µg/m³]"),
    ("no2_p98", "98th percentile of NO2 daily means [µg/m³]"),
    ("days", "days in the period"), ("valid_days", "days with a valid daily AQI"),
    ("good_days", "days with AQI <= 100"), ("good_ratio", "good_days / valid_days [%]"),
    ("heavy_days", "days with AQI > 200"),
    ("composite_index", "Σ w_i C_i / S_i over six pollutants (dimensionless)"),
    ("composite_primary", "pollutant with the largest composite term"),
    ("valid_days_<p>", "valid daily values of p in so2 no2 co o3_8h pm10 pm25"),
    ("valid_<p>", "GB 3095 Table 4 met for p (324 days and 27 a month, Feb 25)"),
    ("days_level_<n>", "days of AQI level n = 1..6"),
    ("primary_days_<p>", "days p was (one of) the primary pollutant(s)"),
    ("round_reported", "concentrations rounded as reported before the composite index"),
    ("synthetic", "computed from the synthetic demonstration archive (CLI)"),
)


@dataclasses.dataclass(frozen=True)
class DustDays:
    """Days on which a location's PM10 and PM2.5 are deducted (环办监测〔2016〕120号).

    Attributes
    ----------
    days : frozenset of (location, date)
    source : "user" (a supplied list) or "estimated" (``estimate_dust_days``)
    label : how it is shown, always containing "estimated" for estimates
    rule : the rule (estimate) or the file it came from (user)
    """

    days: frozenset
    source: str
    label: str
    rule: str

    def mask(self, locations, dates) -> np.ndarray:
        """Boolean array: (location, date) pairs that are dust days."""
        if not self.days:
            return np.zeros(len(locations), dtype=bool)
        keys = (pd.Series(np.asarray(locations, dtype=object)).astype(str) + "|"
                + pd.Series(pd.DatetimeIndex(dates).strftime("%Y-%m-%d")))
        wanted = {f"{loc}|{pd.Timestamp(d):%Y-%m-%d}" for loc, d in self.days}
        return keys.isin(wanted).to_numpy()


@dataclasses.dataclass(frozen=True)
class Ranking:
    """Composite-index ranking of cities over a period.

    Attributes
    ----------
    table : DataFrame, one row per city: ``city``, ``composite_index``, ``rank``
        (1 = best = lowest index), ``composite_index_previous`` (same period a year
        earlier), ``change_pct`` [%], ``valid_days``, ``good_ratio`` [%],
        ``pm25`` [µg/m³], ``composite_primary``
    period, start, end : the period ranked
    previous_start, previous_end : the comparison period (a year earlier)
    edition, dust : as in ``PeriodStats`` (``edition`` "2012,2026" when the days
        ranked span 2026-03-01 under "auto")
    weights : the composite-index weights used
    """

    table: pd.DataFrame
    period: str
    start: _dt.date
    end: _dt.date
    previous_start: _dt.date
    previous_end: _dt.date
    edition: str
    dust: str
    weights: dict


def _num(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


# --------------------------------------------------------------------------- percentiles

def hj663_percentile(values, p: float) -> float:
    """The p-th percentile by HJ 663 Appendix A (NaN ignored).

    Parameters
    ----------
    values : array-like of float
    p : float in [0, 1] (0.9 for the 90th percentile)

    Returns
    -------
    float (NaN when no value)

    Notes
    -----
    Sort ascending; k = 1 + (n − 1)·p; s = ⌊k⌋; m_p = X(s) + (X(s+1) − X(s))·(k − s)
    (HJ 663—2013 Appendix A).  This equals numpy's ``percentile(..., method="linear")``.

    Examples
    --------
    >>> hj663_percentile([3, 4, 8, 2, 5, 4], 0.9)
    6.5
    """
    x = np.sort(np.asarray(values, dtype=float))
    x = x[~np.isnan(x)]
    if not 0 <= p <= 1:
        raise ValueError(f"p: {p!r} must be between 0 and 1")
    n = len(x)
    if n == 0:
        return float("nan")
    k = 1 + (n - 1) * p
    s = int(np.floor(k + 1e-12))
    if s >= n:
        return float(x[n - 1])
    return float(x[s - 1] + (x[s] - x[s - 1]) * (k - s))


def _grouped_percentile(codes: np.ndarray, slots: np.ndarray, values: np.ndarray,
                        n_groups: int, n_slots: int, p: float) -> np.ndarray:
    """HJ 663 percentile of ``values`` within each group code (vectorised).

    ``slots`` (e.g. the day number) places each value in a row of an
    (n_groups, n_slots) matrix, sorted along rows (NaN last).
    """
    m = np.full((n_groups, max(n_slots, 1)), np.nan)
    m[codes, slots] = values
    m.sort(axis=1)
    count = np.sum(~np.isnan(m), axis=1)
    k = 1 + (np.maximum(count, 1) - 1) * p
    s = np.floor(k + 1e-12).astype(int)
    rows = np.arange(n_groups)
    lo = m[rows, s - 1]
    hi = m[rows, np.minimum(s, np.maximum(count, 1) - 1)]
    return np.where(count > 0, lo + (hi - lo) * (k - s), np.nan)


# --------------------------------------------------------------------------- daily values

def location_column(frame: pd.DataFrame, location: str | None) -> str:
    """The location column of ``frame``: ``location`` when given (checked), else the first of
    ``city``, ``station``, ``location`` present; a clear error otherwise."""
    if location is not None:
        if location not in frame.columns:
            raise ValueError(f"location: column {location!r} is not in the frame; "
                             "expected 'city' or 'station'")
        return location
    for c in ("city", "station", "location"):
        if c in frame.columns:
            return c
    raise ValueError("frame: no location column; expected 'city' or 'station' "
                     "(as yqplan.air.cnemc.read_cnemc returns)")


_SHANGHAI_OFFSET = np.timedelta64(8, "h")  # UTC+8 all year (no DST since 1991)


def _local_naive(times: pd.Series) -> pd.Series:
    t = pd.to_datetime(times)
    if t.dt.tz is not None:
        # fixed offset: much faster than tz_convert().tz_localize(None)
        if len(t) and t.min().year < 1992:
            return t.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
        utc = t.dt.tz_convert(None).to_numpy()
        return pd.Series(utc + _SHANGHAI_OFFSET, index=t.index)
    return t


def _cube(frame, loc_col, day_boundary):
    """Index arrays placing each hourly row in a (location, day, slot 0–23) cube."""
    if day_boundary not in DAY_BOUNDARIES:
        raise ValueError(f"day_boundary: {day_boundary!r} is not one of "
                         f"{', '.join(DAY_BOUNDARIES)}")
    t = _local_naive(frame["time"])
    if day_boundary == "natural":
        # hour-ending labels: the value labelled 00:00 closes the previous day
        t = t - pd.Timedelta(hours=1)
    ns = t.to_numpy().astype("datetime64[h]").astype(np.int64)
    day_num = ns // 24
    slot = (ns % 24).astype(np.int64)
    d0 = int(day_num.min())
    day_i = (day_num - d0).astype(np.int64)
    loc_i, locs = pd.factorize(frame[loc_col], sort=True)
    n_days = int(day_i.max()) + 1
    first_day = pd.Timestamp(np.datetime64(d0, "D"))
    return loc_i, day_i, slot, list(locs), n_days, first_day


def compute_daily_values(hourly: pd.DataFrame, *, location: str | None = None,
                         method: str = "hourly", day_boundary: str = "natural",
                         min_hours: int = MIN_HOURS_PER_DAY,
                         min_hours_8h: int = MIN_HOURS_PER_8H,
                         min_windows: int = MIN_8H_WINDOWS,
                         o3_limit: float = O3_8H_LIMIT) -> pd.DataFrame:
    """Daily values of each location from hourly data, with GB 3095 validity.

    Parameters
    ----------
    hourly : DataFrame
        One row per location and hour (``read_cnemc`` / ``read_store``): a
        ``city`` or ``station`` column, ``time`` (tz-aware, the platform's hour
        label), ``so2 no2 co o3 pm10 pm25`` (and the ``_24h`` columns for
        ``method="archive_24h"``).
    location : str, optional
        The location column; default ``city`` or ``station``, whichever exists.
    method : {"hourly", "archive_24h"}
        ``"hourly"``: compute from the hourly values with the validity rules.
        ``"archive_24h"``: take the platform's ``_24h`` rows at the day's last
        hour (24h moving means; ``o3_24h``/``o3_8h_24h`` running maxima) —
        a cross-check, not the assessment method (docs/data-formats/cnemc-archive.md §3).
    day_boundary : {"natural", "label"}
        ``"natural"`` (default): the day 00:00–24:00; CNEMC labels an hourly
        value by the end of its hour (value at 16:00 = mean 15:00–16:00), so a
        day holds the labels 01:00 … 23:00 and 00:00 of the next date.
        ``"label"``: the labels 00:00 … 23:00 of the file's date.
    min_hours : int
        Hourly values needed for a daily mean (GB 3095 Table 4: 20).
    min_hours_8h : int
        Hourly values needed in an 8h window (GB 3095 Table 4: 6).
    min_windows, o3_limit : int, float
        The daily max 8h is valid with ≥ ``min_windows`` valid 8h means, or
        with fewer when it exceeds ``o3_limit`` (HJ 663 §6.1.2, **unverified**
        wording; 14 and 160 µg/m³).

    Returns
    -------
    DataFrame
        One row per location and day: the location column, ``date``
        (datetime64, midnight), ``so2 no2 co pm10 pm25`` (24h means, NaN when
        not valid), ``o3_1h_max`` (daily max of 1h O3, ≥ ``min_hours`` values —
        project rule), ``o3_8h_max`` (daily max 8h moving mean), the hour
        counts ``so2_hours no2_hours co_hours pm10_hours pm25_hours o3_hours``,
        ``o3_8h_windows`` (valid 8h means of the day), ``method``,
        ``day_boundary``.  CO mg/m³, others µg/m³.

    Notes
    -----
    GB 3095—2012/2026 Table 4 (20 hours a day; 6 hours in an 8h window).  The
    8h mean at hour t covers t−7 … t; the day's candidates end at 08:00 …
    24:00 (17 windows, docs/standards/gb3095-validity.md §3.3), all inside the day.
    """
    if method not in METHODS:
        raise ValueError(f"method: {method!r} is not one of {', '.join(METHODS)}")
    loc_col = location_column(hourly, location)
    if len(hourly) == 0:
        raise ValueError("hourly: the frame has no rows")
    loc_i, day_i, slot, locs, n_days, first_day = _cube(hourly, loc_col, day_boundary)
    n_loc = len(locs)
    if n_loc > 1 and n_loc * n_days > _MAX_CELLS:
        # bound memory (a few arrays of n_loc × n_days × 24 floats): by location groups
        per = max(1, _MAX_CELLS // n_days)
        parts = []
        for g0 in range(0, n_loc, per):
            rows = np.flatnonzero((loc_i >= g0) & (loc_i < g0 + per))
            parts.append(compute_daily_values(
                hourly.iloc[rows], location=loc_col, method=method, day_boundary=day_boundary,
                min_hours=min_hours, min_hours_8h=min_hours_8h, min_windows=min_windows,
                o3_limit=o3_limit))
        return pd.concat(parts, ignore_index=True)
    shape = (n_loc, n_days, 24)

    def cube(col):
        if col not in hourly.columns:
            raise ValueError(f"hourly: column {col!r} is missing; expected the columns of "
                             "yqplan.air.cnemc.read_cnemc")
        a = np.full(shape, np.nan)
        a[loc_i, day_i, slot] = hourly[col].to_numpy(dtype=float)
        return a

    out = {}
    if method == "hourly":
        for c in DAILY_MEAN_COLUMNS:
            a = cube(c)
            n = np.sum(~np.isnan(a), axis=2)
            with np.errstate(invalid="ignore"):
                m = np.nansum(a, axis=2) / n
            out[c] = np.where(n >= min_hours, m, np.nan)
            out[f"{c}_hours"] = n
        o3 = cube("o3")
        n = np.sum(~np.isnan(o3), axis=2)
        with np.errstate(all="ignore"):
            mx = np.nanmax(np.where(np.isnan(o3), -np.inf, o3), axis=2)
        out["o3_1h_max"] = np.where(n >= min_hours, mx, np.nan)
        out["o3_hours"] = n
        # 8h moving means ending at slots 7…23 (08:00…24:00 for the natural day)
        ok = ~np.isnan(o3)
        cs = np.concatenate([np.zeros(shape[:2] + (1,)), np.cumsum(np.where(ok, o3, 0), 2)], 2)
        cn = np.concatenate([np.zeros(shape[:2] + (1,), int), np.cumsum(ok, 2)], 2)
        wsum = cs[:, :, 8:] - cs[:, :, :-8]
        wn = cn[:, :, 8:] - cn[:, :, :-8]
        with np.errstate(invalid="ignore", divide="ignore"):
            wmean = np.where(wn >= min_hours_8h, wsum / wn, np.nan)
        nwin = np.sum(~np.isnan(wmean), axis=2)
        with np.errstate(all="ignore"):
            wmax = np.nanmax(np.where(np.isnan(wmean), -np.inf, wmean), axis=2)
        wmax = np.where(nwin > 0, wmax, np.nan)
        valid8 = (nwin >= min_windows) | (wmax > o3_limit)
        out["o3_8h_max"] = np.where(valid8, wmax, np.nan)
        out["o3_8h_windows"] = nwin
    else:
        for c, src in ARCHIVE_24H.items():
            out[c] = cube(src)[:, :, 23]
    li, di = np.meshgrid(np.arange(n_loc), np.arange(n_days), indexing="ij")
    res = pd.DataFrame({loc_col: np.asarray(locs, dtype=object)[li.ravel()],
                        "date": first_day + pd.to_timedelta(di.ravel(), unit="D")})
    for k, v in out.items():
        res[k] = v.ravel()
    value_cols = ["so2", "no2", "co", "pm10", "pm25", "o3_1h_max", "o3_8h_max"]
    # drop location-days with no data at all (outside the location's coverage)
    has = res[value_cols].notna().any(axis=1)
    if method == "hourly":
        has |= res[[f"{c}_hours" for c in DAILY_MEAN_COLUMNS] + ["o3_hours"]].sum(axis=1) > 0
    res = res[has.to_numpy()].reset_index(drop=True)
    res["method"] = method
    res["day_boundary"] = day_boundary
    return res


# --------------------------------------------------------------------------- dust

def read_dust_days(path) -> DustDays:
    """Read a user's list of dust-affected days (CSV with ``city`` or ``station``, ``date``).

    Parameters
    ----------
    path : path to a UTF-8 CSV; ``date`` as YYYY-MM-DD.  Extra columns are ignored.

    Returns
    -------
    DustDays with ``source="user"``.

    Notes
    -----
    环办监测〔2016〕120号: the official list comes from the monitoring centre;
    any such list can be supplied.
    """

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"--dust: {path} is not a file (expected none, estimate or a "
                                "CSV of city,date)")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    loc = "city" if "city" in df.columns else "station" if "station" in df.columns else None
    if loc is None or "date" not in df.columns:
        raise DataFileError(path, "dust list lacks columns", line=1,
                            expected="city (or station) and date", found=list(df.columns))
    days = set()
    for i, (l, d) in enumerate(zip(df[loc], df["date"])):
        try:
            day = _dt.date.fromisoformat(d.strip())
        except ValueError:
            raise DataFileError(path, "bad date", line=i + 2, column="date",
                                expected="YYYY-MM-DD", found=d) from None
        days.add((normalise_city(l), day))
    return DustDays(frozenset(days), "user", f"dust days from {path.name}", str(path))


def estimate_dust_days(daily: pd.DataFrame, *, pm10_min: float = DUST_PM10_MIN,
                       ratio_max: float = DUST_RATIO_MAX,
                       location: str | None = None) -> DustDays:
    """Estimate dust-affected days from daily values — an **estimate**, labelled so.

    Parameters
    ----------
    daily : DataFrame from ``compute_daily_values``.
    pm10_min : float
        PM10 daily mean at least this [µg/m³] (default 150, the Grade II 24h limit).
    ratio_max : float
        PM2.5/PM10 of the day at most this (default 0.35: coarse particles dominate).

    Returns
    -------
    DustDays with ``source="estimated"`` and the rule in ``rule``.

    Notes
    -----
    Project rule, not an official method: dust events raise PM10 far more than
    PM2.5, whereas combustion haze keeps PM2.5/PM10 above about 0.5.  The
    official list (环办监测〔2016〕120号) comes from the monitoring centre; use
    ``read_dust_days`` when you have it.
    """
    loc_col = location_column(daily, location)
    pm10 = daily["pm10"].to_numpy(dtype=float)
    pm25 = daily["pm25"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        hit = (pm10 >= pm10_min) & (pm25 / pm10 <= ratio_max)
    sel = daily.loc[hit, [loc_col, "date"]]
    days = frozenset((l, pd.Timestamp(d).date()) for l, d in zip(sel[loc_col], sel["date"]))
    rule = f"PM10 daily mean >= {pm10_min:g} µg/m³ and PM2.5/PM10 <= {ratio_max:g}"
    return DustDays(days, "estimated", f"dust days estimated ({rule})", rule)


# --------------------------------------------------------------------------- daily AQI

def assess_days(daily: pd.DataFrame, edition: str, rounding: str = "ceil", *,
                dust: DustDays | None = None, location: str | None = None) -> pd.DataFrame:
    """Daily values plus the daily-report AQI, with optional dust deduction.

    Parameters
    ----------
    daily : DataFrame from ``compute_daily_values``.
    edition : {"auto", "2012", "2026"}
        "auto" (or None): each day by the edition in force on that day
        (:func:`yqplan.air.aqi.edition_for`: HJ 633—2012 before 2026-03-01, HJ 633—2026
        from then on; HJ 633—2026 takes effect on 2026-03-01); the ``edition``
        column records it per day.
    rounding : IAQI rounding (default the standard's "ceil").
    dust : DustDays, optional
        On these days PM10 and PM2.5 are deducted (set NaN) and the AQI is
        computed from the other pollutants (环办监测〔2016〕120号; a deducted
        pollutant does not make the day incomplete — project reading).

    Returns
    -------
    DataFrame: ``daily``'s columns, ``dust_day`` (bool: a listed dust day), ``dust_pm10``
    and ``dust_pm25`` (bool: a measured value deducted), and the columns of
    ``yqplan.air.aqi.compute_daily_aqi`` (``iaqi_*``, ``aqi``, ``aqi_level`` …).
    """
    loc_col = location_column(daily, location)
    d = daily.copy()
    mask = dust.mask(d[loc_col], d["date"]) if dust is not None else np.zeros(len(d), bool)
    d["dust_day"] = mask
    # only a measured (valid) value is deducted: a dust day whose PM was not valid anyway
    # has PM missing, not deducted (GB 3095 Table 4 validity still applies)
    for p in ("pm10", "pm25"):
        d[f"dust_{p}"] = mask & d[p].notna().to_numpy()
    if mask.any():
        d.loc[mask, ["pm10", "pm25"]] = np.nan
    if edition in (None, "auto"):
        a = _daily_aqi_by_day(d, rounding)
    else:
        a = _aqi.compute_daily_aqi(d, edition, rounding, dust_column=_DEDUCTED)
    return pd.concat([d, a], axis=1)


#: per pollutant, the column marking a measured value deducted as dust (``assess_days``)
_DEDUCTED = {"pm10": "dust_pm10", "pm25": "dust_pm25"}


def _daily_aqi_by_day(d: pd.DataFrame, rounding: str) -> pd.DataFrame:
    # "auto": every day by the edition in force on it (aqi.edition_for, the one rule),
    # so a period spanning 2026-03-01 uses both; the ``edition`` column says which
    flat = d.reset_index(drop=True)
    by_date = {day: _aqi.edition_for(day) for day in flat["date"].dropna().unique()}
    per_day = flat["date"].map(by_date).fillna("2012")
    parts = [_aqi.compute_daily_aqi(flat[per_day == ed], ed, rounding, dust_column=_DEDUCTED)
             for ed in sorted(set(per_day))]
    if not parts:  # no rows: the 2012 edition's (empty) columns
        return _aqi.compute_daily_aqi(d, "2012", rounding, dust_column=_DEDUCTED)
    out = pd.concat(parts).sort_index()
    out.index = d.index
    return out


# --------------------------------------------------------------------------- periods

def parse_period(text: str, last_date=None) -> tuple[str, _dt.date, _dt.date]:
    """Parse a period label into ``(kind, start, end)``.

    ``2022`` (year), ``2022-05`` (month), ``2022-ytd-05`` (January to May),
    ``2022-ytd`` (January to ``last_date``, the last day with data), or
    ``2022-01-01..2022-03-15`` (custom).
    """
    text = str(text).strip()
    if ".." in text:
        a, b = text.split("..", 1)
        try:
            d0, d1 = _dt.date.fromisoformat(a), _dt.date.fromisoformat(b)
        except ValueError:
            pass
        else:
            if d1 < d0:
                raise ValueError(f"--period: end {d1} is before start {d0} in {text!r}")
            return "custom", d0, d1
    m = re.fullmatch(r"(\d{4})", text)
    if m:
        y = int(m.group(1))
        return "annual", _dt.date(y, 1, 1), _dt.date(y, 12, 31)
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if m and 1 <= int(m.group(2)) <= 12:
        y, mo = int(m.group(1)), int(m.group(2))
        return "monthly", _dt.date(y, mo, 1), _dt.date(y, mo, calendar.monthrange(y, mo)[1])
    m = re.fullmatch(r"(\d{4})-ytd(?:-(\d{2}))?", text)
    if m:
        y = int(m.group(1))
        if m.group(2):
            mo = int(m.group(2))
            if not 1 <= mo <= 12:
                raise ValueError(f"--period: month {mo} in {text!r} is not 01..12")
            end = _dt.date(y, mo, calendar.monthrange(y, mo)[1])
        else:
            if last_date is None:
                raise ValueError(f"--period: {text!r} needs data to find its last day")
            end = min(pd.Timestamp(last_date).date(), _dt.date(y, 12, 31))
        return "ytd", _dt.date(y, 1, 1), end
    raise ValueError(f"--period: {text!r} is not one of YYYY, YYYY-MM, YYYY-ytd, YYYY-ytd-MM "
                     "or YYYY-MM-DD..YYYY-MM-DD")


def _shift_year(d: _dt.date, years: int) -> _dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _month_minimum(year, month):
    return MIN_DAYS_FEBRUARY if month == 2 else MIN_DAYS_PER_MONTH


def compute_period_stats(days: pd.DataFrame, start, end, *, period: str | None = None,
                         period_kind: str = "custom", weights: dict | None = None,
                         dust: DustDays | None = None, location: str | None = None,
                         round_reported: bool = False) -> list[PeriodStats]:
    """HJ 663 statistics of every location over one period.

    Parameters
    ----------
    days : DataFrame from ``assess_days`` (daily values with the daily AQI).
    start, end : date-like, inclusive.
    period, period_kind : label and kind recorded in the result.
    weights : dict, optional
        Composite-index weights by term (``so2 no2 pm10 pm25 co_p95
        o3_8h_p90``); default unweighted.
    dust : DustDays, optional
        Recorded in the result (the deduction itself happens in
        ``assess_days``).
    round_reported : bool
        Round the period's concentrations as they are reported (GB/T 8170:
        integers for µg/m³, one decimal for CO) and compute the composite
        index from those — the **unverified** reporting convention of
        docs/standards/hj663-annual.md §1.  Default False: unrounded.

    Returns
    -------
    list of PeriodStats, one per location (sorted by name).

    Notes
    -----
    HJ 663—2013 §5: annual means of SO2, NO2, PM10, PM2.5 daily means; CO 95th
    percentile of daily means; O3 90th percentile of daily max 8h; secondary
    percentiles SO2/NO2 p98, PM10/PM2.5 p95 (Appendix A percentile).  Validity
    (GB 3095 Table 4): ≥ 324 daily values a year and ≥ 27 in each month
    (February ≥ 25); for a month, 27 (25); for other periods, every complete
    month in it must meet the monthly rule.  Applied to CO and O3 as well.
    Good day: AQI ≤ 100; heavy day: AQI > 200; ratio = good / valid days.
    Composite index (docs/standards/hj663-annual.md §4): Σ w_i C_i / S_i with GB 3095—2012
    Grade II limits.  Statistics are of unrounded daily values.  Dust-deducted
    PM10/PM2.5 days are left out of the means but still count towards the
    validity rule (they were measured).
    """
    loc_col = location_column(days, location)
    start = pd.Timestamp(start).normalize()
    end = pd.Timestamp(end).normalize()
    sel = days[(days["date"] >= start) & (days["date"] <= end)]
    w = dict(COMPOSITE_WEIGHTS)
    if weights:
        unknown = set(weights) - set(COMPOSITE_LIMITS)
        if unknown:
            raise ValueError(f"weights: unknown terms {sorted(unknown)}; expected "
                             f"{', '.join(COMPOSITE_LIMITS)}")
        w.update({k: float(v) for k, v in weights.items()})
    codes, locs = pd.factorize(sel[loc_col].to_numpy(dtype=object), sort=True)
    n = len(locs)
    editions = sel["edition"].unique() if "edition" in sel else ["?"]
    roundings = sel["rounding"].unique() if "rounding" in sel else ["?"]

    def gmean(col):
        v = sel[col].to_numpy(dtype=float)
        ok = ~np.isnan(v)
        s = np.bincount(codes[ok], weights=v[ok], minlength=n)
        c = np.bincount(codes[ok], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(c > 0, s / c, np.nan), c

    stats = {}
    for c in ("so2", "no2", "pm10", "pm25", "co", "o3_8h_max"):
        stats[c], stats[f"n_{c}"] = gmean(c)
    pct = {
        "co_p95": ("co", 0.95), "o3_8h_p90": ("o3_8h_max", 0.90),
        "pm25_p95": ("pm25", 0.95), "pm10_p95": ("pm10", 0.95),
        "so2_p98": ("so2", 0.98), "no2_p98": ("no2", 0.98),
    }
    slots = ((sel["date"] - start).dt.days).to_numpy()
    n_slots = (end - start).days + 1
    for k, (c, p) in pct.items():
        stats[k] = _grouped_percentile(codes, slots, sel[c].to_numpy(dtype=float), n,
                                       n_slots, p)

    # validity per pollutant: yearly total and each (complete) month
    months = sel["date"].dt.year.to_numpy() * 12 + sel["date"].dt.month.to_numpy() - 1
    month_list = []
    m = start.year * 12 + start.month - 1
    while m <= end.year * 12 + end.month - 1:
        y, mo = divmod(m, 12)
        mo += 1
        first = _dt.date(y, mo, 1)
        last = _dt.date(y, mo, calendar.monthrange(y, mo)[1])
        if first >= start.date() and last <= end.date():
            month_list.append((m, _month_minimum(y, mo)))
        m += 1
    validity = {}
    dust_mask = (sel["dust_day"].to_numpy(dtype=bool) if "dust_day" in sel
                 else np.zeros(len(sel), bool))
    for p in _VALIDITY_KEYS:
        col = _VALIDITY_COLUMN[p]
        ok = sel[col].notna().to_numpy()
        if p in ("pm10", "pm25"):
            # a deducted dust day was measured: it does not break the validity rule (only
            # where a value was measured and deducted, when assess_days says so)
            ok = ok | (sel[_DEDUCTED[p]].to_numpy(dtype=bool) if _DEDUCTED[p] in sel
                       else dust_mask)
        valid = np.ones(n, dtype=bool)
        for mm, minimum in month_list:
            cnt = np.bincount(codes[ok & (months == mm)], minlength=n)
            valid &= cnt >= minimum
        if period_kind == "annual":
            valid &= np.bincount(codes[ok], minlength=n) >= MIN_DAYS_PER_YEAR
        if not month_list and period_kind != "annual":
            valid[:] = False  # no complete month: no rule can be met
        validity[p] = valid

    aqi = sel["aqi"].to_numpy(dtype=float)
    has = ~np.isnan(aqi)
    valid_days = np.bincount(codes[has], minlength=n)
    good = np.bincount(codes[has & (aqi <= 100)], minlength=n)
    heavy = np.bincount(codes[has & (aqi > 200)], minlength=n)
    level = sel["aqi_level"].to_numpy()
    by_level = {lv: np.bincount(codes[level == lv], minlength=n) for lv in range(1, 7)}
    prim = "," + sel["primary_pollutant"].astype(str) + ","
    prim_counts = {}
    for p in _POLLUTANT_KEYS:
        hit = prim.str.contains(f",{p},", regex=False).to_numpy(dtype=bool)
        prim_counts[p] = np.bincount(codes[hit], minlength=n)
    dust_counts = (np.bincount(codes[sel["dust_day"].to_numpy(dtype=bool)], minlength=n)
                   if "dust_day" in sel else np.zeros(n, int))

    if round_reported:
        for k in ("so2", "no2", "pm10", "pm25", "o3_8h_p90", "pm25_p95", "pm10_p95",
                  "so2_p98", "no2_p98", "o3_8h_max"):
            stats[k] = _aqi.round_concentration(stats[k], k)
        for k in ("co_p95", "co"):
            stats[k] = _aqi.round_concentration(stats[k], "co")
    terms = {"so2": stats["so2"], "no2": stats["no2"], "pm10": stats["pm10"],
             "pm25": stats["pm25"], "co_p95": stats["co_p95"], "o3_8h_p90": stats["o3_8h_p90"]}
    parts = {k: w[k] * v / COMPOSITE_LIMITS[k] for k, v in terms.items()}
    composite = np.sum(np.vstack(list(parts.values())), axis=0)  # NaN if any term NaN

    n_days = (end - start).days + 1
    label = period or f"{start.date()}..{end.date()}"
    dust_src = dust.source if dust is not None else "none"
    edition = ",".join(str(e) for e in editions) if len(editions) else "?"
    rounding = ",".join(str(r) for r in roundings) if len(roundings) else "?"
    method = sel["method"].iloc[0] if "method" in sel and len(sel) else "hourly"
    boundary = sel["day_boundary"].iloc[0] if "day_boundary" in sel and len(sel) else "natural"
    kind = "station" if loc_col == "station" else "city"
    out = []
    for i, loc in enumerate(locs):
        pv = {k: float(v[i]) for k, v in parts.items()}
        finite = {k: v for k, v in pv.items() if not np.isnan(v)}
        out.append(PeriodStats(
            location=str(loc), location_kind=kind, period=label, period_kind=period_kind,
            start=start.date(), end=end.date(), edition=edition, rounding=rounding,
            method=method, day_boundary=boundary, dust=dust_src,
            dust_days=int(dust_counts[i]),
            pm25=float(stats["pm25"][i]), pm10=float(stats["pm10"][i]),
            so2=float(stats["so2"][i]), no2=float(stats["no2"][i]),
            co_p95=float(stats["co_p95"][i]), o3_8h_p90=float(stats["o3_8h_p90"][i]),
            pm25_p95=float(stats["pm25_p95"][i]), pm10_p95=float(stats["pm10_p95"][i]),
            so2_p98=float(stats["so2_p98"][i]), no2_p98=float(stats["no2_p98"][i]),
            co_mean=float(stats["co"][i]), o3_8h_mean=float(stats["o3_8h_max"][i]),
            valid_days_by_pollutant={p: int(stats[f"n_{_VALIDITY_COLUMN[p]}"][i])
                                     for p in _VALIDITY_KEYS},
            validity={p: bool(validity[p][i]) for p in _VALIDITY_KEYS},
            days=n_days, valid_days=int(valid_days[i]), good_days=int(good[i]),
            heavy_days=int(heavy[i]),
            good_ratio=float(100.0 * good[i] / valid_days[i]) if valid_days[i] else float("nan"),
            days_by_category={lv: int(by_level[lv][i]) for lv in range(1, 7)},
            primary_counts={p: int(prim_counts[p][i]) for p in _POLLUTANT_KEYS},
            composite_index=float(composite[i]), composite_parts=pv, composite_weights=dict(w),
            composite_primary=max(finite, key=finite.get) if finite else "",
            round_reported=bool(round_reported),
        ))
    return out


def compute_annual_stats(days: pd.DataFrame, year: int, **kwargs) -> list[PeriodStats]:
    """``compute_period_stats`` over calendar year ``year`` (period_kind "annual")."""
    return compute_period_stats(days, _dt.date(year, 1, 1), _dt.date(year, 12, 31),
                                period=str(year), period_kind="annual", **kwargs)


def compute_monthly_stats(days: pd.DataFrame, year: int, **kwargs) -> list[PeriodStats]:
    """``compute_period_stats`` for each month of ``year`` that has data."""
    out = []
    present = set(days.loc[days["date"].dt.year == year, "date"].dt.month)
    for mo in sorted(present):
        kind, s, e = parse_period(f"{year}-{mo:02d}")
        out.extend(compute_period_stats(days, s, e, period=f"{year}-{mo:02d}",
                                        period_kind=kind, **kwargs))
    return out


def stats_frame(stats) -> pd.DataFrame:
    """A list of PeriodStats as a DataFrame of their ``to_dict()`` records."""
    return pd.DataFrame([s.to_dict() for s in stats])


# --------------------------------------------------------------------------- pipeline

def assess_hourly(hourly: pd.DataFrame, *, edition: str | None = None, rounding: str = "ceil",
                  dust="none", method: str = "hourly", day_boundary: str = "natural",
                  location: str | None = None):
    """Hourly data → daily values → daily AQI, with the dust option resolved.

    Parameters
    ----------
    hourly : DataFrame (``read_cnemc`` / ``read_store``).
    edition : {"auto", "2012", "2026"}, optional
        Default "auto": each day by the edition in force on it (``assess_days``).
    rounding : IAQI rounding (default "ceil").
    dust : "none", "estimate", a path to a user list, or a DustDays.
    method, day_boundary : see ``compute_daily_values``.

    Returns
    -------
    days : DataFrame from ``assess_days``
    dust : DustDays or None
    """
    daily = compute_daily_values(hourly, location=location, method=method,
                                 day_boundary=day_boundary)
    edition = "auto" if edition in (None, "auto") else _aqi.check_edition(edition)
    dd = resolve_dust(dust, daily, location=location)
    return assess_days(daily, edition, rounding, dust=dd, location=location), dd


def _editions_used(days: pd.DataFrame, edition) -> str:
    # what a result records: the edition(s) its days were assessed by ("2012,2026" across the switch)
    if edition not in (None, "auto"):
        return str(edition)
    used = sorted(set(days.loc[days["aqi"].notna(), "edition"])) if len(days) else []
    return ",".join(used) if used else "auto"


def resolve_dust(dust, daily: pd.DataFrame, *, location: str | None = None):
    """``"none"`` → None; ``"estimate"`` → ``estimate_dust_days``; a path → ``read_dust_days``."""
    if dust is None or isinstance(dust, DustDays):
        return dust
    if str(dust) == "none":
        return None
    if str(dust) == "estimate":
        return estimate_dust_days(daily, location=location)
    return read_dust_days(dust)


# --------------------------------------------------------------------------- ranking

def composite_ranks(index):
    """Rank by composite index: 1 = lowest index = best; ties share the better rank.

    The one ranking rule of the library (``method="min"``; a NaN index gets no rank).
    ``index``: a Series (one period, indexed by city) → ranks; a DataFrame (one row per
    period, one column per city) → the ranks within each row.
    """
    if isinstance(index, pd.DataFrame):
        return index.rank(axis=1, method="min")
    return index.rank(method="min")


def rank_cities(hourly: pd.DataFrame, period: str, *, cities=None, province: str = DEFAULT_PROVINCE,
                edition: str | None = None, rounding: str = "ceil", dust="none",
                weights: dict | None = None) -> Ranking:
    """Rank a province's cities by composite index, with the change on a year earlier.

    Parameters
    ----------
    hourly : DataFrame with the cities' hourly data for the period and the
        same period a year earlier.
    period : str
        ``YYYY``, ``YYYY-MM``, ``YYYY-ytd[-MM]`` or ``start..end`` (``parse_period``).
    cities : list of str, optional
        Default: the cities of region ``province`` in ``data/air/regions.csv``
        (:func:`yqplan.air.cities.region_cities`).
    edition, rounding, dust, weights : as in ``assess_hourly`` /
        ``compute_period_stats``.  The comparison period uses the same setting
        (default "auto": every day, in either period, by the edition in force on it).

    Returns
    -------
    Ranking (``table`` one row per city: rank 1 = lowest index = best).

    Notes
    -----
    Composite index as docs/standards/hj663-annual.md §4; change_pct = (I − I_prev)/I_prev × 100.
    Ties share the better rank (:func:`composite_ranks`).
    """
    if cities is None:
        try:
            cities = region_cities(province)
        except ValueError as exc:
            raise ValueError(f"province: {exc}; pass cities=") from None
    cities = [normalise_city(c) for c in cities]
    loc_col = location_column(hourly, "city")
    sub = hourly[hourly[loc_col].isin(cities)]
    if sub.empty:
        raise ValueError(f"cities: none of {', '.join(cities)} is in the data")
    last = _local_naive(sub["time"]).max() - pd.Timedelta(hours=1)
    kind, start, end = parse_period(period, last_date=last)
    pstart, pend = _shift_year(start, -1), _shift_year(end, -1)
    days, dd = assess_hourly(sub, edition=edition, rounding=rounding, dust=dust)
    edition = _editions_used(days, edition)
    cur = {s.location: s for s in compute_period_stats(days, start, end, period=period,
                                                       period_kind=kind, weights=weights,
                                                       dust=dd)}
    prev = {s.location: s for s in compute_period_stats(days, pstart, pend,
                                                        period_kind=kind, weights=weights,
                                                        dust=dd)}
    rows = []
    for c in cities:
        s = cur.get(c)
        p = prev.get(c)
        ci = s.composite_index if s else np.nan
        pi = p.composite_index if p else np.nan
        rows.append({"city": c, "composite_index": ci, "composite_index_previous": pi,
                     "change_pct": (ci - pi) / pi * 100 if pi and not np.isnan(pi) else np.nan,
                     "valid_days": s.valid_days if s else 0,
                     "good_ratio": s.good_ratio if s else np.nan,
                     "pm25": s.pm25 if s else np.nan,
                     "composite_primary": s.composite_primary if s else ""})
    table = pd.DataFrame(rows)
    table["rank"] = composite_ranks(table["composite_index"]).astype("Int64")
    table = table.sort_values(["rank", "city"], na_position="last").reset_index(drop=True)
    table = table[["rank", "city", "composite_index", "composite_index_previous", "change_pct",
                   "valid_days", "good_ratio", "pm25", "composite_primary"]]
    return Ranking(table=table, period=period, start=start, end=end, previous_start=pstart,
                   previous_end=pend, edition=edition, dust=dd.source if dd else "none",
                   weights=dict(weights or COMPOSITE_WEIGHTS))


# --------------------------------------------------------------------------- stations

def compute_city_from_stations(station_hourly: pd.DataFrame, stations_to_city, *,
                               order: str = "station_first", **daily_kwargs) -> pd.DataFrame:
    """City daily values from its stations (HJ 663 city-scale assessment).

    Parameters
    ----------
    station_hourly : DataFrame with a ``station`` column (``read_cnemc(kind="sites")``).
    stations_to_city : mapping or Series station code → city name (e.g. from
        ``yqplan.air.cnemc.read_station_list``).  Stations not in it are dropped.
    order : {"station_first", "hourly_first"}
        ``"station_first"`` (default): each station's daily values (with the
        validity rules), then the mean over the city's stations — what the
        platform's city ``_24h`` rows do (docs/data-formats/cnemc-archive.md §3); **unverified**
        in HJ 663's text.  ``"hourly_first"``: average the stations' hourly
        values, then compute the city's daily values.
    **daily_kwargs : passed to ``compute_daily_values``.

    Returns
    -------
    DataFrame shaped like ``compute_daily_values`` with a ``city`` column and
    ``n_stations`` (stations contributing a valid value of at least one
    pollutant that day).
    """
    mapping = pd.Series(dict(stations_to_city)) if not isinstance(
        stations_to_city, pd.Series) else stations_to_city
    if order not in ("station_first", "hourly_first"):
        raise ValueError(f"order: {order!r} is not one of station_first, hourly_first")
    sh = station_hourly[station_hourly["station"].isin(mapping.index)].copy()
    if sh.empty:
        raise ValueError("stations_to_city: none of the stations is in the data")
    sh["city"] = mapping.reindex(sh["station"]).to_numpy()
    if order == "hourly_first":
        cols = [c for c in sh.columns if c not in ("station", "city", "time")]
        hourly = sh.groupby(["city", "time"], as_index=False)[cols].mean()
        return compute_daily_values(hourly, location="city", **daily_kwargs)
    sd = compute_daily_values(sh.drop(columns="city"), location="station", **daily_kwargs)
    sd["city"] = mapping.reindex(sd["station"]).to_numpy()
    vals = ["so2", "no2", "co", "pm10", "pm25", "o3_1h_max", "o3_8h_max"]
    g = sd.groupby(["city", "date"])
    city = g[vals].mean().reset_index()
    city["n_stations"] = g[vals].apply(lambda x: int(x.notna().any(axis=1).sum())).to_numpy()
    city["method"] = sd["method"].iloc[0]
    city["day_boundary"] = sd["day_boundary"].iloc[0]
    return city


#: The public API of this module (anything else is private to it).
__all__ = ["DAILY_MEAN_COLUMNS", "ARCHIVE_24H", "MIN_HOURS_PER_DAY", "MIN_HOURS_PER_8H",
           "MIN_8H_WINDOWS", "O3_8H_LIMIT", "MIN_DAYS_PER_YEAR", "MIN_DAYS_PER_MONTH",
           "MIN_DAYS_FEBRUARY", "COMPOSITE_LIMITS", "COMPOSITE_WEIGHTS", "DUST_PM10_MIN",
           "DUST_RATIO_MAX", "DAY_BOUNDARIES", "METHODS", "PeriodStats", "ANNUAL_JSON_FIELDS",
           "DustDays", "Ranking", "hj663_percentile", "location_column", "compute_daily_values",
           "read_dust_days", "estimate_dust_days", "assess_days", "parse_period",
           "compute_period_stats", "compute_annual_stats", "compute_monthly_stats",
           "stats_frame", "assess_hourly", "resolve_dust", "composite_ranks", "rank_cities",
           "compute_city_from_stations"]

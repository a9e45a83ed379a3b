"""Data coverage: the share of hours with data, by year and month.

Before any statistic, a reader wants to know how much of the period the data cover.
:func:`hourly_coverage` counts, for each calendar month, the hours of the period and the
hours the city has a value for (any pollutant, and each pollutant), and how many hours
the archive itself lacks (``missing_hours`` of :func:`yqplan.air.store.read_store`: hours
without a file row for any city).  Hours are CNEMC's hour labels in Beijing time.  This is
a description of the data, not a validity rule: GB 3095—2012 Table 4 (20 valid hours a day,
27 days a month) is applied by :mod:`yqplan.air.stats`.  See ``docs/data-coverage.md``.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

__all__ = ["POLLUTANTS", "hourly_coverage", "yearly_coverage", "coverage_matrix", "CoverageSummary",
           "summarise_coverage"]

#: The six pollutants of GB 3095—2012 Table 1, as hourly columns of the store.
POLLUTANTS = ("pm25", "pm10", "o3", "no2", "so2", "co")
TZ = "Asia/Shanghai"


def hourly_coverage(hourly: pd.DataFrame, start, end, *, missing_hours=None) -> pd.DataFrame:
    """Hours with data per calendar month of ``start``–``end`` (both included, hour labels).

    Parameters
    ----------
    hourly : DataFrame
        One location's hourly rows (``time`` tz-aware, pollutant columns), as
        :func:`yqplan.analyses.read_city_hourly` returns.
    start, end : timestamp-like
        First and last hour of the period (naive times are Beijing time).  Months are cut
        to the period, so a period ending on 15 March counts 15 days of March.
    missing_hours : sequence of timestamps, optional
        Hours absent from the archive (``meta["missing_hours"]``).

    Returns
    -------
    DataFrame
        One row per month: ``year``, ``month``, ``hours`` (hours of the period in that
        month), ``hours_with_data`` (hours with at least one pollutant value),
        ``share_any`` (%), ``share_<pollutant>`` (%) for each of :data:`POLLUTANTS`, and
        ``archive_missing_hours``.
    """
    start, end = _ts(start), _ts(end)
    if end < start:
        raise ValueError(f"hourly_coverage: end {end} is before start {start}")
    grid = pd.date_range(start, end, freq="h")
    frame = pd.DataFrame(index=grid)
    cols = [c for c in POLLUTANTS if c in hourly.columns]
    if len(hourly):
        rows = hourly.set_index(pd.DatetimeIndex(hourly["time"]).tz_convert(TZ))[cols]
        # several rows for one hour (a duplicated file) count once: any value in the hour
        present = rows.notna().groupby(level=0).any()
        frame = frame.join(present, how="left")
    for c in POLLUTANTS:
        frame[c] = frame[c].fillna(False).astype(bool) if c in frame else False
    frame["any"] = frame[list(POLLUTANTS)].any(axis=1)
    missing = pd.DatetimeIndex(pd.to_datetime(list(missing_hours if missing_hours is not None else [])))
    if len(missing):
        missing = missing.tz_localize(TZ) if missing.tz is None else missing.tz_convert(TZ)
        frame["archive_missing"] = frame.index.isin(missing)
    else:
        frame["archive_missing"] = False
    key = [frame.index.year.rename("year"), frame.index.month.rename("month")]
    g = frame.groupby(key)
    out = pd.DataFrame({"hours": g.size(), "hours_with_data": g["any"].sum()})
    out["share_any"] = 100.0 * out["hours_with_data"] / out["hours"]
    for c in POLLUTANTS:
        out[f"share_{c}"] = 100.0 * g[c].sum() / out["hours"]
    out["archive_missing_hours"] = g["archive_missing"].sum()
    return out.reset_index().astype({"hours": int, "hours_with_data": int, "archive_missing_hours": int})


def coverage_matrix(table: pd.DataFrame, column: str = "share_any") -> pd.DataFrame:
    """``column`` of :func:`hourly_coverage` as a year × month table (months 1–12, NaN outside the period)."""
    return (table.pivot(index="year", columns="month", values=column)
            .reindex(columns=range(1, 13)).rename_axis(index="year", columns="month"))


def yearly_coverage(table: pd.DataFrame) -> pd.DataFrame:
    """The months of :func:`hourly_coverage` summed by year: hours, hours with data, shares (%)."""
    sums = table.groupby("year")[["hours", "hours_with_data", "archive_missing_hours"]].sum()
    out = sums.copy()
    out["share_any"] = 100.0 * sums["hours_with_data"] / sums["hours"]
    for c in POLLUTANTS:
        out[f"share_{c}"] = (table[f"share_{c}"] * table["hours"]).groupby(table["year"]).sum() / sums["hours"]
    return out.reset_index()


class CoverageSummary(NamedTuple):
    """The whole period of :func:`hourly_coverage` in numbers, and its least covered month."""

    start: str          # first month, YYYY-MM
    end: str            # last month, YYYY-MM
    hours: int
    with_data: int
    share: float        # %
    archive: int        # hours absent from the archive
    worst: str          # the month with the lowest share, YYYY-MM (the first of ties)
    worst_share: float  # %


def summarise_coverage(table: pd.DataFrame) -> CoverageSummary:
    """:class:`CoverageSummary` of a non-empty :func:`hourly_coverage` table."""
    if not len(table):
        raise ValueError("summarise_coverage: the coverage table is empty (no month in the period)")
    ym = table["year"].astype(str) + "-" + table["month"].map("{:02d}".format)
    worst = int(table["share_any"].to_numpy().argmin())
    return CoverageSummary(start=ym.iloc[0], end=ym.iloc[-1], hours=int(table["hours"].sum()),
                           with_data=int(table["hours_with_data"].sum()),
                           share=100.0 * table["hours_with_data"].sum() / table["hours"].sum(),
                           archive=int(table["archive_missing_hours"].sum()),
                           worst=ym.iloc[worst], worst_share=float(table["share_any"].iloc[worst]))


def _ts(value) -> pd.Timestamp:
    t = pd.Timestamp(value)
    return t.tz_localize(TZ) if t.tz is None else t.tz_convert(TZ)

"""Time variation of a pollutant: diurnal, weekday and monthly profiles, hour × month.

The analyses of openair's ``timeVariation`` and ``trendLevel`` on the hourly archive:

* ``bootstrap_mean`` — the mean of some values and its percentile-bootstrap interval
  (seeded; the number of resamples and the seed are recorded);
* ``compute_profile`` — the mean by hour of the day, day of the week or month, each
  with its bootstrap interval, for any column and any split (``none``, ``year``,
  ``season``, ``warm`` (May–September), ``heating`` (15 Nov – 15 Mar); see
  :mod:`yqplan.air.seasons`) → ``Profile``;
* ``hour_month_matrix`` — the mean by hour of the day × month of the year.

Hours are the archive's hour labels in Beijing time (CNEMC labels an hourly value by
the end of its hour: the value at 08:00 is the mean of 07:00–08:00).  Values are the
hourly values as published (no daily validity rule: a profile describes the hours
present).  See ``docs/time_variation.md``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from yqplan.air import seasons

__all__ = ["BY", "DAILY_COLUMN", "UNITS", "DEFAULT_RESAMPLES", "DEFAULT_SEED", "Profile", "bootstrap_mean",
           "compute_profile", "hour_month_matrix", "local_times"]

#: Hourly column → the daily value a calendar shows for it (O3: the daily max 8h mean).
DAILY_COLUMN = {"o3": "o3_8h_max", "pm25": "pm25", "pm10": "pm10", "no2": "no2", "so2": "so2",
                "co": "co", "aqi": "aqi"}
#: Units of the hourly columns.
UNITS = {"o3": "µg/m³", "pm25": "µg/m³", "pm10": "µg/m³", "no2": "µg/m³", "so2": "µg/m³",
         "co": "mg/m³", "aqi": ""}
#: What a profile is taken over.
BY = ("hour", "weekday", "month")
DEFAULT_RESAMPLES = 200
DEFAULT_SEED = 20230101


#: :func:`yqplan.air.seasons.local_times`, re-exported.
local_times = seasons.local_times


def bootstrap_mean(values, *, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                   confidence: float = 0.95, rng=None) -> tuple[float, float, float, int]:
    """Mean of ``values`` (NaN dropped) and its percentile-bootstrap interval.

    Parameters
    ----------
    values : array-like of float
    n_resamples : int
        Resamples with replacement, each of the same size as the data.
    seed : int
        Seed of ``numpy.random.default_rng`` (ignored when ``rng`` is given).
    confidence : float
        Central interval of the resampled means (0.95: the 2.5th and 97.5th percentiles).

    Returns
    -------
    (mean, low, high, n) — NaN for all three with no value; with one value the
    interval collapses onto it.

    Notes
    -----
    Efron's percentile bootstrap, as openair's ``timeVariation`` draws its intervals
    of the mean.
    """
    if n_resamples < 1:
        raise ValueError(f"n_resamples: {n_resamples!r} must be at least 1")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: {confidence!r} must be between 0 and 1")
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    rng = rng if rng is not None else np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_resamples, n))
    means = x[idx].mean(axis=1)
    a = (1 - confidence) / 2
    lo, hi = np.quantile(means, [a, 1 - a])
    return float(x.mean()), float(lo), float(hi), n


@dataclasses.dataclass(frozen=True)
class Profile:
    """A profile of one column: mean and bootstrap interval per key and split group.

    Attributes
    ----------
    table : DataFrame ``group`` (split label), ``key`` (hour 0–23, weekday 0 = Monday …
        6, or month 1–12), ``mean``, ``low``, ``high`` (interval of the mean), ``n``
        (values)
    column, by, split : what was profiled, over what, split how
    n_resamples, seed, confidence : the bootstrap settings (recorded for the report)
    """

    table: pd.DataFrame
    column: str
    by: str
    split: str
    n_resamples: int
    seed: int
    confidence: float


def _keys(t: pd.DatetimeIndex, by: str) -> np.ndarray:
    if by == "hour":
        return np.asarray(t.hour)
    if by == "weekday":
        return np.asarray(t.day_of_week)
    if by == "month":
        return np.asarray(t.month)
    raise ValueError(f"by: {by!r} is not one of {', '.join(BY)}")


def compute_profile(frame: pd.DataFrame, column: str, by: str = "hour", *, split: str = "none",
                    time_column: str = "time", n_resamples: int = DEFAULT_RESAMPLES,
                    seed: int = DEFAULT_SEED, confidence: float = 0.95,
                    language: str = "zh") -> Profile:
    """Mean of ``column`` by hour, weekday or month, with bootstrap intervals.

    Parameters
    ----------
    frame : DataFrame with ``time_column`` and ``column`` — hourly data (``read_store``;
        ``time``) or daily values (``time_column="date"``) of one location.
    column : the values (``pm25``, ``o3``, ``aqi``, ``o3_8h_max`` …).
    by : {"hour", "weekday", "month"}
    split : one of :data:`yqplan.air.seasons.SPLITS` (labels by :func:`yqplan.air.seasons.split_labels`).
    n_resamples, seed, confidence : see :func:`bootstrap_mean`; one generator seeded
        once draws every group's resamples in a fixed order (groups sorted, then keys).

    Returns
    -------
    Profile
    """
    if column not in frame.columns:
        raise ValueError(f"column: {column!r} is not in the data; expected one of "
                         f"{', '.join(c for c in frame.columns if c not in ('time', 'city', 'station'))}")
    t = local_times(frame[time_column])
    keys = _keys(t, by)
    groups = seasons.split_labels(t, split, language)
    vals = frame[column].to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    rows = []
    for g in sorted(set(groups.tolist())):
        gm = groups == g
        for k in sorted(set(keys[gm].tolist())):
            m, lo, hi, n = bootstrap_mean(vals[gm & (keys == k)], n_resamples=n_resamples,
                                          confidence=confidence, rng=rng)
            rows.append({"group": g, "key": int(k), "mean": m, "low": lo, "high": hi, "n": n})
    table = pd.DataFrame(rows, columns=["group", "key", "mean", "low", "high", "n"])
    return Profile(table, column, by, split, int(n_resamples), int(seed), float(confidence))


def hour_month_matrix(frame: pd.DataFrame, column: str, *, time_column: str = "time",
                      year: int | None = None) -> pd.DataFrame:
    """Mean of ``column`` by hour of the day (rows 0–23) × month (columns 1–12).

    ``year`` limits the data to one year; cells without values are NaN.
    """
    t = local_times(frame[time_column])
    vals = frame[column].to_numpy(dtype=float)
    keep = ~np.isnan(vals)
    if year is not None:
        keep &= np.asarray(t.year == int(year))
    df = pd.DataFrame({"hour": np.asarray(t.hour)[keep], "month": np.asarray(t.month)[keep],
                       "v": vals[keep]})
    out = df.pivot_table(index="hour", columns="month", values="v", aggfunc="mean")
    return out.reindex(index=range(24), columns=range(1, 13))

"""Exceedance days, heavy-pollution episodes and the 秋冬季 campaign periods.

From the daily values and daily AQI of one city (``yqplan.analyses.assess_air``):

* ``exceedance_days`` — days each pollutant was over its limit (IAQI > 100, HJ 633—2012
  §3.6), by year or month;
* ``find_episodes`` — runs of consecutive days with AQI above a level (default 200,
  重度污染 and worse), with start, end, length, peak AQI, peak day and the primary
  pollutant;
* ``campaign_stats`` — the plan's 秋冬季 periods (1 October – 31 March): PM2.5, good
  days, heavy days and episodes, each compared with the previous campaign, partial
  campaigns labelled so.

See ``docs/ozone_and_episodes.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yqplan.air import stats as airstats
from yqplan.air import seasons
from yqplan.air.ozone import POLLUTANT_NAMES, exceeding_mask, one_location
from yqplan.report import words

__all__ = ["HEAVY_LEVEL", "exceedance_days", "find_episodes", "campaign_stats"]

#: AQI above which a day is heavily polluted (HJ 633 Table 2: 201–300 重度污染).
HEAVY_LEVEL = 200

_EPISODE_COLUMNS = ["start", "end", "length", "peak_aqi", "peak_date", "mean_aqi",
                    "peak_primary", "primary"]


def exceedance_days(days: pd.DataFrame, by: str = "year", *,
                    location: str | None = None) -> pd.DataFrame:
    """Days each pollutant exceeded (IAQI > 100), one row per period, one column per pollutant.

    Returns
    -------
    DataFrame indexed by period ("2023" or "2023-07"), columns the display names of
    the pollutants of the daily AQI (PM2.5, PM10, O3_8h, O3_1h (2012 only), NO2, SO2,
    CO) plus ``any`` (days with at least one pollutant over) and ``valid_days``.
    """
    if by not in ("year", "month"):
        raise ValueError(f"by: {by!r} is not one of year, month")
    days = one_location(days, location)
    per = days["date"].dt.to_period("Y" if by == "year" else "M").astype(str).to_numpy()
    cols = {}
    for key, name in POLLUTANT_NAMES.items():
        if f"iaqi_{key}" in days.columns:
            cols[name] = exceeding_mask(days, key)
    frame = pd.DataFrame(cols)
    frame["any"] = frame.any(axis=1) if cols else False
    frame["valid_days"] = days["aqi"].notna().to_numpy()
    frame["period"] = per
    out = frame.groupby("period").sum().astype(int)
    return out


def find_episodes(days: pd.DataFrame, level: float = HEAVY_LEVEL, *, min_length: int = 1,
                  location: str | None = None) -> pd.DataFrame:
    """Runs of consecutive days with daily AQI above ``level``.

    Parameters
    ----------
    days : daily values and AQI of one location (``assess_air``).
    level : float
        A day belongs to an episode when its AQI is **above** ``level`` (default 200:
        heavy pollution, HJ 633 Table 2).
    min_length : int
        Shortest run kept, in days (default 1: a single heavy day is an episode).

    Returns
    -------
    DataFrame, one row per episode, oldest first: ``start``, ``end`` (Timestamp,
    inclusive), ``length`` (days), ``peak_aqi``, ``peak_date`` (first day at the peak),
    ``mean_aqi``, ``peak_primary`` (the primary pollutant of the peak day),
    ``primary`` (the pollutant primary on most days of the run; ties: the one of the
    peak day, else the first in ``yqplan.air.aqi.POLLUTANTS`` order).

    Notes
    -----
    A day without a valid AQI, or absent from ``days``, ends a run: an episode is
    never bridged across a gap in the data.
    """
    if min_length < 1:
        raise ValueError(f"min_length: {min_length!r} must be at least 1")
    days = one_location(days, location)
    if days.empty:
        return pd.DataFrame(columns=_EPISODE_COLUMNS)
    d = days.drop_duplicates("date").set_index("date")
    full = pd.date_range(d.index.min(), d.index.max(), freq="D")
    aqi = d["aqi"].reindex(full).to_numpy(dtype=float)
    prim = d["primary_pollutant"].reindex(full).fillna("").astype(str).to_numpy()
    with np.errstate(invalid="ignore"):
        above = aqi > level
    # run boundaries: +1 where a run starts, -1 one past where it ends
    edges = np.diff(np.concatenate([[0], above.astype(int), [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    order = ["pm25", "pm10", "o3_8h", "o3_1h", "no2", "so2", "co"]
    rows = []
    for s, e in zip(starts, ends):
        n = e - s + 1
        if n < min_length:
            continue
        seg = aqi[s:e + 1]
        k = s + int(np.argmax(seg))
        counts = {}
        for p in prim[s:e + 1]:
            for q in filter(None, p.split(",")):
                counts[q] = counts.get(q, 0) + 1
        peak_p = prim[k]
        if counts:
            best = max(counts.values())
            tied = [q for q in counts if counts[q] == best]
            peak_first = peak_p.split(",")[0] if peak_p else ""
            main = (peak_first if peak_first in tied
                    else sorted(tied, key=lambda q: order.index(q) if q in order else 99)[0])
        else:
            main = ""
        rows.append({"start": full[s], "end": full[e], "length": int(n),
                     "peak_aqi": float(seg.max()), "peak_date": full[k],
                     "mean_aqi": float(seg.mean()), "peak_primary": peak_p, "primary": main})
    return pd.DataFrame(rows, columns=_EPISODE_COLUMNS)


def campaign_stats(days: pd.DataFrame, *, level: float = HEAVY_LEVEL,
                   location: str | None = None, language: str = "zh") -> pd.DataFrame:
    """Statistics of each 秋冬季 campaign (1 Oct – 31 Mar) the data touch, with the change.

    Returns
    -------
    DataFrame, one row per campaign, oldest first: ``campaign`` (first year),
    ``label`` (``"2022—2023年秋冬季"``, "（不完整）" when partial; English with
    ``language="en"``), ``start``, ``end`` (the campaign's dates), ``data_first``,
    ``data_last``, ``partial``, ``valid_days``, ``pm25`` (mean of valid daily means
    [µg/m³], ``yqplan.air.stats.compute_period_stats``), ``good_days``, ``good_ratio``
    [%], ``heavy_days`` (AQI > 200), ``episodes`` (runs above ``level``),
    ``episode_days``, and against the previous campaign in the table
    ``pm25_change_pct`` [%], ``good_ratio_change`` [percentage points],
    ``heavy_days_change`` [days] — NaN when either campaign is partial (a partial
    campaign is never compared as a whole one) or there is no previous one.
    """
    days = one_location(days, location)
    cols = ["campaign", "label", "start", "end", "data_first", "data_last", "partial",
            "valid_days", "pm25", "good_days", "good_ratio", "heavy_days", "episodes",
            "episode_days", "pm25_change_pct", "good_ratio_change", "heavy_days_change"]
    if days.empty:
        return pd.DataFrame(columns=cols)
    episodes = find_episodes(days, level)
    rows = []
    for c in seasons.campaign_periods(days["date"]):
        st = airstats.compute_period_stats(days, c.start, c.end, period=c.label_en,
                                           period_kind="custom")
        s = st[0] if st else None
        inside = episodes[(episodes["start"] >= pd.Timestamp(c.start))
                          & (episodes["start"] <= pd.Timestamp(c.end))]
        rows.append({"campaign": c.first_year, "label": words.pick((c.label, c.label_en), language),
                     "start": pd.Timestamp(c.start), "end": pd.Timestamp(c.end),
                     "data_first": pd.Timestamp(c.data_first),
                     "data_last": pd.Timestamp(c.data_last), "partial": c.partial,
                     "valid_days": s.valid_days if s else 0, "pm25": s.pm25 if s else np.nan,
                     "good_days": s.good_days if s else 0,
                     "good_ratio": s.good_ratio if s else np.nan,
                     "heavy_days": s.heavy_days if s else 0, "episodes": len(inside),
                     "episode_days": int(inside["length"].sum()) if len(inside) else 0})
    out = pd.DataFrame(rows)
    prev = out.shift(1)
    comparable = (~out["partial"]) & (prev["partial"] == False)  # noqa: E712 (NaN → False)
    comparable &= prev["campaign"] == out["campaign"] - 1
    out["pm25_change_pct"] = np.where(comparable, (out["pm25"] - prev["pm25"]) / prev["pm25"] * 100,
                                      np.nan)
    out["good_ratio_change"] = np.where(comparable, out["good_ratio"] - prev["good_ratio"], np.nan)
    out["heavy_days_change"] = np.where(comparable, out["heavy_days"] - prev["heavy_days"], np.nan)
    return out[cols]

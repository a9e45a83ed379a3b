"""Periods of the calendar the air analyses split by: seasons, heating season, campaigns.

* the warm (ozone) season May–September and the rest of the year (``warm_season``);
* the meteorological seasons spring (3–5), summer (6–8), autumn (9–11), winter (12–2)
  (``season``);
* the heating season 15 November – 15 March (``heating_season``);
* the 秋冬季 campaign periods 1 October – 31 March of the plan (``campaign_of``,
  ``campaign_periods``), labelled ``"2022—2023年秋冬季"``;
* how much of each calendar year the data cover (``year_coverage``): a year that is not
  complete by :func:`yqplan.air.periods.whole_year` (the rule of the verdicts) is *partial*
  and is never compared as a full year.

All functions take dates (anything ``pandas.to_datetime`` reads; local dates, no time
zone) and are vectorised.  See ``docs/air_periods.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt

import numpy as np
import pandas as pd

from yqplan.air import periods
from yqplan.report import words

__all__ = ["local_times", "WARM_MONTHS", "SPLITS", "Campaign", "warm_season", "season", "heating_season",
           "campaign_of", "campaign_label", "campaign_periods", "split_labels",
           "year_coverage", "year_label", "year_labels", "report_year", "span_partial",
           "EDGE_GAP_DAYS"]

#: The ozone season (plan §5.1.4: summer ozone control), months 5–9.
WARM_MONTHS = (5, 6, 7, 8, 9)
#: Heating season in northern Shanxi cities: 15 November to 15 March (inclusive).
HEATING_START = (11, 15)
HEATING_END = (3, 15)
#: The 秋冬季 campaign: 1 October to 31 March of the next year.
CAMPAIGN_START_MONTH = 10
CAMPAIGN_END_MONTH = 3
#: Splits understood by :func:`split_labels`.
SPLITS = ("none", "year", "season", "warm", "heating")

_SEASONS = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring",
            6: "summer", 7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}


def local_times(dates) -> pd.DatetimeIndex:
    """Beijing local clock times (naive) of tz-aware or naive times."""
    idx = pd.DatetimeIndex(pd.to_datetime(dates))
    if idx.tz is not None:
        idx = idx.tz_convert("Asia/Shanghai").tz_localize(None)
    return idx


def warm_season(dates) -> np.ndarray:
    """True for days in May–September (the ozone season), False otherwise."""
    return np.isin(local_times(dates).month, WARM_MONTHS)


def season(dates, language: str = "zh") -> np.ndarray:
    """Meteorological season of each date: 春季/夏季/秋季/冬季 (or spring … winter).

    December belongs to the winter of the *same* label (no year attached).
    """
    names = {m: words.word(f"season.{s}", language) for m, s in _SEASONS.items()}
    return np.array([names[m] for m in local_times(dates).month], dtype=object)


def heating_season(dates) -> np.ndarray:
    """True from 15 November to 15 March inclusive (the heating season), False otherwise."""
    d = local_times(dates)
    md = d.month * 100 + d.day
    return np.asarray((md >= HEATING_START[0] * 100 + HEATING_START[1])
                      | (md <= HEATING_END[0] * 100 + HEATING_END[1]))


def campaign_of(dates) -> np.ndarray:
    """First year of the 秋冬季 campaign (1 Oct – 31 Mar) each date falls in; -1 outside.

    1 October 2022 … 31 March 2023 → 2022; April–September → -1.
    """
    d = local_times(dates)
    y = np.asarray(d.year)
    m = np.asarray(d.month)
    out = np.where(m >= CAMPAIGN_START_MONTH, y, np.where(m <= CAMPAIGN_END_MONTH, y - 1, -1))
    return out.astype(int)


def campaign_label(first_year: int, language: str = "zh", partial: bool = False) -> str:
    """``"2022—2023年秋冬季"`` (``"autumn–winter 2022–2023"``), with "（不完整）" when partial."""
    return (words.word("season.campaign", language, first=first_year, last=first_year + 1)
            + (words.word("season.partial", language) if partial else ""))


@dataclasses.dataclass(frozen=True)
class Campaign:
    """One 秋冬季 campaign period and how much of it the data cover.

    Attributes
    ----------
    first_year : the campaign runs 1 October ``first_year`` – 31 March ``first_year + 1``
    start, end : those two dates
    data_first, data_last : first and last day with data inside the period
    partial : the data's span starts after ``start`` or ends before ``end`` by more than
        ``EDGE_GAP_DAYS`` (``span_partial``)
    label, label_en : ``campaign_label`` in Chinese and English
    """

    first_year: int
    start: _dt.date
    end: _dt.date
    data_first: _dt.date
    data_last: _dt.date
    partial: bool
    label: str
    label_en: str


def campaign_periods(dates) -> list[Campaign]:
    """The campaigns the dates touch, oldest first, each marked partial or complete."""
    d = local_times(dates)
    camp = campaign_of(d)
    out = []
    for y in sorted(set(camp[camp >= 0].tolist())):
        inside = d[camp == y]
        start, end = _dt.date(y, 10, 1), _dt.date(y + 1, 3, 31)
        first, last = inside.min().date(), inside.max().date()
        partial = span_partial(start, end, d.min(), d.max())
        out.append(Campaign(y, start, end, first, last, partial,
                            campaign_label(y, "zh", partial), campaign_label(y, "en", partial)))
    return out


def split_labels(dates, split: str = "none", language: str = "zh") -> np.ndarray:
    """A label per date for the split of a profile.

    ``none`` (one group: "全部"/"all"), ``year`` ("2023"), ``season`` (春季 …),
    ``warm`` (暖季5—9月 / 其他月份), ``heating`` (供暖季 / 非供暖季).
    """
    d = local_times(dates)
    if split == "none":
        return np.full(len(d), words.word("season.all", language), dtype=object)
    if split == "year":
        return np.asarray(d.year.astype(str), dtype=object)
    if split == "season":
        return season(d, language)
    if split == "warm":
        return np.where(warm_season(d), words.word("season.warm", language),
                        words.word("season.not_warm", language)).astype(object)
    if split == "heating":
        return np.where(heating_season(d), words.word("season.heating", language),
                        words.word("season.not_heating", language)).astype(object)
    raise ValueError(f"split: {split!r} is not one of {', '.join(SPLITS)}")


#: Days missing at the start or end of the data's span that still leave a campaign whole (a gap,
#: judged by the validity rules, not a late start or an early end).  Calendar years are not
#: judged by span: :func:`yqplan.air.periods.whole_year` (GB 3095's annual count) decides them.
#: A 秋冬季 campaign (1 October – 31 March) straddles two years and has no count rule of its
#: own in GB 3095 or HJ 663, so its data's span decides.
EDGE_GAP_DAYS = 7


def span_partial(start, end, data_first, data_last, tolerance: int = EDGE_GAP_DAYS) -> bool:
    """True when the data's span ``data_first … data_last`` misses more than ``tolerance``
    days at the start or the end of the period ``start … end``."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    first, last = pd.Timestamp(data_first), pd.Timestamp(data_last)
    return bool((first - start).days > tolerance or (end - last).days > tolerance)


def year_coverage(dates) -> pd.DataFrame:
    """The calendar years the dates touch and whether each is covered whole.

    Returns
    -------
    DataFrame, one row per year: ``year``, ``first`` and ``last`` (first and last date
    present in that year, Timestamp), ``n_dates`` (distinct dates present), ``partial``
    (not a complete year by THE rule of :func:`yqplan.air.periods.whole_year`, as
    :func:`yqplan.air.periods.derive_periods` decides for the verdicts: at least 324 dates
    and all twelve months; the real archive ending on 2024-02-24 makes 2024 partial).
    Campaigns and months are judged by their span instead (:func:`span_partial`).
    """
    d = pd.Series(local_times(dates).normalize().unique())
    if d.empty:
        return pd.DataFrame(columns=["year", "first", "last", "n_dates", "partial"])
    g = d.groupby(d.dt.year)
    out = pd.DataFrame({"first": g.min(), "last": g.max(), "n_dates": g.size(),
                        "n_months": d.dt.month.groupby(d.dt.year).nunique()})
    out.index.name = "year"
    out = out.reset_index()
    out["partial"] = ~periods.whole_year(out["n_dates"], out["n_months"]).astype(bool)
    return out.drop(columns="n_months")


def year_label(year: int, coverage: pd.DataFrame | None = None, language: str = "zh") -> str:
    """``"2023"``, or ``"2024（1月1日—2月24日，不完整）"`` when ``coverage`` marks it partial."""
    if coverage is not None and len(coverage):
        row = coverage[coverage["year"] == int(year)]
        if len(row) and bool(row["partial"].iloc[0]):
            f, la = row["first"].iloc[0], row["last"].iloc[0]
            return words.word("season.partial_year", language, year=year, d0=f.day, d1=la.day,
                              m0=words.word(f"date.month.{f.month}", language),
                              m1=words.word(f"date.month.{la.month}", language))
    return str(year)


def year_labels(years, coverage: pd.DataFrame | None = None, language: str = "zh") -> list[str]:
    """``year_label`` of each year (text or int) in ``years``."""
    return [year_label(int(y), coverage, language) for y in years]


def report_year(coverage: pd.DataFrame, year: int) -> int:
    """The year a report shows: ``year`` when the data have it, else the latest whole year,
    else the latest year (a report on data ending before its ``year`` still says something)."""
    if coverage is None or len(coverage) == 0:
        return int(year)
    years = coverage["year"].astype(int).tolist()
    if int(year) in years:
        return int(year)
    whole = coverage.loc[~coverage["partial"].astype(bool), "year"].astype(int).tolist()
    earlier = [y for y in (whole or years) if y <= int(year)] or (whole or years)
    return max(earlier)

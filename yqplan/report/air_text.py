"""Sentences of the ozone, episode, time-variation, region and edition reports.

Every sentence that states a direction or a comparison is built here from the numbers
(``direction`` chooses 高于/低于/持平 from their sign), never written into a notebook,
so each can be tested.  Each function returns ``(zh, en)``.
"""

from __future__ import annotations

import math

import pandas as pd

from yqplan.air.ozone import POLLUTANT_NAMES
from yqplan.air.seasons import year_label
from yqplan.report import words

__all__ = ["direction", "ozone_sentence", "seasons_sentence", "episodes_sentence",
           "campaign_sentence", "region_sentence", "editions_sentence", "profile_sentence",
           "TERM_NAMES", "INDICATOR_NAMES", "pollutant_names", "view"]

_NAMES = {**POLLUTANT_NAMES, "": "—"}


def direction(a: float, b: float, *, tol: float = 0.0, language: str = "zh",
              higher: tuple = words.WORDS["compare.higher"], lower: tuple = words.WORDS["compare.lower"],
              same: tuple = words.WORDS["compare.same"]) -> str:
    """The word comparing ``a`` with ``b``: higher, lower, or level within ``tol``."""
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (
            isinstance(b, float) and math.isnan(b)):
        return words.word("compare.not_comparable", language)
    if abs(a - b) <= tol:
        return words.pick(same, language)
    return words.pick(higher if a > b else lower, language)


def _both(sentence) -> tuple[str, str]:
    """(Chinese, English): ``sentence(language)`` in each language."""
    return tuple(sentence(language) for language in words.LANGUAGES)


def ozone_sentence(by_year: pd.DataFrame, year: int, coverage=None) -> tuple[str, str]:
    """O3 8h p90 of ``year`` against the limit, exceedance and primary days, vs the year before."""
    t = by_year.set_index("period")
    key = str(year)
    if key not in t.index:
        return _both(lambda language: words.word("ozone.no_data", language, year=year))
    r = t.loc[key]
    over = r["o3_8h_p90"] > 160
    prev = str(year - 1)
    compare = prev in t.index and not bool(r["partial"]) and not bool(t.loc[prev, "partial"])

    def sentence(language):
        text = words.word("ozone.summary", language, label=year_label(year, coverage, language),
                          p90=r["o3_8h_p90"],
                          over=words.word("ozone.above" if over else "ozone.within", language),
                          exceed=int(r["o3_exceed_days"]), primary=int(r["o3_primary_days"]),
                          nongood=int(r["nongood_days"]),
                          nongood_exceed=int(r["nongood_o3_exceed_days"]))
        if compare:
            a, b = float(r["o3_8h_p90"]), float(t.loc[prev, "o3_8h_p90"])
            text += words.word("ozone.vs_year_before", language, year=year - 1, p90=b,
                               direction=direction(a, b, tol=0.5, language=language))
        return text

    return _both(sentence)


def seasons_sentence(seasons_table: pd.DataFrame, year: int) -> tuple[str, str]:
    """Good-day ratio of the warm season against the other months of ``year``."""
    t = seasons_table[seasons_table["year"] == year].set_index("part")
    if not {"warm", "other"} <= set(t.index):
        return _both(lambda language: words.word("ozone.no_season_comparison", language, year=year))
    w, o = t.loc["warm"], t.loc["other"]

    def sentence(language):
        text = words.word("ozone.warm_season", language, year=year, warm=w["good_ratio"],
                          other=o["good_ratio"],
                          direction=direction(w["good_ratio"], o["good_ratio"], tol=0.05,
                                              language=language),
                          warm_o3=int(w["o3_primary_days"]), other_o3=int(o["o3_primary_days"]))
        return text + (words.word("air.year_partial", language) if bool(w["partial"]) else "")

    return _both(sentence)


def episodes_sentence(episodes: pd.DataFrame, year: int, level: float = 200) -> tuple[str, str]:
    """How many episodes started in ``year``, their days, the longest and the highest."""
    e = episodes[episodes["start"].dt.year == year]
    if e.empty:
        return _both(lambda language: words.word("episodes.none", language, year=year, level=level))
    longest = e.loc[e["length"].idxmax()]
    peak = e.loc[e["peak_aqi"].idxmax()]

    def sentence(language):
        day = words.word("date.strftime_day_month", language)
        return words.word(
            "episodes.summary", language, year=year, n=len(e), level=level,
            days=int(e["length"].sum()), longest=int(longest["length"]),
            start=longest["start"].strftime(day), primary=_NAMES.get(longest["primary"], longest["primary"]),
            peak=peak["peak_aqi"], peak_date=peak["peak_date"].strftime(day),
            peak_primary=_NAMES.get(peak["peak_primary"].split(",")[0], peak["peak_primary"]))

    return _both(sentence)


def campaign_sentence(campaigns: pd.DataFrame) -> tuple[str, str]:
    """The latest complete campaign against the one before (or why there is no comparison)."""
    full = campaigns[~campaigns["partial"]]
    if full.empty:
        return _both(lambda language: words.word("episodes.no_complete_campaign", language))
    r = full.iloc[-1]
    prev = (campaigns[campaigns["campaign"] == r["campaign"] - 1].iloc[0]
            if pd.notna(r["pm25_change_pct"]) else None)

    def sentence(language):
        text = words.word("episodes.campaign", language, label=r["label"], pm25=r["pm25"],
                          ratio=r["good_ratio"], heavy=int(r["heavy_days"]))
        if prev is None:
            return text + words.word("episodes.no_previous_campaign", language)
        return text + words.word(
            "episodes.vs_previous_campaign", language, prev=prev["pm25"],
            change=r["pm25_change_pct"],
            direction=direction(r["pm25"], prev["pm25"], tol=0.05, language=language))

    return _both(sentence)


def region_sentence(comparison: pd.DataFrame, city: str, year: int) -> tuple[str, str]:
    """``city``'s PM2.5 and good-day ratio of ``year`` against each region's mean."""
    t = comparison[comparison["year"] == year]
    if t.empty:
        return _both(lambda language: words.word("regions.no_comparison", language, year=year))
    own = t.iloc[0]

    def sentence(language):
        parts = [words.word(
            "regions.vs_region", language, region=r.region, pm25_region=r.pm25_region,
            n=r.n_cities, good_region=r.good_ratio_region,
            pm25_direction=direction(r.pm25_city, r.pm25_region, tol=0.05, language=language),
            good_direction=direction(r.good_ratio_city, r.good_ratio_region, tol=0.05,
                                     language=language))
            for r in t.itertuples(index=False)]
        text = words.word("regions.summary", language, year=year, city=city, pm25=own["pm25_city"],
                          good=own["good_ratio_city"],
                          parts=words.word("punct.clause_sep", language).join(parts))
        return text + (words.word("air.year_partial", language) if bool(own["partial"]) else "")

    return _both(sentence)


def editions_sentence(table: pd.DataFrame, changes: pd.DataFrame, year: int) -> tuple[str, str]:
    """Good-day ratio of ``year`` under both editions and what moved the days."""
    t = table.set_index("year")
    if year not in t.index:
        return _both(lambda language: words.word("editions.no_data", language, year=year))
    r = t.loc[year]
    c = changes[changes["date"].dt.year == year]
    lost = c[c["good_2012"] & ~c["good_2026"]]
    by = lost["cause"].value_counts()
    diff = r["good_ratio_diff"]
    diff_key = ("editions.diff_lower" if diff < 0 else "editions.diff_higher" if diff > 0
                else "editions.diff_same")

    def sentence(language):
        text = words.word("editions.summary", language, year=year, r2012=r["good_ratio_2012"],
                          r2026=r["good_ratio_2026"], lost=len(lost),
                          diff=words.word(diff_key, language, pts=abs(diff)))
        if len(by):
            text += words.word("editions.causes", language, items=words.word("punct.comma", language).join(
                words.word("editions.cause_days", language, n=v,
                           name=_NAMES.get(k, k) if k != "other" else words.word("editions.other", language))
                for k, v in by.items()))
        if int(r.get("days_2026_rule", 0)):
            text += words.word("editions.days_2026_rule", language, n=int(r["days_2026_rule"]))
        return text + words.word("punct.stop", language)

    return _both(sentence)


def profile_sentence(profile) -> tuple[str, str]:
    """Where each group of a ``yqplan.air.timevar.Profile`` peaks and bottoms out."""
    t = profile.table
    if t.empty:
        return _both(lambda language: words.word("air.no_data", language))

    def key(k, language):
        k = int(k)
        if profile.by == "hour":
            return words.word("date.hour", language, hour=k)
        if profile.by == "weekday":
            return words.word(f"date.weekday_name.{k + 1}", language)
        return words.word(f"date.month_name.{k}", language)

    def sentence(language):
        parts = []
        for g, sub in t.groupby("group", sort=True):
            hi = sub.loc[sub["mean"].idxmax()]
            lo = sub.loc[sub["mean"].idxmin()]
            parts.append(words.word("timevar.peak_and_low", language, group=g,
                                    high=key(hi["key"], language), high_mean=hi["mean"],
                                    low=key(lo["key"], language), low_mean=lo["mean"]))
        return words.word("punct.clause_sep", language).join(parts) + words.word("punct.stop", language)

    return _both(sentence)


#: Column → (Chinese, English) header of the tables these reports show (from the catalogue
#: :data:`yqplan.glossary.COLUMNS`, which also holds their units and formats).


#: Composite-index terms (``yqplan.air.stats.COMPOSITE_LIMITS``) for readers.
TERM_NAMES = {"so2": "SO2", "no2": "NO2", "pm10": "PM10", "pm25": "PM2.5",
              "co_p95": "CO P95", "o3_8h_p90": "O3_8h P90"}
_POLLUTANT_COLUMNS = ("primary", "peak_primary", "pollutant", "composite_primary")
#: Indicator keys of :func:`yqplan.editions.changed_breakpoints` → (Chinese, English)
#: (catalogue ``breakpoint.*``).
INDICATOR_NAMES = words.section("breakpoint")


def pollutant_names(values) -> pd.Series:
    """Pollutant keys (``"pm25,o3_8h"``) as display names (``"PM2.5, O3_8h"``)."""
    s = pd.Series(values)
    return s.fillna("").astype(str).map(
        lambda v: ", ".join(_NAMES.get(k, TERM_NAMES.get(k, k)) for k in v.split(",")) if v else "—")


def view(df: pd.DataFrame, columns, language: str = "zh") -> pd.DataFrame:
    """``df[columns]`` for :func:`yqplan.present.show_table`: pollutant keys as names, values
    otherwise untouched (headers, units, rounding and the CSV download are the table's).
    Columns absent from ``df`` are skipped."""
    cols = [c for c in columns if c in df.columns]
    out = df[cols].copy()
    for c in cols:
        if c in _POLLUTANT_COLUMNS:
            out[c] = pollutant_names(out[c].to_numpy()).to_numpy()
        elif c == "indicator":
            out[c] = out[c].map(lambda v: _indicator_name(v, language))
    return out


def _indicator_name(key, language: str) -> str:
    """``pm10_24h`` → ``PM10 24小时平均``; ``o3_1h_max (2012 daily report only)`` in words too."""
    base, _, note = str(key).partition(" (")
    name = words.pick(INDICATOR_NAMES.get(base, (base, base)), language)
    if note.startswith("2012 daily report only"):
        name += words.word("air.daily_report_2012_only", language)
    elif note:
        name += f" ({note}"
    return name

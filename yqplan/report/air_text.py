"""Sentences of the ozone, episode, time-variation, region and edition reports.

Every sentence that states a direction or a comparison is built here from the numbers
(``direction`` chooses 高于/低于/持平 from their sign), never written into a notebook,
so each can be tested.  Each function returns ``(zh, en)``.
"""

from __future__ import annotations

import math

import pandas as pd

from yqplan.air.seasons import year_label
from yqplan.glossary import COLUMNS as _COLUMNS
from yqplan.report import words

__all__ = ["direction", "ozone_sentence", "seasons_sentence", "episodes_sentence",
           "campaign_sentence", "region_sentence", "editions_sentence", "profile_sentence",
           "COLUMN_NAMES", "TERM_NAMES", "INDICATOR_NAMES", "pollutant_names", "view"]

_NAMES = {"pm25": "PM2.5", "pm10": "PM10", "o3_8h": "O3_8h", "o3_1h": "O3_1h", "no2": "NO2",
          "so2": "SO2", "co": "CO", "": "—"}


def direction(a: float, b: float, *, tol: float = 0.0, language: str = "zh",
              higher: tuple = ("高于", "higher than"), lower: tuple = ("低于", "lower than"),
              same: tuple = ("持平于", "level with")) -> str:
    """The word comparing ``a`` with ``b``: higher, lower, or level within ``tol``."""
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (
            isinstance(b, float) and math.isnan(b)):
        return words.word("compare.not_comparable", language)
    if abs(a - b) <= tol:
        return words.pick(same, language)
    return words.pick(higher if a > b else lower, language)


def ozone_sentence(by_year: pd.DataFrame, year: int, coverage=None) -> tuple[str, str]:
    """O3 8h p90 of ``year`` against the limit, exceedance and primary days, vs the year before."""
    t = by_year.set_index("period")
    key = str(year)
    if key not in t.index:
        return (f"{year}年无臭氧数据。", f"No ozone data for {year}.")
    r = t.loc[key]
    lab_zh, lab_en = year_label(year, coverage, "zh"), year_label(year, coverage, "en")
    over = r["o3_8h_p90"] > 160
    zh = (f"{lab_zh}年臭氧日最大8小时平均第90百分位数为 {r['o3_8h_p90']:.0f} µg/m³，"
          f"{'超过' if over else '未超过'}二级标准（160 µg/m³）；臭氧超标 {int(r['o3_exceed_days'])} 天，"
          f"为首要污染物 {int(r['o3_primary_days'])} 天；{int(r['nongood_days'])} 个非优良天中"
          f"臭氧超标 {int(r['nongood_o3_exceed_days'])} 天。")
    en = (f"{lab_en}: the 90th percentile of the O3 daily maximum 8-hour mean was "
          f"{r['o3_8h_p90']:.0f} µg/m³, {'above' if over else 'within'} the Grade II limit "
          f"(160 µg/m³); O3 exceeded on {int(r['o3_exceed_days'])} days and was the primary "
          f"pollutant on {int(r['o3_primary_days'])}; of {int(r['nongood_days'])} non-good days "
          f"O3 exceeded on {int(r['nongood_o3_exceed_days'])}.")
    prev = str(year - 1)
    if prev in t.index and not bool(r["partial"]) and not bool(t.loc[prev, "partial"]):
        a, b = float(r["o3_8h_p90"]), float(t.loc[prev, "o3_8h_p90"])
        zh += f"第90百分位数{direction(a, b, tol=0.5)}{year - 1}年（{b:.0f} µg/m³）。"
        en += (f" The 90th percentile was {direction(a, b, tol=0.5, language='en')} "
               f"{year - 1} ({b:.0f} µg/m³).")
    return zh, en


def seasons_sentence(seasons_table: pd.DataFrame, year: int) -> tuple[str, str]:
    """Good-day ratio of the warm season against the other months of ``year``."""
    t = seasons_table[seasons_table["year"] == year].set_index("part")
    if not {"warm", "other"} <= set(t.index):
        return (f"{year}年暖季或其他月份无数据，不作比较。",
                f"{year}: the warm season or the other months have no data; no comparison.")
    w, o = t.loc["warm"], t.loc["other"]
    zh = (f"{year}年暖季（5—9月）优良天数比例 {w['good_ratio']:.1f}%，"
          f"{direction(w['good_ratio'], o['good_ratio'], tol=0.05)}其他月份（{o['good_ratio']:.1f}%）；"
          f"暖季臭氧为首要污染物 {int(w['o3_primary_days'])} 天，其他月份 {int(o['o3_primary_days'])} 天。")
    en = (f"{year}: the good-day ratio of the warm season (May–September) was "
          f"{w['good_ratio']:.1f} %, {direction(w['good_ratio'], o['good_ratio'], tol=0.05, language='en')}"
          f" the other months ({o['good_ratio']:.1f} %); O3 was the primary pollutant on "
          f"{int(w['o3_primary_days'])} warm-season days and {int(o['o3_primary_days'])} other days.")
    if bool(w["partial"]):
        zh += "（该年数据不完整。）"
        en += " (The year is covered only in part.)"
    return zh, en


def episodes_sentence(episodes: pd.DataFrame, year: int, level: float = 200) -> tuple[str, str]:
    """How many episodes started in ``year``, their days, the longest and the highest."""
    e = episodes[episodes["start"].dt.year == year]
    if e.empty:
        return (f"{year}年没有日AQI连续高于{level:g}的过程。",
                f"No run of days with AQI above {level:g} started in {year}.")
    longest = e.loc[e["length"].idxmax()]
    peak = e.loc[e["peak_aqi"].idxmax()]
    zh = (f"{year}年共 {len(e)} 次日AQI高于{level:g}的过程，合计 {int(e['length'].sum())} 天；"
          f"最长 {int(longest['length'])} 天（{longest['start']:%m月%d日}起，首要污染物 "
          f"{_NAMES.get(longest['primary'], longest['primary'])}），最高AQI {peak['peak_aqi']:.0f}"
          f"（{peak['peak_date']:%m月%d日}，{_NAMES.get(peak['peak_primary'].split(',')[0], peak['peak_primary'])}）。")
    en = (f"{year}: {len(e)} runs of days with AQI above {level:g}, {int(e['length'].sum())} days "
          f"in all; the longest lasted {int(longest['length'])} days (from {longest['start']:%d %b}, "
          f"primary {_NAMES.get(longest['primary'], longest['primary'])}), the highest AQI was "
          f"{peak['peak_aqi']:.0f} ({peak['peak_date']:%d %b}, "
          f"{_NAMES.get(peak['peak_primary'].split(',')[0], peak['peak_primary'])}).")
    return zh, en


def campaign_sentence(campaigns: pd.DataFrame) -> tuple[str, str]:
    """The latest complete campaign against the one before (or why there is no comparison)."""
    full = campaigns[~campaigns["partial"]]
    if full.empty:
        return ("数据中没有完整的秋冬季（10月1日—次年3月31日），不作比较。",
                "No complete autumn–winter campaign (1 October – 31 March) in the data; no comparison.")
    r = full.iloc[-1]
    zh = (f"{r['label']} PM2.5 平均浓度 {r['pm25']:.1f} µg/m³，优良天数比例 {r['good_ratio']:.1f}%，"
          f"重污染 {int(r['heavy_days'])} 天。")
    en = (f"{r['label']}: mean PM2.5 {r['pm25']:.1f} µg/m³, good-day ratio {r['good_ratio']:.1f} %, "
          f"{int(r['heavy_days'])} heavily polluted days.")
    if pd.notna(r["pm25_change_pct"]):
        prev = campaigns[campaigns["campaign"] == r["campaign"] - 1].iloc[0]
        zh += (f"PM2.5 {direction(r['pm25'], prev['pm25'], tol=0.05, higher=('高于', ''), lower=('低于', ''))}"
               f"上一秋冬季（{prev['pm25']:.1f} µg/m³，变化 {r['pm25_change_pct']:+.1f}%）。")
        en += (f" PM2.5 was {direction(r['pm25'], prev['pm25'], tol=0.05, language='en')} the previous "
               f"campaign ({prev['pm25']:.1f} µg/m³, {r['pm25_change_pct']:+.1f} %).")
    else:
        zh += "上一秋冬季数据不完整或缺失，不作比较。"
        en += " The previous campaign is partial or absent: no comparison."
    return zh, en


def region_sentence(comparison: pd.DataFrame, city: str, year: int) -> tuple[str, str]:
    """``city``'s PM2.5 and good-day ratio of ``year`` against each region's mean."""
    t = comparison[comparison["year"] == year]
    if t.empty:
        return (f"{year}年无区域对比数据。", f"No regional comparison for {year}.")
    zh_parts, en_parts = [], []
    for r in t.itertuples(index=False):
        zh_parts.append(f"PM2.5 {direction(r.pm25_city, r.pm25_region, tol=0.05)}{r.region}平均"
                        f"（{r.pm25_region:.1f} µg/m³，{r.n_cities}个城市），优良天数比例"
                        f"{direction(r.good_ratio_city, r.good_ratio_region, tol=0.05)}其平均（{r.good_ratio_region:.1f}%）")
        en_parts.append(f"PM2.5 {direction(r.pm25_city, r.pm25_region, tol=0.05, language='en')} the "
                        f"{r.region} mean ({r.pm25_region:.1f} µg/m³, {r.n_cities} cities) and a good-day "
                        f"ratio {direction(r.good_ratio_city, r.good_ratio_region, tol=0.05, language='en')}"
                        f" its mean ({r.good_ratio_region:.1f} %)")
    own = t.iloc[0]
    partial = bool(own["partial"])
    zh = (f"{year}年{city} PM2.5 {own['pm25_city']:.1f} µg/m³、优良天数比例 {own['good_ratio_city']:.1f}%："
          + "；".join(zh_parts) + "。" + ("（该年数据不完整。）" if partial else ""))
    en = (f"{year}: {city} had PM2.5 {own['pm25_city']:.1f} µg/m³ and a good-day ratio of "
          f"{own['good_ratio_city']:.1f} % — " + "; ".join(en_parts) + "."
          + (" (The year is covered only in part.)" if partial else ""))
    return zh, en


def editions_sentence(table: pd.DataFrame, changes: pd.DataFrame, year: int) -> tuple[str, str]:
    """Good-day ratio of ``year`` under both editions and what moved the days."""
    t = table.set_index("year")
    if year not in t.index:
        return (f"{year}年无数据。", f"No data for {year}.")
    r = t.loc[year]
    c = changes[changes["date"].dt.year == year]
    lost = c[c["good_2012"] & ~c["good_2026"]]
    by = lost["cause"].value_counts()
    zh = (f"{year}年按HJ 633—2012优良天数比例 {r['good_ratio_2012']:.1f}%，按HJ 633—2026为 "
          f"{r['good_ratio_2026']:.1f}%，{'低' if r['good_ratio_diff'] < 0 else '高' if r['good_ratio_diff'] > 0 else '相差'} "
          f"{abs(r['good_ratio_diff']):.1f} 个百分点；{len(lost)} 天由优良变为污染")
    en = (f"{year}: good-day ratio {r['good_ratio_2012']:.1f} % under HJ 633—2012 and "
          f"{r['good_ratio_2026']:.1f} % under HJ 633—2026 ({r['good_ratio_diff']:+.1f} percentage "
          f"points); {len(lost)} days change from good to polluted")
    if len(by):
        zh += "（" + "，".join(f"{_NAMES.get(k, k) if k != 'other' else '其他'} {v} 天"
                              for k, v in by.items()) + "）"
        en += " (" + ", ".join(f"{_NAMES.get(k, k) if k != 'other' else 'other'} {v}"
                               for k, v in by.items()) + ")"
    if int(r.get("days_2026_rule", 0)):
        zh += f"；其中 {int(r['days_2026_rule'])} 天在2026年3月1日之后，两列均按2026版"
        en += f"; {int(r['days_2026_rule'])} days from 2026-03-01 are under 2026 in both columns"
    return zh + "。", en + "."


def profile_sentence(profile) -> tuple[str, str]:
    """Where each group of a ``yqplan.air.timevar.Profile`` peaks and bottoms out."""
    t = profile.table
    if t.empty:
        return ("无数据。", "No data.")
    def key(k, j):
        k, language = int(k), words.LANGUAGES[j]
        if profile.by == "hour":
            return words.word("date.hour", language, hour=k)
        if profile.by == "weekday":
            return words.word(f"date.weekday_name.{k + 1}", language)
        return words.word(f"date.month_name.{k}", language)

    zh_parts, en_parts = [], []
    for g, sub in t.groupby("group", sort=True):
        hi = sub.loc[sub["mean"].idxmax()]
        lo = sub.loc[sub["mean"].idxmin()]
        zh_parts.append(f"{g}：{key(hi['key'], 0)}最高（{hi['mean']:.0f}），{key(lo['key'], 0)}最低（{lo['mean']:.0f}）")
        en_parts.append(f"{g}: highest at {key(hi['key'], 1)} ({hi['mean']:.0f}), lowest at "
                        f"{key(lo['key'], 1)} ({lo['mean']:.0f})")
    return "；".join(zh_parts) + "。", "; ".join(en_parts) + "."


#: Column → (Chinese, English) header of the tables these reports show (from the catalogue
#: :data:`yqplan.glossary.COLUMNS`, which also holds their units and formats).
COLUMN_NAMES = {k: (c.header("zh"), c.header("en")) for k, c in _COLUMNS.items()}


#: Composite-index terms (``yqplan.air.stats.COMPOSITE_LIMITS``) for readers.
TERM_NAMES = {"so2": "SO2", "no2": "NO2", "pm10": "PM10", "pm25": "PM2.5",
              "co_p95": "CO P95", "o3_8h_p90": "O3_8h P90"}
_POLLUTANT_COLUMNS = ("primary", "peak_primary", "pollutant")
#: Indicator keys of :func:`yqplan.editions.changed_breakpoints` → (Chinese, English).
INDICATOR_NAMES = {
    "pm10_24h": ("PM10 24小时平均", "PM10 24-hour mean"),
    "pm25_24h": ("PM2.5 24小时平均", "PM2.5 24-hour mean"),
    "so2_24h": ("SO2 24小时平均", "SO2 24-hour mean"), "no2_24h": ("NO2 24小时平均", "NO2 24-hour mean"),
    "co_24h": ("CO 24小时平均", "CO 24-hour mean"),
    "o3_8h_max": ("O3 日最大8小时平均", "O3 daily maximum 8-hour mean"),
    "o3_1h_max": ("O3 日最大1小时", "O3 daily maximum 1-hour value"),
}


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
        if c in _POLLUTANT_COLUMNS or c == "composite_primary":
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

"""The sentence a report prints under a monthly trend, computed from the result.

:func:`monthly_trend_sentences` turns a :class:`yqplan.stats.trend.TrendResult` from
:func:`yqplan.stats.trend.compute_monthly_trend` into one Chinese and one English sentence
that name the method used, the status and, when no trend can be stated, the reason.
Every direction word comes from the numbers: a direction is named only when the
interval excludes 0 (docs/trend_short_series.md).
"""

from __future__ import annotations

import math

from yqplan.stats import trend as tr


def _direction(res) -> tuple[str, str]:
    lo, hi = res.slope_low, res.slope_high
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "区间无法估计", "no interval could be estimated"
    if hi < 0:
        return "区间全部小于0：下降", "the interval lies below 0: decreasing"
    if lo > 0:
        return "区间全部大于0：上升", "the interval lies above 0: increasing"
    return "区间包含0：不能判断升降", "the interval includes 0: no direction can be stated"


def monthly_trend_sentences(res, unit: str = "µg/m³") -> tuple[str, str]:
    """(Chinese, English) sentence for a monthly trend result.

    ``ok`` (robust STL, ≥ 3 complete seasonal cycles): slope, interval, p, n and the
    direction the interval supports.  ``short series``: the same numbers, introduced
    by the number of cycles and the fallback method, and called a short-series
    estimate.  ``too few points`` / ``constant series``: no slope, the reason.
    """
    cyc = res.seasonal_cycles
    if res.trend_status == tr.STATUS_FEW:
        zh = (f"**不给出趋势**：可用于估计的月份仅 {res.n} 个（至少需 {tr.MIN_POINTS} 个），"
              f"完整季节周期 {max(cyc, 0)} 个 —— 季节变化与趋势无法分开。")
        en = (f"**No trend is stated**: only {res.n} usable months ({tr.MIN_POINTS} needed), "
              f"{max(cyc, 0)} complete seasonal cycles — the trend cannot be separated from the "
              f"seasonal cycle. ({res.status_reason})")
        return zh, en
    if res.trend_status == tr.STATUS_CONSTANT:
        return ("月均值恒定，无趋势。", "The monthly values are constant: no trend.")
    numbers_zh = (f"Theil–Sen 斜率 {res.slope:+.2f} {unit}/年（95%区间 {res.slope_low:+.2f} 至 "
                  f"{res.slope_high:+.2f}，p = {res.p_value:.3g}，n = {res.n} 个月）")
    numbers_en = (f"Theil–Sen slope {res.slope:+.2f} {unit}/year (95 % interval "
                  f"{res.slope_low:+.2f} to {res.slope_high:+.2f}, p = {res.p_value:.3g}, "
                  f"n = {res.n} months)")
    dzh, den = _direction(res)
    boot_zh = f"区间与p值来自对原始月均值的块自助法（块长 {res.block_length}，每次重估各历月均值）"
    if res.trend_status == tr.STATUS_SHORT:
        zh = (f"**短序列**：仅 {cyc} 个完整季节周期（稳健 STL 去季节需 {tr.MIN_SEASONAL_CYCLES} 个，"
              f"即每个历月至少 {tr.MIN_SEASONAL_CYCLES} 年有效），故未做 STL；改用各月与同历月均值之差估计："
              f"{numbers_zh}；{dzh}。{boot_zh}。短序列估计仅供参考。")
        en = (f"**Short series**: only {cyc} complete seasonal cycles (robust STL needs "
              f"{tr.MIN_SEASONAL_CYCLES}: every calendar month valid in {tr.MIN_SEASONAL_CYCLES} "
              f"years), so no STL; estimated from each month's difference from its calendar "
              f"month's mean: {numbers_en}; {den}. Method: {res.method}. A short-series estimate, "
              "for orientation only.")
        return zh, en
    zh = (f"稳健 STL 去季节（{cyc} 个完整季节周期）后的 {numbers_zh}；{dzh}。{boot_zh}。")
    en = f"After robust STL ({cyc} complete seasonal cycles): {numbers_en}; {den}. Method: {res.method}."
    return zh, en


#: The public API of this module (anything else is private to it).
__all__ = ["monthly_trend_sentences"]

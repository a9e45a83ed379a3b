"""The sentence a report prints under a monthly trend, computed from the result.

:func:`monthly_trend_sentences` turns a :class:`yqplan.stats.trend.TrendResult` from
:func:`yqplan.stats.trend.compute_monthly_trend` into one Chinese and one English sentence
that name the method used, the status and, when no trend can be stated, the reason.
Every direction word comes from the numbers: a direction is named only when the
interval excludes 0 (docs/trend_short_series.md).  The words are the catalogue's
``trend.*`` templates (:mod:`yqplan.report.words`).
"""

from __future__ import annotations

import math

from yqplan.report.words import LANGUAGES, word
from yqplan.stats import trend as tr


def _p_text(p: float) -> str:
    """``p = 0.023``, or ``p < 0.001`` (a bootstrap p-value is never exactly 0)."""
    return word("trend.p_small") if p < 0.001 else word("trend.p", p=p)


def _direction(res) -> str:
    """The catalogue key of the direction the 95 % interval supports."""
    lo, hi = res.slope_low, res.slope_high
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "trend.dir.none"
    if hi < 0:
        return "trend.dir.down"
    if lo > 0:
        return "trend.dir.up"
    return "trend.dir.flat"


def _sentence(res, unit: str, language: str) -> str:
    cyc = res.seasonal_cycles
    if res.trend_status == tr.STATUS_FEW:
        return word("trend.few", language, n=res.n, need=tr.MIN_POINTS, cycles=max(cyc, 0),
                    reason=res.status_reason)
    if res.trend_status == tr.STATUS_CONSTANT:
        return word("trend.constant", language)
    numbers = word("trend.numbers", language, slope=res.slope, unit=unit, low=res.slope_low,
                   high=res.slope_high, p=_p_text(res.p_value), n=res.n)
    key = "trend.short" if res.trend_status == tr.STATUS_SHORT else "trend.stl"
    return word(key, language, cycles=cyc, need=tr.MIN_SEASONAL_CYCLES, numbers=numbers,
                direction=word(_direction(res), language), block=res.block_length,
                method=res.method)


def monthly_trend_sentences(res, unit: str = "µg/m³") -> tuple[str, str]:
    """(Chinese, English) sentence for a monthly trend result.

    ``ok`` (robust STL, ≥ 3 complete seasonal cycles): slope, interval, p, n and the
    direction the interval supports.  ``short series``: the same numbers, introduced
    by the number of cycles and the fallback method, and called a short-series
    estimate.  ``too few points`` / ``constant series``: no slope, the reason.
    """
    zh, en = (_sentence(res, unit, lang) for lang in LANGUAGES)
    return zh, en


#: The public API of this module (anything else is private to it).
__all__ = ["monthly_trend_sentences"]

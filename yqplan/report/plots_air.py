"""Figures of the ozone, episode, time-variation, region and edition analyses.

Each ``plot_*`` draws the result of one tested function (named in its docstring) and
returns a matplotlib Figure; the style (CJK font, sizes, colours) is that of
:mod:`yqplan.report.plots`, whose helpers it reuses.  ``language`` is "zh" (default) or "en".
"""

from __future__ import annotations

import math

from yqplan.report import palette, words
from yqplan.report.plots import aqi_colours, label, use_cjk_font
from yqplan.report.plots import language_index as _check_language, new_figure as _new

__all__ = ["POLLUTANT_COLOURS", "plot_o3_by_month", "plot_compare_bars", "plot_aqi_episodes", "plot_profiles",
           "plot_hour_month", "plot_value_calendar", "plot_level_counts", "plot_station_shares"]

#: One colour per pollutant, as :func:`yqplan.report.plots.plot_stacked_counts` uses them.
POLLUTANT_COLOURS = palette.POLLUTANT_COLOURS

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEK = (("一", "二", "三", "四", "五", "六", "日"), ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))


def _no_data(ax, title, language):
    ax.text(0.5, 0.5, label("no_data", language), ha="center", va="center", fontsize=14,
            transform=ax.transAxes, color=palette.GREY_NOTE)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])


def plot_o3_by_month(by_month, *, title: str, limit: float = 160.0, language: str = "zh"):
    """Monthly O3 8h 90th percentile against the limit, and the days O3 exceeded.

    ``by_month``: :func:`yqplan.air.ozone.o3_by_period` with ``by="month"`` (bars: red above
    the limit; dots on a second axis: ``o3_exceed_days``; hatched: partial months).
    """
    import numpy as np

    _check_language(language)
    fig, ax = _new(figsize=(10, 4.2))
    if len(by_month) == 0:
        _no_data(ax, title, language)
        return fig
    x = np.arange(len(by_month))
    p90 = by_month["o3_8h_p90"].astype(float).to_numpy()
    colours = np.where(p90 > limit, palette.ABOVE, palette.BAR)
    bars = ax.bar(x, p90, color=colours, label=words.word("label.o3_p90", language))
    for b, part in zip(bars, by_month["partial"]):
        if part:
            b.set_hatch("//")
            b.set_alpha(0.6)
    ax.axhline(limit, color=palette.GREY_DARK, ls="--",
               label=words.word("label.grade2_limit", language, limit=limit))
    ax.set_ylabel("µg/m³")
    ax2 = ax.twinx()
    ax2.plot(x, by_month["o3_exceed_days"].astype(float).to_numpy(), "o", color=palette.ACCENT,
             ms=4, label=words.word("label.o3_exceed_days", language))
    ax2.set_ylabel(label("days", language))
    ax2.set_ylim(0, max(31, float(by_month["o3_exceed_days"].max()) + 1))
    ax2.yaxis.get_major_locator().set_params(integer=True)
    labels = by_month["period"].astype(str).tolist()
    step = max(1, len(labels) // 14)
    ax.set_xticks(x[::step], labels[::step], rotation=45, fontsize=8)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper left")
    ax.set_title(title)
    return fig


def plot_aqi_episodes(days, episodes, *, title: str, level: float = 200.0, language: str = "zh"):
    """Daily AQI with the episodes of :func:`yqplan.air.episodes.find_episodes` shaded.

    ``days``: a Series of daily AQI indexed by date; ``episodes``: its table.
    """
    import numpy as np
    import pandas as pd

    _check_language(language)
    fig, ax = _new(figsize=(10, 3.8))
    s = days.dropna().sort_index()
    if s.empty:
        _no_data(ax, title, language)
        return fig
    full = s.reindex(pd.date_range(s.index.min(), s.index.max(), freq="D"))
    ax.plot(full.index, full.to_numpy(dtype=float), color=palette.GREY, lw=0.7)
    for up, _zh, _en, colour in aqi_colours()[:5]:
        ax.axhline(up, color=colour, lw=0.8, alpha=0.8)
    ax.axhline(level, color=palette.aqi_colour(5), ls="--", lw=1,
               label=f"AQI {level:g}" + (words.word("label.heavy_suffix", language) if level == 200 else ""))
    for i, r in enumerate(episodes.itertuples(index=False)):
        ax.axvspan(r.start - pd.Timedelta(hours=12), r.end + pd.Timedelta(hours=12),
                   color=palette.aqi_colour(5), alpha=0.25, lw=0,
                   label=words.word("label.episode", language) if i == 0 else None)
    ax.set_ylabel("AQI")
    ax.set_ylim(0, max(310.0, float(np.nanmax(full.to_numpy(dtype=float))) + 10))
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(alpha=0.3, axis="y")
    ax.set_title(title)
    return fig


def plot_profiles(profiles, *, title: str, unit: str = "", language: str = "zh"):
    """Diurnal, weekday and monthly profiles side by side, mean and bootstrap band per group.

    ``profiles``: :class:`yqplan.air.timevar.Profile` objects (``by`` hour, weekday, month),
    drawn in that order; the caption names the resamples and the interval.
    """
    import matplotlib.pyplot as plt

    lang = _check_language(language)
    use_cjk_font()
    fig, axes = plt.subplots(1, len(profiles), figsize=(12, 3.8), layout="constrained",
                             sharey=True, width_ratios=[{"hour": 2.2}.get(p.by, 1.2)
                                                        for p in profiles])
    axes = list(axes) if len(profiles) > 1 else [axes]
    colours = palette.PROFILES
    names = {"hour": ("小时", "Hour"), "weekday": ("星期", "Weekday"), "month": ("月份", "Month")}
    for ax, p in zip(axes, profiles):
        keys = {"hour": range(24), "weekday": range(7), "month": range(1, 13)}[p.by]
        for i, (g, sub) in enumerate(p.table.groupby("group", sort=True)):
            c = colours[i % len(colours)]
            # every key on the axis: a key without values (May–Sep of "other months") breaks the line
            sub = sub.set_index("key").reindex(keys)
            ax.fill_between(sub.index, sub["low"], sub["high"], color=c, alpha=0.25, lw=0)
            ax.plot(sub.index, sub["mean"], color=c, lw=1.6, label=str(g))
        ax.set_xlabel(names[p.by][lang])
        if p.by == "hour":
            ax.set_xticks(range(0, 24, 3))
        elif p.by == "weekday":
            ax.set_xticks(range(7), _WEEK[lang])
        else:
            ax.set_xticks(range(1, 13), [str(m) for m in range(1, 13)] if lang == 0 else
                          [m[0] for m in _MONTHS_EN])
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(unit)
    if profiles and profiles[0].table["group"].nunique() > 1:
        axes[0].legend(fontsize=8)
    p0 = profiles[0]
    note = words.word("label.bootstrap_note", language, confidence=p0.confidence, n_resamples=p0.n_resamples,
                      seed=p0.seed)
    fig.suptitle(title)
    fig.supxlabel(note, fontsize=8, color=palette.GREY)
    return fig


def plot_hour_month(matrix, *, title: str, unit: str = "", language: str = "zh",
                    cmap: str = "YlOrRd"):
    """Heat map of :func:`yqplan.air.timevar.hour_month_matrix` (hour × month means)."""
    import numpy as np

    lang = _check_language(language)
    fig, ax = _new(figsize=(8, 5.5))
    vals = matrix.to_numpy(dtype=float)
    if not np.isfinite(vals).any():
        _no_data(ax, title, language)
        return fig
    im = ax.imshow(np.ma.masked_invalid(vals), aspect="auto", cmap=cmap, origin="lower")
    ax.set_xticks(range(12), [f"{m}" for m in matrix.columns] if lang == 0 else
                  [_MONTHS_EN[m - 1] for m in matrix.columns])
    ax.set_yticks(range(0, 24, 3), [str(h) for h in range(0, 24, 3)])
    ax.set_xlabel(label("month", language))
    ax.set_ylabel(words.word("label.hour_beijing", language))
    fig.colorbar(im, ax=ax, label=unit, shrink=0.85)
    ax.set_title(title)
    return fig


def plot_value_calendar(daily, *, year: int, title: str, unit: str = "",
                        language: str = "zh", cmap: str = "YlOrRd", vmax: float = math.nan):
    """Calendar of any daily value (openair ``calendarPlot``) on a continuous colour scale.

    ``daily``: a Series indexed by date (only ``year`` is drawn; NaN = no data, white).
    For the AQI in its category colours use :func:`yqplan.report.plots.plot_aqi_calendar`.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    lang = _check_language(language)
    use_cjk_font()
    idx = pd.DatetimeIndex(daily.index)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    s = pd.Series(np.asarray(daily.values, dtype=float), index=idx.normalize())
    s = s[s.index.year == year].groupby(level=0).first()
    top = float(vmax) if np.isfinite(vmax) else (float(np.nanmax(s)) if s.notna().any() else 1.0)
    fig, axes = plt.subplots(3, 4, figsize=(11, 7.5), layout="constrained")
    im = None
    for m, ax in enumerate(axes.flat, start=1):
        first = pd.Timestamp(year, m, 1)
        days = pd.date_range(first, first + pd.offsets.MonthEnd(0), freq="D")
        grid = np.full((6, 7), np.nan)
        weeks = (days.day + first.weekday() - 1) // 7
        grid[weeks, days.day_of_week] = s.reindex(days).to_numpy()
        im = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=top, aspect="auto")
        for d, w in zip(days, weeks):
            t = ax.text(d.day_of_week, w, str(d.day), ha="center", va="center", fontsize=7,
                        fontfamily="DejaVu Sans", color=palette.INK)
            t.set_in_layout(False)
        ax.set_xticks(range(7), [w[0] if lang == 1 else w for w in _WEEK[lang]], fontsize=7)
        ax.set_yticks([])
        ax.tick_params(length=0)
        for sp in ax.spines.values():
            sp.set_visible(False)
        ax.set_title(f"{m}月" if lang == 0 else first.strftime("%B"), fontsize=9)
    fig.colorbar(im, ax=axes, location="bottom", shrink=0.5, label=unit)
    fig.suptitle(title)
    return fig


def plot_level_counts(table, *, title: str, language: str = "zh"):
    """Days per AQI level under both editions, one pair of stacked bars per year.

    ``table``: :attr:`yqplan.air.editions.EditionComparison.table` (columns
    ``level_<n>_2012`` / ``level_<n>_2026``, ``year``).
    """
    import numpy as np

    lang = _check_language(language)
    fig, ax = _new(figsize=(10, 4.2))
    if len(table) == 0:
        _no_data(ax, title, language)
        return fig
    classes = aqi_colours()
    years = table["year"].astype(int).tolist()
    x = np.arange(len(years))
    w = 0.38
    for j, (ed, off) in enumerate((("2012", -w / 2 - 0.01), ("2026", w / 2 + 0.01))):
        bottom = np.zeros(len(years))
        for lv in range(1, 7):
            v = table[f"level_{lv}_{ed}"].astype(float).to_numpy()
            ax.bar(x + off, v, w, bottom=bottom, color=classes[lv - 1][3], edgecolor="white",
                   lw=0.5, label=(classes[lv - 1][1] if lang == 0 else classes[lv - 1][2])
                   if j == 0 else None)
            bottom += v
        for xi, b in zip(x, bottom):
            ax.text(xi + off, b + 2, ed, ha="center", va="bottom", fontsize=7, color=palette.GREY_DARK)
    ax.set_xticks(x, [str(y) for y in years])
    ax.set_ylabel(label("days", language))
    ax.set_ylim(0, float(table[[f"valid_days_{e}" for e in ("2012", "2026")]].max().max()) * 1.12 + 1)
    ax.legend(fontsize=8, ncol=6, loc="upper center", bbox_to_anchor=(0.5, -0.08))
    ax.set_title(title)
    return fig


def plot_compare_bars(frame, *, title: str, unit: str = "", highlight=None, language: str = "zh"):
    """Side-by-side bars, one group per row (year) and one bar per column (the city and
    each region, :func:`yqplan.air.regions.comparison_frame`), legend below the axes.

    ``highlight``: the column drawn in dark red (the city); the others in distinct colours.
    """
    import numpy as np

    _check_language(language)
    fig, ax = _new(figsize=(10, 4.4))
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        _no_data(ax, title, language)
        return fig
    k = frame.shape[1]
    x = np.arange(len(frame))
    width = 0.8 / k
    others = iter(palette.REGIONS)
    for i, col in enumerate(frame.columns):
        colour = palette.HIGHLIGHT_DARK if col == highlight else next(others, palette.GREY_EDGE)
        ax.bar(x + (i - (k - 1) / 2) * width, frame[col].astype(float).to_numpy(), width,
               label=str(col), color=colour)
    ax.set_xticks(x, [str(i) for i in frame.index])
    ax.set_ylabel(unit)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, ncol=min(k, 6), loc="upper center", bbox_to_anchor=(0.5, -0.08))
    ax.set_title(title)
    return fig


def plot_station_shares(shares, *, title: str, column: str = "pm25_share", language: str = "zh"):
    """Each station's value as a share of the city value [%] (:func:`yqplan.air.stations.station_shares`),
    horizontal bars, the city value (100 %) as a dashed line; red above, blue below it."""
    import numpy as np

    _check_language(language)
    n = len(shares)
    fig, ax = _new(figsize=(9, max(3.0, 0.4 * n + 1.2)))
    if n == 0:
        _no_data(ax, title, language)
        return fig
    s = shares.sort_values(column)
    v = s[column].astype(float).to_numpy()
    ax.barh(s["station_name"].astype(str), v, color=np.where(v > 100, palette.ABOVE, palette.BAR))
    ax.axvline(100, color=palette.GREY_DARK, ls="--", label=words.word("label.city_100", language))
    for y, x in enumerate(v):
        ax.text(x + 0.5, y, f"{x:.0f}%", va="center", fontsize=8)
    ax.set_xlim(0, max(110.0, float(np.nanmax(v)) * 1.1))
    ax.set_xlabel("%")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3, axis="x")
    ax.set_title(title)
    return fig


def plot_year_month(matrix, *, title: str, unit: str = "%", language: str = "zh",
                    cmap: str = "RdYlGn", vmin: float = 0.0, vmax: float = 100.0):
    """Heat map of a year × month table (e.g. :func:`yqplan.air.coverage.coverage_matrix`),
    each cell labelled with its value; blank cells are outside the period."""
    import numpy as np

    lang = _check_language(language)
    fig, ax = _new(figsize=(9, 0.6 * max(len(matrix), 3) + 1.6))
    vals = matrix.to_numpy(dtype=float)
    if not np.isfinite(vals).any():
        _no_data(ax, title, language)
        return fig
    im = ax.imshow(np.ma.masked_invalid(vals), aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax)
    ax.set_xticks(range(matrix.shape[1]), [f"{m}" for m in matrix.columns] if lang == 0 else
                  [_MONTHS_EN[m - 1] for m in matrix.columns])
    ax.set_yticks(range(len(matrix)), [str(y) for y in matrix.index])
    ax.set_xlabel(label("month", language))
    ax.set_ylabel(label("year", language))
    for (i, j), v in np.ndenumerate(vals):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7, color=palette.INK)
    fig.colorbar(im, ax=ax, label=unit, shrink=0.85)
    ax.set_title(title)
    ax.text(0.0, -0.12, words.word("label.blank_outside_period", language), transform=ax.transAxes,
            fontsize=8, color=palette.GREY)
    return fig

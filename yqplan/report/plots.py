"""Every figure a report shows: ``plot_*`` functions returning a matplotlib Figure.

matplotlib is imported inside the functions (``import yqplan`` stays light).  Each
function takes tidy inputs (documented columns) and a ``language`` ("zh" default,
or "en") for titles, labels and legends.  Chinese text is drawn with the Noto Sans
CJK SC font shipped by the ``mplfonts`` package (:func:`use_cjk_font`), so no glyph
is a box.  AQI colours come from :data:`yqplan.air.aqi.AQI_CLASSES` (HJ 633 Appendix A)
and water-class colours from :data:`yqplan.water.gb3838.QUALITY` (2011 rules Table 2).
"""

from __future__ import annotations

import math
from pathlib import Path

from yqplan.report import palette, words

#: Font file used for Chinese (Noto Sans CJK SC, SIL OFL, shipped by mplfonts).
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"

__all__ = [
    # words, fonts, colours and axes shared by the figure modules
    "label", "language_index", "new_figure", "CJK_FONT_FILE", "cjk_font_path", "use_cjk_font",
    "font_has_glyphs", "integer_axis", "aqi_colours", "water_colours", "POLLUTANT_COLOURS",
    "pollutant_key", "pollutant_colour", "VERDICT_COLOURS",
    # figures
    "plot_indicator_path", "plot_monthly_trend", "plot_monthly_values", "plot_bars",
    "plot_grouped_bars", "plot_aqi_calendar", "plot_monthly_ratio", "plot_rolling_ratio",
    "plot_stacked_counts", "plot_rank_history", "plot_water_heatmap", "plot_water_shares",
    "plot_project_timeline", "plot_verdict_matrix", "plot_burnup",
]

def label(key: str, language: str = "zh", **fmt) -> str:
    """A figure label in ``language`` ("zh" or "en")."""
    return words.word(f"label.{key}", language, **fmt)


#: The position of a language in a ``(zh, en)`` pair (ValueError for any other language).
_check_language = language_index = words.language_index


def cjk_font_path() -> Path:
    """Path of the Noto Sans CJK SC font file inside the installed ``mplfonts`` package."""
    import importlib.util

    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the mplfonts package is not installed; pip install mplfonts")
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: CJK font missing from the mplfonts package")
    return path


def use_cjk_font() -> str:
    """Register Noto Sans CJK SC with matplotlib and make it the default sans-serif font.

    Uses ``matplotlib.font_manager.fontManager.addfont`` on the font file shipped by
    ``mplfonts`` (no ``mplfonts init``, nothing written to matplotlib's folders).
    Idempotent.  Returns the font family name ("Noto Sans CJK SC").
    """
    import matplotlib
    from matplotlib import font_manager

    path = cjk_font_path()
    name = font_manager.get_font(str(path)).family_name
    if not any(f.fname == str(path) for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [name] + [f for f in rc["font.sans-serif"] if f != name]
    rc["axes.unicode_minus"] = False  # the CJK font's hyphen-minus is safer than U+2212
    rc["figure.dpi"] = 100
    rc["savefig.dpi"] = 100
    rc["figure.autolayout"] = False
    return name


def font_has_glyphs(text: str, path=None) -> bool:
    """True when every non-space character of ``text`` has a glyph in the font (not .notdef)."""
    from matplotlib import font_manager

    font = font_manager.get_font(str(path or cjk_font_path()))  # cached by matplotlib
    return all(font.get_char_index(ord(ch)) != 0 for ch in text if not ch.isspace())


def integer_axis(axis) -> None:
    """Ticks at whole numbers only: an axis of counts (days, projects) has no 2.5."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _new(figsize=(9, 4)):
    import matplotlib.pyplot as plt

    use_cjk_font()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def aqi_colours() -> list[tuple[float, str, str, str]]:
    """(upper AQI bound, Chinese category, English category, hex) per class, HJ 633 Appendix A."""
    from yqplan.air import aqi

    return [(float(c[0]), words.word(f"aqi.level.{c[1]}", "zh"), words.word(f"aqi.level.{c[1]}", "en"), c[4])
            for c in aqi.AQI_CLASSES]


def water_colours() -> dict[int, str]:
    """Hex colour per water class 1–6 (6 = 劣Ⅴ), 2011 evaluation rules Table 2."""
    from yqplan.water import gb3838

    return {k: v[2] for k, v in gb3838.QUALITY.items()}  # shades from palette.WATER_STATUS


# ----------------------------------------------------------------------------- indicators

def plot_indicator_path(values, *, title: str, unit: str = "", baseline: float = math.nan,
                        target: float = math.nan, base_year: int = 2020, target_year: int = 2025,
                        projection=None, valid=None, periods=None, language: str = "zh"):
    """Yearly values against the 2020 baseline, the 2025 target and the 序时进度 path.

    Parameters
    ----------
    values : pandas.Series
        Actual yearly values indexed by year [``unit``].
    title, unit : str
        Figure title and the value unit.
    baseline, target : float
        2020 baseline and 2025 target (NaN = not drawn, e.g. "no target supplied").
    base_year, target_year : int
    projection : object with ``projection``, ``projection_low``, ``projection_high``,
        ``confidence`` (:class:`yqplan.stats.trend.ProjectionResult`), optional.
    valid : pandas.Series of bool, optional
        Whether each year met the annual validity rule; invalid years are drawn hollow.
    periods : dict year → :class:`yqplan.air.periods.Period`, optional
        Years whose period is partial (a year-to-date span) are drawn apart: a hollow
        diamond, not joined to the annual line, labelled with the period ("2024年1—2月").
    language : "zh" or "en"

    Notes
    -----
    序时进度 (docs/progress-methods.md §2): the expected value in year t on the straight line from
    the baseline to the target.
    """
    import numpy as np

    _check_language(language)
    fig, ax = _new()
    partial = [y for y in values.index if periods and int(y) in periods
               and not periods[int(y)].complete]
    if partial:
        part = values.loc[partial].dropna()
        values = values.drop(index=partial)
        ax.scatter(np.asarray(part.index, dtype=float), part.to_numpy(dtype=float), marker="D",
                   facecolor="white", edgecolor=palette.SCHEDULE, linewidths=1.5, s=45, zorder=5,
                   label=label("partial", language))
        for y, v in part.items():
            ax.annotate(periods[int(y)].label(language), (float(y), float(v)), fontsize=8,
                        xytext=(-8, 0), textcoords="offset points", ha="right", va="center",
                        color=palette.PARTIAL_LABEL)
    if len(values):   # every year of the span, NaN where none: the line breaks at a missing year
        ys = [int(y) for y in values.index]
        values = values.set_axis(ys).reindex(range(min(ys), max(ys) + 1))
        if valid is not None:
            valid = valid.set_axis([int(y) for y in valid.index])
    years = np.asarray(values.index, dtype=float)
    vals = np.asarray(values.values, dtype=float)
    ok = np.ones(len(vals), bool) if valid is None else np.asarray(valid.reindex(values.index)
                                                                    .fillna(False), bool)
    ax.plot(years, vals, color=palette.ACTUAL, lw=1.5, zorder=3, label=label("actual", language))
    ax.scatter(years[ok], vals[ok], color=palette.ACTUAL, zorder=4)
    if (~ok).any():
        ax.scatter(years[~ok], vals[~ok], facecolor="white", edgecolor=palette.ACTUAL, zorder=4,
                   label=label("invalid", language))
    if np.isfinite(baseline):
        ax.scatter([base_year], [baseline], marker="s", color=palette.GREY, zorder=5,
                   label=label("baseline", language))
    if np.isfinite(target):
        ax.axhline(target, color=palette.TARGET, ls="--", lw=1.2, label=label("target", language))
        if np.isfinite(baseline):
            ax.plot([base_year, target_year], [baseline, target], color=palette.SCHEDULE, ls=":",
                    lw=1.5, label=label("schedule", language))
    if projection is not None and np.isfinite(getattr(projection, "projection", np.nan)):
        ty = getattr(projection, "target_year", target_year)
        lo, hi = projection.projection_low, projection.projection_high
        ax.errorbar([ty], [projection.projection], yerr=[[projection.projection - lo],
                                                         [hi - projection.projection]],
                    fmt="D", color=palette.PROJECTION, capsize=4, zorder=5,
                    label=label("projection", language, year=int(ty),
                                conf=getattr(projection, "confidence", 0.95)))
    ax.set_title(title)
    ax.set_xlabel(label("year", language))
    ax.set_ylabel(unit)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return fig


def plot_monthly_trend(months, trend=None, *, title: str, unit: str = "", language: str = "zh"):
    """Monthly means, the deseasonalised series and its Theil–Sen line with the interval.

    Parameters
    ----------
    months : pandas.DataFrame
        Indexed by month (Timestamp): ``value`` (monthly mean [unit]) and optionally
        ``deseasonalised`` and ``filled`` (months filled before STL, drawn hollow,
        openair style) — :func:`yqplan.analyses.compute_monthly_trend`.
    trend : :class:`yqplan.stats.trend.TrendResult`, optional
        Its ``slope``, ``slope_low``, ``slope_high`` [unit/year], ``intercept`` (value
        at ``x_start``, decimal year) draw the line and the legend text.
    """
    import numpy as np
    import pandas as pd

    _check_language(language)
    fig, ax = _new()
    idx = pd.DatetimeIndex(months.index)
    ax.plot(idx, months["value"].astype(float).values, color=palette.ACTUAL_LIGHT, lw=1, marker=".",
            label=label("monthly", language))
    if "deseasonalised" in months:
        des = months["deseasonalised"].astype(float).values
        ax.plot(idx, des, color=palette.ACTUAL, lw=1.5, label=label("deseason", language))
        if "filled" in months and bool(months["filled"].fillna(False).astype(bool).any()):
            mask = months["filled"].fillna(False).astype(bool).values
            ax.scatter(idx[mask], des[mask], facecolor="white", edgecolor=palette.ACTUAL, zorder=4,
                       label=label("filled", language))
    slope = getattr(trend, "slope", math.nan)
    intercept = getattr(trend, "intercept", math.nan)
    if trend is not None and np.isfinite(slope) and np.isfinite(intercept) and len(idx):
        dec = idx.year + (idx.day_of_year - 1) / 365.25
        x0 = trend.x_start if np.isfinite(trend.x_start) else float(dec[0])
        text = (f"{label('trend', language)}: {slope:+.2f} [{trend.slope_low:+.2f}, "
                f"{trend.slope_high:+.2f}] {unit}{label('per_year', language)} {trend.stars}")
        if getattr(trend, "trend_status", "") == "short series":  # yqplan.stats.trend.STATUS_SHORT
            text += words.word("label.short_series", language)
        ax.plot(idx, intercept + slope * (dec - x0), color=palette.TARGET, lw=2, label=text)
    ax.set_title(title)
    ax.set_ylabel(unit)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return fig


def plot_monthly_values(values, valid=None, *, title: str, unit: str = "", language: str = "zh"):
    """Monthly values as bars; months failing the validity rule are grey and hatched.

    ``values``: Series indexed by month (Timestamp); ``valid``: bool Series, same index
    (GB 3095 Table 4: 27 valid days a month, 25 in February).
    """
    import numpy as np
    import pandas as pd
    from matplotlib.patches import Patch

    _check_language(language)
    fig, ax = _new()
    idx = pd.DatetimeIndex(values.index)
    ok = (np.ones(len(values), bool) if valid is None
          else valid.reindex(values.index).fillna(False).astype(bool).values)
    x = np.arange(len(values))
    ax.bar(x[ok], values.values[ok].astype(float), color=palette.BAR)
    ax.bar(x[~ok], values.values[~ok].astype(float), color=palette.GREY_PALE, hatch="//")
    labels = [f"{t.year}-{t.month:02d}" for t in idx]
    step = max(1, len(x) // 16)
    ax.set_xticks(x[::step], labels[::step], rotation=45, fontsize=8)
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.legend(handles=[Patch(color=palette.BAR, label=label("monthly", language)),
                       Patch(facecolor=palette.GREY_PALE, hatch="//",
                             label=words.word("label.too_few_valid_days", language))],
              fontsize=8)
    ax.grid(alpha=0.3, axis="y")
    return fig


def plot_bars(values, *, title: str, unit: str = "", target: float = math.nan,
              colours=None, horizontal: bool = False, highlight=None, language: str = "zh"):
    """Bars of a labelled series (stations, districts, departments…), optional target line.

    Parameters
    ----------
    values : pandas.Series
        Values indexed by label [``unit``]; empty → a "no data" panel.
    colours : list of str, optional
        One colour per bar.
    highlight : label, optional
        This bar is drawn in red (e.g. 阳泉 among Shanxi's cities).
    """
    if highlight is not None and colours is None:
        colours = [palette.TARGET if i == highlight else palette.BAR for i in values.index]
    import numpy as np

    _check_language(language)
    n = len(values)
    fig, ax = _new(figsize=(9, max(3.0, 0.35 * n + 1)) if horizontal else (9, 4))
    if n == 0:
        ax.text(0.5, 0.5, label("no_data", language), ha="center", va="center", fontsize=14,
                transform=ax.transAxes, color=palette.GREY_NOTE)
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
        return fig
    labels = [str(i) for i in values.index]
    vals = np.asarray(values.values, dtype=float)
    colour = colours or palette.BAR
    if horizontal:
        ax.barh(labels[::-1], vals[::-1], color=colour[::-1] if isinstance(colour, list) else colour)
        ax.set_xlabel(unit)
        if np.isfinite(target):
            ax.axvline(target, color=palette.TARGET, ls="--", label=label("target", language))
    else:
        ax.bar(labels, vals, color=colour)
        ax.set_ylabel(unit)
        if np.isfinite(target):
            ax.axhline(target, color=palette.TARGET, ls="--", label=label("target", language))
        if n > 6:
            ax.tick_params(axis="x", labelrotation=45)
    if np.isfinite(target):
        ax.legend(fontsize=8)
    if _whole(vals):   # counts: no half-integer ticks
        integer_axis(ax.xaxis if horizontal else ax.yaxis)
    ax.set_title(title)
    ax.grid(alpha=0.3, axis="x" if horizontal else "y")
    return fig


def _whole(values) -> bool:
    import numpy as np

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return bool(len(v)) and bool(np.all(v == np.round(v)))


def plot_grouped_bars(frame, *, title: str, unit: str = "", series_labels: dict | None = None,
                      target: float = math.nan, language: str = "zh"):
    """Side-by-side bars: one group per row of ``frame``, one bar per column.

    Used for "with / without dust deduction" and "stated / computed" comparisons.
    ``series_labels`` renames the columns in the legend.
    """
    import numpy as np

    _check_language(language)
    fig, ax = _new()
    k = frame.shape[1]
    x = np.arange(len(frame))
    width = 0.8 / max(k, 1)
    series = palette.SERIES
    for i, col in enumerate(frame.columns):
        name = (series_labels or {}).get(col, str(col))
        ax.bar(x + (i - (k - 1) / 2) * width, frame[col].astype(float).values, width,
               label=name, color=series[i % len(series)])
    ax.set_xticks(x, [str(i) for i in frame.index])
    if np.isfinite(target):
        ax.axhline(target, color=palette.TARGET, ls="--", label=label("target", language))
    if _whole(frame.to_numpy(dtype=float)):
        integer_axis(ax.yaxis)
    ax.set_title(title)
    ax.set_ylabel(unit)
    ax.grid(alpha=0.3, axis="y")
    fig.legend(fontsize=8, loc="outside lower center", ncol=k + np.isfinite(target))  # not over the bars
    return fig


# ----------------------------------------------------------------------------- air

def plot_aqi_calendar(daily, *, year: int, title: str, language: str = "zh"):
    """Calendar heat-map of daily AQI in the HJ 633 category colours (openair ``calendarPlot``).

    Parameters
    ----------
    daily : pandas.Series
        Daily AQI indexed by date (any days; only ``year`` is drawn; NaN = grey).

    Notes
    -----
    Colours and category bounds: HJ 633 Table 2 and Appendix A via
    :data:`yqplan.air.aqi.AQI_CLASSES`.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    _check_language(language)
    use_cjk_font()
    classes = aqi_colours()
    bounds = np.array([c[0] for c in classes])
    cmap = ListedColormap([c[3] for c in classes] + [palette.NO_DATA])
    idx = pd.DatetimeIndex(daily.index)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    s = pd.Series(np.asarray(daily.values, dtype=float), index=idx.normalize())
    s = s[s.index.year == year].groupby(level=0).first()
    fig, axes = plt.subplots(3, 4, figsize=(11, 7.5), layout="constrained")
    dark = {classes[4][3], classes[5][3]}
    for m, ax in enumerate(axes.flat, start=1):
        first = pd.Timestamp(year, m, 1)
        days = pd.date_range(first, first + pd.offsets.MonthEnd(0), freq="D")
        grid = np.full((6, 7), np.nan)
        vals = s.reindex(days).to_numpy()
        # class index 0–5 by the HJ 633 upper bounds; 6 = no data
        cls = np.where(np.isnan(vals), len(classes), np.searchsorted(bounds, vals, side="left"))
        weeks = (days.day + first.weekday() - 1) // 7
        grid[weeks, days.day_of_week] = cls
        ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=-0.5, vmax=len(classes) + 0.5,
                  aspect="auto")
        for d, w, c in zip(days, weeks, cls):
            t = ax.text(d.day_of_week, w, str(d.day), ha="center", va="center", fontsize=8,
                        fontfamily="DejaVu Sans",
                        color="white" if c < len(classes) and classes[int(c)][3] in dark else "black")
            t.set_in_layout(False)
        ax.set_xticks(range(7), [words.word(f"date.weekday.{d}", language) for d in range(1, 8)],
                      fontsize=8)
        ax.set_yticks([])
        ax.tick_params(length=0)
        for sp in ax.spines.values():
            sp.set_visible(False)
        ax.set_title(words.word(f"date.month_name.{m}", language), fontsize=9)
    handles = [Patch(color=c[3], label=words.pick((c[1], c[2]), language)) for c in classes]
    handles.append(Patch(color=palette.NO_DATA, label=label("no_data", language)))
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=8)
    fig.suptitle(title)
    return fig


def plot_monthly_ratio(ratio, heavy=None, *, title: str, target: float = math.nan,
                       language: str = "zh"):
    """Monthly good-day ratio as bars [%] and heavy-pollution days as a line on a second axis.

    ``ratio`` and ``heavy`` are Series indexed by month (Timestamp/Period or label).
    """
    import numpy as np
    import pandas as pd

    _check_language(language)
    fig, ax = _new()
    idx = ratio.index
    labels = [f"{p.year}-{p.month:02d}" if isinstance(p, (pd.Period, pd.Timestamp)) else str(p)
              for p in idx]
    x = np.arange(len(labels))
    ax.bar(x, ratio.astype(float).values, color=palette.GOOD, label=label("good_ratio", language))
    ax.set_ylim(0, 100)
    ax.set_ylabel(label("good_ratio", language))
    if np.isfinite(target):
        ax.axhline(target, color=palette.TARGET, ls="--", label=label("target", language))
    step = max(1, len(labels) // 12)
    ax.set_xticks(x[::step], labels[::step], rotation=45, fontsize=8)
    if heavy is not None:
        ax2 = ax.twinx()
        ax2.plot(x, heavy.reindex(idx).astype(float).values, color=palette.aqi_colour(5), marker=".",
                 label=label("heavy_days", language))
        ax2.set_ylabel(label("heavy_days", language))
        ax2.set_ylim(bottom=0)
        integer_axis(ax2.yaxis)
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        # below the axes: inside, the legend covered a year of bars
        fig.legend(h1 + h2, l1 + l2, fontsize=8, loc="outside lower center", ncol=3)
    else:
        fig.legend(fontsize=8, loc="outside lower center", ncol=2)
    ax.set_title(title)
    return fig


def plot_rolling_ratio(rolling, *, title: str, target: float = math.nan, language: str = "zh"):
    """The rolling 365-day good-day ratio [%] (a Series indexed by date)."""
    import numpy as np

    _check_language(language)
    fig, ax = _new()
    ax.plot(rolling.index, rolling.astype(float).values, color=palette.ROLLING, lw=1.5,
            label=label("rolling", language))
    if np.isfinite(target):
        ax.axhline(target, color=palette.TARGET, ls="--", label=label("target", language))
    ax.set_ylabel(label("good_ratio", language))
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


#: One colour per pollutant, keyed as :func:`pollutant_key` spells them.
POLLUTANT_COLOURS = palette.POLLUTANT_COLOURS


def pollutant_key(name) -> str:
    """A pollutant's display name as a key: ``PM2.5`` → ``pm25``, ``O3_8h`` / ``O3-8h`` → ``o3_8h``."""
    return str(name).strip().lower().replace(".", "").replace("-", "_").replace("₂", "2")


def pollutant_colour(name) -> str | None:
    """The colour of a pollutant (any spelling :func:`pollutant_key` accepts); None when unknown."""
    return POLLUTANT_COLOURS.get(pollutant_key(name))


def plot_stacked_counts(counts, *, title: str, ylabel: str = "", language: str = "zh"):
    """Stacked bars: one bar per row (year or month), one segment per column (e.g. primary pollutant)."""
    import numpy as np

    _check_language(language)
    fig, ax = _new()
    bottom = np.zeros(len(counts))
    x = np.arange(len(counts))
    for col in counts.columns:
        vals = counts[col].fillna(0).astype(float).values
        ax.bar(x, vals, bottom=bottom, label=str(col), color=pollutant_colour(col))
        bottom += vals
    ax.set_xticks(x, [str(i) for i in counts.index], rotation=45 if len(x) > 8 else 0, fontsize=8)
    ax.set_ylabel(ylabel or label("days", language))
    integer_axis(ax.yaxis)
    ax.set_title(title)
    fig.legend(fontsize=8, ncol=min(len(counts.columns), 6), loc="outside lower center")  # not over the bars
    return fig


def plot_rank_history(ranks, *, city: str, title: str, n_cities: int | None = None,
                      language: str = "zh"):
    """Rank of every city by period, ``city`` highlighted (rank 1 = best, at the top).

    Parameters
    ----------
    ranks : pandas.DataFrame
        Index = period label, columns = cities, values = rank.
    """
    import numpy as np

    _check_language(language)
    fig, ax = _new()
    x = np.arange(len(ranks))
    for c in ranks.columns:
        hl = c == city
        ax.plot(x, ranks[c].astype(float).values, marker="o" if hl else None,
                lw=2.5 if hl else 0.8, color=palette.TARGET if hl else palette.GREY_SOFT, zorder=3 if hl else 2,
                label=c if hl else None)
    n = n_cities or ranks.shape[1]
    ax.set_ylim(n + 0.5, 0.5)
    ax.set_yticks(range(1, n + 1))
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step], [str(i) for i in ranks.index][::step], rotation=45, fontsize=8)
    ax.set_ylabel(label("rank", language))
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return fig


# ----------------------------------------------------------------------------- water

def plot_water_heatmap(classes, *, title: str, target_class=None, sufficient=None,
                       language: str = "zh"):
    """Section × period heat-map of water classes in the 2011 rules' colours.

    Parameters
    ----------
    classes : pandas.DataFrame
        Index = section, columns = period labels, values = class 1–6 (6 = 劣Ⅴ), NaN = no data.
    target_class : dict or pandas.Series, optional
        Section → target class; cells worse than it are marked ×.
    sufficient : pandas.DataFrame, optional
        Same shape, True where the class rests on enough data (``sufficient`` of
        :func:`yqplan.water.gb3838.classify_periods`, via ``pivot_classes(..., "sufficient")``);
        False cells are drawn grey and hatched as 数据不足, not in a class colour.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from yqplan.water import gb3838

    _check_language(language)
    colours = water_colours()
    if classes.empty:
        fig, ax = _new(figsize=(9, 2.5))
        ax.text(0.5, 0.5, label("no_data", language), ha="center", va="center", fontsize=14,
                transform=ax.transAxes, color=palette.GREY_NOTE)
        ax.set_axis_off()
        ax.set_title(title)
        return fig
    fig, ax = _new(figsize=(11, max(2.5, 0.6 * len(classes) + 1.8)))
    data = classes.astype(float).values
    thin = np.zeros(data.shape, bool)
    if sufficient is not None:
        ok = sufficient.reindex(index=classes.index, columns=classes.columns)
        thin = np.isfinite(data) & ~ok.fillna(False).astype(bool).values
        data = np.where(thin, np.nan, data)  # a class from a few readings is not shown
    cmap = ListedColormap([colours[k] for k in range(1, 7)]).with_extremes(bad=palette.MISSING)
    ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0.5, vmax=6.5, aspect="auto")
    from matplotlib.patches import Rectangle

    for i, j in zip(*np.nonzero(thin)):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=palette.NO_DATA, edgecolor=palette.GREY_EDGE,
                               hatch="///", lw=0))
        if data.shape[1] <= 24:
            ax.text(j, i, label("insufficient", language), ha="center", va="center", fontsize=8,
                    color=palette.GREY)
    targets = dict(target_class) if target_class is not None else {}
    for i, sec in enumerate(classes.index):
        t = targets.get(sec)
        for j in range(data.shape[1]):
            v = data[i, j]
            if np.isfinite(v):
                worse = t is not None and not pd.isna(t) and v > float(t)
                # many periods: only the × marks fit; few: the class as well
                txt = ("×" if worse else "") if data.shape[1] > 24 else \
                    gb3838.CLASS_LABELS[int(v)] + ("×" if worse else "")
                if txt:
                    ax.text(j, i, txt, ha="center", va="center", fontsize=8,
                            color="white" if v in (1, 2, 6) else "black")
    ax.set_yticks(range(len(classes)), [str(s) for s in classes.index])
    step = max(1, data.shape[1] // 18)
    ax.set_xticks(range(0, data.shape[1], step), [str(c) for c in classes.columns][::step],
                  rotation=45, fontsize=8)
    seen = {}
    for k in range(1, 7):
        seen.setdefault(gb3838.QUALITY[k][0], (k, colours[k]))
    handles = [Patch(color=c, label=words.word(f"water.quality.{k}", language))
               for k, c in seen.values()]
    if thin.any():
        handles.append(Patch(facecolor=palette.NO_DATA, edgecolor=palette.GREY_EDGE, hatch="///",
                             label=label("insufficient", language)))
    if sufficient is not None and (~np.isfinite(data) & ~thin).any():
        handles.append(Patch(color=palette.MISSING, label=label("no_data", language)))
    fig.legend(handles=handles, fontsize=8, ncol=len(handles), loc="outside lower center")
    ax.set_title(title + ("  " + label("worse_than_target", language) if targets else ""))
    plt.setp(ax.spines.values(), visible=False)
    return fig


def plot_water_shares(shares, *, title: str, target_good: float = math.nan,
                      target_bad: float = math.nan, language: str = "zh"):
    """Shares of sections at I–III and at 劣Ⅴ by period [%] against the plan's targets.

    ``shares``: :func:`yqplan.water.gb3838.compute_plan_indicators` (a ``period_label``
    column), or a DataFrame indexed by period, with columns ``share_good_pct`` and
    ``share_bad_pct``.
    """
    import numpy as np

    _check_language(language)
    if "period_label" in shares.columns:
        shares = shares.set_index("period_label")
    fig, ax = _new()
    if shares[["share_good_pct", "share_bad_pct"]].astype(float).isna().all().all():
        # no period with enough data: say so instead of drawing empty axes and a lone target
        ax.text(0.5, 0.5, label("no_sufficient_data", language), ha="center", va="center",
                fontsize=14, transform=ax.transAxes, color=palette.GREY_NOTE)
        ax.set_axis_off()
        ax.set_title(title)
        return fig
    x = np.arange(len(shares))
    colours = water_colours()
    ax.bar(x - 0.2, shares["share_good_pct"].astype(float), 0.4, color=colours[3],
           label=label("share_good", language))
    ax.bar(x + 0.2, shares["share_bad_pct"].astype(float), 0.4, color=colours[6],
           label=label("share_bad", language))
    if np.isfinite(target_good):
        ax.axhline(target_good, color=colours[3], ls="--", lw=1,
                   label=f"{label('target', language)} ≥ {target_good:g}%")
    if np.isfinite(target_bad):
        ax.axhline(target_bad, color=colours[6], ls=":", lw=1,
                   label=f"{label('target', language)} ≤ {target_bad:g}%")
    step = max(1, len(x) // 18)
    ax.set_xticks(x[::step], [str(i) for i in shares.index][::step], rotation=45, fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig


# ----------------------------------------------------------------------------- projects

def plot_project_timeline(projects, *, title: str, label_col: str = "name",
                          start_col: str = "start", end_col: str = "end", group_col: str = "table",
                          language: str = "zh"):
    """Gantt-style timeline: one bar per project from start to completion, coloured by group.

    ``projects``: DataFrame with ``label_col``, ``start_col``/``end_col`` (year or
    date; rows missing either are left out and counted in the title) and ``group_col``.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    _check_language(language)
    use_cjk_font()

    def to_year(v):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v == "":
            return np.nan
        try:
            ts = pd.Timestamp(str(v))
            return ts.year + (ts.day_of_year - 1) / 365.25
        except (ValueError, TypeError):
            try:
                return float(v)
            except (ValueError, TypeError):
                return np.nan

    df = projects.assign(_s=projects[start_col].map(to_year), _e=projects[end_col].map(to_year))
    shown = df.dropna(subset=["_s", "_e"]).sort_values(["_s", "_e"])
    fig, ax = plt.subplots(figsize=(10, max(3.0, 0.19 * len(shown) + 1.5)), layout="constrained")
    groups = list(dict.fromkeys(shown[group_col].astype(str)))
    col = {g: palette.GROUPS[i % len(palette.GROUPS)] for i, g in enumerate(groups)}
    y = np.arange(len(shown))
    ax.barh(y, (shown["_e"] - shown["_s"]).clip(lower=0.05), left=shown["_s"],
            color=[col[g] for g in shown[group_col].astype(str)], height=0.7)
    ax.set_yticks(y, [str(s)[:22] for s in shown[label_col]], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(label("year", language))
    left_out = len(df) - len(shown)
    extra = words.word("label.projects_without_dates", language, left_out=left_out) if left_out else ""
    ax.set_title(title + extra)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=col[g], label=g) for g in groups], fontsize=8, loc="lower right")
    ax.grid(alpha=0.3, axis="x")
    return fig


# ----------------------------------------------------------------------------- scoreboard

#: Cell colour of a verdict word (good / needs attention / bad / not assessed).
VERDICT_COLOURS = palette.VERDICT_COLOURS
_GREY = palette.VERDICT_NONE


def plot_verdict_matrix(board, *, title: str, language: str = "zh"):
    """One row per indicator, one column per verdict method, coloured by the verdict.

    Parameters
    ----------
    board : pandas.DataFrame
        :func:`yqplan.plan.targets.assess_plan` scoreboard (columns ``indicator_id``,
        ``name_zh``/``name_en``, ``status_verdict``, ``schedule_verdict``, ``progress_verdict``,
        ``probability_met``).

    Notes
    -----
    Green = met / on schedule / on track (probability ≥ 50 %), amber = needs
    acceleration or limited progress, red = not met / behind / deterioration, grey =
    not assessed (no target supplied, no data, too few points).
    """
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.patches import Rectangle

    from yqplan.report.present import verdict_word

    _check_language(language)
    use_cjk_font()
    cols = [(col, words.WORDS[f"label.matrix_{col}"])
            for col in ("status_verdict", "schedule_verdict", "progress_verdict", "probability_met")]
    n = len(board)
    fig, ax = plt.subplots(figsize=(10, 0.32 * n + 1.4), layout="constrained")
    for i, r in enumerate(board.to_dict("records")):
        for j, (col, _) in enumerate(cols):
            v = r.get(col)
            if col == "probability_met":
                if v is None or pd.isna(v):
                    colour, text = _GREY, "–"
                else:
                    colour = palette.VERDICT_GOOD if v >= 0.5 else palette.VERDICT_BAD
                    text = f"{100 * v:.0f}%"
            else:
                colour = VERDICT_COLOURS.get(str(v), _GREY)
                text = verdict_word(v, language)
            ax.add_patch(Rectangle((j, n - 1 - i), 0.97, 0.9, color=colour))
            ax.text(j + 0.48, n - 1 - i + 0.45, text, ha="center", va="center", fontsize=8)
    ax.set_xlim(0, len(cols))
    ax.set_ylim(0, n)
    ax.set_xticks([j + 0.48 for j in range(len(cols))], [words.pick(c[1], language) for c in cols], fontsize=9)
    ax.xaxis.tick_top()
    names = [f"{r['indicator_id']}  {words.pick((r['name_zh'], r['name_en']), language)}"[:34]
             for r in board.to_dict("records")]
    ax.set_yticks([n - 1 - i + 0.45 for i in range(n)], names, fontsize=8)
    ax.tick_params(length=0)
    for sp in ax.spines.values():
        sp.set_visible(False)
    ax.set_title(title)
    return fig


# ----------------------------------------------------------------------------- plan ledger

def plot_burnup(burn, *, title: str, total: float = math.nan, stated: float = math.nan,
                investment_planned: float = math.nan, language: str = "zh"):
    """Burn-up chart of the key projects: completed projects over time against the scope.

    Parameters
    ----------
    burn : pandas.DataFrame
        :func:`yqplan.plan.ledger.burnup` (``date``, ``completed``, ``investment_done`` [亿元]).
    total, stated : the printed project rows and the count the plan states (two scope
        lines, kept apart: 59 and 66 in the 14th plan).
    investment_planned : planned investment [亿元]; with it, the investment completed is
        drawn as a share of it on a second axis [%].

    Returns the figure; without records it shows the scope lines and says so.
    """
    import numpy as np

    _check_language(language)
    fig, ax = _new()
    if len(burn):
        ax.step(burn["date"], burn["completed"], where="post", color=palette.PROGRESS, lw=2,
                label=words.word("label.projects_completed", language))
        if np.isfinite(investment_planned) and investment_planned > 0:
            ax2 = ax.twinx()
            ax2.step(burn["date"], 100 * burn["investment_done"] / investment_planned, where="post",
                     color=palette.ACCENT, lw=1.5, ls="--",
                     label=words.word("label.investment_done_pct", language))
            ax2.set_ylim(0, 100)
            ax2.set_ylabel("%")
            ax2.legend(loc="upper right", fontsize=8)
    else:
        ax.text(0.5, 0.5, words.word("label.no_progress_records", language),
                transform=ax.transAxes, ha="center", va="center", color=palette.GREY_MID)
    if np.isfinite(total):
        ax.axhline(total, color=palette.GREY, ls=":", label=words.word("label.rows_in_tables", language, total=total))
    if np.isfinite(stated) and stated != total:
        ax.axhline(stated, color=palette.STATED, ls="-.", label=words.word("label.stated_projects", language, stated=stated))
    top = np.nanmax([total, stated, burn["completed"].max() if len(burn) else 0, 1])
    ax.set_ylim(0, top * 1.08)
    ax.set_ylabel(words.word("label.projects", language))
    ax.set_title(title)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def new_figure(figsize=(9, 4)):
    """``(fig, ax)`` with the CJK font set and a constrained layout: how every plot starts."""
    return _new(figsize)

"""One palette: every colour the figures, maps and HTML pages use, by name.

Colours a standard fixes stay with the standard: the AQI level colours of HJ 633—2012
Appendix A are data in :data:`yqplan.air.aqi.AQI_CLASSES` (:func:`aqi_colour` reads them).
The 2011 surface-water evaluation rules name a colour per quality status (blue, green,
yellow, orange, red); :data:`WATER_STATUS` gives the shade drawn for each name.
No module outside this one and :mod:`yqplan.air.aqi` writes a hex colour (a test checks).
Importing this module is cheap: constants only.
"""

from __future__ import annotations

__all__ = ["INK", "GREY_DARK", "GREY", "GREY_MID", "GREY_NOTE", "GREY_EDGE", "GREY_SOFT",
           "GREY_PALE", "NO_DATA", "MISSING", "NEUTRAL", "LAND", "BAR", "ACTUAL",
           "ACTUAL_LIGHT", "TARGET", "ABOVE", "HIGHLIGHT_DARK", "SCHEDULE",
           "PARTIAL_LABEL", "PROJECTION", "GOOD", "ROLLING", "ACCENT", "PROGRESS", "STATED",
           "SERIES", "GROUPS", "REGIONS", "PROFILES", "POLLUTANT_COLOURS", "VERDICT_GOOD",
           "VERDICT_WARN", "VERDICT_LAG", "VERDICT_BAD", "VERDICT_NONE", "VERDICT_COLOURS",
           "WATER_STATUS", "WATER_SECTION", "AIR_STATION", "PAGE", "aqi_colour"]


# ---------------------------------------------------------------- neutral greys
INK = "#222222"          # labels on maps and bars
GREY_DARK = "#333333"    # reference lines (limits), small annotations
GREY = "#555555"         # outlines, the baseline marker, notes under figures
GREY_MID = "#666666"     # "no data" notes inside empty axes
GREY_NOTE = "#888888"    # notes in an axes corner
GREY_EDGE = "#999999"    # hatched-cell edges; other series when one is highlighted
GREY_SOFT = "#bbbbbb"    # the other cities' lines; partial (incomplete) bars
GREY_PALE = "#cccccc"    # invalid months
NO_DATA = "#dddddd"      # cells and legend entries without data
MISSING = "#eeeeee"      # map districts and water cells without a value
NEUTRAL = "#7f7f7f"      # a neutral series (also SO2)
LAND = "#f3efe6"         # districts on a map without values

# ---------------------------------------------------------------- series and roles
BAR = "#4a7fb0"            # the default bar / series
ACTUAL = "#1f4e79"         # measured values on an indicator path
ACTUAL_LIGHT = "#9bb7d4"   # the raw monthly series under the deseasonalised one
TARGET = "#c0392b"         # target lines, the highlighted city, values above a limit
ABOVE = TARGET             # a value above its limit or above the city
HIGHLIGHT_DARK = "#a93226"  # the highlighted city among regional averages
SCHEDULE = "#e67e22"       # the time-elapsed path (序时进度); partial-year markers
PARTIAL_LABEL = "#a04000"  # the label beside a partial-year marker
PROJECTION = "#8e44ad"     # the trend projection to the target year
GOOD = "#6aa36f"           # good-day bars
ROLLING = "#2e7d32"        # the rolling 365-day ratio
ACCENT = "#e39b3b"         # a second series (exceedance days, the plan's path)
PROGRESS = "#2b6cb0"       # completed projects over time
STATED = "#b5525c"         # what the plan text states

#: Series colours in order, for figures with several unnamed series.
SERIES = (BAR, ACCENT, GOOD, STATED)
#: Project-table colours (13-1 air, 13-2 water, 13-3 soil, …) in order.
GROUPS = (BAR, "#2ca02c", "#a0522d", "#9467bd", NEUTRAL)
#: Region colours in order (the city itself is :data:`HIGHLIGHT_DARK`).
REGIONS = (BAR, ACCENT, GOOD, "#8e6bb8", NEUTRAL, "#17becf", "#bcbd22")
#: Colours of the profiles split by year, season … in order.
PROFILES = ("#1f77b4", TARGET, ROLLING, ACCENT, "#6a3d9a", "#8c564b", "#17becf", NEUTRAL,
            "#bcbd22", "#d62728", "#9467bd")

#: One colour per pollutant (keys as :func:`yqplan.report.plots.pollutant_key` returns).
POLLUTANT_COLOURS = {"pm25": "#8c564b", "pm10": "#d4a373", "o3_8h": "#1f77b4", "o3": "#1f77b4",
                     "o3_1h": "#6baed6", "no2": "#9467bd", "so2": NEUTRAL, "co": "#bcbd22"}

# ---------------------------------------------------------------- verdicts
VERDICT_GOOD = "#7fc97f"
VERDICT_WARN = "#fdd97f"
VERDICT_LAG = "#fdae61"
VERDICT_BAD = "#f4796b"
VERDICT_NONE = "#e6e6e6"   # no verdict, baseline only, no data
#: Verdict word of :mod:`yqplan.plan.targets` → cell colour of the verdict matrix.
VERDICT_COLOURS = {"met": VERDICT_GOOD, "on schedule": VERDICT_GOOD, "on track": VERDICT_GOOD,
                   "needs acceleration": VERDICT_WARN, "limited progress": VERDICT_LAG,
                   "not met": VERDICT_BAD, "behind schedule": VERDICT_BAD,
                   "deterioration": VERDICT_BAD}

# ---------------------------------------------------------------- water
#: The shade drawn for each colour name of the 2011 evaluation rules (quality status).
WATER_STATUS = {"blue": "#1f77d0", "green": "#2ca02c", "yellow": "#f2c500",
                "orange": "#ff7f0e", "red": "#d62728"}
WATER_SECTION = WATER_STATUS["blue"]   # water sections on a map
AIR_STATION = TARGET                   # air stations on a map

# ---------------------------------------------------------------- HTML pages (render.py)
PAGE = {"box_border": "#ccc", "box_background": "#fafafa", "synthetic_background": "#fff3cd",
        "synthetic_border": "#e0a800", "failed_background": "#f8d7da", "failed": "#c82333",
        "table_border": "#ddd", "table_head": "#eee", "ok": "#1e7e34", "code_background": "#f4f4f4"}


def aqi_colour(level: int) -> str:
    """The colour of AQI level ``level`` (1 优 … 6 严重污染), HJ 633—2012 Appendix A."""
    from yqplan.air import aqi

    return next(c[4] for c in aqi.AQI_CLASSES if c[1] == int(level))

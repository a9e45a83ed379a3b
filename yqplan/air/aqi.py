"""Air quality index (AQI) by HJ 633, in the 2012 and the 2026 editions.

Vectorised individual indices (IAQI), the AQI, levels, categories, colours and
the primary pollutant, for the real-time (hourly) and the daily report.  The
edition is always an explicit argument (default by date: HJ 633—2026 from
2026-03-01, HJ 633—2012 before) and is recorded in every result.

Breakpoint tables are module constants (``BREAKPOINTS``); pollutant keys are the
project's column names: ``so2 no2 co pm10 pm25 o3_1h o3_8h``.  CO in mg/m³,
the rest µg/m³.

Notes
-----
HJ 633—2012 Table 1 / HJ 633—2026 Table 3 (breakpoints), §4.2 (formula,
rounding up), §5 (reports), Appendix A (colours).  See
``docs/aqi_platform_rules.md`` for the rules that reproduce the CNEMC
platform's own hourly ``AQI`` row.
"""

from __future__ import annotations

import datetime as _dt
from types import MappingProxyType

import numpy as np
import pandas as pd

EDITIONS = ("2012", "2026")
#: HJ 633—2026 and GB 3095—2026 in force from this date.
EDITION_SWITCH = _dt.date(2026, 3, 1)

#: IAQI levels of the breakpoint rows (HJ 633 Table 1 / Table 3, first column).
IAQI_LEVELS = (0, 50, 100, 150, 200, 300, 400, 500)

_BP_2012 = {
    # indicator: concentrations at IAQI 0, 50, 100, 150, 200, 300, 400, 500
    "so2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "so2_1h": (0, 150, 500, 650, 800),  # above 800: see SO2_1H_LIMIT
    "no2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "no2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "pm10_24h": (0, 50, 150, 250, 350, 420, 500, 600),
    "co_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "co_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "o3_8h": (0, 100, 160, 215, 265, 800),  # above 800: see O3_8H_LIMIT
    "pm25_24h": (0, 35, 75, 115, 150, 250, 350, 500),
}
_BP_2026 = dict(_BP_2012)
_BP_2026["pm10_24h"] = (0, 50, 120, 250, 350, 420, 500, 600)   # 2026 Table 3: 150 → 120
_BP_2026["pm25_24h"] = (0, 35, 60, 115, 150, 250, 350, 500)    # 2026 Table 3: 75 → 60

#: Breakpoint concentrations by edition and indicator (read-only).
BREAKPOINTS = MappingProxyType({
    "2012": MappingProxyType({k: tuple(float(x) for x in v) for k, v in _BP_2012.items()}),
    "2026": MappingProxyType({k: tuple(float(x) for x in v) for k, v in _BP_2026.items()}),
})

#: Top of the SO2 1h and O3 8h columns; above it the standard's note applies.
SO2_1H_LIMIT = 800.0
O3_8H_LIMIT = 800.0

#: AQI classes (HJ 633 Table 2 and Appendix A): upper bound, level, category, English, hex.
AQI_CLASSES = (
    (50, 1, "优", "excellent", "#00E400"),
    (100, 2, "良", "good", "#FFFF00"),
    (150, 3, "轻度污染", "lightly polluted", "#FF7E00"),
    (200, 4, "中度污染", "moderately polluted", "#FF0000"),
    (300, 5, "重度污染", "heavily polluted", "#99004C"),
    (np.inf, 6, "严重污染", "severely polluted", "#7E0023"),
)

#: Ways to turn an IAQI into an integer.  "ceil" is the standard's rule.
ROUNDINGS = ("ceil", "half_up", "half_even", "none")

#: The IAQI columns of the real-time and the daily report, in display order.
POLLUTANTS = ("so2", "no2", "co", "o3_1h", "o3_8h", "pm10", "pm25")

#: Daily-report indicators: daily-value column -> (pollutant, breakpoint column).
DAILY_INDICATORS = {
    "2012": {"so2": "so2_24h", "no2": "no2_24h", "co": "co_24h", "pm10": "pm10_24h",
             "pm25": "pm25_24h", "o3_1h_max": "o3_1h", "o3_8h_max": "o3_8h"},
    "2026": {"so2": "so2_24h", "no2": "no2_24h", "co": "co_24h", "pm10": "pm10_24h",
             "pm25": "pm25_24h", "o3_8h_max": "o3_8h"},
}

#: Rules that reproduce the CNEMC platform's hourly ``AQI`` row (measured on the
#: 2022, 2023 and early-2024 city archives, docs/aqi_platform_rules.md): IAQI rounded half up, PM
#: 1h values in the 24h columns, no O3 8h index, AQI from the pollutants present,
#: SO2 1h above 800 looked up in the SO2 24h column.
PLATFORM_RULES = MappingProxyType({"rounding": "half_up", "pm_basis": "1h",
                                   "use_o3_8h": False, "missing": "present",
                                   "round_input": False, "so2_high": "1h_in_24h"})
#: The rules that reproduce the station-level archive of 2018-01-01 (all 1,479
#: stations with an AQI, every hour): the same but IAQI rounded **up** (the
#: standard's rule) and SO2 1h above 800 replaced by the 24h-mean IAQI (the
#: 2012 standard's rule).  The platform's rounding changed between that file
#: and the 2022–2024 city files (or differs between stations and cities).
PLATFORM_RULES_SITES_2018 = MappingProxyType(dict(PLATFORM_RULES, rounding="ceil",
                                                  so2_high="standard"))

_EPS = 1e-7  # absorbs binary floating error before ceil/round (e.g. 1.2*25 = 30.000000000000004)


def edition_for(date) -> str:
    """The HJ 633 / GB 3095 edition in force on ``date``.

    Parameters
    ----------
    date : date, datetime, Timestamp or ISO string

    Returns
    -------
    str
        ``"2026"`` on or after 2026-03-01, otherwise ``"2012"``.

    Notes
    -----
    HJ 633—2026 and GB 3095—2026 take effect on 2026-03-01 (docs/standards/hj633-aqi.md §1,
    docs/standard_editions.md).  The one rule for every day assessed with ``edition="auto"``.

    Examples
    --------
    >>> edition_for("2026-02-28"), edition_for("2026-03-01")
    ('2012', '2026')
    """
    d = pd.Timestamp(date)
    return "2026" if d.date() >= EDITION_SWITCH else "2012"


def check_edition(edition) -> str:
    """Return ``edition`` as ``"2012"`` or ``"2026"``; raise ValueError otherwise."""
    e = str(edition)
    if e not in EDITIONS:
        raise ValueError(f"edition: {edition!r} is not one of {', '.join(EDITIONS)}")
    return e


def _check_rounding(rounding: str) -> str:
    if rounding not in ROUNDINGS:
        raise ValueError(f"rounding: {rounding!r} is not one of {', '.join(ROUNDINGS)}")
    return rounding


def round_iaqi(values, rounding: str = "ceil") -> np.ndarray:
    """Round IAQI/AQI values to integers by ``rounding`` (NaN stays NaN).

    Notes
    -----
    HJ 633—2012 §4.2 "全部进位取整数" and HJ 633—2026 §4.2.6: round **up**
    (``"ceil"``).  ``"half_up"`` (四舍五入) and ``"half_even"`` are offered for
    comparisons with other publishers; ``"none"`` keeps the exact value.
    """
    _check_rounding(rounding)
    x = np.asarray(values, dtype=float)
    if rounding == "none":
        return x
    if rounding == "ceil":
        return np.ceil(x - _EPS)
    if rounding == "half_up":
        return np.floor(x + 0.5 + _EPS)
    return np.rint(np.round(x, 6))


def round_concentration(values, pollutant: str) -> np.ndarray:
    """Round concentrations as HJ 633—2026 §4.2.2–4.2.3 requires (GB/T 8170).

    Round half to even: integers for SO2, NO2, O3, PM10, PM2.5; one decimal for
    CO.  (HJ 633—2012 states no such rule.)
    """
    x = np.asarray(values, dtype=float)
    digits = 1 if pollutant.startswith("co") else 0
    scale = 10.0 ** digits
    # round(…, 6) first so that 0.35*10 = 3.4999999999999996 counts as 3.5
    return np.rint(np.round(x * scale, 6)) / scale


def compute_iaqi(concentration, indicator: str, edition: str = "2012",
                 rounding: str = "ceil", round_input: bool | None = None) -> np.ndarray:
    """Individual air quality index of one indicator, vectorised.

    Parameters
    ----------
    concentration : array-like of float
        µg/m³ (CO mg/m³); NaN gives NaN, negative values give NaN.
    indicator : str
        A key of ``BREAKPOINTS[edition]``: ``so2_24h so2_1h no2_24h no2_1h
        pm10_24h pm25_24h co_24h co_1h o3_1h o3_8h``.
    edition : {"2012", "2026"}
    rounding : {"ceil", "half_up", "half_even", "none"}
        Default ``"ceil"``, the standard's rule.
    round_input : bool, optional
        Round concentrations first (GB/T 8170); default True for 2026, False
        for 2012.

    Returns
    -------
    ndarray of float
        IAQI (dimensionless).

    Notes
    -----
    IAQI_P = (IAQI_Hi − IAQI_Lo)/(BP_Hi − BP_Lo)·(C_P − BP_Lo) + IAQI_Lo
    (HJ 633—2012 §4.2 formula (1); HJ 633—2026 §4.2.4).  A concentration equal
    to a breakpoint gives that breakpoint's IAQI.

    Above the top of a column both editions leave the index undefined; this
    function caps it at 500 (as common implementations do).  The columns that
    end early are handled here too: SO2 1h above 800 µg/m³ gives NaN in 2012
    (the caller must use the 24h index, Table 1 note (2); see
    ``compute_realtime_aqi``) and 200 in 2026; O3 8h above 800 gives NaN in
    2012 (the O3 1h index is used instead, note (3)) and 300 in 2026 (Table 3).

    Examples
    --------
    >>> compute_iaqi([75.9], "pm25_24h", "2012").tolist()   # python-aqi says 100
    [102.0]
    """
    edition = check_edition(edition)
    _check_rounding(rounding)
    try:
        bp = np.asarray(BREAKPOINTS[edition][indicator])
    except KeyError:
        raise ValueError(f"indicator: {indicator!r} is not one of "
                         f"{', '.join(BREAKPOINTS[edition])}") from None
    c = np.asarray(concentration, dtype=float)
    if round_input is None:
        round_input = edition == "2026"
    if round_input:
        c = round_concentration(c, indicator)
    levels = np.asarray(IAQI_LEVELS[: len(bp)], dtype=float)
    j = np.clip(np.searchsorted(bp, c, side="right") - 1, 0, len(bp) - 2)
    lo, hi = bp[j], bp[j + 1]
    ilo, ihi = levels[j], levels[j + 1]
    with np.errstate(invalid="ignore"):
        out = (ihi - ilo) / (hi - lo) * (c - lo) + ilo
        above = c > bp[-1]
        if len(bp) == len(IAQI_LEVELS):
            out = np.where(above, 500.0, out)          # undefined above 500: cap
        elif indicator == "so2_1h":
            out = np.where(above, np.nan if edition == "2012" else 200.0, out)
        elif indicator == "o3_8h":
            out = np.where(above, np.nan if edition == "2012" else 300.0, out)
        out = np.where(c < 0, np.nan, out)
    return round_iaqi(out, rounding)


def classify_aqi(aqi) -> pd.DataFrame:
    """Level, category, English category and colour of AQI values.

    Parameters
    ----------
    aqi : array-like of float
        NaN gives level 0 and empty strings.

    Returns
    -------
    DataFrame
        Columns ``aqi_level`` (int 1–6, 0 when NaN), ``aqi_category`` (优 …
        严重污染), ``aqi_category_en``, ``aqi_colour`` (hex, HJ 633 Appendix A).

    Notes
    -----
    HJ 633—2012 Table 2 / HJ 633—2026 Table 4: 0–50 一级 优, 51–100 二级 良,
    101–150 三级, 151–200 四级, 201–300 五级, >300 六级.  Non-integer values
    (rounding "none") are classed by the upper bounds (50.4 is level 2).
    """
    a = np.asarray(aqi, dtype=float)
    uppers = np.array([c[0] for c in AQI_CLASSES])
    idx = np.searchsorted(uppers, np.where(np.isnan(a), 0, a), side="left")
    nan = np.isnan(a)
    level = np.where(nan, 0, idx + 1).astype(int)
    cats = np.array([""] + [c[2] for c in AQI_CLASSES], dtype=object)
    en = np.array([""] + [c[3] for c in AQI_CLASSES], dtype=object)
    col = np.array([""] + [c[4] for c in AQI_CLASSES], dtype=object)
    return pd.DataFrame({"aqi_level": level, "aqi_category": cats[level],
                         "aqi_category_en": en[level], "aqi_colour": col[level]})


def find_primary_pollutant(iaqi: pd.DataFrame, aqi) -> np.ndarray:
    """Primary pollutant(s): the largest IAQI when AQI > 50; ties all listed.

    Parameters
    ----------
    iaqi : DataFrame
        Columns ``iaqi_<pollutant>`` (rounded as published).
    aqi : array-like
        The AQI of each row.

    Returns
    -------
    ndarray of str
        Pollutant keys joined by "," in ``POLLUTANTS`` order (``"pm25,pm10"``),
        "" when AQI ≤ 50 or NaN.

    Notes
    -----
    HJ 633—2012 §3.5 / HJ 633—2026 §3.6 (首要污染物).  Ties are judged on the
    rounded IAQI as published.
    """
    cols = [c for c in iaqi.columns if c.startswith("iaqi_")]
    vals = iaqi[cols].to_numpy(dtype=float)
    a = np.asarray(aqi, dtype=float)
    with np.errstate(invalid="ignore"):
        is_max = (np.abs(vals - a[:, None]) < 1e-9) & (a[:, None] > 50)
    names = np.array([c[5:] for c in cols], dtype=object)
    out = np.full(len(a), "", dtype=object)
    # few patterns: join names once per distinct pattern of maxima
    if len(a):
        code = is_max.astype(np.int64) @ (np.int64(1) << np.arange(len(cols), dtype=np.int64))
        keys, inverse = np.unique(code, return_inverse=True)
        labels = np.array([",".join(n for j, n in enumerate(names) if k >> j & 1)
                           for k in keys], dtype=object)
        out = labels[inverse.ravel()]
    return out


def find_exceeding_pollutants(iaqi: pd.DataFrame, edition: str) -> np.ndarray:
    """Over-standard pollutants (超标污染物): IAQI > 100, joined by ",".

    Notes
    -----
    HJ 633—2012 §3.6.  The 2026 edition deleted the term: empty strings.
    """
    cols = [c for c in iaqi.columns if c.startswith("iaqi_")]
    if check_edition(edition) == "2026" or not len(iaqi):
        return np.full(len(iaqi), "", dtype=object)
    vals = iaqi[cols].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        over = vals > 100
    code = over.astype(np.int64) @ (np.int64(1) << np.arange(len(cols), dtype=np.int64))
    keys, inverse = np.unique(code, return_inverse=True)
    labels = np.array([",".join(c[5:] for j, c in enumerate(cols) if k >> j & 1)
                       for k in keys], dtype=object)
    return labels[inverse.ravel()]


def _finish(iaqi: dict, index, edition, rounding, required: list[str],
            dust_excluded=None, missing: str = "standard") -> pd.DataFrame:
    """AQI, missing-data rule, classes and primary pollutant from rounded IAQIs."""
    out = pd.DataFrame({f"iaqi_{k}": v for k, v in iaqi.items()}, index=index)
    vals = out.to_numpy(dtype=float)
    with np.errstate(all="ignore"):
        aqi = np.where(np.all(np.isnan(vals), axis=1), np.nan,
                       np.nanmax(np.where(np.isnan(vals), -np.inf, vals), axis=1))
    aqi = np.where(np.isinf(aqi), np.nan, aqi)
    req = out[[f"iaqi_{k}" for k in required]].to_numpy(dtype=float)
    absent = np.isnan(req)
    if dust_excluded is not None:
        # dust-deducted particles (measured, then excluded) are not missing
        for j, k in enumerate(required):
            if k in dust_excluded:
                absent[:, j] &= ~np.asarray(dust_excluded[k], dtype=bool)
    incomplete = absent.any(axis=1)
    # HJ 633—2026 §5.3.1: with data missing publish the AQI only when it is > 100
    if missing == "standard":
        aqi = np.where(incomplete & ~(aqi > 100), np.nan, aqi)
    out["aqi"] = aqi
    out["aqi_complete"] = ~incomplete
    cls = classify_aqi(aqi)
    cls.index = index
    out = pd.concat([out, cls], axis=1)
    out["primary_pollutant"] = find_primary_pollutant(out, aqi)
    out["exceeding_pollutants"] = find_exceeding_pollutants(out, edition)
    out["edition"] = edition
    out["rounding"] = rounding
    return out


def compute_realtime_aqi(frame: pd.DataFrame, edition: str | None = None,
                         rounding: str = "ceil", *, pm_basis: str = "1h",
                         use_o3_8h: bool | None = None,
                         round_input: bool | None = None,
                         missing: str = "standard",
                         so2_high: str = "standard") -> pd.DataFrame:
    """Real-time (hourly) IAQI and AQI of each row, HJ 633 §5 real-time report.

    Parameters
    ----------
    frame : DataFrame
        One row per location and hour, columns as ``yqplan.air.cnemc.read_cnemc``
        returns: ``so2 no2 co o3 pm10 pm25`` (1h values) and, as the rules
        need them, ``o3_8h`` (8h moving mean), ``so2_24h``, ``pm10_24h``,
        ``pm25_24h``; ``time`` when ``edition`` is None.
    edition : {"2012", "2026"}, optional
        Default: by each row's ``time`` (``edition_for``); recorded per row.
    rounding : {"ceil", "half_up", "half_even", "none"}
        IAQI rounding; ``"ceil"`` (the standard's) is the default.
    pm_basis : {"1h", "24h"}
        PM10/PM2.5 concentrations looked up in the 24h columns: the hourly
        values (HJ 633—2026 §5.2; what the CNEMC platform does under the 2012
        edition too, see ``docs/aqi_platform_rules.md``) or the 24h moving
        means.  The 2012 text gives PM breakpoints for 24h only; "1h" as its
        default is the platform's practice (**unverified** against the text).
    use_o3_8h : bool, optional
        Include the O3 8h moving mean: default True for 2012 (our reading of
        the 2012 real-time report, §5.2, which lists it — **unverified**; the
        platform leaves it out), False for 2026 (1h values only).
    round_input : bool, optional
        Round concentrations per GB/T 8170 first; default True for 2026.
    missing : {"standard", "present"}
        With pollutants missing: ``"standard"`` publishes the AQI only when it
        exceeds 100 (HJ 633—2026 §5.3.1); ``"present"`` takes the maximum of the
        IAQIs present (what the platform does).
    so2_high : {"standard", "1h_in_24h"}
        SO2 1h above 800 µg/m³: ``"standard"`` follows the edition (2012: the
        IAQI of the 24h mean ``so2_24h``; 2026: 200); ``"1h_in_24h"`` looks the
        1h value up in the 24h column (what the platform does).

    Returns
    -------
    DataFrame (same index as ``frame``)
        ``iaqi_so2 iaqi_no2 iaqi_co iaqi_o3_1h [iaqi_o3_8h] iaqi_pm10
        iaqi_pm25`` (dimensionless), ``aqi``, ``aqi_complete``, ``aqi_level``,
        ``aqi_category``, ``aqi_category_en``, ``aqi_colour``, ``primary_pollutant``,
        ``exceeding_pollutants`` (2012 only),
        ``edition``, ``rounding``.

    Notes
    -----
    1h columns for SO2, NO2, CO, O3 (HJ 633—2012 Table 1 note (1)).  SO2 1h
    above 800 µg/m³: 2012 reports the SO2 24h IAQI instead (note (2), from
    ``so2_24h``; NaN if that column is absent), 2026 gives 200.  O3 8h above
    800: 2012 drops it (the 1h index stands, note (3)), 2026 gives 300.
    With pollutants missing the AQI is published only when it exceeds 100
    (HJ 633—2026 §5.3.1; applied to both editions here), ``aqi_complete``
    records it.
    """
    _check_rounding(rounding)
    if missing not in ("standard", "present"):
        raise ValueError(f"missing: {missing!r} is not one of standard, present")
    if so2_high not in ("standard", "1h_in_24h"):
        raise ValueError(f"so2_high: {so2_high!r} is not one of standard, 1h_in_24h")
    if pm_basis not in ("1h", "24h"):
        raise ValueError(f"pm_basis: {pm_basis!r} is not one of 1h, 24h")
    if edition is None:
        if "time" not in frame.columns:
            raise ValueError("edition: None needs a 'time' column to choose by date; "
                             "pass edition='2012' or '2026'")
        times = pd.to_datetime(frame["time"])
        local = times.dt.tz_convert("Asia/Shanghai") if times.dt.tz is not None else times
        new = (local.dt.tz_localize(None) >= pd.Timestamp(EDITION_SWITCH)).to_numpy()
        orig_index = frame.index
        frame = frame.reset_index(drop=True)  # positions: safe with a duplicated index
        parts = []
        for ed, mask in (("2012", ~new), ("2026", new)):
            if mask.any():
                parts.append(compute_realtime_aqi(frame[mask], ed, rounding, pm_basis=pm_basis,
                                                  use_o3_8h=use_o3_8h, round_input=round_input,
                                                  missing=missing, so2_high=so2_high))
        if not parts:
            return compute_realtime_aqi(frame, "2012", rounding, pm_basis=pm_basis,
                                        use_o3_8h=use_o3_8h, round_input=round_input,
                                        missing=missing, so2_high=so2_high)
        out = pd.concat(parts).sort_index()
        out.index = orig_index
        return out
    edition = check_edition(edition)
    if use_o3_8h is None:
        use_o3_8h = edition == "2012"

    def col(name):
        if name not in frame.columns:
            raise ValueError(f"frame: column {name!r} is missing; expected the columns of "
                             "yqplan.air.cnemc.read_cnemc (so2, no2, co, o3, pm10, pm25, o3_8h …)")
        return frame[name].to_numpy(dtype=float)

    def iaqi(c, ind):
        return compute_iaqi(c, ind, edition, rounding, round_input)

    so2 = col("so2")
    s = iaqi(so2, "so2_1h")
    over = so2 > SO2_1H_LIMIT
    if so2_high == "1h_in_24h":
        s = np.where(over, iaqi(so2, "so2_24h"), s)
    elif edition == "2012":
        if over.any():
            s24 = (iaqi(col("so2_24h"), "so2_24h") if "so2_24h" in frame.columns
                   else np.full(len(so2), np.nan))
            s = np.where(over, s24, s)
    res = {"so2": s, "no2": iaqi(col("no2"), "no2_1h"), "co": iaqi(col("co"), "co_1h"),
           "o3_1h": iaqi(col("o3"), "o3_1h")}
    required = ["so2", "no2", "co", "o3_1h", "pm10", "pm25"]
    if use_o3_8h:
        res["o3_8h"] = iaqi(col("o3_8h"), "o3_8h")   # NaN above 800 in 2012
    suffix = "" if pm_basis == "1h" else "_24h"
    res["pm10"] = iaqi(col("pm10" + suffix), "pm10_24h")
    res["pm25"] = iaqi(col("pm25" + suffix), "pm25_24h")
    return _finish(res, frame.index, edition, rounding, required, missing=missing)


def compute_daily_aqi(daily: pd.DataFrame, edition: str, rounding: str = "ceil", *,
                      round_input: bool | None = None, dust_column: str | None = None
                      ) -> pd.DataFrame:
    """Daily-report IAQI and AQI of each row (one row per location and day).

    Parameters
    ----------
    daily : DataFrame
        Daily values: ``so2 no2 co pm10 pm25`` (24h means), ``o3_8h_max``
        (daily maximum 8h moving mean) and, for 2012, ``o3_1h_max``.  NaN =
        not valid.  As ``yqplan.air.stats.compute_daily_values`` returns them.
    edition : {"2012", "2026"}
        Explicit: a daily series is assessed in one edition.
    rounding : {"ceil", "half_up", "half_even", "none"}
    round_input : bool, optional
        GB/T 8170 rounding of concentrations; default True for 2026.
    dust_column : str or dict, optional
        Boolean column marking dust-deducted days: their PM10 and PM2.5 are
        excluded (set NaN before calling) and do not count as missing.  A dict
        ``{"pm10": column, "pm25": column}`` marks each pollutant's deduction on
        its own (a value that was not measured is missing, not deducted).

    Returns
    -------
    DataFrame (same index)
        ``iaqi_so2 iaqi_no2 iaqi_co [iaqi_o3_1h] iaqi_o3_8h iaqi_pm10
        iaqi_pm25``, ``aqi``, ``aqi_complete``, ``aqi_level``, ``aqi_category``,
        ``aqi_category_en``, ``aqi_colour``, ``primary_pollutant``, ``edition``,
        ``rounding``.

    Notes
    -----
    HJ 633—2012 §5.1: 24h means of SO2, NO2, CO, PM10, PM2.5, the O3 daily 1h
    maximum and daily maximum 8h mean; O3 8h above 800 µg/m³ → the 1h index is
    used (Table 1 note (3)).  HJ 633—2026 §5.1: six indicators (no O3 1h); O3
    8h above 800 → IAQI 300.  Missing indicators: HJ 633—2026 §5.3.1 (AQI
    published only when > 100), applied to both editions.
    """
    edition = check_edition(edition)
    _check_rounding(rounding)
    res = {}
    for column, ind in DAILY_INDICATORS[edition].items():
        if column not in daily.columns:
            raise ValueError(f"daily: column {column!r} is missing; the {edition} daily "
                             f"report needs {', '.join(DAILY_INDICATORS[edition])}")
        key = {"o3_1h_max": "o3_1h", "o3_8h_max": "o3_8h"}.get(column, column)
        res[key] = compute_iaqi(daily[column].to_numpy(dtype=float), ind, edition,
                                rounding, round_input)
    order = [p for p in POLLUTANTS if p in res]
    res = {k: res[k] for k in order}
    if isinstance(dust_column, dict):
        dust = {p: daily[c].to_numpy(dtype=bool) for p, c in dust_column.items()}
    elif dust_column:
        dust = dict.fromkeys(("pm10", "pm25"), daily[dust_column].to_numpy(dtype=bool))
    else:
        dust = None
    if edition == "2012":
        # O3 8h > 800: not used; the O3 1h index (already present) stands
        required = [k for k in order if k != "o3_8h"]
        o3_8h = daily["o3_8h_max"].to_numpy(dtype=float)
        required_8h = ~(o3_8h > O3_8H_LIMIT)
        out = _finish(res, daily.index, edition, rounding, required, dust)
        # a missing (NaN) 8h value also makes the day incomplete
        miss8 = np.isnan(o3_8h) & required_8h
        if miss8.any():
            aqi = out["aqi"].to_numpy(dtype=float)
            keep = ~miss8 | (aqi > 100)
            out.loc[~keep, "aqi"] = np.nan
            out["aqi_complete"] = out["aqi_complete"].to_numpy() & ~miss8
            cls = classify_aqi(out["aqi"].to_numpy())
            for c in cls.columns:
                out[c] = cls[c].to_numpy()
            out["primary_pollutant"] = find_primary_pollutant(out, out["aqi"].to_numpy())
        return out
    return _finish(res, daily.index, edition, rounding, order, dust)


#: The public API of this module (anything else is private to it).
__all__ = ["EDITIONS", "EDITION_SWITCH", "IAQI_LEVELS", "BREAKPOINTS", "SO2_1H_LIMIT",
           "O3_8H_LIMIT", "AQI_CLASSES", "ROUNDINGS", "POLLUTANTS", "DAILY_INDICATORS",
           "PLATFORM_RULES", "PLATFORM_RULES_SITES_2018", "edition_for", "check_edition",
           "round_iaqi", "round_concentration", "compute_iaqi", "classify_aqi",
           "find_primary_pollutant", "find_exceeding_pollutants", "compute_realtime_aqi",
           "compute_daily_aqi"]

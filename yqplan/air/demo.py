"""A deterministic SYNTHETIC CNEMC archive for demonstrations, tests and benchmarks.

:func:`write_demo_archive` writes daily files in exactly the CNEMC formats (header
``date,hour,type,<locations>``, 15 ``type`` rows per hour, empty fields for missing values,
integers except CO) for Yangquan (its real station codes 1738A–1743A, and 3619A from
2022-02-13, the date of the station list that first shows it) and the other ten Shanxi cities,
2015–2025 by default.  A ``SYNTHETIC.json`` marker at the archive root (generator, version,
seed, parameters) is carried by the reader into ``meta["synthetic"]`` and by the store into
its manifest, so everything computed from it can say it is synthetic.

**Nothing here is measured data.**  The model is a plausible caricature, built so the
analyses have something realistic to chew on:

* PM2.5 annual means follow a path for Yangquan passing near the plan's published 2020
  baseline (49 µg/m³) and declining afterwards; the other cities are scaled versions.
* Seasonal cycles (particles, SO2, CO, NO2 high in the heating season; O3 high in summer),
  diurnal cycles (O3 afternoon peak, NO2 rush hours, particles at night), a weekly cycle
  (NO2 lower at weekends), holidays (Spring Festival fireworks at midnight, less traffic in the
  Spring Festival and National Day weeks).
* Regional weather as a daily AR(1) factor shared by all cities, winter haze episodes,
  spring dust episodes (PM10 far above PM2.5), O3 rising over the years.
* Gaps: days without a file, short days (a block of whole hours missing from a file),
  station outages of hours to days (empty fields), isolated empty cells.
* Derived rows computed as the platform does: ``X_24h`` = trailing 24-hour mean (at least 16
  valid hours), ``O3_8h`` = trailing 8-hour mean (at least 6), ``O3_24h`` = trailing 24-hour
  maximum, ``O3_8h_24h`` = running maximum over the natural day (labels 01:00 … 24:00); city rows of Yangquan = mean of its stations' rows;
  ``AQI`` = real-time AQI by HJ 633—2012 Table 1 from the 1-hour values of all six
  pollutants (PM10 and PM2.5 looked up in their 24-hour columns; SO2 above 800 µg/m³ by its
  24-hour IAQI), rounded up — the rule that reproduces 87 % of the real platform's city AQI
  rows exactly (checked on 阳泉, 北京, 太原 in 2022; a 24-hour-moving PM rule matches 8 %).

Everything is vectorised numpy; files are formatted through lookup tables, so the full
2015–2025 city + station archive takes a few seconds.

:func:`write_demo_water` writes SYNTHETIC surface-water snapshots in the national automatic
monitoring export format for Yangquan's three sections (marked the same way), and
:func:`ensure_demo_store` makes both — archive ingested into the store, water snapshots next
to it — for ``make report``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from yqplan import _io, config
from yqplan.air import store
from yqplan.air.aqi import compute_iaqi
from yqplan.air.cities import DEFAULT_CITY
from yqplan.air.cnemc import SOURCE_TYPES, SYNTHETIC_MARKER
from yqplan.water import gb3838

GENERATOR_VERSION = "1.2"
DEFAULT_SEED = 20210101

#: The 11 Shanxi cities, in the order of the real archive header; PM2.5 level relative to 阳泉.
SHANXI_CITIES = {"太原": 1.04, "大同": 0.72, "长治": 0.96, "临汾": 1.15, DEFAULT_CITY: 1.0,
                 "晋城": 1.02, "朔州": 0.82, "晋中": 0.98, "运城": 1.12, "忻州": 0.88,
                 "吕梁": 0.92}
#: Yangquan's national stations (codes real, values synthetic) → relative PM2.5 level.
YANGQUAN_STATIONS = {"1738A": 1.04, "1739A": 0.93, "1740A": 1.02, "1741A": 1.06,
                     "1742A": 0.97, "1743A": 1.0, "3619A": 0.98}
STATION_START = {"3619A": _dt.date(2022, 2, 13)}

#: Yangquan city PM2.5 annual-mean path [µg/m³] the generator aims at (synthetic; 2020 near
#: the plan's published baseline of 49).
PM25_PATH = {2013: 82.0, 2014: 76.0, 2015: 68.0, 2016: 63.0, 2017: 60.0, 2018: 55.0,
             2019: 52.0, 2020: 49.0, 2021: 45.0, 2022: 42.0, 2023: 41.0, 2024: 38.5,
             2025: 36.5, 2026: 35.0}
#: Spring Festival (农历正月初一) dates — facts, used for fireworks and the holiday week.
SPRING_FESTIVAL = {2013: "02-10", 2014: "01-31", 2015: "02-19", 2016: "02-08", 2017: "01-28",
                   2018: "02-16", 2019: "02-05", 2020: "01-25", 2021: "02-12", 2022: "02-01",
                   2023: "01-22", 2024: "02-10", 2025: "01-29", 2026: "02-17"}

def _realtime_aqi(so2, so2_24h, no2, co, o3, pm10, pm25):
    """Real-time AQI, HJ 633—2012, with the platform's PM basis (1h values in the 24h columns)."""

    def iaqi(c, indicator):
        return compute_iaqi(c, indicator, "2012", rounding="ceil")

    i_so2 = np.where(so2 > 800, iaqi(so2_24h, "so2_24h"), iaqi(so2, "so2_1h"))  # note (2)
    stack = np.stack([i_so2, iaqi(no2, "no2_1h"), iaqi(co, "co_1h"), iaqi(o3, "o3_1h"),
                      iaqi(pm10, "pm10_24h"), iaqi(pm25, "pm25_24h")])
    with np.errstate(all="ignore"):
        allnan = np.isnan(stack).all(axis=0)
        aqi = np.nanmax(np.where(np.isnan(stack), -1, stack), axis=0)
    return np.where(allnan, np.nan, aqi)


def _rolling_mean(x, w, minp):
    """Trailing mean over ``w`` rows (axis 0) with at least ``minp`` valid values."""
    v = np.nan_to_num(x)
    n = (~np.isnan(x)).astype(np.int32)
    cs = np.cumsum(v, axis=0)
    cn = np.cumsum(n, axis=0)
    cs[w:] = cs[w:] - cs[:-w].copy()
    cn[w:] = cn[w:] - cn[:-w].copy()
    with np.errstate(all="ignore"):
        out = cs / cn
    out[cn < minp] = np.nan
    return out


def _daily_running_max(x):
    """Running maximum over the natural day, labels 01:00 … 24:00 (rows = labels 0–23).

    The real city files restart ``O3_8h_24h`` at the 01:00 label (97 % of 2022 label-01:00
    rows of 阳泉, 太原, 北京 equal ``O3_8h``; 0.8 % at 00:00): the 00:00 label closes the
    previous day.
    """
    pad = np.full((23, x.shape[1]), np.nan)
    # 23 rows in front and 1 behind: label 01:00 of each day starts a block of 24
    z = np.concatenate([pad, x, pad[:1]]).reshape(-1, 24, x.shape[1])
    out = np.maximum.accumulate(np.where(np.isnan(z), -np.inf, z), axis=1)
    out[np.isinf(out)] = np.nan
    return out.reshape(-1, x.shape[1])[23:23 + len(x)]


def _moving_max(x, w):
    """Trailing maximum over ``w`` rows (axis 0), NaN ignored; NaN when all are NaN.

    ``O3_24h`` of the real city files behaves as a 24-hour moving maximum: it does not
    restart at any label (it equals ``O3`` at 01:00 in 0.2 % of rows).
    """
    z = np.concatenate([np.full((w - 1, x.shape[1]), -np.inf),
                        np.where(np.isnan(x), -np.inf, x)])
    out = np.lib.stride_tricks.sliding_window_view(z, w, axis=0).max(axis=-1)
    out[np.isinf(out)] = np.nan
    return out


def _ar1(rng, n, phi, sigma, shape_extra=()):
    e = rng.normal(0.0, sigma, size=(n, *shape_extra))
    out = np.empty_like(e)
    out[0] = e[0] / np.sqrt(1 - phi ** 2)
    for i in range(1, n):   # n = days (≤ 366): cheap
        out[i] = phi * out[i - 1] + e[i]
    return out


def _year_hours(year, d0=None, d1=None):
    d0 = d0 or _dt.date(year, 1, 1)
    d1 = d1 or _dt.date(year, 12, 31)
    ndays = (d1 - d0).days + 1
    days = np.arange(ndays)
    doy = np.repeat(days + (d0 - _dt.date(year, 1, 1)).days, 24).astype(float)
    hour = np.tile(np.arange(24), ndays).astype(float)
    wd0 = d0.weekday()
    weekday = np.repeat((days + wd0) % 7, 24)
    return d0, ndays, doy, hour, weekday


def _generate(rng, year, levels, d0=None, d1=None, regional=None):
    """Hourly concentrations for ``levels`` (relative PM2.5 level per series).

    Returns dict pollutant → array (hours, series), unrounded, no gaps, and the day list.
    """
    levels = np.asarray(levels, dtype=float)
    s = len(levels)
    d0, nd, doy, hour, weekday = _year_hours(year, d0, d1)
    n = nd * 24
    ph = 2 * np.pi * doy[:, None] / 365.25
    hr = 2 * np.pi * hour[:, None] / 24
    frac = (year - 2015) / 10.0
    # Regional weather (shared) + local weather, daily AR(1) in log space, hourly-interpolated.
    if regional is None:
        regional = _ar1(rng, nd, 0.72, 0.30)
    local = _ar1(rng, nd, 0.6, 0.16, (s,))
    wd = regional[:, None] + local
    x_day = np.arange(nd) * 24 + 12
    xs = np.arange(n)
    w = np.empty((n, s))
    for j in range(s):
        w[:, j] = np.interp(xs, x_day, wd[:, j])
    hourly = rng.normal(0.0, 0.13, size=(n, s))
    weather = np.exp(w + hourly)
    # Episodes (regional): winter haze, spring dust.
    haze = np.ones(n)
    dust = np.ones(n)
    for _ in range(rng.poisson(4)):
        start = int(rng.choice(np.r_[0:59, 305:nd - 6] if nd > 330 else np.arange(max(nd - 6, 1))))
        length = int(rng.integers(3, 7)) * 24
        peak = rng.uniform(1.5, 2.2)
        idx = np.arange(start * 24, min(start * 24 + length, n))
        haze[idx] *= 1 + (peak - 1) * np.sin(np.pi * (idx - idx[0] + 1) / (len(idx) + 1))
    if nd > 150:
        for _ in range(rng.poisson(2.2)):
            start = int(rng.integers(60, 150))
            length = int(rng.integers(18, 54))
            peak = rng.uniform(3.0, 6.5)
            idx = np.arange(start * 24, min(start * 24 + length, n))
            dust[idx] *= 1 + (peak - 1) * np.sin(np.pi * (idx - idx[0] + 1) / (len(idx) + 1))
    haze = haze[:, None]
    dust = dust[:, None]
    # Calendar effects.
    weekend = np.isin(weekday, (5, 6))[:, None]
    sunday = (weekday == 6)[:, None]
    no2_week = np.where(sunday, 0.9, np.where(weekend, 0.95, 1.04))
    holiday = np.zeros(n, dtype=bool)
    fireworks = np.ones(n)
    if year in SPRING_FESTIVAL:
        sf = _dt.date.fromisoformat(f"{year}-{SPRING_FESTIVAL[year]}")
        sfi = (sf - d0).days
        lo, hi = max((sfi - 1) * 24, 0), min((sfi + 7) * 24, n)
        holiday[lo:hi] = True
        for centre, amp in ((sfi * 24, 2.6), ((sfi + 14) * 24, 1.0)):   # eve midnight, lantern
            idx = np.arange(centre - 5, centre + 7)
            ok = (idx >= 0) & (idx < n)
            fireworks[idx[ok]] += amp * np.exp(-0.5 * ((idx[ok] - centre - 0.5) / 2.0) ** 2)
    nd_start = (_dt.date(year, 10, 1) - d0).days
    holiday[max(nd_start * 24, 0):max(min((nd_start + 7) * 24, n), 0)] = True
    hol = np.where(holiday, 0.8, 1.0)[:, None]
    fireworks = fireworks[:, None]
    # PM2.5
    pm_season = 1 + 0.5 * np.cos(ph - 2 * np.pi * 10 / 365.25)
    pm_diurnal = (1 + 0.13 * np.cos(hr - 2 * np.pi * 21 / 24)
                  + 0.05 * np.cos(2 * hr - 2 * np.pi * 18 / 24))
    pm25 = pm_season * pm_diurnal * weather * haze * fireworks * (1 + 0.6 * (dust - 1) / 4)
    target = np.interp(year, list(PM25_PATH), list(PM25_PATH.values())) * levels
    pm25 *= target / pm25.mean(axis=0)
    ratio = 0.56 + 0.1 * np.cos(ph - 2 * np.pi * 10 / 365.25)
    pm10 = pm25 / ratio * dust ** 0.85 * np.exp(rng.normal(0, 0.08, (n, s)))
    # SO2: coal heating, falling fast over the years; noon maximum (plumes mixing down).
    so2_level = (52 - 36 * min(max(frac, 0), 1.1)) * levels ** 0.5
    so2 = so2_level * (1 + 0.85 * np.cos(ph - 2 * np.pi * 15 / 365.25)) * (
        1 + 0.22 * np.cos(hr - 2 * np.pi * 11 / 24)) * weather ** 0.5 * haze ** 0.4
    so2 *= np.exp(rng.normal(0, 0.15, (n, s)))
    # NO2: traffic double peak, weekly and holiday effects.
    no2_level = (40 - 10 * frac) * levels ** 0.4
    no2 = no2_level * (1 + 0.25 * np.cos(ph - 2 * np.pi * 20 / 365.25)) * (
        1 + 0.18 * np.cos(hr - 2 * np.pi * 20 / 24) + 0.12 * np.cos(2 * hr - 2 * np.pi * 8 / 24)
    ) * no2_week * hol * weather ** 0.55 * haze ** 0.3
    no2 *= np.exp(rng.normal(0, 0.12, (n, s)))
    # CO [mg/m³]
    co = (1.6 - 0.6 * frac) * levels ** 0.5 * (1 + 0.45 * np.cos(ph - 2 * np.pi * 10 / 365.25)) * (
        1 + 0.1 * np.cos(hr - 2 * np.pi * 21 / 24)) * weather ** 0.7 * haze ** 0.6 * hol ** 0.5
    co *= np.exp(rng.normal(0, 0.1, (n, s)))
    # O3: summer, afternoon; rising over the years; less on hazy, more on clear days.
    o3_level = 52 * (1 + 0.022 * (year - 2015))
    o3 = o3_level * (1 + 0.62 * np.cos(ph - 2 * np.pi * 172 / 365.25)) * np.clip(
        1 + 0.75 * np.cos(hr - 2 * np.pi * 15 / 24), 0.12, None) * np.exp(
        -0.35 * w) / haze ** 0.5 * np.exp(rng.normal(0, 0.12, (n, s)))
    o3 *= (1.12 - 0.12 * levels)
    return {"pm25": pm25, "pm10": pm10, "so2": so2, "no2": no2, "co": co, "o3": o3}, d0, nd


def _round(c):
    out = {}
    for k, v in c.items():
        out[k] = np.round(v, 2) if k == "co" else np.floor(v + 0.5)
        if k == "co":
            out[k] = np.maximum(out[k], 0.1)
        else:
            out[k] = np.maximum(out[k], 1.0 if k != "so2" else 2.0)
    return out


def _derive(h):
    """All 15 rows from rounded hourly values (NaN where missing)."""
    out = {}
    for k in ("pm25", "pm10", "so2", "no2", "co"):
        out[k] = h[k]
        r = _rolling_mean(h[k], 24, 16)
        out[f"{k}_24h"] = np.round(r, 2) if k == "co" else np.floor(r + 0.5)
    out["o3"] = h["o3"]
    o8 = np.floor(_rolling_mean(h["o3"], 8, 6) + 0.5)
    out["o3_8h"] = o8
    out["o3_24h"] = _moving_max(h["o3"], 24)
    out["o3_8h_24h"] = _daily_running_max(o8)
    out["aqi"] = _realtime_aqi(out["so2"], out["so2_24h"], out["no2"], out["co"], out["o3"],
                               out["pm10"], out["pm25"])
    return out


def _gaps(rng, nd, s, outage_rate, cell_rate=0.002):
    """Per-series outages (hours × series bool) and isolated empty cells."""
    n = nd * 24
    mask = np.zeros((n, s), dtype=bool)
    for j in range(s):
        for _ in range(rng.poisson(outage_rate * nd / 365)):
            a = int(rng.integers(0, n))
            length = int(rng.choice([3, 6, 12, 24, 48, 96, 130]))
            mask[a:a + length, j] = True
    cells = rng.random((n, s)) < cell_rate
    return mask, cells


def _file_gaps(rng, nd):
    """Days without a file, and a block of missing hours for short days."""
    missing_days = (set(rng.choice(nd, size=2, replace=False).tolist()) if nd > 60
                    else set())
    short = {}
    for d in np.flatnonzero(rng.random(nd) < 0.07):
        if int(d) in missing_days:
            continue
        k = int(rng.choice([1, 1, 2, 3, 5, 7, 9]))
        a = int(rng.integers(0, 24 - k + 1))
        short[int(d)] = (a, a + k)
    return missing_days, short


# ------------------------------------------------------------------------- formatting

_INT_MAX = 20000
_INT_TABLE = None
_CO_TABLE = None


def _tables():
    ints = np.array([str(i) for i in range(_INT_MAX)] + [""], dtype=object)
    cos = []
    for i in range(5001):     # CO in hundredths: 0.00 … 50.00 mg/m³, trailing zeros dropped
        t = f"{i / 100:.2f}".rstrip("0").rstrip(".")
        cos.append(t)
    cos.append("")
    return ints, np.array(cos, dtype=object)


def _format_cells(values: np.ndarray, co: bool, tables) -> np.ndarray:
    ints, cos = tables
    if co:
        idx = np.floor(values * 100 + 0.5)
        idx = np.where(np.isnan(idx) | (idx > 5000) | (idx < 0), 5001, idx).astype(np.int64)
        return cos[idx]
    idx = np.where(np.isnan(values) | (values >= _INT_MAX) | (values < 0), _INT_MAX,
                   values).astype(np.int64)
    return ints[idx]


_ORDER = [c for c in ("aqi", "pm25", "pm25_24h", "pm10", "pm10_24h", "so2", "so2_24h", "no2",
                      "no2_24h", "o3", "o3_24h", "o3_8h", "o3_8h_24h", "co", "co_24h")]


def _write_days(folder: Path, prefix: str, d0: _dt.date, nd: int, rows: dict, columns: list,
                col_active, missing_days, short, tables, newline="\n"):
    """Write one file per day. ``rows[type]`` arrays (hours, series); ``col_active(day)``
    returns the boolean column selection for that day (columns appear/disappear).

    Text is built in bulk: one object array of cells interleaved with separators per day,
    joined once per file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ncols = len(columns)
    ntypes = len(_ORDER)
    # cells[hour, type, col]
    cells = np.empty((nd * 24, ntypes, ncols), dtype=object)
    for ti, c in enumerate(_ORDER):
        cells[:, ti, :] = _format_cells(rows[c], c.startswith("co"), tables)
    n_written = 0
    prev_sel, grid = None, None
    for d in range(nd):
        if d in missing_days:
            continue
        day = d0 + _dt.timedelta(days=d)
        ds = day.strftime("%Y%m%d")
        sel = np.asarray(col_active(day), dtype=bool)
        if prev_sel is None or not np.array_equal(sel, prev_sel):
            k = int(sel.sum())
            grid = np.empty((24, ntypes, 2 * k + 2), dtype=object)
            grid[:, :, 1] = [[f",{h},{t}," for t in SOURCE_TYPES] for h in range(24)]
            grid[:, :, 3:2 * k + 1:2] = ","
            grid[:, :, -1] = newline
            prev_sel = sel
        k = int(sel.sum())
        block = cells[d * 24:(d + 1) * 24]
        grid[:, :, 2:2 * k + 2:2] = block[:, :, sel] if not sel.all() else block
        grid[:, :, 0] = ds
        hours = slice(None)
        if d in short:
            a, b = short[d]
            hours = [h for h in range(24) if not a <= h < b]
        body = "".join(grid[hours].ravel().tolist())
        header = "date,hour,type," + ",".join(c for c, x in zip(columns, sel) if x)
        text = header + newline + body[:-len(newline)]    # no final newline, like the source
        (folder / f"{prefix}{ds}.csv").write_text(text, encoding="utf-8", newline="")
        n_written += 1
    return n_written


def _mean_rows(station_rows: list[dict]) -> dict:
    out = {}
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # hours when every station is out
        for c in _ORDER:
            if c == "aqi":
                continue
            st = np.stack([r[c] for r in station_rows], axis=0)
            m = np.nanmean(st, axis=0)
            out[c] = np.round(m, 2) if c.startswith("co") else np.floor(m + 0.5)
    return out


def write_demo_archive(dest=None, start_year: int = 2015, end_year: int = 2025, *,
                       seed: int = DEFAULT_SEED, cities: bool = True, sites: bool = True,
                       end_date=None, overwrite: bool = False) -> dict:
    """Write the synthetic CNEMC archive (city and Yangquan station files) under ``dest``.

    Parameters
    ----------
    dest : path, optional
        Archive root (default :func:`yqplan.config.demo_dir`). Generated in a staging folder,
        then its 城市_*/站点_* folders are renamed into place and the marker is written last
        (an interrupted run is regenerated next time). Other content of ``dest`` (e.g. the
        water demo in ``dest/water``) is left untouched.
    start_year, end_year : inclusive years.
    seed : the random seed (same seed and parameters → byte-identical files).
    cities, sites : write the city files (11 Shanxi cities) / the Yangquan station files.
    end_date : optional last day (e.g. to stop mid-year).
    overwrite : replace an existing archive; otherwise an existing one with the same marker
        is kept and returned as is.

    Returns
    -------
    dict : the marker (``generator``, ``version``, ``seed``, parameters) plus ``path``,
        ``files`` (number of daily files written).
    """

    dest = Path(dest) if dest is not None else config.demo_dir()
    marker = {"synthetic": True, "generator": "yqplan.air.demo.write_demo_archive",
              "version": GENERATOR_VERSION, "seed": int(seed), "start_year": int(start_year),
              "end_year": int(end_year), "cities": list(SHANXI_CITIES) if cities else [],
              "stations": list(YANGQUAN_STATIONS) if sites else [],
              "end_date": str(end_date) if end_date else None,
              "note": "SYNTHETIC demonstration data generated by yqplan; not measurements"}
    existing = dest / SYNTHETIC_MARKER
    if existing.is_file() and not overwrite:
        old = json.loads(existing.read_text(encoding="utf-8"))
        if all(old.get(k) == v for k, v in marker.items()):
            old = dict(old)
            old["path"] = str(dest)
            old["files"] = None
            return old
    if end_year < start_year:
        raise ValueError(f"end_year {end_year} is before start_year {start_year}")
    tables = _tables()
    nfiles = 0
    last = _dt.date.fromisoformat(str(end_date)) if end_date else None
    dest.mkdir(parents=True, exist_ok=True)
    with _io.atomic_dir(dest.parent / f".{dest.name}.air-staging") as tmp:
        for year in range(start_year, end_year + 1):
            d1 = _dt.date(year, 12, 31)
            if last is not None:
                if last < _dt.date(year, 1, 1):
                    break
                d1 = min(d1, last)
            rng = np.random.default_rng([seed, year])
            d0 = _dt.date(year, 1, 1)
            nd = (d1 - d0).days + 1
            regional = _ar1(rng, nd, 0.72, 0.30)
            span = f"{year}0101-{d1:%Y%m%d}"
            missing_days, short = _file_gaps(rng, nd)
            # Yangquan stations
            codes = list(YANGQUAN_STATIONS)
            conc, _, _ = _generate(rng, year, list(YANGQUAN_STATIONS.values()), d0, d1, regional)
            h = _round(conc)
            outage, cells = _gaps(rng, nd, len(codes), outage_rate=2.5)
            for j, code in enumerate(codes):
                if code in STATION_START:
                    first = (STATION_START[code] - d0).days
                    if first > 0:
                        outage[:max(first, 0) * 24, j] = True
            for k in h:
                h[k] = np.where(outage | (cells & (rng.random(cells.shape) < 0.5)), np.nan, h[k])
            # whole hours missing from the files: no data for anyone at those hours
            file_gap = np.zeros(nd * 24, dtype=bool)
            for d in missing_days:
                file_gap[d * 24:(d + 1) * 24] = True
            for d, (a, b) in short.items():
                file_gap[d * 24 + a:d * 24 + b] = True
            for k in h:
                h[k][file_gap] = np.nan
            st_rows = _derive(h)
            per_station = [{c: st_rows[c][:, j] for c in _ORDER} for j in range(len(codes))]
            if sites:
                def active(day, _c=codes):
                    return np.array([not (c in STATION_START and day < STATION_START[c])
                                     for c in _c])
                nfiles += _write_days(tmp / f"站点_{span}", "china_sites_", d0, nd, st_rows,
                                      codes, active, missing_days, short, tables)
            if cities:
                others = [c for c in SHANXI_CITIES if c != DEFAULT_CITY]
                conc_c, _, _ = _generate(rng, year, [SHANXI_CITIES[c] for c in others], d0, d1,
                                         regional)
                hc = _round(conc_c)
                outage_c, cells_c = _gaps(rng, nd, len(others), outage_rate=0.6, cell_rate=0.001)
                for k in hc:
                    hc[k] = np.where(outage_c | cells_c, np.nan, hc[k])
                    hc[k][file_gap] = np.nan
                rows_c = _derive(hc)
                yq = _mean_rows([{c: r[c][:, None] for c in _ORDER} for r in per_station])
                yq["aqi"] = _realtime_aqi(yq["so2"], yq["so2_24h"], yq["no2"], yq["co"],
                                          yq["o3"], yq["pm10"], yq["pm25"])
                names = list(SHANXI_CITIES)
                j_yq = names.index(DEFAULT_CITY)
                rows = {}
                for c in _ORDER:
                    rows[c] = np.insert(rows_c[c], j_yq, yq[c][:, 0], axis=1)
                nfiles += _write_days(tmp / f"城市_{span}", "china_cities_", d0, nd, rows, names,
                                      lambda day: np.ones(len(names), dtype=bool),
                                      missing_days, short, tables)
        (tmp / "README.txt").write_text(
            "SYNTHETIC CNEMC-format archive generated by yqplan.air.demo (not measurements).\n"
            "See SYNTHETIC.json for the generator version, seed and parameters.\n",
            encoding="utf-8")
    staging = dest.parent / f".{dest.name}.air-staging"
    try:
        _swap_in(staging, dest)
        # marker last: an interrupted swap leaves no (or an old) marker → regenerated next time
        _io.write_text(dest / SYNTHETIC_MARKER, json.dumps(marker, ensure_ascii=False, indent=1))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    out = dict(marker)
    out["path"] = str(dest)
    out["files"] = nfiles
    return out


def _swap_in(staging: Path, dest: Path) -> None:
    """Replace the air folders (城市_*, 站点_*) and README of ``dest`` by those of ``staging``.

    Other content of ``dest`` (e.g. a water demo in ``dest/water``) is left alone.  Each
    folder is renamed into place (old one moved aside first, removed after).
    """

    (dest / SYNTHETIC_MARKER).unlink(missing_ok=True)
    new = {p.name for p in staging.iterdir()}
    for old in list(dest.iterdir()):
        if old.is_dir() and old.name.startswith(("城市_", "站点_")) and old.name not in new:
            shutil.rmtree(old)
    for item in sorted(staging.iterdir()):
        target = dest / item.name
        aside = None
        if target.exists():
            aside = dest / f".{item.name}.old"
            if aside.exists():
                shutil.rmtree(aside) if aside.is_dir() else aside.unlink()
            os.replace(target, aside)
        os.replace(item, target)
        if aside is not None:
            shutil.rmtree(aside) if aside.is_dir() else aside.unlink()


def write_national_sites(dest, year: int = 2022, n_stations: int = 1700, *, months: int = 12,
                         seed: int = DEFAULT_SEED) -> dict:
    """A station-level national year (``n_stations`` synthetic codes) for benchmarks.

    Generated month by month (bounded memory); codes ``1001A``… are synthetic labels, not
    the real stations.  Written under ``dest/站点_<span>/`` with a ``SYNTHETIC.json`` marker.
    """

    tables = _tables()
    dest = Path(dest)
    codes = [f"{1001 + i}A" for i in range(n_stations)]
    rng0 = np.random.default_rng([seed, year, n_stations])
    levels = rng0.lognormal(0.0, 0.35, n_stations)
    nfiles = 0
    last_month = min(months, 12)
    d_end = _dt.date(year + (last_month == 12), last_month % 12 + 1, 1) - _dt.timedelta(days=1)
    span = f"{year}0101-{d_end:%Y%m%d}"
    marker = {"synthetic": True, "generator": "yqplan.air.demo.write_national_sites",
              "version": GENERATOR_VERSION, "seed": int(seed), "year": year,
              "n_stations": n_stations, "months": months,
              "note": "SYNTHETIC benchmark data generated by yqplan; not measurements"}
    with _io.atomic_dir(dest) as tmp:
        for m in range(1, last_month + 1):
            rng = np.random.default_rng([seed, year, m, n_stations])
            d0 = _dt.date(year, m, 1)
            d1 = _dt.date(year + (m == 12), m % 12 + 1, 1) - _dt.timedelta(days=1)
            nd = (d1 - d0).days + 1
            conc, _, _ = _generate(rng, year, levels, d0, d1)
            h = _round(conc)
            outage, cells = _gaps(rng, nd, n_stations, outage_rate=1.0)
            for k in h:
                h[k] = np.where(outage | cells, np.nan, h[k])
            rows = _derive(h)
            missing_days, short = _file_gaps(rng, nd)
            nfiles += _write_days(tmp / f"站点_{span}", "china_sites_", d0, nd, rows, codes,
                                  lambda day: np.ones(n_stations, dtype=bool), missing_days,
                                  short, tables)
        (tmp / SYNTHETIC_MARKER).write_text(json.dumps(marker, ensure_ascii=False, indent=1),
                                            encoding="utf-8")
    out = dict(marker)
    out["path"] = str(dest)
    out["files"] = nfiles
    return out


def ensure_demo_store(demo_dir=None, store_dir=None, *, water_dir=None,
                      progress: bool = False) -> dict:
    """Generate the demo archive and water snapshots if missing and ingest the archive.

    What ``make report`` relies on: a second call re-reads and rewrites nothing.
    ``water_dir`` (default ``<demo_dir>/water``; ``False`` for none) receives
    :func:`write_demo_water` snapshots when it has no ``SYNTHETIC.json`` marker.
    Returns the ingest summary with ``archive`` (the marker), ``water`` (the folder or
    None) and ``water_written`` (bool) added.
    """

    demo_dir = Path(demo_dir) if demo_dir is not None else config.demo_dir()
    store_dir = Path(store_dir) if store_dir is not None else config.demo_store_dir()
    marker = write_demo_archive(demo_dir)
    summary = store.ingest(demo_dir, store_dir, progress=progress)
    summary["archive"] = marker
    water = None if water_dir is False else Path(water_dir or demo_dir / "water")
    summary["water"] = water
    summary["water_written"] = False
    if water is not None and not (water / SYNTHETIC_MARKER).is_file():
        write_demo_water(water)
        summary["water_written"] = True
    return summary


def write_demo_water(dest, start_year: int = 2021, end_year: int = 2025, *, seed: int = 2021) -> Path:
    """Write SYNTHETIC national automatic-monitoring snapshots for Yangquan's sections.

    The files follow the real export exactly (header of
    :data:`yqplan.water.monitoring.AUTO_HEADER`, ``YYYY/M/D HH:MM`` times, ``*`` for not
    measured, 维护 rows), UTF-8 with the ``utf8_`` name prefix, one file per month
    with a reading every 4 hours for 白羊墅 (桃河), 闫家庄大桥 (滹沱河) and 温河辛庄
    (温河).  Values are a caricature (seasonal DO and ammonia, slowly improving
    nutrients, 白羊墅 the most polluted), **not measurements**; a ``SYNTHETIC.json``
    marker says so and the report shows it.  Deterministic for a given ``seed``.
    """

    from yqplan.water import monitoring as water  # local: `water` names a folder elsewhere here

    dest = Path(dest)
    rng = np.random.default_rng(seed)
    sections = {"白羊墅": (1.0, "海河流域"), "闫家庄大桥": (0.55, "海河流域"), "温河辛庄": (0.75, "海河流域")}
    times = pd.date_range(f"{start_year}-01-01", f"{end_year}-12-31 20:00", freq="4h")
    with _io.atomic_dir(dest) as tmp:
        frames = []
        for name, (load, basin) in sections.items():
            n = len(times)
            doy = times.day_of_year.to_numpy()
            winter = np.cos(2 * np.pi * (doy - 15) / 365.25)  # 1 in mid-January
            years = (times.year - start_year).to_numpy() + doy / 365.25
            improve = np.exp(-0.12 * years)
            noise = lambda sd: np.exp(rng.normal(0, sd, n))  # noqa: E731 - local lognormal noise
            rec = pd.DataFrame({
                "省份": "山西省", "流域": basin, "断面名称": name,
                "监测时间": [f"{t.year}/{t.month}/{t.day} {t:%H:%M}" for t in times],
                "水温(℃)": np.round(13 - 11 * winter + rng.normal(0, 1, n), 1),
                "pH(无量纲)": np.round(7.9 + 0.25 * rng.standard_normal(n), 2),
                "溶解氧(mg/L)": np.round(8.8 + 2.2 * winter - 1.0 * load + rng.normal(0, 0.6, n), 2),
                "电导率(μS/cm)": np.round(900 * load + rng.normal(0, 40, n), 1),
                "浊度(NTU)": np.round(20 * noise(0.5), 1),
                "高锰酸盐指数(mg/L)": np.round(4.2 * load * improve ** 0.5 * noise(0.25) + 1.0, 2),
                "氨氮(mg/L)": np.round(1.1 * load * improve * (1 + 0.6 * winter) * noise(0.35) + 0.05, 3),
                "总磷(mg/L)": np.round(0.22 * load * improve * noise(0.3) + 0.02, 3),
                "总氮(mg/L)": np.round(6.0 * load * noise(0.2), 2),
                "叶绿素α(mg/L)": "*", "藻密度(cells/L)": "*",
                "站点情况": np.where(rng.random(n) < 0.03, "维护", "正常"),
            })
            means = {"ph": rec["pH(无量纲)"].to_numpy(), "do": rec["溶解氧(mg/L)"].to_numpy(),
                     "codmn": rec["高锰酸盐指数(mg/L)"].to_numpy(), "nh3n": rec["氨氮(mg/L)"].to_numpy(),
                     "tp": rec["总磷(mg/L)"].to_numpy()}
            cls = np.nanmax(np.vstack([gb3838.classify_values(k, v).astype(float)
                                       for k, v in means.items()]), axis=0)
            rec["水质类别"] = [gb3838.CLASS_LABELS.get(int(c), "") if np.isfinite(c) else "" for c in cls]
            gaps = rng.random(n) < 0.04  # outages: rows missing altogether
            frames.append(rec[~gaps].assign(_t=times[~gaps]))
        allrec = pd.concat(frames, ignore_index=True)
        for period, part in allrec.groupby(allrec["_t"].dt.to_period("M")):
            last = part["_t"].max()
            fname = f"utf8_{last:%Y_%m_%d_%Hh%Mm}_国家地表水水质自动监测系统检测数据.csv"
            part[list(water.AUTO_HEADER)].to_csv(tmp / fname, index=False, encoding="utf-8")
        (tmp / SYNTHETIC_MARKER).write_text(json.dumps(
            {"synthetic": True, "generator": "yqplan.air.demo.write_demo_water", "seed": seed,
             "start_year": start_year, "end_year": end_year, "sections": list(sections),
             "note": "SYNTHETIC demonstration data generated by yqplan; not measurements"},
            ensure_ascii=False, indent=1), encoding="utf-8")
    return dest


#: The public API of this module (anything else is private to it).
__all__ = ["GENERATOR_VERSION", "DEFAULT_SEED", "SHANXI_CITIES", "YANGQUAN_STATIONS",
           "STATION_START", "PM25_PATH", "SPRING_FESTIVAL", "write_demo_archive",
           "write_national_sites", "ensure_demo_store", "write_demo_water"]

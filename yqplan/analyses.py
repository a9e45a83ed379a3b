"""The analyses a report shows: library calls composed into the tables of each notebook.

Each function turns the air store, the water snapshots or the plan tables into one
table or figure input of a report, by calling the library modules
(:mod:`yqplan.air.store`, :mod:`yqplan.air.stats`, :mod:`yqplan.air.aqi`, :mod:`yqplan.water.gb3838`,
:mod:`yqplan.water.monitoring`, :mod:`yqplan.stats.trend`, :mod:`yqplan.plan.targets`, :mod:`yqplan.plan.tables`);
the notebooks call one of them per section and hold no logic of their own.

* Air: :func:`read_city_hourly`, :func:`assess_air` (the standard edition by date,
  day by day), :func:`describe_editions`, :func:`compute_annual_table`,
  :func:`compute_monthly_table`, :func:`compute_air_annual`,
  :func:`compute_dust_comparison`, :func:`compute_rolling_good_ratio`,
  :func:`count_primary_pollutants`, :func:`compute_station_annual`,
  :func:`assess_cities`, :func:`rank_periods`, :func:`compute_monthly_trend`.
* Water: :func:`read_water_data`, :func:`count_main_pollutants` (the classes and
  shares come straight from :func:`yqplan.water.gb3838.classify_periods`,
  :func:`yqplan.water.gb3838.pivot_classes`, :func:`yqplan.water.gb3838.compute_plan_indicators`).
* Indicators: :func:`compute_indicator_values` (computed once per run by the pipeline,
  :func:`write_indicator_values` / :func:`load_indicator_values`),
  :func:`find_indicator`, :func:`indicator_series`, :func:`assess_indicator_series`,
  :func:`extract_projection`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from yqplan import config

# --------------------------------------------------------------------------------------
# Where the data are
# --------------------------------------------------------------------------------------

def resolve_store(store_dir: str = "") -> Path:
    """The store folder a notebook reads: its parameter, else :func:`yqplan.config.store_dir`."""
    return Path(store_dir) if store_dir else config.store_dir()


def store_present(store: Path) -> bool:
    return Path(store).is_dir() and any(Path(store).rglob("*.parquet"))


def read_city_hourly(store_dir: str | Path = "", city: str = "阳泉", *, start_year: int = 2015,
                     end_year: int = 2025, kind: str = "cities", names=None, as_of: str = ""):
    """Hourly data of one city (or of ``names``) for whole years, from the store.

    ``as_of`` (ISO date, optional) is the last day read, for a report "as of" a date.
    Returns ``(hourly, meta)`` as :func:`yqplan.air.store.read_store`, with
    ``meta["data_as_of"]`` (last hour present) and ``meta["source"]`` added.
    """
    from yqplan.air import store

    where = resolve_store(str(store_dir))
    end = min(f"{end_year}-12-31", str(as_of)) if as_of else f"{end_year}-12-31"
    hourly, meta = store.read_store(where, kind=kind, names=names or [city],
                                    start=f"{start_year}-01-01", end=end)
    meta = dict(meta)
    meta["data_as_of"] = hourly["time"].max() if len(hourly) else None
    meta["source"] = f"{'synthetic demonstration ' if meta.get('synthetic') else ''}air store {where}"
    return hourly, meta


def read_water_data(water_dir: str | Path = "", *, start_year: int = 2021, end_year: int = 2025,
                    names=None, as_of: str = ""):
    """Automatic-monitoring readings of Yangquan's sections, or an empty table when none.

    Returns ``(readings, meta)`` as :func:`yqplan.water.monitoring.read_water_auto`, limited to
    the years and to the sections of :func:`yqplan.water.monitoring.read_sections` (or
    ``names``); ``meta["synthetic"]`` is True for :func:`yqplan.air.demo.write_demo_water` output
    (its ``SYNTHETIC.json`` marker, :func:`yqplan.air.cnemc.read_synthetic_marker`) and
    ``meta["source"]`` says where the data came from ("no water data" when
    ``water_dir`` is empty).
    """
    import pandas as pd

    from yqplan.air import cnemc
    from yqplan.water import monitoring as water

    names = list(names or water.read_sections()["section_name"])
    if not water_dir:
        return (pd.DataFrame(columns=list(water.LONG_COLUMNS)),
                {"source": "no water monitoring data supplied (data.water is empty)",
                 "synthetic": False, "data_as_of": None})
    readings, meta = water.read_water_auto(water_dir, names=names)
    t = readings["sampled_at"]
    keep = (t.dt.year >= start_year) & (t.dt.year <= end_year)
    if as_of:
        keep &= t.dt.strftime("%Y-%m-%d") <= str(as_of)
    readings = readings[keep].reset_index(drop=True)
    meta = dict(meta)
    meta["synthetic"] = (bool(meta.get("synthetic"))
                         or cnemc.read_synthetic_marker(water_dir) is not None)
    meta["source"] = (f"{'synthetic demonstration ' if meta['synthetic'] else ''}automatic water "
                      f"snapshots {water_dir}")
    meta["data_as_of"] = readings["sampled_at"].max() if len(readings) else None
    return readings, meta


# --------------------------------------------------------------------------------------
# Air
# --------------------------------------------------------------------------------------

def assess_air(hourly, *, edition: str = "auto", dust: str = "none", location: str | None = None):
    """Daily values and daily AQI (GB 3095 validity, HJ 633), with the dust option.

    :func:`yqplan.air.stats.compute_daily_values`, :func:`yqplan.air.stats.resolve_dust`
    and :func:`yqplan.air.stats.assess_days`, as :func:`yqplan.air.stats.assess_hourly`
    chains them.  ``edition="auto"`` (as everywhere): each day is assessed by the edition in
    force on that day (:func:`yqplan.air.aqi.edition_for`: HJ 633—2012 before 2026-03-01,
    HJ 633—2026 from then on), so a period spanning the switch uses both.  The
    ``edition`` column of ``days`` says which one each day used
    (:func:`describe_editions` summarises it for the provenance block).

    Returns ``(days, dust_days)`` as :func:`yqplan.air.stats.assess_hourly`.
    """
    from yqplan.air import stats as airstats
    from yqplan.air import aqi

    daily = airstats.compute_daily_values(hourly, location=location)
    dust_days = airstats.resolve_dust(dust, daily, location=location)
    if edition != "auto":
        edition = aqi.check_edition(edition)
    return airstats.assess_days(daily, edition, dust=dust_days, location=location), dust_days


def describe_editions(days, edition: str = "auto") -> str:
    """The standard edition(s) a table of :func:`assess_air` used, for the provenance block.

    One edition: ``"2012"`` or ``"2026"``.  Both (an "auto" period spanning 2026-03-01):
    ``"2012 (2026-01-01 – 2026-02-28), 2026 (2026-03-01 – 2026-03-31)"`` with each
    edition's first and last day with an AQI.  Without such days: ``edition`` itself.
    """
    if days is not None and "aqi" in days:
        days = days[days["aqi"].notna()]  # days without an AQI were not assessed
    if days is None or len(days) == 0 or "edition" not in days:
        return str(edition)
    spans = days.groupby("edition")["date"].agg(["min", "max"]).sort_index()
    if len(spans) == 1:
        return str(spans.index[0])
    return ", ".join(f"{ed} ({row['min']:%Y-%m-%d} – {row['max']:%Y-%m-%d})"
                     for ed, row in spans.iterrows())


def _stats_table(days, start_year, end_year, compute, **kwargs):
    # the PeriodStats of every year with data, as one frame (compute: annual or monthly)
    from yqplan.air import stats as airstats

    present = set(days["date"].dt.year)
    return airstats.stats_frame([s for y in range(start_year, end_year + 1) if y in present
                                 for s in compute(days, y, **kwargs)])


def compute_annual_table(days, start_year: int = 2015, end_year: int = 2025, **kwargs):
    """HJ 663 annual statistics, one row per year (index ``year``).

    Columns are those of :meth:`yqplan.air.stats.PeriodStats.to_dict` plus
    ``heavy_ratio`` (heavy-pollution days ÷ valid days × 100 [%], the plan's
    indicator 3), ``complete`` (a whole year's data, else a partial period:
    :func:`yqplan.air.periods.derive_periods`), ``period_label_zh`` /
    ``period_label_en`` ("2023", "2024年1—2月") and ``first_day`` / ``last_day`` (the
    data's span in the year).  Years without data are left out.
    """
    import pandas as pd

    from yqplan.air import stats as airstats

    from yqplan.air import periods as _periods

    table = _stats_table(days, start_year, end_year, airstats.compute_annual_stats, **kwargs)
    if table.empty:
        return pd.DataFrame(columns=["pm25", "good_ratio", "heavy_days", "heavy_ratio",
                                     "complete", "period_label_zh", "period_label_en"])
    table["heavy_ratio"] = table["heavy_days"] / table["valid_days"].where(table["valid_days"] > 0) * 100
    # a year with no valid day (a day-boundary stub: 31 December of the year before) has no data
    table = table[(table["valid_days"] > 0) | table["pm25"].notna()].set_index("year")
    # complete year or partial period: the one rule of yqplan.air.periods
    found = _periods.derive_periods(days[days["date"].dt.year.isin(table.index)],
                                    location=kwargs.get("location"))
    import datetime as dt

    found = [found.get(y) or _periods.classify_year(y, dt.date(y, 1, 1), dt.date(y, 1, 1), False)
             for y in table.index]
    table["complete"] = [p.complete for p in found]
    table["period_label_zh"] = [p.label_zh for p in found]
    table["period_label_en"] = [p.label_en for p in found]
    table["first_day"] = [p.start for p in found]
    table["last_day"] = [p.end for p in found]
    return table


def annual_periods(annual) -> dict:
    """The :class:`yqplan.air.periods.Period` of each year of :func:`compute_annual_table`'s result.

    Rebuilt from its ``complete``, ``period_label_*``, ``start``/``end`` columns: the
    periods :func:`yqplan.air.periods.derive_periods` decided when the table was made.
    """
    import pandas as pd

    from yqplan.air import periods as _periods

    out = {}
    for y, r in annual.iterrows():
        if "complete" not in annual or pd.isna(r.get("complete")):
            continue
        out[int(y)] = _periods.Period(
            int(y), _periods.COMPLETE if bool(r["complete"]) else _periods.PARTIAL,
            pd.Timestamp(r["first_day"]).date(), pd.Timestamp(r["last_day"]).date(),
            str(r["period_label_zh"]), str(r["period_label_en"]))
    return out


def complete_annual(annual):
    """The rows of :func:`compute_annual_table` that are complete years (the only ones a
    verdict, a trend or a projection may use)."""
    if "complete" not in annual:
        return annual
    return annual[annual["complete"].astype(bool)]


def compare_partial_periods(days, annual, *, language: str = "zh", **kwargs):
    """Each partial period of ``annual`` beside the same span a year earlier.

    ``annual`` is :func:`compute_annual_table`'s result for ``days``; for each partial
    year (:func:`yqplan.air.periods.derive_periods`) the HJ 663 statistics of its span and of
    the same span one year earlier (:func:`yqplan.air.stats.compute_period_stats`).

    Returns a DataFrame, one row per period (partial period, then the year-earlier span):
    ``period`` (label), ``start``, ``end``, ``valid_days``, ``pm25`` [µg/m³],
    ``good_ratio`` [%], ``heavy_days``; empty when every year is complete.
    """
    import pandas as pd

    from yqplan.air import stats as airstats

    rows = []
    for p in annual_periods(annual).values():
        if p.complete:
            continue
        s0, e0 = p.previous_span()
        for label, s, e in ((p.label(language), p.start, p.end),
                            (("上年同期" if language == "zh" else "same period a year earlier")
                             + f" ({s0}..{e0})", s0, e0)):
            stats = airstats.compute_period_stats(days, s, e, period=label, period_kind="custom",
                                                  **kwargs)
            st = stats[0] if stats else None
            rows.append({"period": label, "start": s, "end": e,
                         "valid_days": st.valid_days if st else 0,
                         "pm25": st.pm25 if st else float("nan"),
                         "good_ratio": st.good_ratio if st else float("nan"),
                         "heavy_days": st.heavy_days if st else 0})
    return pd.DataFrame(rows, columns=["period", "start", "end", "valid_days", "pm25",
                                       "good_ratio", "heavy_days"])


def compute_monthly_table(days, start_year: int = 2015, end_year: int = 2025, **kwargs):
    """HJ 663 monthly statistics, one row per month (index ``month``, first day, Timestamp)."""
    import pandas as pd

    from yqplan.air import stats as airstats

    table = _stats_table(days, start_year, end_year, airstats.compute_monthly_stats, **kwargs)
    if table.empty:
        return table
    # a month with no valid day (the day-boundary stub of 31 December before the data) is
    # outside the data span, not an empty month: drop it as compute_annual_table does
    if "valid_days" in table:
        table = table[(table["valid_days"] > 0) | table["pm25"].notna()].copy()
    table["month"] = pd.to_datetime(table["start"])
    return table.set_index("month")


def compute_air_annual(store_dir: str | Path = "", city: str = "阳泉", *, edition: str = "auto",
                       start_year: int = 2015, end_year: int = 2025, dust: str = "none",
                       as_of: str = ""):
    """Annual HJ 663 statistics of one city straight from the store: ``(annual, meta)``.

    ``meta`` is :func:`read_city_hourly`'s with ``edition`` (:func:`describe_editions`).
    """
    hourly, meta = read_city_hourly(store_dir, city, start_year=start_year, end_year=end_year,
                                    as_of=as_of)
    if hourly.empty:
        import pandas as pd

        return pd.DataFrame(columns=["pm25", "good_ratio", "heavy_days", "heavy_ratio"]), meta
    days, _ = assess_air(hourly, edition=edition, dust=dust)
    meta["edition"] = describe_editions(days, edition)
    return compute_annual_table(days, start_year, end_year), meta


def compute_dust_comparison(hourly, *, edition: str = "auto", start_year: int = 2015,
                            end_year: int = 2025, dust: str = "estimate"):
    """Annual PM2.5 and PM10 with and without the dust deduction.

    ``dust``: the run's setting — a file of official dust days deducts those days; "none"
    or "estimate" deduct the estimated ones (:func:`yqplan.air.stats.estimate_dust_days`, a
    labelled estimate), so the comparison always has a deduction to show.

    Returns a DataFrame indexed by year: ``pm25_with_dust``, ``pm25_without_dust``,
    ``pm10_with_dust``, ``pm10_without_dust`` [µg/m³] and ``dust_days``.
    """
    import pandas as pd

    days_all, _ = assess_air(hourly, edition=edition, dust="none")
    days_est, _ = assess_air(hourly, edition=edition, dust="estimate" if dust == "none" else dust)
    a = compute_annual_table(days_all, start_year, end_year)
    b = compute_annual_table(days_est, start_year, end_year)
    return pd.DataFrame({"pm25_with_dust": a["pm25"], "pm25_without_dust": b["pm25"],
                         "pm10_with_dust": a["pm10"], "pm10_without_dust": b["pm10"],
                         "dust_days": b["dust_days"]})


def compute_rolling_good_ratio(days, window: int = 365):
    """Good-day ratio over the trailing ``window`` days [%], indexed by date.

    Good day: daily AQI ≤ 100 (HJ 633); the ratio divides by the days with a valid
    AQI in the window and needs at least 80 % of the window valid (else NaN).
    """
    import numpy as np
    import pandas as pd

    d = days.groupby("date")["aqi"].first().sort_index()
    d = d.reindex(pd.date_range(d.index.min(), d.index.max(), freq="D"))
    valid = d.notna().astype(float)
    good = (d <= 100).astype(float).where(d.notna(), 0.0)
    n_valid = valid.rolling(window, min_periods=window).sum()
    ratio = good.rolling(window, min_periods=window).sum() / n_valid * 100
    return ratio.where(n_valid >= 0.8 * window, np.nan).dropna().rename("good_ratio_365d")


def count_primary_pollutants(table, *, language: str = "zh"):
    """Days each pollutant was primary, by period: rows of ``table``, one column per pollutant.

    ``table``: :func:`compute_annual_table` or :func:`compute_monthly_table` result.
    Columns are display names (PM2.5, PM10, O3_8h …); all-zero pollutants are dropped.
    """
    names = {"pm25": "PM2.5", "pm10": "PM10", "o3_8h": "O3_8h", "o3_1h": "O3_1h", "no2": "NO2",
             "so2": "SO2", "co": "CO"}
    cols = {f"primary_days_{k}": v for k, v in names.items() if f"primary_days_{k}" in table}
    out = table[list(cols)].rename(columns=cols).fillna(0).astype(int)
    return out.loc[:, out.sum() > 0]


def compute_station_annual(store_dir: str | Path = "", city: str = "阳泉", *, year: int = 2025,
                           edition: str = "auto", dust: str = "none", as_of: str = ""):
    """Annual statistics of each national station of ``city`` (the shipped station list).

    Returns ``(table, meta)``: one row per station with ``station``, ``station_name``,
    ``lon``, ``lat``, ``pm25`` [µg/m³], ``valid_days``, ``valid_pm25``, ``good_ratio`` [%];
    empty when the store has no station data.  ``meta["edition"]``: :func:`describe_editions`.
    ``as_of``: the last day read (as :func:`read_city_hourly`).
    """
    import pandas as pd

    from yqplan.air import stats as airstats
    from yqplan.air import cnemc

    stations, _ = cnemc.read_station_list()
    stations = stations[stations["city"].astype(str).str.removesuffix("市") == city]
    hourly, meta = read_city_hourly(store_dir, city, start_year=year, end_year=year, kind="sites",
                                    names=list(stations["station"]), as_of=as_of)
    if hourly.empty:
        return pd.DataFrame(columns=["station", "station_name", "lon", "lat", "pm25"]), meta
    days, _ = assess_air(hourly, edition=edition, dust=dust, location="station")
    stats = airstats.stats_frame(airstats.compute_annual_stats(days, year, location="station"))
    meta["edition"] = describe_editions(days, edition)
    table = stations.merge(stats, on="station", how="inner")
    return table.sort_values("pm25", ascending=False, ignore_index=True), meta


def shanxi_cities(cities=None) -> list[str]:
    """``cities`` as the archive names them (no 市), or Shanxi's 11 cities when empty.

    The default comes from the shipped table :func:`yqplan.air.cnemc.read_shanxi_cities`.
    """
    if not cities:
        from yqplan.air import cnemc

        cities = list(cnemc.read_shanxi_cities()[0]["city"])
    return [str(c).removesuffix("市") for c in cities]


def assess_cities(store_dir: str | Path = "", cities=None, *, start_year: int = 2021,
                  end_year: int = 2025, edition: str = "auto", as_of: str = "", dust: str = "none"):
    """Daily values and AQI of several cities (default Shanxi's 11) from the store.

    Returns ``(days, meta)``; ``days`` as :func:`assess_air`; ``meta["cities"]`` the
    cities read, ``meta["edition"]`` :func:`describe_editions`.
    """
    cities = shanxi_cities(cities)
    hourly, meta = read_city_hourly(store_dir, cities[0], start_year=start_year,
                                    end_year=end_year, names=cities, as_of=as_of)
    meta["cities"] = cities
    days, _ = assess_air(hourly, edition=edition, dust=dust)
    meta["edition"] = describe_editions(days, edition)
    return days, meta


def rank_periods(days, cities=None, *, by: str = "month"):
    """Composite-index rank of each city by month or year (1 = best = lowest index).

    The HJ 663 statistics of every period (:func:`yqplan.air.stats.compute_period_stats`,
    as :func:`yqplan.air.stats.rank_cities` computes them, without its year-earlier
    comparison).  Ties share the better rank.

    Returns
    -------
    ranks : DataFrame, index = period label ("2023-05" or "2023"), columns = cities
    index : DataFrame of the composite indices, same shape
    """
    import pandas as pd

    from yqplan.air import stats as airstats

    if by not in ("month", "year"):
        raise ValueError(f"by: expected 'month' or 'year', got {by!r}")
    cities = shanxi_cities(cities)
    present = sorted(set(days["date"].dt.to_period("M" if by == "month" else "Y").astype(str)))
    rows = {}
    for label in present:
        kind, s, e = airstats.parse_period(label)
        stats = airstats.compute_period_stats(days, s, e, period=label, period_kind=kind)
        rows[label] = {st.location: st.composite_index for st in stats}
    index = (pd.DataFrame.from_dict(rows, orient="index").reindex(columns=cities)
             .dropna(how="all"))  # a day-boundary stub (31 Dec of the year before)
    index = index[index.notna().sum(axis=1) >= max(2, len(cities) // 2)]
    ranks = index.rank(axis=1, method="min")
    return ranks, index


def compute_monthly_trend(days, column: str = "pm25", *, unit: str = "µg/m³"):
    """Deseasonalised Theil–Sen trend of the monthly means of a daily column.

    Thin wrapper over :func:`yqplan.stats.trend.compute_monthly_trend` on the valid daily
    values (GB 3095 validity already applied).  Returns ``(TrendResult, months)``
    with ``months`` indexed by month (Timestamp) from the first to the last captured
    month: ``value``, ``deseasonalised`` and ``filled``.  With fewer than 3 complete
    seasonal cycles the result is ``trend_status="short series"`` (calendar-month
    anomalies, no STL) — see :func:`yqplan.stats.trend.compute_monthly_trend`.
    """
    import pandas as pd

    from yqplan.stats import trend

    series = days.groupby("date")[column].mean().sort_index()
    series.index = pd.DatetimeIndex(series.index)
    result, months = trend.compute_monthly_trend(series, unit=unit)
    months = months.copy()
    months["month"] = pd.PeriodIndex(months["month"], freq="M").to_timestamp() \
        if not isinstance(months["month"].iloc[0], pd.Timestamp) else months["month"]
    return result, months.set_index("month")


# --------------------------------------------------------------------------------------
# Water
# --------------------------------------------------------------------------------------

def count_main_pollutants(classes):
    """How many section-periods each indicator was a main pollutant (2011 rules §三).

    ``main_pollutants`` text like ``总磷(0.11),氨氮(0.2)`` → a Series indexed by the
    indicator's Chinese name, sorted descending.
    """
    import pandas as pd

    if len(classes) == 0:
        return pd.Series(dtype=int)
    names = (classes["main_pollutants"].fillna("").astype(str).str.split(r"[,，、;]\s*")
             .explode().str.replace(r"\(.*\)$", "", regex=True).str.strip())
    return names[names != ""].value_counts()


# --------------------------------------------------------------------------------------
# Plan indicators
# --------------------------------------------------------------------------------------

#: Plan indicator → column of the annual air statistics that measures it.
AIR_INDICATORS = {"1": "pm25", "2": "good_ratio", "3": "heavy_ratio"}


#: Plan indicator → column of :func:`yqplan.water.gb3838.compute_plan_indicators` (annual classes).
WATER_INDICATORS = {"4": "share_good_pct", "5": "share_bad_pct"}


def compute_indicator_values(store_dir: str | Path = "", city: str = "阳泉", *,
                             edition: str = "auto", water_dir: str | Path = "",
                             start_year: int = 2015, end_year: int = 2025,
                             as_of: str = "", dust: str = "none",
                             plan: str | None = None) -> tuple[Any, dict]:
    """Actual yearly values of the plan's indicators, for :func:`yqplan.plan.targets.assess_plan`.

    The air indicators (1 PM2.5 annual mean [µg/m³], 2 good-day ratio [%], 3
    heavy-pollution-day ratio [%]) come from the store via :func:`compute_air_annual`
    when a store exists; the water indicators (4 share of sections at I–III [%], 5
    share worse than V [%]) from the annual classes of the sections when
    ``water_dir`` holds snapshots (recomputed from automatic data — not the official
    assessment); every other value, and the 2020 baselines, from the
    values entered in the plan folder's ``values.csv`` (:func:`yqplan.plan.values.read_values`;
    for the 14th plan the published figures, the one marked ``used_in_charts`` where they
    differ; ``plan`` names the plan, default the 14th).  From *synthetic* data only the years
    after 2020 are taken, so a demonstration never overwrites a published figure.
    ``dust`` is the run's dust deduction (``none``, ``estimate`` or a file of dust days,
    :func:`yqplan.air.stats.resolve_dust`), applied to the air indicators as in every report.

    Only complete years of the store are values (:func:`yqplan.air.periods.derive_periods`): a
    partial year (e.g. January–February) is left out of ``values`` and described in
    ``meta["periods"]`` (:func:`yqplan.air.periods.to_json`) with its air values in
    ``meta["partial_values"]`` (JSON: indicator → year → value), for the reports' notes.

    Returns
    -------
    values : pandas.DataFrame
        ``indicator_id, year, value, source`` (one row per indicator and year).
    meta : dict
        The store's metadata (``synthetic``, ``data_as_of``, ``edition`` as
        :func:`describe_editions`, ``periods``, ``partial_values`` …), or
        ``{"source": "no air store at …"}`` when there is none.
    """
    from yqplan.water import gb3838
    from yqplan.water import monitoring as water
    from yqplan.plan import values as values_mod

    rows = [values_mod.values_for_assessment(plan=plan)]
    meta: dict = {}
    store = resolve_store(str(store_dir))
    if store_present(store):
        annual, meta = compute_air_annual(store, city, edition=edition, start_year=start_year,
                                          end_year=end_year, as_of=as_of, dust=dust)
        synthetic = bool(meta.get("synthetic"))
        label = ("synthetic demonstration store" if synthetic else "CNEMC store") + f" {store}"
        # only complete years: a partial (year-to-date) period never decides a verdict
        whole = complete_annual(annual)
        rows += [measured_values(ind, whole[col], label, synthetic=synthetic)
                 for ind, col in AIR_INDICATORS.items() if col in whole.columns]
        from yqplan.air import periods as _periods

        meta["periods"] = _periods.to_json(annual_periods(annual))
        meta["partial_values"] = json.dumps(
            {ind: {str(y): float(v) for y, v in annual.loc[~annual.index.isin(whole.index), col]
                   .dropna().items()} for ind, col in AIR_INDICATORS.items() if col in annual},
            ensure_ascii=False)
    else:
        meta = {"source": f"no air store at {store}: air indicators from published figures only",
                "synthetic": False}
    if water_dir:
        readings, wmeta = read_water_data(water_dir, start_year=start_year, end_year=end_year,
                                          as_of=as_of)
        sections = water.read_sections()
        classes = gb3838.classify_periods(readings, by="year", sections=sections)
        shares = (gb3838.compute_plan_indicators(classes, section_names=sections["section_name"])
                  .set_index("period_label"))
        shares.index = shares.index.astype(int)
        wsyn = bool(wmeta.get("synthetic"))
        label = wmeta["source"] + " (recomputed, not the official assessment)"
        rows += [measured_values(ind, shares[col], label, synthetic=wsyn)
                 for ind, col in WATER_INDICATORS.items()]
        meta["water_source"] = wmeta["source"]
        meta["synthetic"] = bool(meta.get("synthetic")) or wsyn
    return combine_values(rows), meta


def measured_values(indicator_id: str, series, source: str, *, synthetic: bool = False):
    """A yearly series measured here as rows of the values table of :func:`yqplan.plan.targets.assess_plan`.

    ``series`` is indexed by year [the indicator's unit]; NaN years are dropped.  From
    ``synthetic`` data only the years after 2020 are kept: a demonstration never
    replaces the published 2020 baseline.  Returns ``indicator_id, year, value, source``.
    """
    import pandas as pd

    s = series.dropna()
    s.index = s.index.astype(int)
    if synthetic:
        s = s[s.index > 2020]
    return pd.DataFrame({"indicator_id": str(indicator_id), "year": s.index,
                         "value": s.values.astype(float), "source": source})


def combine_values(frames):
    """Concatenate values tables; a later frame's value wins for the same indicator and year.

    Published figures first, then :func:`measured_values`: measured values replace the
    published ones of the same year.  Sorted by indicator and year.
    """
    import pandas as pd

    values = pd.concat(frames, ignore_index=True)
    values = values.drop_duplicates(["indicator_id", "year"], keep="last")
    return values.sort_values(["indicator_id", "year"], ignore_index=True)


def write_indicator_values(path, store_dir: str | Path = "", city: str = "阳泉", *,
                           edition: str = "auto", water_dir: str | Path = "",
                           as_of: str = "", dust: str = "none",
                           plan: str | None = None) -> Path:
    """Compute :func:`compute_indicator_values` once and write it (CSV + ``.meta.json``).

    The run does this before the notebooks that need the values, so they read the
    same numbers instead of each recomputing them (:func:`load_indicator_values`).
    """
    from yqplan import _io

    values, meta = compute_indicator_values(store_dir, city, edition=edition, water_dir=water_dir,
                                            as_of=as_of, dust=dust, plan=plan)
    meta["dust"] = dust
    path = Path(path)
    _io.write_frame(values, path)
    _io.write_text(path.with_suffix(".meta.json"), json.dumps(
        {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool, type(None)))}
        | {"data_as_of": str(meta.get("data_as_of") or "")}, ensure_ascii=False, indent=1))
    return path


def load_indicator_values(values_file: str = "", store_dir: str | Path = "", city: str = "阳泉", *,
                          edition: str = "auto", water_dir: str | Path = "", as_of: str = "",
                          dust: str = "none", plan: str | None = None):
    """The indicator values: read from ``values_file`` when given, else computed here.

    Returns ``(values, meta)`` exactly as :func:`compute_indicator_values`.
    """
    import pandas as pd

    if not values_file:
        return compute_indicator_values(store_dir, city, edition=edition, water_dir=water_dir,
                                        as_of=as_of, dust=dust, plan=plan)
    path = Path(values_file)
    values = pd.read_csv(path, dtype={"indicator_id": str, "source": str})
    meta_path = path.with_suffix(".meta.json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    meta["data_as_of"] = meta.get("data_as_of") or None
    return values, meta


def indicator_series_with_partial(values, meta: dict, indicator_id: str):
    """One indicator's yearly values plus its partial-period value(s), and the periods.

    ``values`` / ``meta``: :func:`compute_indicator_values`.  The partial values (kept out of
    ``values``) come from ``meta["partial_values"]``, the periods from ``meta["periods"]``,
    so a chart can draw them apart (:func:`yqplan.report.plots.plot_indicator_path` ``periods=``).
    Returns ``(series, periods)``.
    """
    import pandas as pd

    from yqplan.air import periods as _periods

    series = indicator_series(values, indicator_id)
    extra = json.loads(meta.get("partial_values") or "{}").get(str(indicator_id), {})
    if extra:
        series = pd.concat([series, pd.Series({int(y): float(v) for y, v in extra.items()})])
        series = series[~series.index.duplicated(keep="first")].sort_index()
    return series, _periods.from_json(meta.get("periods"))


def find_indicator(registry, indicator_id: str):
    """The registry row of ``indicator_id``; a clear error listing the valid ids otherwise."""
    hit = registry[registry["indicator_id"] == str(indicator_id)]
    if hit.empty:
        raise ValueError(f"indicator_id: {indicator_id!r} is not in the plan's Table 1; valid ids: "
                         f"{', '.join(registry['indicator_id'])}")
    return hit.iloc[0]


def indicator_series(values, indicator_id: str):
    """One indicator's yearly values as a Series indexed by year (from :func:`compute_indicator_values`)."""
    sub = values[values["indicator_id"] == str(indicator_id)].sort_values("year")
    return sub.set_index("year")["value"].astype(float)


def assess_indicator_series(indicator_id: str, series, *, synthetic: bool = False):
    """Assess one indicator on a yearly series measured here (plus the published baseline).

    Parameters
    ----------
    indicator_id : str
        As printed in Table 1 ("1" PM2.5, "2" good-day ratio, "3" heavy-pollution days …).
    series : pandas.Series
        Yearly values indexed by year [the indicator's unit].
    synthetic : bool
        Synthetic data never replace the published 2020 figure: only years after 2020
        are taken from ``series``.

    Returns
    -------
    pandas.Series
        The indicator's scoreboard row (:class:`yqplan.plan.targets.IndicatorAssessment`).
    """
    from yqplan.plan import tables as plan
    from yqplan.plan import targets

    registry = plan.read_indicators()
    find_indicator(registry, indicator_id)
    published = targets.values_from_figures()
    published = published[published["indicator_id"] == str(indicator_id)]
    values = combine_values([published, measured_values(indicator_id, series, "data",
                                                        synthetic=synthetic)])
    board = targets.assess_plan(values, registry=registry[registry["indicator_id"] == str(indicator_id)])
    return board.iloc[0]


def extract_projection(row):
    """The scoreboard row's projection to the target year, as :class:`yqplan.stats.trend.ProjectionResult`.

    :func:`yqplan.plan.targets.assess_plan` projects each indicator's Theil–Sen line to
    :data:`yqplan.plan.targets.TARGET_YEAR` with :func:`yqplan.stats.trend.project_trend` (its
    default bootstrap prediction interval, recorded as ``confidence``); this rebuilds
    that result from the row's ``projection*``, ``probability_met``, ``trend_n``,
    ``target_value`` and ``comparator`` for :func:`yqplan.report.plots.plot_indicator_path`.
    """
    import inspect

    import pandas as pd

    from yqplan.plan import targets
    from yqplan.stats import trend

    def f(v):
        return float("nan") if v is None or pd.isna(v) else float(v)

    confidence = inspect.signature(trend.project_trend).parameters["confidence"].default
    n = row.get("trend_n")
    return trend.ProjectionResult(
        projection_status=str(row.get("projection_status", "")),
        n=0 if n is None or pd.isna(n) else int(n), projection_year=float(targets.TARGET_YEAR),
        projection=f(row.get("projection")), projection_low=f(row.get("projection_low")),
        projection_high=f(row.get("projection_high")), target=f(row.get("target_value")),
        comparator=str(row.get("comparator") or ""), probability_met=f(row.get("probability_met")),
        confidence=confidence)

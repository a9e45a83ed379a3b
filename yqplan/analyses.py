"""The analyses a report shows: library calls composed into the tables of each notebook.

Each function turns the air store, the water snapshots or the plan tables into one
table or figure input of a report, by calling the library modules
(:mod:`yqplan.air.store`, :mod:`yqplan.air.stats`, :mod:`yqplan.air.aqi`, :mod:`yqplan.water.gb3838`,
:mod:`yqplan.water.monitoring`, :mod:`yqplan.stats.trend`, :mod:`yqplan.plan.targets`, :mod:`yqplan.plan.tables`);
the notebooks call one of them per section and hold no logic of their own.

A notebook asks its question as the CLI does, with a typed request built once from its
parameters (:meth:`AirRequest.from_params`, :meth:`WaterRequest.from_params`,
:meth:`TargetsRequest.from_params`) and passed to its set-up (:func:`city_air`,
:func:`city_days`, :func:`city_coverage`, :func:`assess_cities`, :func:`city_annual_from_store`,
:func:`compute_station_annual`, :func:`read_water_data`, :func:`plan_values` …); the set-ups
still accept the loose keywords for library callers and turn them into the same request.

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
  :func:`find_indicator`, :func:`indicator_series`, :func:`assess_indicator_series` (typed:
  the assessment keeps its trend and projection objects).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yqplan import _io, config
from yqplan.air import aqi, cnemc, coverage, ozone, periods, seasons
from yqplan.air import stats as airstats
from yqplan.air import store as air_store
from yqplan.air.cities import DEFAULT_CITY, DEFAULT_PROVINCE, normalise_city, region_cities
from yqplan.air.regions import city_annual_table, merge_aliases, read_city_aliases
from yqplan.plan import tables as plan_tables
from yqplan.plan import targets
from yqplan.plan import values as values_mod
from yqplan.report import words
from yqplan.stats import trend
from yqplan.water import gb3838
from yqplan.water import monitoring as water

# --------------------------------------------------------------------------------------
# Where the data are
# --------------------------------------------------------------------------------------

def resolve_store(store_dir: str = "") -> Path:
    """The store folder a notebook reads: its parameter, else :func:`yqplan.config.store_dir`."""
    return Path(store_dir) if store_dir else config.store_dir()


def store_present(store: Path) -> bool:
    return Path(store).is_dir() and any(Path(store).rglob("*.parquet"))


def last_label(end) -> pd.Timestamp:
    """The last hour label to read for natural days up to ``end`` (a date): the next day's
    00:00 label, which closes day ``end`` (the natural day of GB 3095—2026 §3.9 under the
    CNEMC's hour-ending labels 01:00 … 24:00, docs/aqi_platform_rules.md §2).  Every read of
    whole days ends here, so the CLI and the notebooks read the same hours."""
    return pd.Timestamp(str(end)[:10]) + pd.Timedelta(days=1)


def only_closing_label(hourly, end) -> bool:
    """True when ``hourly`` holds nothing before :func:`last_label` of ``end``: that label
    alone closes the last day and is no data for the period (e.g. 2023 read from data that
    start 2024-01-01 00:00)."""
    if hourly.empty:
        return True
    return not (hourly["time"] < last_label(end).tz_localize(coverage.TZ)).any()


def read_city_hourly(store_dir: str | Path | AirRequest = "", city: str = DEFAULT_CITY, *,
                     start_year: int = 2015, end_year: int = 2025, kind: str = "cities", names=None,
                     as_of: str = ""):
    """Hourly data of one city (or of ``names``) for whole years, from the store.

    ``store_dir`` may be an :class:`AirRequest` (the notebooks' way): its store, cities and
    years (:func:`request_years`) are read, and the keywords but ``kind``/``names`` are
    ignored.  ``as_of`` (ISO date, optional) is the last day read, for a report "as of" a date.
    Returns ``(hourly, meta)`` as :func:`yqplan.air.air_store.read_store`, with
    ``meta["data_as_of"]`` (last hour present) and ``meta["source"]`` added.
    """

    if isinstance(store_dir, AirRequest):
        req = store_dir
        start_year, end_year, as_of = request_years(req)
        store_dir, names = req.store, names or list(req.cities)
        city = req.cities[0]
    where = resolve_store(str(store_dir))
    end = min(f"{end_year}-12-31", str(as_of)) if as_of else f"{end_year}-12-31"
    hourly, meta = air_store.read_store(where, kind=kind, names=names or [city],
                                        start=f"{start_year}-01-01", end=last_label(end))
    meta = dict(meta)
    meta["data_as_of"] = hourly["time"].max() if len(hourly) else None
    meta["source"] = f"{'synthetic demonstration ' if meta.get('synthetic') else ''}air store {where}"
    return hourly, meta


def read_water_data(water_dir: str | Path | WaterRequest | None = "", *, start_year: int = 2021,
                    end_year: int = 2025, names=None, as_of: str = ""):
    """Automatic-monitoring readings of Yangquan's sections, or an empty table when none.

    ``water_dir`` may be a :class:`WaterRequest` (the notebooks' way,
    :meth:`WaterRequest.from_params`): its ``path``, sections and ``period`` are read and
    the keywords ignored; None (a report run without water data) is the empty table.
    Returns ``(readings, meta)`` as :func:`yqplan.water.monitoring.read_water_auto`, limited to
    the years and to the sections of :func:`yqplan.water.monitoring.read_sections` (or
    ``names``); ``meta["synthetic"]`` is True for :func:`yqplan.air.demo.write_demo_water` output
    (its ``SYNTHETIC.json`` marker, :func:`yqplan.air.cnemc.read_synthetic_marker`) and
    ``meta["source"]`` says where the data came from ("no water data" when
    ``water_dir`` is empty).
    """

    request = isinstance(water_dir, WaterRequest)
    every = False
    if request:
        req = water_dir
        if req.period:
            start_year, end_year, as_of = request_years(req)
        every = tuple(req.sections) == ("all",)
        names = names or (list(req.sections) if req.sections and not every else None)
        water_dir = req.path  # "" = the shared data's water, as for the CLI (load_water)
    names = None if every else list(names or water.read_sections()["section_name"])
    if not water_dir and not request:
        return (pd.DataFrame(columns=list(water.LONG_COLUMNS)),
                {"source": "no water monitoring data supplied (data.water is empty)",
                 "synthetic": False, "data_as_of": None})
    readings, meta = water.read_water_auto(water_dir or None, names=names)
    water_dir = water_dir or meta.get("path") or config.shared_data_dir() / "water"
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

    table = _stats_table(days, start_year, end_year, airstats.compute_annual_stats, **kwargs)
    if table.empty:
        return pd.DataFrame(columns=["pm25", "good_ratio", "heavy_days", "heavy_ratio",
                                     "complete", "period_label_zh", "period_label_en"])
    table["heavy_ratio"] = table["heavy_days"] / table["valid_days"].where(table["valid_days"] > 0) * 100
    # a year with no valid day (a day-boundary stub: 31 December of the year before) has no data
    table = table[(table["valid_days"] > 0) | table["pm25"].notna()].set_index("year")
    # complete year or partial period: the one rule of yqplan.air.periods
    found = periods.derive_periods(days[days["date"].dt.year.isin(table.index)],
                                    location=kwargs.get("location"))

    found = [found.get(y) or periods.classify_year(y, dt.date(y, 1, 1), dt.date(y, 1, 1), False)
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

    out = {}
    for y, r in annual.iterrows():
        if "complete" not in annual or pd.isna(r.get("complete")):
            continue
        out[int(y)] = periods.Period(
            int(y), periods.COMPLETE if bool(r["complete"]) else periods.PARTIAL,
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

    rows = []
    for p in annual_periods(annual).values():
        if p.complete:
            continue
        s0, e0 = p.previous_span()
        for label, s, e in ((p.label(language), p.start, p.end),
                            (words.word("period.same_span_year_before", language, start=s0, end=e0),
                             s0, e0)):
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

    table = _stats_table(days, start_year, end_year, airstats.compute_monthly_stats, **kwargs)
    if table.empty:
        return table
    # a month with no valid day (the day-boundary stub of 31 December before the data) is
    # outside the data span, not an empty month: drop it as compute_annual_table does
    if "valid_days" in table:
        table = table[(table["valid_days"] > 0) | table["pm25"].notna()].copy()
    table["month"] = pd.to_datetime(table["start"])
    return table.set_index("month")


def compute_air_annual(store_dir: str | Path = "", city: str = DEFAULT_CITY, *, edition: str = "auto",
                       start_year: int = 2015, end_year: int = 2025, dust: str = "none",
                       as_of: str = ""):
    """Annual HJ 663 statistics of one city straight from the store: ``(annual, meta)``.

    ``meta`` is :func:`read_city_hourly`'s with ``edition`` (:func:`describe_editions`).
    """
    hourly, meta = read_city_hourly(store_dir, city, start_year=start_year, end_year=end_year,
                                    as_of=as_of)
    if hourly.empty:

        return pd.DataFrame(columns=["pm25", "good_ratio", "heavy_days", "heavy_ratio"]), meta
    days, _ = assess_air(hourly, edition=edition, dust=dust)
    meta["edition"] = describe_editions(days, edition)
    return compute_annual_table(days, start_year, end_year), meta


def compute_dust_comparison(hourly, req: AirRequest | None = None, *, edition: str = "auto",
                            start_year: int = 2015, end_year: int = 2025, dust: str = "estimate"):
    """Annual PM2.5 and PM10 with and without the dust deduction.

    ``req``: the report's :class:`AirRequest` (the notebooks' way); its edition, dust and
    years (:func:`request_years`) replace the keywords.
    ``dust``: the run's setting — a file of official dust days deducts those days; "none"
    or "estimate" deduct the estimated ones (:func:`yqplan.air.stats.estimate_dust_days`, a
    labelled estimate), so the comparison always has a deduction to show.

    Returns a DataFrame indexed by year: ``pm25_with_dust``, ``pm25_without_dust``,
    ``pm10_with_dust``, ``pm10_without_dust`` [µg/m³] and ``dust_days``.
    """

    if req is not None:
        edition, dust = req.edition, req.dust
        start_year, end_year, _ = request_years(req)
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


def compute_station_annual(store_dir: str | Path | AirRequest = "", city: str = DEFAULT_CITY, *,
                           year: int = 2025, edition: str = "auto", dust: str = "none",
                           as_of: str = ""):
    """Annual statistics of each national station of ``city`` (the shipped station list).

    ``store_dir`` may be an :class:`AirRequest` (the notebooks' way): its store, first city,
    edition, dust and last day (``as_of``) are used; ``year`` is the year computed.

    Returns ``(table, meta)``: one row per station with ``station``, ``station_name``,
    ``lon``, ``lat``, ``pm25`` [µg/m³], ``valid_days``, ``valid_pm25``, ``good_ratio`` [%];
    empty when the store has no station data.  ``meta["edition"]``: :func:`describe_editions`.
    ``as_of``: the last day read (as :func:`read_city_hourly`).
    """

    if isinstance(store_dir, AirRequest):
        req = store_dir
        store_dir, city, edition, dust = req.store, req.cities[0], req.edition, req.dust
        as_of = request_years(req)[2]
    stations, _ = cnemc.read_station_list()
    stations = stations[stations["city"].map(normalise_city) == normalise_city(city)]
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
    """``cities`` as the archive names them (:func:`yqplan.air.cities.normalise_city`), or the
    cities of the region 山西 of ``data/air/regions.csv`` when empty
    (:func:`yqplan.air.cities.region_cities`, the one membership rule)."""
    if not cities:
        cities = region_cities(DEFAULT_PROVINCE)
    return [normalise_city(c) for c in cities]


def assess_cities(store_dir: str | Path | AirRequest = "", cities=None, *, start_year: int = 2021,
                  end_year: int = 2025, edition: str = "auto", as_of: str = "", dust: str = "none"):
    """Daily values and AQI of several cities (default Shanxi's 11) from the store.

    ``store_dir`` may be an :class:`AirRequest` (the notebooks' way): it ranks its cities
    when it names several, else the cities of its ``province`` (as ``yqplan air rank``),
    with its store, years, edition and dust.
    Returns ``(days, meta)``; ``days`` as :func:`assess_air`; ``meta["cities"]`` the
    cities read, ``meta["edition"]`` :func:`describe_editions`.
    """
    if isinstance(store_dir, AirRequest):
        req = store_dir
        cities = (list(req.cities) if len(req.cities) > 1
                  else region_cities(req.province))
        start_year, end_year, as_of = request_years(req)
        store_dir, edition, dust = req.store, req.edition, req.dust
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
    ranks = airstats.composite_ranks(index)  # the one ranking rule
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


def compute_indicator_values(store_dir: str | Path = "", city: str = DEFAULT_CITY, *,
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

        meta["periods"] = periods.to_json(annual_periods(annual))
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

    s = series.dropna()
    s.index = s.index.astype(int)
    if synthetic:
        s = s[s.index > 2020]
    return pd.DataFrame({"indicator_id": str(indicator_id), "year": s.index,
                         "value": s.values.astype(float), "source": source})


#: :func:`yqplan.plan.values.combine_values` (a later frame's value wins), re-exported.
combine_values = values_mod.combine_values


def write_indicator_values(path, store_dir: str | Path = "", city: str = DEFAULT_CITY, *,
                           edition: str = "auto", water_dir: str | Path = "",
                           as_of: str = "", dust: str = "none",
                           plan: str | None = None) -> Path:
    """Compute :func:`compute_indicator_values` once and write it (CSV + ``.meta.json``).

    The run does this before the notebooks that need the values, so they read the
    same numbers instead of each recomputing them (:func:`load_indicator_values`).
    """

    values, meta = compute_indicator_values(store_dir, city, edition=edition, water_dir=water_dir,
                                            as_of=as_of, dust=dust, plan=plan)
    meta["dust"] = dust
    path = Path(path)
    _io.write_frame(values, path)
    _io.write_text(path.with_suffix(".meta.json"), json.dumps(
        {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool, type(None)))}
        | {"data_as_of": str(meta.get("data_as_of") or "")}, ensure_ascii=False, indent=1))
    return path


def load_indicator_values(values_file: str | TargetsRequest = "", store_dir: str | Path = "",
                          city: str = DEFAULT_CITY, *, edition: str = "auto",
                          water_dir: str | Path = "", as_of: str = "", dust: str = "none",
                          plan: str | None = None):
    """The indicator values: read from ``values_file`` when given, else computed here.

    ``values_file`` may be a :class:`TargetsRequest` (the notebooks' way,
    :meth:`TargetsRequest.from_params`): its ``values_file``, ``plan``, ``water_dir`` and
    ``air`` request (store, city, years, edition, dust, ``as_of``) are used.
    Returns ``(values, meta)`` exactly as :func:`compute_indicator_values`.
    """

    if isinstance(values_file, TargetsRequest):
        req = values_file
        values_file = req.values_file
        if not values_file:
            return compute_request_values(req)
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

    series = indicator_series(values, indicator_id)
    extra = json.loads(meta.get("partial_values") or "{}").get(str(indicator_id), {})
    if extra:
        series = pd.concat([series, pd.Series({int(y): float(v) for y, v in extra.items()})])
        series = series[~series.index.duplicated(keep="first")].sort_index()
    return series, periods.from_json(meta.get("periods"))


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
    yqplan.plan.targets.IndicatorAssessment
        The indicator's verdicts with its trend (``trend``, a
        :class:`yqplan.stats.trend.TrendResult`) and its projection to the target year
        (``projection``, a :class:`yqplan.stats.trend.ProjectionResult`, None when the
        target year's value is known) — what :func:`yqplan.report.plots.plot_indicator_path`
        draws; ``to_dict()`` is its scoreboard row.
    """

    registry = plan_tables.read_indicators()
    find_indicator(registry, indicator_id)
    published = targets.values_from_figures()
    published = published[published["indicator_id"] == str(indicator_id)]
    values = combine_values([published, measured_values(indicator_id, series, "data",
                                                        synthetic=synthetic)])
    board = targets.score_plan(values, registry=registry[registry["indicator_id"] == str(indicator_id)])
    return board[indicator_id]


# --------------------------------------------------------------------------------------
# Notebook set-ups: what the first code cell of several reports needs, in one call
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CityAir:
    """One city's air data assessed day by day, the annual and monthly tables and their periods.

    The start of the city air reports (``10_pm25``, ``11_good_days``): :func:`read_city_hourly`,
    :func:`assess_air`, :func:`compute_annual_table`, :func:`annual_periods`,
    :func:`complete_annual`, :func:`compute_monthly_table` and :func:`describe_editions`.
    ``whole`` holds only complete years: they alone decide verdicts, trends and projections.
    """

    hourly: Any
    meta: dict
    days: Any
    dust_days: Any
    annual: Any
    periods: dict
    whole: Any
    monthly: Any
    synthetic: bool
    edition: str
    data_as_of: Any
    sources: tuple


def city_air(store_dir: str | Path | AirRequest = "", city: str = DEFAULT_CITY, *,
             start_year: int = 2015, end_year: int = 2025, as_of: str = "", edition: str = "auto",
             dust: str = "none") -> CityAir:
    """Read, assess and tabulate one city's air for ``start_year``–``end_year`` (:class:`CityAir`).

    ``store_dir`` may be the report's :class:`AirRequest` (:meth:`AirRequest.from_params`, the
    notebooks' way); the keywords make one otherwise."""
    req = _air_request(store_dir, city, start_year=start_year, end_year=end_year, as_of=as_of,
                       edition=edition, dust=dust)
    start_year, end_year, _ = request_years(req)
    edition = req.edition
    hourly, meta = read_city_hourly(req)
    days, dust_days = assess_air(hourly, edition=edition, dust=req.dust)
    annual = compute_annual_table(days, start_year, end_year)
    return CityAir(hourly=hourly, meta=meta, days=days, dust_days=dust_days, annual=annual,
                   periods=annual_periods(annual), whole=complete_annual(annual),
                   monthly=compute_monthly_table(days, start_year, end_year),
                   synthetic=bool(meta.get("synthetic")),
                   edition=describe_editions(days, edition), data_as_of=meta["data_as_of"],
                   sources=(dust_days.label,) if dust_days is not None else ())


@dataclass(frozen=True)
class CityDays:
    """One city's daily values and AQI, the years they cover and the year a report shows.

    The start of the reports ``13_ozone`` and ``14_episodes``: the days of one location
    (:func:`yqplan.air.ozone.one_location`) with the run's dust deduction, their year coverage
    (:func:`yqplan.air.seasons.year_coverage`) and the year shown
    (:func:`yqplan.air.seasons.report_year`).
    """

    hourly: Any
    meta: dict
    days: Any
    coverage: Any
    shown: int
    edition: str
    data_as_of: Any


def city_days(store_dir: str | Path | AirRequest = "", city: str = DEFAULT_CITY, *,
              start_year: int = 2015, end_year: int = 2025, as_of: str = "", edition: str = "auto",
              year: int = 0, dust: str = "none") -> CityDays:
    """Read and assess one city's days, and pick the year to show (:class:`CityDays`).

    ``store_dir`` may be the report's :class:`AirRequest` (the notebooks' way); ``year`` is
    the year the report asks to show (0 = the latest whole one, :func:`yqplan.air.seasons.report_year`).
    ``dust``: the run's dust deduction, as every other report of the run applies it."""
    req = _air_request(store_dir, city, start_year=start_year, end_year=end_year, as_of=as_of,
                       edition=edition, dust=dust)
    edition = req.edition
    hourly, meta = read_city_hourly(req)
    days, _ = assess_air(hourly, edition=edition, dust=req.dust)
    days = ozone.one_location(days)
    coverage = seasons.year_coverage(days["date"])
    return CityDays(hourly=hourly, meta=meta, days=days, coverage=coverage,
                    shown=seasons.report_year(coverage, year),
                    edition=describe_editions(days, edition), data_as_of=meta["data_as_of"])


@dataclass(frozen=True)
class PlanValues:
    """The plan indicators' values of a run and where they came from (``00``, ``40``)."""

    values: Any
    meta: dict
    edition: str
    data_as_of: Any


def plan_values(values_file: str | TargetsRequest = "", store_dir: str | Path = "",
                city: str = DEFAULT_CITY, *, edition: str = "auto", water_dir: str | Path = "",
                as_of: str = "", dust: str = "none", plan: str | None = None) -> PlanValues:
    """:func:`load_indicator_values` with the edition and data date its provenance shows.

    ``values_file`` may be the report's :class:`TargetsRequest` (the notebooks' way)."""
    values, meta = load_indicator_values(values_file, store_dir, city, edition=edition,
                                         water_dir=water_dir, as_of=as_of, dust=dust, plan=plan)
    if isinstance(values_file, TargetsRequest) and values_file.air:
        edition = values_file.air.edition
    return PlanValues(values=values, meta=meta, edition=meta.get("edition") or edition,
                      data_as_of=meta.get("data_as_of"))


def city_coverage(store_dir: str | Path | AirRequest = "", city: str = DEFAULT_CITY, *,
                  start_year: int = 2015, end_year: int = 2025, as_of: str = ""):
    """Hours with data per month for one city (:func:`yqplan.air.coverage.hourly_coverage`).

    The period runs from 1 January of ``start_year`` to the last hour of ``end_year``, cut at
    ``as_of`` and at the last hour in the store (months after the data end are not counted
    as missing); ``store_dir`` may be the report's :class:`AirRequest` (its period).
    Returns ``(table, meta)``; ``meta`` as :func:`read_city_hourly`.
    """
    req = _air_request(store_dir, city, start_year=start_year, end_year=end_year, as_of=as_of)
    start_year, end_year, as_of = request_years(req)
    hourly, meta = read_city_hourly(req)
    ends = [pd.Timestamp(f"{end_year}-12-31 23:00", tz=coverage.TZ)]
    if as_of:
        ends.append(pd.Timestamp(f"{as_of} 23:00", tz=coverage.TZ))
    if meta.get("data_as_of") is not None:
        ends.append(pd.Timestamp(meta["data_as_of"]).tz_convert(coverage.TZ))
    table = coverage.hourly_coverage(hourly, f"{start_year}-01-01 00:00", min(ends),
                                     missing_hours=meta.get("missing_hours"))
    return table, meta


# --------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------

#: Hourly columns the daily values need (:func:`yqplan.air.stats.compute_daily_values`).
DAILY_INPUTS = ["so2", "no2", "co", "o3", "pm10", "pm25"]


def city_annual_from_store(store_dir, cities=None, years=None, *, edition: str = "auto",
                           as_of: str = "", dust: str = "none"):
    """Annual statistics of many cities, one year read at a time (bounded memory).

    Parameters
    ----------
    store_dir : the air store (:func:`resolve_store`), or an :class:`AirRequest` (the
        notebooks' way) whose store, cities, years, edition, dust and ``as_of`` are used.
    cities : archive names; aliases of ``data/air/city_aliases.csv`` are read and merged.
    years : calendar years.
    edition : as :func:`assess_air` ("auto": the edition in force each day).
    as_of : last day read (ISO date) or "".
    dust : the run's dust deduction (as :func:`assess_air`), so the region comparison's PM
        figures deduct the same days as every other report of the run.

    Returns
    -------
    (table, meta) — :func:`yqplan.air.regions.city_annual_table` rows of every year with data;
    ``meta`` has ``synthetic``, ``data_as_of``, ``source`` (as :func:`read_city_hourly`),
    ``editions`` (per year, :func:`describe_editions`), ``dust`` and ``cities_read``.
    """
    if isinstance(store_dir, AirRequest):
        req = store_dir
        y0, y1, as_of = request_years(req)
        store_dir, cities, years = req.store, list(req.cities), range(y0, y1 + 1)
        edition, dust = req.edition, req.dust
    where = resolve_store(str(store_dir))
    aliases = read_city_aliases()
    wanted = list(dict.fromkeys(list(cities) + [a for a, c in aliases.items() if c in cities]))
    parts, eds, last, synthetic, read = [], {}, None, False, set()
    for y in years:
        end = min(f"{y}-12-31", str(as_of)) if as_of else f"{y}-12-31"
        if end < f"{y}-01-01":
            continue
        hourly, meta = air_store.read_store(where, names=wanted, start=f"{y}-01-01",
                                            end=last_label(end), columns=DAILY_INPUTS)
        synthetic = synthetic or bool(meta.get("synthetic"))
        if only_closing_label(hourly, end):
            continue
        hourly = merge_aliases(hourly, aliases)
        read |= set(hourly["city"].unique())
        last = max(last, hourly["time"].max()) if last is not None else hourly["time"].max()
        days, _ = assess_air(hourly, edition=edition, dust=dust)
        eds[int(y)] = describe_editions(days, edition)
        parts.append(city_annual_table(days, [y]))
    table = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=["city", "year", "pm25", "good_ratio", "partial"]))
    meta = {"synthetic": synthetic, "data_as_of": last, "editions": eds, "dust": str(dust),
            "cities_read": sorted(read),
            "source": f"{'synthetic demonstration ' if synthetic else ''}air store {where}"}
    return table, meta


# --------------------------------------------------------------------------------------
# Requests and results: the one front door of the CLI (``yqplan air …``, ``water …``,
# ``targets …``) and of the notebooks.  A command parses its options into a request, makes
# one call here and prints the result; a notebook builds the same request from its
# parameters (``from_params``) and passes it to its set-up above.
# --------------------------------------------------------------------------------------

EDITION_CHOICES = ("auto",) + aqi.EDITIONS
ROUNDING_CHOICES = ("ceil", "half_up", "half_even", "none")
#: ``platform``: the rules reproducing the 2022–2024 city archives' AQI row;
#: ``platform-sites-2018``: those reproducing the 2018 station file (docs/aqi_platform_rules.md).
HOURLY_ROUNDINGS = ROUNDING_CHOICES + ("platform", "platform-sites-2018")
WATER_PERIODS = ("month", "quarter", "year")


def check_choice(name: str, value, choices):
    """``value`` when it is one of ``choices``; else a ValueError naming ``name`` and the choices."""
    if value not in choices:
        raise ValueError(f"{name}: {value!r} is not one of {', '.join(choices)}")
    return value


@dataclasses.dataclass(frozen=True)
class AirRequest:
    """One air-quality question, as the CLI and a notebook ask it.

    Attributes
    ----------
    cities : city names (a trailing 市 is dropped: :func:`yqplan.air.cities.normalise_city`);
        default :data:`yqplan.air.cities.DEFAULT_CITY`.  Ignored when ``stations`` is given.
    stations : station codes such as ``1738A``.
    period : ``YYYY``, ``YYYY-MM``, ``YYYY-ytd[-MM]`` or ``start..end``
        (:func:`yqplan.air.stats.parse_period`).
    store : the Parquet store ("" = :func:`yqplan.config.store_dir`); ``archive``: archive
        files read directly instead (folders, yearly zips, CSVs).
    edition : ``auto`` (each day by :func:`yqplan.air.aqi.edition_for`), ``2012`` or ``2026``.
    dust : ``none``, ``estimate`` or a CSV of dust days (:func:`yqplan.air.stats.resolve_dust`).
    rounding, method, day_boundary, round_reported : as :func:`yqplan.air.stats.assess_hourly`
        and :func:`yqplan.air.stats.compute_period_stats`.
    province : the region whose cities :func:`air_rank` ranks (``data/air/regions.csv``).
    """

    cities: tuple[str, ...] = (DEFAULT_CITY,)
    stations: tuple[str, ...] = ()
    period: str = ""
    store: str = ""
    archive: tuple[str, ...] = ()
    edition: str = "auto"
    dust: str = "none"
    rounding: str = "ceil"
    method: str = "hourly"
    day_boundary: str = "natural"
    round_reported: bool = False
    province: str = DEFAULT_PROVINCE

    def __post_init__(self):
        object.__setattr__(self, "cities", tuple(normalise_city(c) for c in self.cities
                                                 if str(c).strip()) or (DEFAULT_CITY,))
        object.__setattr__(self, "stations", tuple(str(s).strip() for s in self.stations
                                                   if str(s).strip()))
        object.__setattr__(self, "archive", tuple(str(a) for a in self.archive))

    @property
    def kind(self) -> str:
        """The archive kind read: ``sites`` for stations, else ``cities``."""
        return "sites" if self.stations else "cities"

    @property
    def location(self) -> str:
        """The location column: ``station`` or ``city``."""
        return "station" if self.stations else "city"

    @property
    def names(self) -> list[str]:
        """The stations asked for, else the cities."""
        return list(self.stations or self.cities)

    @classmethod
    def from_params(cls, *, city: str = DEFAULT_CITY, cities=(), store_dir: str | Path = "",
                    start_year: int = 2015, end_year: int = 2025, as_of: str = "",
                    edition: str = "auto", dust: str = "none",
                    province: str = DEFAULT_PROVINCE) -> AirRequest:
        """The request of a report's parameters: what the CLI builds from the same options.

        ``cities`` (several, e.g. a ranking's) else ``city`` (:func:`yqplan.air.cities.normalise_city`);
        ``store_dir`` as ``--store`` ("" = :func:`yqplan.config.store_dir`); the whole years
        ``start_year``–``end_year`` cut at ``as_of`` become ``period``
        (:func:`years_period`: ``--year 2023`` for one whole year,
        ``--period 2015-01-01..2024-02-24`` otherwise); ``edition`` is checked against
        :data:`EDITION_CHOICES` here, ``dust`` is passed on (:func:`yqplan.air.stats.resolve_dust`).
        """
        check_choice("edition", edition, EDITION_CHOICES)
        return cls(cities=tuple(cities or ()) or (city,),
                   period=years_period(start_year, end_year, as_of),
                   store=str(store_dir or ""), edition=edition, dust=str(dust or "none"),
                   province=province)

    def for_years(self, start_year: int, end_year: int, *, cities=None) -> AirRequest:
        """This request for the whole years ``start_year``–``end_year`` (still cut at its
        ``as_of``), optionally for other ``cities``: a section of a report that reads a
        narrower span (e.g. the year shown) asks the same question of fewer days."""
        return dataclasses.replace(
            self, period=years_period(start_year, end_year, request_years(self)[2]),
            cities=tuple(cities) if cities is not None else self.cities)


def years_period(start_year: int, end_year: int, as_of: str = "") -> str:
    """The period text (:func:`yqplan.air.stats.parse_period`) of the whole years
    ``start_year``–``end_year`` cut at ``as_of`` (ISO date, "" = no cut).

    One whole year is ``YYYY`` (as ``--year``); any other span ``YYYY-01-01..YYYY-MM-DD``.
    A ValueError names ``as_of`` when it is no date or ends the span before it starts.
    """
    start, end = dt.date(int(start_year), 1, 1), dt.date(int(end_year), 12, 31)
    if as_of:
        try:
            end = min(end, dt.date.fromisoformat(str(as_of).strip()))
        except ValueError:
            raise ValueError(f"as_of: {as_of!r} is not a date (expected YYYY-MM-DD)") from None
    if end < start:
        raise ValueError(f"start_year/end_year/as_of: the period would end on {end}, before "
                         f"it starts on {start}")
    if end.year == start.year and end == dt.date(end.year, 12, 31):
        return str(start.year)
    return f"{start.isoformat()}..{end.isoformat()}"


def request_years(req) -> tuple[int, int, str]:
    """``(start_year, end_year, as_of)`` of a request's period, as the report set-ups read it.

    The set-ups read whole calendar years from the period's first year to its last, cut at
    its last day when that is not 31 December (``as_of``, "" otherwise).
    """
    _, start, end = request_period(req)
    as_of = "" if end == dt.date(end.year, 12, 31) else end.isoformat()
    return start.year, end.year, as_of


def _air_request(store_dir, city, **params) -> AirRequest:
    # the set-ups take a request; a library caller's keywords still make one (the same rules)
    if isinstance(store_dir, AirRequest):
        return store_dir
    return AirRequest.from_params(city=city, store_dir=store_dir, **params)


@dataclasses.dataclass(frozen=True, eq=False)
class AirDays:
    """The assessed days of an :class:`AirRequest` (:func:`assess_request`).

    ``days``: :func:`yqplan.air.stats.assess_hourly`'s daily table; ``dust`` the
    :class:`yqplan.air.stats.DustDays` deducted (or None); ``period_kind``, ``start``,
    ``end``: the period parsed; ``meta``: the reader's; ``notes``: lines for the reader
    (names not found, synthetic data).
    """

    request: AirRequest
    period_kind: str
    start: dt.date
    end: dt.date
    days: pd.DataFrame
    dust: Any
    meta: dict
    notes: tuple[str, ...]

    @property
    def synthetic(self) -> bool:
        return bool(self.meta.get("synthetic"))


@dataclasses.dataclass(frozen=True, eq=False)
class AirStatsResult:
    """HJ 663 statistics of a request: ``stats`` (:class:`yqplan.air.stats.PeriodStats`)."""

    request: AirRequest
    stats: tuple
    assessed: AirDays
    notes: tuple[str, ...]

    def frame(self) -> pd.DataFrame:
        """The statistics as :func:`yqplan.air.stats.stats_frame` plus ``synthetic``."""
        df = airstats.stats_frame(list(self.stats))
        df["synthetic"] = self.assessed.synthetic
        return df


@dataclasses.dataclass(frozen=True, eq=False)
class AirTableResult:
    """A table of a request (daily values, hourly AQI) with the reader's meta and notes."""

    request: AirRequest
    table: pd.DataFrame
    meta: dict
    notes: tuple[str, ...]


@dataclasses.dataclass(frozen=True, eq=False)
class AirRankResult:
    """:func:`air_rank`: the :class:`yqplan.air.stats.Ranking`, kept whole, and the meta."""

    request: AirRequest
    ranking: Any
    meta: dict
    notes: tuple[str, ...]

    def frame(self) -> pd.DataFrame:
        """The ranking table with ``period``, ``edition``, ``dust`` and ``synthetic``."""
        out = self.ranking.table.copy()
        out.insert(0, "period", self.ranking.period)
        out["edition"] = self.ranking.edition
        out["dust"] = self.ranking.dust
        out["synthetic"] = bool(self.meta.get("synthetic"))
        return out


def request_period(req: AirRequest, *, today: dt.date | None = None):
    """``(kind, start, end)`` of ``req.period`` (:func:`yqplan.air.stats.parse_period`).

    ``YYYY-ytd`` ends today (or 31 December of a past year) until the data say otherwise
    (:func:`air_annual` ends it on the last day with data).
    """
    text = req.period
    if not text:
        raise ValueError("--year or --period: one is required (e.g. --year 2022, "
                         "--period 2023-05, 2023-ytd-06, 2022-01-01..2022-03-31)")
    if text.endswith("-ytd") and text[:4].isdigit():   # else parse_period names --period
        y = int(text[:4])
        return airstats.parse_period(text, last_date=min(today or dt.date.today(),
                                                         dt.date(y, 12, 31)))
    return airstats.parse_period(text)


def load_request(req: AirRequest, start, end, *, names=None, kind=None):
    """Hourly rows of ``req``'s locations for ``start``..``end`` (+ the next day's 00:00 label).

    From ``req.archive`` (:func:`yqplan.air.cnemc.read_cnemc`) or the store
    (:func:`yqplan.air.store.read_store`).  Returns ``(hourly, meta, notes)``; a clear
    ValueError when nothing is there.
    """
    if kind is None:
        kind, names = req.kind, req.names
    t0 = pd.Timestamp(start)
    t1 = last_label(end)
    if req.archive:
        df, meta = cnemc.read_cnemc(list(req.archive), kind=kind, names=names, start=t0, end=t1)
        where = "--archive " + ", ".join(req.archive)
    else:
        store = req.store or config.store_dir()
        if not Path(store).is_dir():
            raise ValueError(f"--store: {store} is not a folder; run 'yqplan air ingest' or "
                             "pass --archive PATH")
        df, meta = air_store.read_store(store, kind=kind, names=names, start=t0, end=t1)
        where = f"--store {store}"
    if only_closing_label(df, end):
        raise ValueError(f"--{'station' if kind == 'sites' else 'city'}: no data for "
                         f"{', '.join(names or [])} between {start} and {end} in {where}")
    notes = []
    missing = meta.get("names_not_found") or []
    if missing:
        notes.append(f"not found in {where}: {', '.join(missing)}")
    if meta.get("synthetic"):
        notes.append("SYNTHETIC demonstration data")
    return df, meta, tuple(notes)


def assess_request(req: AirRequest, period=None) -> AirDays:
    """Read and assess ``req``'s days (:func:`yqplan.air.stats.assess_hourly`, the edition of
    each day by :func:`yqplan.air.aqi.edition_for` when ``req.edition`` is ``auto``).

    ``period``: ``(kind, start, end)``, default :func:`request_period`.
    """
    kind, start, end = period or request_period(req)
    check_choice("--rounding", req.rounding, ROUNDING_CHOICES)
    check_choice("--method", req.method, airstats.METHODS)
    check_choice("--day-boundary", req.day_boundary, airstats.DAY_BOUNDARIES)
    check_choice("--edition", req.edition, EDITION_CHOICES)
    hourly, meta, notes = load_request(req, start, end)
    days, dust = airstats.assess_hourly(hourly, edition=req.edition, rounding=req.rounding,
                                        dust=req.dust, method=req.method,
                                        day_boundary=req.day_boundary)
    return AirDays(req, kind, start, end, days, dust, meta, notes)


def air_annual(req: AirRequest) -> AirStatsResult:
    """HJ 663 statistics of ``req.period`` for each location (``yqplan air annual``)."""
    kind, start, end = request_period(req)
    a = assess_request(req, (kind, start, end))
    text = req.period
    if text.strip().endswith("-ytd") and len(a.days):
        # YYYY-ytd ends on the last day with data (parse_period), not on today
        kind, start, end = airstats.parse_period(text, last_date=a.days["date"].max())
    stats = airstats.compute_period_stats(a.days, start, end, period=text, period_kind=kind,
                                          dust=a.dust, round_reported=req.round_reported)
    notes = a.notes + ((a.dust.label,) if a.dust is not None else ())
    return AirStatsResult(req, tuple(stats), a, notes)


def air_monthly(req: AirRequest) -> AirStatsResult:
    """HJ 663 statistics of each month of the year ``req.period`` (``yqplan air monthly``)."""
    if not req.period:
        raise ValueError("--year: required (e.g. --year 2022)")
    period = airstats.parse_period(str(req.period))
    a = assess_request(req, period)
    stats = airstats.compute_monthly_stats(a.days, int(req.period), dust=a.dust,
                                           round_reported=req.round_reported)
    return AirStatsResult(req, tuple(stats), a, a.notes)


#: Columns of ``yqplan air daily`` (those present).
DAILY_COLUMNS = ("city", "station", "date", "so2", "no2", "co", "pm10", "pm25", "o3_1h_max",
                 "o3_8h_max", "aqi", "aqi_level", "aqi_category", "primary_pollutant",
                 "dust_day", "edition")


def air_daily(req: AirRequest) -> AirTableResult:
    """Daily values (GB 3095 validity) and daily AQI of ``req.period`` (``yqplan air daily``)."""
    a = assess_request(req)
    days = a.days[(a.days["date"] >= pd.Timestamp(a.start))
                  & (a.days["date"] <= pd.Timestamp(a.end))]
    out = days[[c for c in DAILY_COLUMNS if c in days]].copy()
    out["synthetic"] = a.synthetic
    return AirTableResult(req, out, a.meta, a.notes)


def air_hourly(req: AirRequest) -> AirTableResult:
    """Real-time IAQI and AQI of every hour of ``req.period`` (``yqplan air hourly-aqi``).

    ``req.rounding`` may also be ``platform`` / ``platform-sites-2018``
    (:data:`yqplan.air.aqi.PLATFORM_RULES`, :data:`yqplan.air.aqi.PLATFORM_RULES_SITES_2018`).
    """
    _, start, end = request_period(req)
    check_choice("--rounding", req.rounding, HOURLY_ROUNDINGS)
    check_choice("--edition", req.edition, EDITION_CHOICES)
    df, meta, notes = load_request(req, start, end)
    t = df["time"].dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    df = df[(t >= pd.Timestamp(start)) & (t < pd.Timestamp(end) + pd.Timedelta(days=1))]
    if req.rounding == "platform":
        rules = dict(aqi.PLATFORM_RULES)
    elif req.rounding == "platform-sites-2018":
        rules = dict(aqi.PLATFORM_RULES_SITES_2018)
    else:
        rules = {"rounding": req.rounding}
    edition = None if req.edition == "auto" else req.edition  # None: each hour's own edition
    res = aqi.compute_realtime_aqi(df, edition, **rules)
    loc = req.location
    out = pd.concat([df[[loc, "time"]], res], axis=1)
    out["platform_aqi"] = df["aqi"]
    out["synthetic"] = bool(meta.get("synthetic"))
    cols = [loc, "time", "aqi", "aqi_level", "aqi_category", "primary_pollutant"] + \
        [c for c in res.columns if c.startswith("iaqi_")] + ["platform_aqi", "edition", "rounding",
                                                           "synthetic"]
    # the schema names the AQI level ``level`` and its category ``category``
    out = out[cols].rename(columns={"aqi_level": "level", "aqi_category": "category"})
    return AirTableResult(req, out, meta, notes)


def air_rank(req: AirRequest) -> AirRankResult:
    """Composite-index ranking of ``req.province``'s cities (``yqplan air rank``).

    The cities are the region's of ``data/air/regions.csv``
    (:func:`yqplan.air.cities.region_cities`); the ranking is
    :func:`yqplan.air.stats.rank_cities` (rule :func:`yqplan.air.stats.composite_ranks`).
    """
    text = req.period
    if not text:
        raise ValueError("--period: required (YYYY, YYYY-MM, YYYY-ytd-MM)")
    try:
        cities = region_cities(req.province)
    except ValueError as exc:
        raise ValueError(f"--province: {exc}") from None
    check_choice("--rounding", req.rounding, ROUNDING_CHOICES)
    check_choice("--edition", req.edition, EDITION_CHOICES)
    kind, start, end = airstats.parse_period(
        text, last_date=dt.date(int(text[:4]), 12, 31)
        if "ytd" in text and text[:4].isdigit() else None)
    pstart = dt.date(start.year - 1, start.month, 1)
    df, meta, notes = load_request(req, pstart, end, names=cities, kind="cities")
    r = airstats.rank_cities(df, text, cities=cities, edition=req.edition,
                             rounding=req.rounding, dust=req.dust)
    return AirRankResult(req, r, meta, notes)


@dataclasses.dataclass(frozen=True)
class WaterRequest:
    """One surface-water question (``yqplan water …``).

    ``path``: snapshot folder or zip ("" = the shared data's ``water``), or with ``manual`` a
    manual CSV; ``sections``: names, ``("all",)`` for every section, or empty for the sections
    of ``data/water/sections.csv``; ``by``: ``month``, ``quarter`` or ``year``; ``period``:
    the readings kept (``--period``, e.g. ``2021-01-01..2023-06-30``; "" = all).
    """

    path: str = ""
    manual: bool = False
    sections: tuple[str, ...] = ()
    by: str = "month"
    #: the readings kept (:func:`years_period`; "" = all): the reports' years and ``as_of``
    period: str = ""

    @classmethod
    def from_params(cls, water_dir: str | Path = "", *, start_year: int = 2021,
                    end_year: int = 2025, as_of: str = "", by: str = "month") -> WaterRequest | None:
        """The request of a report's parameters, or None when the run has no water data
        (``water_dir`` "": :func:`read_water_data` then gives the empty table).

        ``water_dir`` as ``--path``; the whole years cut at ``as_of`` become ``period``
        (:func:`years_period`); ``by`` is checked against :data:`WATER_PERIODS`.
        """
        check_choice("by", by, WATER_PERIODS)
        if not water_dir:
            return None
        return cls(path=str(water_dir), by=by, period=years_period(start_year, end_year, as_of))


@dataclasses.dataclass(frozen=True, eq=False)
class WaterData:
    """Readings of a :class:`WaterRequest` (:func:`load_water`)."""

    request: WaterRequest
    readings: pd.DataFrame
    meta: dict
    sections: pd.DataFrame
    names: list | None


def load_water(req: WaterRequest) -> WaterData:
    """Read the readings of ``req``: automatic snapshots
    (:func:`yqplan.water.monitoring.read_water_auto`) or a manual CSV
    (:func:`yqplan.water.monitoring.read_water_manual`)."""
    sections = water.read_sections()
    if not req.sections:
        names = list(sections["section_name"])
    elif tuple(req.sections) == ("all",):
        names = None
    else:
        names = list(req.sections)
    if req.manual:
        if not req.path:
            raise ValueError("--manual needs --path FILE (a CSV in data/water/manual_template.csv's form)")
        df, meta = water.read_water_manual(req.path, sections=sections)
        if names is not None:
            df = df[df["section_name"].isin(names)]
    else:
        df, meta = water.read_water_auto(req.path or None, names=names)
    if names is not None and len(df) == 0:
        raise ValueError(f"--sections: no readings for {', '.join(names)} in {meta['path']}")
    if req.period:  # the days of the period, as read_water_data keeps a report's years
        _, start, end = request_period(req)
        day = df["sampled_at"].dt.strftime("%Y-%m-%d")
        df = df[(day >= start.isoformat()) & (day <= end.isoformat())].reset_index(drop=True)
    return WaterData(req, df, meta, sections, names)


def water_classes(req: WaterRequest, data: WaterData | None = None) -> pd.DataFrame:
    """GB 3838 class of each section per period (:func:`yqplan.water.gb3838.classify_periods`)."""
    by = check_choice("--by", req.by, WATER_PERIODS)
    data = data or load_water(req)
    return gb3838.classify_periods(data.readings, by=by, sections=data.sections)


def water_summary(req: WaterRequest) -> pd.DataFrame:
    """The plan's water shares per period (:func:`yqplan.water.gb3838.compute_plan_indicators`)."""
    check_choice("--by", req.by, WATER_PERIODS)
    data = load_water(req)
    return gb3838.compute_plan_indicators(water_classes(req, data), section_names=data.names)


@dataclasses.dataclass(frozen=True)
class TargetsRequest:
    """A question to the plan's scoreboard (``yqplan targets assess|trend``).

    ``values_file``: a CSV ``indicator_id, year, value[, source]``
    (:func:`yqplan.plan.targets.read_values_csv`), "" = the shipped published figures;
    ``year``: assess as of this year; ``province_targets``: a CSV of province-assigned
    targets; ``seed`` / ``n_boot``: the bootstrap; ``indicator`` / ``autocor``: for the trend.
    """

    values_file: str = ""
    year: int | None = None
    province_targets: str = ""
    seed: int | None = None
    n_boot: int | None = None
    indicator: str = ""
    autocor: bool = False
    #: the values measured for a report (:func:`load_indicator_values`): the plan folder
    #: (None = the 14th), the air question (store, city, years, edition, dust, ``as_of``)
    #: and the water snapshots; None / "" = not measured (published figures only)
    plan: str | None = None
    air: AirRequest | None = None
    water_dir: str = ""

    @classmethod
    def from_params(cls, values_file: str = "", *, plan: str | None = None,
                    water_dir: str | Path = "", **air_params) -> TargetsRequest:
        """The request of a report's parameters (``00``, ``40``, ``50``).

        ``values_file``: the run's computed values (:func:`write_indicator_values`), else
        they are computed here from ``air`` = :meth:`AirRequest.from_params` of
        ``air_params`` (``city``, ``store_dir``, ``as_of``, ``edition``, ``dust``; the years
        2015–2025 of the plan's indicators) and ``water_dir``.
        """
        return cls(values_file=str(values_file or ""), plan=plan or None,
                   air=AirRequest.from_params(**air_params), water_dir=str(water_dir or ""))


def request_values(req: TargetsRequest) -> pd.DataFrame:
    """The values table of ``req``: its file, else :func:`yqplan.plan.targets.values_from_figures`."""
    if req.values_file:
        return targets.read_values_csv(req.values_file)
    return targets.values_from_figures()


def score_targets(req: TargetsRequest) -> targets.Scoreboard:
    """The typed scoreboard (:func:`yqplan.plan.targets.score_plan`) of ``req``.

    Returns a :class:`yqplan.plan.targets.Scoreboard`: each indicator's assessment with its
    trend and projection objects, looked up by id; ``to_frame()`` is :func:`assess_targets`.
    """
    prov = (plan_tables.read_province_targets(req.province_targets)
            if req.province_targets else None)
    kw = {}
    if req.seed is not None:
        kw["seed"] = req.seed
    if req.n_boot is not None:
        if req.n_boot < 99:
            raise ValueError(f"--n-boot: {req.n_boot} is too few; expected at least 99")
        kw["n_boot"] = req.n_boot
    return targets.score_plan(request_values(req), year=req.year, province_targets=prov, **kw)


def assess_targets(req: TargetsRequest) -> pd.DataFrame:
    """The scoreboard of ``req`` as a table (:func:`score_targets`, flattened to show or write)."""
    return score_targets(req).to_frame()


def indicator_trend(req: TargetsRequest) -> pd.DataFrame:
    """Theil–Sen, Mann–Kendall and Spearman of one indicator's yearly values
    (:func:`yqplan.stats.trend.compute_trends`), one row per test."""
    values = request_values(req)
    reg = plan_tables.read_indicators()
    ids = list(reg["indicator_id"])
    if req.indicator not in ids:
        raise ValueError(f"--indicator: {req.indicator!r} is not one of {', '.join(ids)}")
    unit = reg.loc[reg["indicator_id"] == req.indicator, "unit"].iloc[0]
    sub = values[values["indicator_id"] == req.indicator].dropna(subset=["value"])
    df = trend.compute_trends(sub["value"].to_numpy(), sub["year"].to_numpy(), unit=unit,
                              autocor=req.autocor,
                              seed=req.seed if req.seed is not None else trend.SEED)
    df.insert(0, "indicator_id", req.indicator)
    return df


def compute_request_values(req: TargetsRequest):
    """:func:`compute_indicator_values` of a :class:`TargetsRequest`'s ``air`` (None: the
    defaults of :meth:`AirRequest.from_params`), ``water_dir`` and ``plan``."""
    air = req.air or AirRequest.from_params()
    start_year, end_year, as_of = request_years(air)
    return compute_indicator_values(air.store, air.cities[0], edition=air.edition,
                                    water_dir=req.water_dir, start_year=start_year,
                                    end_year=end_year, as_of=as_of, dust=air.dust,
                                    plan=req.plan)


#: The public API of this module (anything else is private to it).
__all__ = ["resolve_store", "store_present", "read_city_hourly", "read_water_data", "assess_air",
           "describe_editions", "compute_annual_table", "annual_periods", "complete_annual",
           "compare_partial_periods", "compute_monthly_table", "compute_air_annual",
           "compute_dust_comparison", "compute_rolling_good_ratio", "count_primary_pollutants",
           "compute_station_annual", "shanxi_cities", "assess_cities", "rank_periods",
           "compute_monthly_trend", "count_main_pollutants", "AIR_INDICATORS",
           "WATER_INDICATORS", "compute_indicator_values", "measured_values", "combine_values",
           "write_indicator_values", "load_indicator_values", "indicator_series_with_partial",
           "find_indicator", "indicator_series", "last_label", "only_closing_label", "assess_indicator_series",
           "DAILY_INPUTS", "city_annual_from_store", "EDITION_CHOICES", "ROUNDING_CHOICES",
           "HOURLY_ROUNDINGS", "WATER_PERIODS", "check_choice", "AirRequest", "AirDays",
           "AirStatsResult", "AirTableResult", "AirRankResult", "request_period", "load_request",
           "assess_request", "air_annual", "air_monthly", "DAILY_COLUMNS", "air_daily",
           "air_hourly", "air_rank", "WaterRequest", "WaterData", "load_water", "water_classes",
           "water_summary", "TargetsRequest", "request_values", "score_targets", "assess_targets",
           "indicator_trend", "CityAir", "city_air", "CityDays", "city_days", "PlanValues",
           "plan_values", "city_coverage", "years_period", "request_years",
           "compute_request_values"]

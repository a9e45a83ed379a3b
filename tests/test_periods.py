"""Partial years (issue 12): complete years vs year-to-date periods, everywhere a year is shown.

A small SYNTHETIC fixture (2023-01-01 … 2024-02-24, as the real archive ends) and the real
archives (``shared_data``): the Jan–Feb period is labelled, compared with the same span a
year earlier, drawn apart, and never decides a verdict; a requested year outside the data is
said plainly; baseline-only indicators get no met / not-met verdict; the prose under the
primary-pollutant chart is computed.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import textwrap

import numpy as np
import pandas as pd
import pytest

from yqplan import analyses
from yqplan.air import periods
from yqplan.report import plots
from yqplan.report import present
from yqplan.plan import targets

ARTIFACTS = __import__("pathlib").Path(__file__).resolve().parent / "artifacts"


@functools.lru_cache(maxsize=None)
def partial_store():
    """Synthetic city data (no station files, like the real archive) 2023-01-01 … 2024-02-24."""
    from yqplan.air import demo
    from yqplan.air import store

    root = ARTIFACTS / "partial-cities"
    st = root / "store"
    if not (st / "CURRENT").is_file():
        shutil.rmtree(root, ignore_errors=True)
        demo.write_demo_archive(root / "archive", start_year=2023, end_year=2024,
                                end_date=dt.date(2024, 2, 24), sites=False)
        store.ingest(root / "archive", st, progress=False)
    return st


# ------------------------------------------------------------------ the rule itself

def test_a_year_ending_in_february_is_partial_and_labelled_by_its_months():
    annual, _ = analyses.compute_air_annual(partial_store(), "阳泉", start_year=2021, end_year=2025)
    assert list(annual.index) == [2023, 2024]
    assert annual.loc[2023, "complete"] and not annual.loc[2024, "complete"]
    found = analyses.annual_periods(annual)
    p = found[2024]
    assert (p.kind, p.label_zh, p.label_en) == ("partial", "2024年1—2月", "Jan–Feb 2024")
    assert (p.start, p.end) == (dt.date(2024, 1, 1), dt.date(2024, 2, 24))
    assert p.previous_span() == (dt.date(2023, 1, 1), dt.date(2023, 2, 24))
    assert periods.latest_complete(found) == 2023


def _days(dates, city="阳泉"):
    return pd.DataFrame({"city": city, "date": pd.to_datetime(dates), "aqi": 50.0})


def test_the_monthly_table_starts_at_the_first_month_with_data():
    """No empty slot before the data: the day-boundary stub (31 December of the year before,
    holding only hour 24 of the first day) is not a month of data."""
    hourly, _ = analyses.read_city_hourly(partial_store(), "阳泉", start_year=2021, end_year=2025)
    days, _ = analyses.assess_air(hourly)
    monthly = analyses.compute_monthly_table(days, 2021, 2025)
    assert monthly.index[0] == pd.Timestamp("2023-01-01")
    assert monthly.index[-1] == pd.Timestamp("2024-02-01")
    assert (monthly["valid_days"] > 0).all()


def test_the_rule_counts_324_days_and_all_twelve_months():
    year = pd.date_range("2022-01-01", "2022-12-31")
    # 324 days in all twelve months: complete (a month below 27 days is flagged by validity, not here)
    keep = year[~((year.month == 3) & (year.day > 20)) & ~((year.month == 7) & (year.day > 11))]
    assert len(keep) == 365 - 11 - 20 == 334
    assert periods.derive_periods(_days(keep))[2022].complete
    # 323 days: not a whole year
    assert not periods.derive_periods(_days(year[:323]))[2022].complete
    # 1 Jan … 30 Nov is 334 days but has no December: a year-to-date period
    p = periods.derive_periods(_days(year[year.month <= 11]))[2022]
    assert not p.complete and p.label_zh == "2022年1—11月" and p.label_en == "Jan–Nov 2022"
    # a day without an AQI (e.g. 31 Dec of the year before, a day-boundary stub) is no data
    stub = pd.concat([_days(["2021-12-31"]).assign(aqi=np.nan), _days(year)])
    assert list(periods.derive_periods(stub)) == [2022]
    # several cities: the majority decides
    two = pd.concat([_days(year, "甲"), _days(year, "乙"), _days(year[:100], "丙")])
    assert periods.derive_periods(two)[2022].complete


def test_a_full_span_with_too_few_days_is_partial_too():
    p = periods.classify_year(2022, "2022-01-01", "2022-12-31", valid=False)
    assert not p.complete and p.label_zh == "2022年（数据不足）"
    assert periods.classify_year(2022, "2022-01-01", "2022-12-31", valid=True).label_zh == "2022"
    assert periods.classify_year(2024, "2024-03-01", "2024-03-20", False).label_en == "Mar 2024"


def test_periods_round_trip_through_json():
    found = {2023: periods.classify_year(2023, "2023-01-01", "2023-12-31", True),
             2024: periods.classify_year(2024, "2024-01-01", "2024-02-24", False)}
    assert periods.from_json(periods.to_json(found)) == found
    assert periods.from_json("") == {}


# ------------------------------------------------------------------ item 1: verdicts

def test_scoreboard_values_leave_the_partial_year_out_and_keep_it_for_notes():
    values, meta = analyses.compute_indicator_values(partial_store(), "阳泉")
    air = values[values["indicator_id"].isin(["1", "2", "3"])]
    assert 2024 not in set(air["year"]) and 2023 in set(air["year"])
    found = periods.from_json(meta["periods"])
    assert not found[2024].complete and found[2023].complete
    board = targets.assess_plan(values).set_index("indicator_id")
    assert board.loc["1", "latest_year"] == 2023 and board.loc["2", "latest_year"] == 2023


@pytest.mark.slow
def test_real_scoreboard_takes_2023_not_january_february_2024(cnemc_dir, tmp_path_factory):
    """Real archive (ends 2024-02-24): the latest complete year 2023 decides, as ``--year 2023``."""
    from yqplan.air import store

    st = tmp_path_factory.mktemp("real") / "store"
    store.ingest([cnemc_dir], st, kind="cities", progress=False)
    values, meta = analyses.compute_indicator_values(st, "阳泉")
    board = targets.assess_plan(values).set_index("indicator_id")
    same = targets.assess_plan(values, year=2023).set_index("indicator_id")
    for iid in ("1", "2", "3"):
        assert board.loc[iid, "latest_year"] == 2023, iid
        assert board.loc[iid, "status_verdict"] == same.loc[iid, "status_verdict"]
        assert board.loc[iid, "schedule_verdict"] == same.loc[iid, "schedule_verdict"]
    # 2023's annual mean (an independent computation agrees to 1e-10: issue 12) is ~40, not Jan–Feb's 58
    assert board.loc["1", "latest_value"] == pytest.approx(40.1, abs=0.1)
    # 2023: 264 good days of 363 valid (72.73 %), not Jan–Feb 2024's 70.91 %
    assert board.loc["2", "latest_value"] == pytest.approx(100 * 264 / 363, abs=0.01)
    partial = periods.from_json(meta["periods"])[2024]
    assert partial.label_zh == "2024年1—2月" and partial.end == dt.date(2024, 2, 24)


def test_same_period_a_year_earlier_is_compared_with_the_partial_one():
    hourly, _ = analyses.read_city_hourly(partial_store(), "阳泉", start_year=2023, end_year=2024)
    days, _ = analyses.assess_air(hourly)
    annual = analyses.compute_annual_table(days, 2023, 2024)
    table = analyses.compare_partial_periods(days, annual)
    assert list(table["start"]) == [dt.date(2024, 1, 1), dt.date(2023, 1, 1)]
    assert list(table["end"]) == [dt.date(2024, 2, 24), dt.date(2023, 2, 24)]
    # independent: the mean of the valid daily PM2.5 of 2023-01-01 … 2023-02-24
    sel = days[(days["date"] >= "2023-01-01") & (days["date"] <= "2023-02-24")]
    assert table.loc[1, "pm25"] == pytest.approx(sel["pm25"].mean())
    text = present.partial_comparison_sentence(table, "zh")
    word = "上升" if round(table.loc[0, "pm25"]) > round(table.loc[1, "pm25"]) else "下降"
    assert "2024年1—2月" in text and "上年同期" in text and f"同比{word}" in text
    assert "不完整年份" in text


# ------------------------------------------------------------------ charts

def test_indicator_chart_draws_the_partial_year_apart_and_labelled():
    import matplotlib.pyplot as plt

    found = {2022: periods.classify_year(2022, "2022-01-01", "2022-12-31", True),
             2023: periods.classify_year(2023, "2023-01-01", "2023-12-31", True),
             2024: periods.classify_year(2024, "2024-01-01", "2024-02-24", False)}
    series = pd.Series([42.2, 40.1, 58.0], index=[2022, 2023, 2024])
    fig = plots.plot_indicator_path(series, title="t", unit="µg/m³", periods=found)
    ax = fig.axes[0]
    actual = [ln for ln in ax.get_lines() if ln.get_label() == plots.label("actual")]
    assert len(actual) == 1 and list(actual[0].get_xdata()) == [2022.0, 2023.0]
    assert "2024年1—2月" in [t.get_text() for t in ax.texts]
    hollow = [c for c in ax.collections if c.get_label() == plots.label("partial")]
    assert len(hollow) == 1 and np.allclose(hollow[0].get_offsets(), [[2024.0, 58.0]])
    plt.close(fig)


def test_pm25_and_ozone_get_different_colours():
    counts = pd.DataFrame({"PM2.5": [10, 12], "O3_8h": [30, 40], "PM10": [5, 6]}, index=[2022, 2023])
    fig = plots.plot_stacked_counts(counts, title="t")
    colours = {p.get_label(): p.patches[0].get_facecolor() for p in fig.axes[0].containers}
    assert colours["PM2.5"] != colours["O3_8h"] != colours["PM10"] != colours["PM2.5"]
    assert plots.pollutant_key("PM2.5") == "pm25" and plots.pollutant_key("O3-8h") == "o3_8h"
    import matplotlib.pyplot as plt

    plt.close(fig)


# ------------------------------------------------------------------ item 3: a year not in the data

def test_a_requested_year_outside_the_data_is_said_plainly():
    found = {2022: periods.classify_year(2022, "2022-01-01", "2022-12-31", True),
             2023: periods.classify_year(2023, "2023-01-01", "2023-12-31", True),
             2024: periods.classify_year(2024, "2024-01-01", "2024-02-24", False)}
    year, msg = periods.resolve_year(2025, found)
    assert year == 2023
    assert "2025年不在数据中" in msg and "2022、2023" in msg and "2024年1—2月" in msg
    year, msg = periods.resolve_year(2024, found, "en")
    assert year == 2024 and "Jan–Feb 2024 is a partial year" in msg
    assert periods.resolve_year(2023, found) == (2023, "")
    assert periods.resolve_year(2025, {})[0] is None


@pytest.mark.slow
def test_reports_on_a_partial_store_run_and_say_what_is_partial_or_missing():
    """10/11/12/40 on data ending 2024-02-24: no failure, plain words.

    A year outside the data (``year: 2025``) is refused before the run starts
    (tests/test_params_up_front.py); ``year: 2024`` asks for the partial Jan–Feb 2024,
    which the calendar must name as such.
    """
    from yqplan.report import run as report

    st = partial_store()
    out = ARTIFACTS / "partial-reports"
    shutil.rmtree(out, ignore_errors=True)
    params = ARTIFACTS / "partial-params.yaml"
    params.write_text(textwrap.dedent(f"""
        title: partial
        language: zh
        dust: estimate
        data: {{source: store, archive: "", store: "{st}", water: ""}}
        jobs: 2
        timeout: 300
        reports:
          10_pm25: {{start_year: 2021, end_year: 2025}}
          11_good_days: {{start_year: 2021, end_year: 2025, year: 2024}}
          12_shanxi_ranking: {{start_year: 2021, end_year: 2025, cities: ["阳泉", "太原", "大同", "晋中"]}}
          40_indicator:
            for_each: {{indicator_id: ["1", "9"]}}
        """), encoding="utf-8")
    summary = report.run_reports(params, out_dir=out, jobs=2, progress=False)
    failed = {r["name"]: r["error"] for r in summary.results if r["status"] != "ok"}
    assert not failed, failed
    html = {p.stem: p.read_text(encoding="utf-8") for p in summary.run_dir.glob("*.html")}
    good = html["11_good_days"]
    assert "KeyError" not in good and "Traceback" not in good
    assert "2024年1—2月为不完整年份" in good
    assert "逐年增加" not in good and "无法判断变化趋势" in good
    pm = html["10_pm25"]
    assert "2024年1—2月" in pm and "上年同期" in pm
    assert "没有站点数据" in pm  # the station section explains its empty chart and map
    rank = html["12_shanxi_ranking"]
    assert "2024年阳泉综合指数" not in rank and "2023年阳泉综合指数" in rank and "2024年1—2月" in rank
    ind = html["40_indicator-1"]
    assert "2024年1—2月" in ind
    assert "2024年：" not in ind  # no verdict on Jan–Feb


# ------------------------------------------------------------------ item 6: baseline alone

def test_no_verdict_from_the_baseline_alone():
    ind = {"indicator_id": "9", "unit": "%", "baseline_2020": 60.0, "target_kind": "value",
           "target_value": 70.0, "comparator": ">=", "direction": "higher"}
    a = targets.assess_indicator(ind, {2020: 60.0})
    assert a.status_verdict == "baseline only" == a.verdict
    assert a.schedule_verdict == "baseline only" and a.progress_verdict == "baseline only"
    assert np.isnan(a.margin)
    met_looking = targets.assess_indicator(dict(ind, target_value=50.0), {2020: 60.0})
    assert met_looking.status_verdict == "baseline only"  # not green either
    # one later value gives evidence: a verdict again
    assert targets.assess_indicator(ind, {2020: 60.0, 2022: 72.0}).status_verdict == "met"
    row = {"status_verdict": "baseline only", "latest_year": 2020, "final": False}
    assert present.verdict_text(row, "zh") == "仅有基准值"
    assert present.verdict_text(row, "en") == "baseline only"
    assert "baseline only" not in plots.VERDICT_COLOURS  # neutral grey in the matrix


def test_published_figures_alone_give_no_red_or_green_for_indicators_9_and_18():
    board = targets.assess_plan().set_index("indicator_id")
    for iid in ("9", "18", "7", "14", "15"):
        if board.loc[iid, "latest_year"] == 2020:
            assert board.loc[iid, "status_verdict"] == "baseline only", iid


# ------------------------------------------------------------------ item 8: computed prose

def test_ozone_direction_is_computed_over_complete_years_only():
    found = {y: periods.classify_year(y, f"{y}-01-01", f"{y}-12-31", True) for y in (2021, 2022, 2023)}
    found[2024] = periods.classify_year(2024, "2024-01-01", "2024-02-24", False)
    falling = pd.Series([60, 50, 40, 0], index=[2021, 2022, 2023, 2024])
    assert present.count_direction(falling, found).startswith("逐年减少")
    rising = pd.Series([40, 50, 60, 0], index=[2021, 2022, 2023, 2024])
    assert present.count_direction(rising, found).startswith("逐年增加")
    mixed = pd.Series([40, 60, 50], index=[2021, 2022, 2023])
    text = present.count_direction(mixed, found)
    assert "逐年增加" not in text and "逐年减少" not in text and "总体上升" in text
    two = pd.Series([40, 60, 5], index=[2022, 2023, 2024])
    assert "无法判断变化趋势" in present.count_direction(two, found)
    assert "no trend can be stated" in present.count_direction(two, found, "en")

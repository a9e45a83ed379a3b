"""The analyses a report shows (yqplan.analyses): compositions checked by hand-computed answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yqplan import analyses

POLLUTANTS = ("aqi", "pm25", "pm25_24h", "pm10", "pm10_24h", "so2", "so2_24h", "no2", "no2_24h",
              "o3", "o3_24h", "o3_8h", "o3_8h_24h", "co", "co_24h")


def _constant_hourly(start: str, end: str, **values) -> pd.DataFrame:
    """One city, every hour of the days start..end, each pollutant constant (a hand-made fixture)."""
    times = pd.date_range(f"{start} 00:00", f"{end} 23:00", freq="h", tz="Asia/Shanghai")
    base = {"pm25": 60.0, "pm10": 60.0, "so2": 5.0, "no2": 10.0, "co": 0.3, "o3": 20.0, "o3_8h": 20.0}
    base.update(values)
    frame = pd.DataFrame({"city": "阳泉", "time": times})
    for col in POLLUTANTS:
        frame[col] = base.get(col, base.get(col.split("_")[0], np.nan))
    return frame


def test_auto_edition_is_decided_day_by_day():
    hourly = _constant_hourly("2026-02-27", "2026-03-02")
    days, _ = analyses.assess_air(hourly, edition="auto")
    days = days[days["aqi"].notna()].set_index("date")  # drop the day-boundary stub (no hours)
    # PM2.5 daily mean 60 µg/m³ dominates. HJ 633—2012 (35→50, 75→100):
    # 50 + (60-35)/(75-35)*50 = 81.25 -> rounded up 82.  HJ 633—2026 (75→60 at IAQI 100):
    # 50 + (60-35)/(60-35)*50 = 100.
    before = days.loc[days.index < "2026-03-01"]
    after = days.loc[days.index >= "2026-03-01"]
    assert set(before["edition"]) == {"2012"} and set(after["edition"]) == {"2026"}
    assert before["aqi"].tolist() == [82, 82]
    assert after["aqi"].tolist() == [100, 100]
    text = analyses.describe_editions(days.reset_index())
    assert analyses.describe_editions(analyses.assess_air(hourly)[0]) == text  # stub days ignored
    assert text == "2012 (2026-02-27 – 2026-02-28), 2026 (2026-03-01 – 2026-03-02)"
    # an explicit edition applies to every day
    fixed, _ = analyses.assess_air(hourly, edition="2012")
    assert set(fixed["aqi"].dropna()) == {82} and analyses.describe_editions(fixed) == "2012"
    assert analyses.describe_editions(days.reset_index().iloc[:0], "auto") == "auto"


def test_provenance_of_a_period_spanning_the_switch_names_both_editions():
    from yqplan.report import present

    days, _ = analyses.assess_air(_constant_hourly("2026-02-28", "2026-03-01"))
    rec = present.provenance_record(edition=analyses.describe_editions(days))
    assert "2012" in rec["edition"] and "2026" in rec["edition"]


def test_annual_table_heavy_ratio_by_hand():
    # 10 days: 8 at PM2.5 60 (AQI 82), 2 at PM2.5 200 (2012: 200 + (200-150)/(250-150)*100 = 250,
    # heavily polluted). Heavy ratio = 2 / 10 valid days * 100 = 20 %.
    a = _constant_hourly("2025-01-01", "2025-01-08")
    b = _constant_hourly("2025-01-09", "2025-01-10", pm25=200.0, pm10=220.0)
    days, _ = analyses.assess_air(pd.concat([a, b], ignore_index=True), edition="2012")
    table = analyses.compute_annual_table(days, 2025, 2025)
    row = table.loc[2025]
    assert row["valid_days"] == 10 and row["heavy_days"] == 2
    assert row["heavy_ratio"] == pytest.approx(20.0)
    assert row["good_ratio"] == pytest.approx(80.0)
    counts = analyses.count_primary_pollutants(table)
    assert counts.loc[2025].to_dict() == {"PM2.5": 10}


def test_rolling_good_ratio_by_hand():
    dates = pd.date_range("2024-01-01", periods=10, freq="D")
    aqi = [50, 120, 80, np.nan, 100, 101, 30, 40, 250, 60]
    days = pd.DataFrame({"date": dates, "aqi": aqi})
    r = analyses.compute_rolling_good_ratio(days, window=5)
    # window ending 2024-01-05: 50,120,80,NaN,100 -> 3 good of 4 valid = 75 %
    assert r.loc["2024-01-05"] == pytest.approx(75.0)
    # ending 2024-01-10: 101,30,40,250,60 -> 3 of 5 = 60 %
    assert r.loc["2024-01-10"] == pytest.approx(60.0)


def test_rank_periods_ranks_lowest_index_first():
    from yqplan.air import stats as airstats

    # Constant daily values: composite index = Σ C/S, computed by hand per city.
    dates = pd.date_range("2025-01-01", "2025-01-31", freq="D")
    rows = []
    for city, pm in (("甲", 35.0), ("乙", 70.0), ("丙", 17.5)):
        for d in dates:
            rows.append({"city": city, "date": d, "so2": 60.0, "no2": 40.0, "co": 4.0, "pm10": 70.0,
                         "pm25": pm, "o3_8h_max": 160.0, "o3_1h_max": 160.0})
    days = airstats.assess_days(pd.DataFrame(rows), "2012")
    ranks, index = analyses.rank_periods(days, ["甲", "乙", "丙"], by="month")
    # I = 1 + 1 + 1 + PM2.5/35 + CO 4/4 + O3 160/160 = 5 + pm/35
    assert index.loc["2025-01", "甲"] == pytest.approx(6.0)
    assert index.loc["2025-01", "乙"] == pytest.approx(7.0)
    assert index.loc["2025-01", "丙"] == pytest.approx(5.5)
    assert ranks.loc["2025-01"].tolist() == [2.0, 3.0, 1.0]


def test_shanxi_cities_come_from_the_shipped_table():
    from yqplan import config
    from yqplan.report import run as report

    table = pd.read_csv(config.data_dir() / "air" / "shanxi_cities.csv", dtype=str)
    assert analyses.shanxi_cities() == list(table["city"])
    assert len(analyses.shanxi_cities()) == 11 and "阳泉" in analyses.shanxi_cities()
    assert analyses.shanxi_cities(["阳泉市", "太原"]) == ["阳泉", "太原"]
    assert report.RankingParams().cities == []  # [] = all eleven


def test_count_main_pollutants():
    classes = pd.DataFrame({"main_pollutants": ["总磷(0.11),氨氮(0.2)", "", "氨氮(1.5)", None]})
    counts = analyses.count_main_pollutants(classes)
    assert counts.to_dict() == {"氨氮": 2, "总磷": 1}


def test_water_data_read_back_as_synthetic_and_empty_without_a_folder(tmp_path):
    from yqplan.air import demo
    from yqplan.water import gb3838
    from yqplan.water import monitoring as water

    demo.write_demo_water(tmp_path / "w", start_year=2025, end_year=2025)
    readings, meta = analyses.read_water_data(tmp_path / "w", start_year=2025, end_year=2025,
                                              as_of="2025-06-30")
    assert meta["synthetic"] is True
    assert set(readings["section_name"]) == set(water.read_sections()["section_name"])
    assert readings["sampled_at"].max() < pd.Timestamp("2025-07-01", tz="Asia/Shanghai")
    empty, meta = analyses.read_water_data("")
    assert empty.empty and "no water" in meta["source"] and meta["synthetic"] is False
    classes = gb3838.classify_periods(empty, by="month", sections=water.read_sections())
    assert classes.empty and gb3838.pivot_classes(classes).empty


def test_measured_values_never_replace_the_published_baseline_when_synthetic():
    series = pd.Series([50.0, 45.0, np.nan, 40.0], index=[2020, 2021, 2022, 2023])
    rows = analyses.measured_values("1", series, "demo", synthetic=True)
    assert rows["year"].tolist() == [2021, 2023] and rows["value"].tolist() == [45.0, 40.0]
    real = analyses.measured_values("1", series, "store")
    published = pd.DataFrame({"indicator_id": ["1", "1"], "year": [2020, 2019],
                              "value": [49.0, 52.0], "source": "plan"})
    both = analyses.combine_values([published, real])
    # measured 2020 (50) wins over the published 49; 2019 kept from the plan
    assert both.set_index("year")["value"].to_dict() == {2019: 52.0, 2020: 50.0, 2021: 45.0, 2023: 40.0}


def test_indicator_values_from_the_small_demo_store():
    from test_report_helpers import small_demo_data

    from yqplan.plan import targets

    data = small_demo_data()
    values, meta = analyses.compute_indicator_values(data["store"], "阳泉", water_dir=data["water"],
                                                     start_year=2024, end_year=2025)
    annual, _ = analyses.compute_air_annual(data["store"], "阳泉", start_year=2024, end_year=2025)
    pm = values[values["indicator_id"] == "1"].set_index("year")["value"]
    assert pm.loc[2025] == pytest.approx(annual.loc[2025, "pm25"])
    # the published 2020 baseline stays (the demo store is synthetic)
    published = targets.values_from_figures().set_index(["indicator_id", "year"])["value"]
    assert pm.loc[2020] == published.loc[("1", 2020)]
    assert meta["synthetic"] is True and meta["edition"] == "2012"
    assert {"4", "5"} <= set(values.loc[values["year"] == 2025, "indicator_id"])


# --------------------------------------------------------------------- notebook set-ups (issue 14)

def test_city_air_set_up_assesses_by_hand(monkeypatch):
    """``city_air``: days at PM2.5 60 (HJ 633—2012 AQI 82, good) and 2 at PM2.5 200 (AQI 250,
    heavily polluted) in January 2025, over 2024–2025: no complete year, so ``whole`` is empty
    and nothing may decide a verdict; the edition and data date come through for provenance."""
    hourly = pd.concat([_constant_hourly("2025-01-01", "2025-01-10"),
                        _constant_hourly("2025-01-11", "2025-01-12", pm25=200.0, pm10=220.0)],
                       ignore_index=True)
    meta = {"data_as_of": hourly["time"].max(), "synthetic": True}
    monkeypatch.setattr(analyses, "read_city_hourly", lambda *a, **k: (hourly, meta))
    air = analyses.city_air("x", "阳泉", start_year=2024, end_year=2025, edition="2012")
    aqi = air.days.set_index("date")["aqi"].dropna()
    # hour-ending labels: 11 January 00:00 belongs to the 10th, whose mean is
    # (23 × 60 + 200) / 24 = 65.83 → 50 + (65.83 − 35) / 40 × 50 = 88.5 → 89
    assert sorted(aqi.unique()) == [82, 89, 250] and (aqi == 250).sum() == 2
    assert air.whole.empty and air.synthetic is True and air.sources == ()
    assert air.edition == "2012" and air.data_as_of == hourly["time"].max()
    assert air.meta is meta


def test_city_days_set_up_picks_the_year_shown(monkeypatch):
    """``city_days``: data for 2024 (whole) and January 2025 (partial); asked for 2025 it shows
    2025 (the data have it), asked for 2030 it falls back to the latest whole year, 2024."""
    hourly = _constant_hourly("2024-01-01", "2025-01-31")
    monkeypatch.setattr(analyses, "read_city_hourly",
                        lambda *a, **k: (hourly, {"data_as_of": hourly["time"].max()}))
    assert analyses.city_days("x", start_year=2024, end_year=2025, year=2025).shown == 2025
    got = analyses.city_days("x", start_year=2024, end_year=2025, year=2030)
    assert got.shown == 2024
    assert dict(zip(got.coverage["year"], got.coverage["partial"])) == {2024: False, 2025: True}


def test_plan_values_set_up_reads_the_edition_and_date_from_the_values_meta(tmp_path):
    values = tmp_path / "values.csv"
    values.write_text("indicator_id,year,value,source\n1,2024,40.5,measured\n", encoding="utf-8")
    (tmp_path / "values.meta.json").write_text('{"edition": "2012", "data_as_of": "2024-12-31 23:00"}',
                                               encoding="utf-8")
    got = analyses.plan_values(str(values))
    assert got.edition == "2012" and got.data_as_of == "2024-12-31 23:00"
    assert got.values["value"].tolist() == [40.5]
    (tmp_path / "values.meta.json").unlink()
    got = analyses.plan_values(str(values), edition="auto")
    assert got.edition == "auto" and got.data_as_of is None

"""Data coverage (yqplan.air.coverage, report 18_data_coverage): hours with data by month,
checked against hand counts on a synthetic city."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yqplan import analyses
from yqplan.air import coverage

TZ = "Asia/Shanghai"


def _city(start="2024-02-01 00:00", end="2024-03-10 23:00"):
    """Every hour of the period, all six pollutants, then the holes the tests count by hand:
    no row on 5 February (24 h), a row of NaN at 6 February 01:00, PM2.5 missing on
    7 February 00:00–09:00 (10 h), and 8 February 12:00 written twice."""
    times = pd.date_range(start, end, freq="h", tz=TZ)
    df = pd.DataFrame({"city": "阳泉", "time": times})
    for c in coverage.POLLUTANTS:
        df[c] = 10.0
    df = df[df["time"].dt.strftime("%Y-%m-%d") != "2024-02-05"].copy()
    df.loc[df["time"] == pd.Timestamp("2024-02-06 01:00", tz=TZ), list(coverage.POLLUTANTS)] = np.nan
    pm = (df["time"] >= pd.Timestamp("2024-02-07 00:00", tz=TZ)) & (df["time"] <= pd.Timestamp("2024-02-07 09:00", tz=TZ))
    df.loc[pm, "pm25"] = np.nan
    dup = df[df["time"] == pd.Timestamp("2024-02-08 12:00", tz=TZ)]
    return pd.concat([df, dup], ignore_index=True)


MISSING = pd.date_range("2024-02-05 00:00", "2024-02-05 23:00", freq="h", tz=TZ)


def test_hours_with_data_by_month_match_the_hand_count():
    t = coverage.hourly_coverage(_city(), "2024-02-01 00:00", "2024-03-10 23:00", missing_hours=MISSING)
    assert list(zip(t["year"], t["month"])) == [(2024, 2), (2024, 3)]
    feb, mar = t.iloc[0], t.iloc[1]
    # February 2024 has 29 days = 696 hours; March is cut at the 10th = 240 hours
    assert (feb["hours"], mar["hours"]) == (696, 240)
    # 696 − 24 (no row on the 5th) − 1 (all-NaN row); the duplicated hour counts once
    assert feb["hours_with_data"] == 671 and mar["hours_with_data"] == 240
    assert feb["share_any"] == pytest.approx(100 * 671 / 696)
    assert feb["share_pm25"] == pytest.approx(100 * 661 / 696)   # and 10 hours without PM2.5
    assert feb["share_o3"] == pytest.approx(100 * 671 / 696)
    assert mar["share_any"] == 100.0
    assert (feb["archive_missing_hours"], mar["archive_missing_hours"]) == (24, 0)


def test_years_and_summary_add_the_months_up():
    t = coverage.hourly_coverage(_city(), "2024-02-01", "2024-03-10 23:00", missing_hours=MISSING)
    y = coverage.yearly_coverage(t)
    assert y.loc[0, "hours"] == 936 and y.loc[0, "hours_with_data"] == 911
    assert y.loc[0, "share_any"] == pytest.approx(100 * 911 / 936)
    assert y.loc[0, "share_pm25"] == pytest.approx(100 * 901 / 936)
    s = coverage.summarise_coverage(t)
    assert (s.start, s.end, s.hours, s.with_data, s.archive, s.worst) == ("2024-02", "2024-03", 936, 911, 24, "2024-02")
    assert s.share == pytest.approx(100 * 911 / 936) and s.worst_share == pytest.approx(100 * 671 / 696)
    m = coverage.coverage_matrix(t)
    assert list(m.columns) == list(range(1, 13)) and m.loc[2024, 3] == 100.0 and np.isnan(m.loc[2024, 1])


def test_a_city_without_rows_has_no_data_and_a_reversed_period_is_refused():
    empty = _city().iloc[:0]
    t = coverage.hourly_coverage(empty, "2024-01-01", "2024-01-31 23:00")
    assert t["hours"].tolist() == [744] and t["hours_with_data"].tolist() == [0] and t["share_any"].tolist() == [0.0]
    with pytest.raises(ValueError, match="before start"):
        coverage.hourly_coverage(empty, "2024-02-01", "2024-01-01")
    with pytest.raises(ValueError, match="empty"):
        coverage.summarise_coverage(t.iloc[:0])


def test_city_coverage_ends_at_as_of_and_at_the_last_hour_of_data(monkeypatch):
    """Months after the data end are not counted as missing; ``as_of`` cuts the period too."""
    hourly = _city("2024-01-01 00:00", "2024-03-10 23:00")
    meta = {"data_as_of": hourly["time"].max(), "missing_hours": MISSING}
    monkeypatch.setattr(analyses, "read_city_hourly", lambda *a, **k: (hourly, meta))
    t, _ = analyses.city_coverage("x", "阳泉", start_year=2024, end_year=2024)
    assert t["month"].tolist() == [1, 2, 3] and t["hours"].tolist() == [744, 696, 240]
    t, _ = analyses.city_coverage("x", "阳泉", start_year=2024, end_year=2024, as_of="2024-02-10")
    assert t["month"].tolist() == [1, 2] and t["hours"].tolist() == [744, 240]

"""A deducted dust day counts as measured only when its PM was measured (issue 12, item 10).

GB 3095 Table 4: a daily PM10/PM2.5 value needs ≥ 20 hourly means; the annual statistic needs
≥ 324 valid daily values (≥ 27 a month, February ≥ 25).  The dust deduction (环办监测〔2016〕120号)
excludes a *measured* PM value of a dust day from the assessment: such a day still counts as
measured.  A listed dust day whose PM was not valid anyway has no PM measurement to deduct: it
is a day with missing PM — no AQI unless the others exceed 100 (HJ 633—2026 §5.3.1), and no
contribution to 324/27.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from yqplan.air import stats as airstats


def _daily():
    # three days; other pollutants low: IAQIs (2012, rounded up) SO2 10 → 10, NO2 20 → 25,
    # CO 0.5 → 13, O3 8h 50 → 25, O3 1h 50 → 16: the day's AQI without PM is 25
    rows = [dict(city="阳泉", date=pd.Timestamp(f"2023-01-0{i}"), so2=10.0, no2=20.0, co=0.5,
                 o3_1h_max=50.0, o3_8h_max=50.0, pm10=p10, pm25=p25)
            for i, (p10, p25) in enumerate([(60.0, 30.0), (300.0, 60.0), (np.nan, np.nan)], 1)]
    return pd.DataFrame(rows)


DUST = airstats.DustDays(frozenset({("阳泉", dt.date(2023, 1, 2)), ("阳泉", dt.date(2023, 1, 3))}),
                         "user", "dust days (test)", "test")


def test_a_dust_day_without_valid_pm_gets_no_aqi():
    days = airstats.assess_days(_daily(), "2012", dust=DUST).set_index(pd.Index(["d1", "d2", "d3"]))
    assert days.loc["d2", "aqi"] == 25             # measured PM deducted: AQI from the others
    assert np.isnan(days.loc["d3", "aqi"])         # nothing measured: PM missing, AQI ≤ 100 unpublished
    assert bool(days.loc["d3", "aqi_complete"]) is False


def _january(n_measured_dust: int, n_unmeasured_dust: int):
    # January 2023: the first days normal, then dust days whose PM was measured, then
    # listed dust days whose PM monitors gave no valid daily value
    rows, dust = [], set()
    for k in range(31):
        day = dt.date(2023, 1, k + 1)
        unmeasured = k >= 31 - n_unmeasured_dust
        if k >= 31 - n_unmeasured_dust - n_measured_dust:
            dust.add(("阳泉", day))
        rows.append(dict(city="阳泉", date=pd.Timestamp(day), so2=10.0, no2=20.0, co=0.5,
                         o3_1h_max=50.0, o3_8h_max=50.0, pm10=np.nan if unmeasured else 90.0,
                         pm25=np.nan if unmeasured else 40.0))
    return pd.DataFrame(rows), airstats.DustDays(frozenset(dust), "user", "test", "test")


def test_a_dust_day_without_valid_pm_does_not_count_towards_validity():
    # 23 measured days + 2 measured dust days = 25 < 27: January's PM is not valid
    daily, dust = _january(2, 6)
    days = airstats.assess_days(daily, "2012", dust=dust)
    (s,) = airstats.compute_period_stats(days, "2023-01-01", "2023-01-31", period_kind="monthly")
    assert s.valid_days == 25                      # days with an AQI
    assert s.validity["pm25"] is False and s.validity["pm10"] is False
    assert s.validity["so2"] is True               # the others were measured every day
    assert s.dust_days == 8                        # every listed day is recorded
    # 27 measured (25 normal + 2 deducted): valid
    daily, dust = _january(2, 4)
    (s,) = airstats.compute_period_stats(airstats.assess_days(daily, "2012", dust=dust),
                                         "2023-01-01", "2023-01-31", period_kind="monthly")
    assert s.valid_days == 27 and s.validity["pm25"] is True


def test_dust_deduction_per_pollutant():
    # PM10 measured, PM2.5 missing on a dust day: PM10 is deducted (measured), PM2.5 is missing
    d = _daily()
    d.loc[2, "pm10"] = 250.0
    days = airstats.assess_days(d, "2012", dust=DUST)
    assert np.isnan(days["aqi"].iloc[2])
    assert days["dust_pm10"].tolist() == [False, True, True]
    assert days["dust_pm25"].tolist() == [False, True, False]

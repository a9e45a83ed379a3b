"""Daily validity, HJ 663 statistics, dust, ranking — on hand-made synthetic frames.

The frames are built here in the shape ``yqplan.air.cnemc.read_cnemc`` returns (one
row per location and hour, ``time`` tz-aware, hour-ending labels).  Expected
values are worked by hand (comments) or come from numpy.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from yqplan import glossary
from yqplan.air import stats as airstats
from yqplan.air.cities import region_cities
from yqplan.air import aqi

BASE = dict(so2=10.0, no2=20.0, co=0.5, o3=60.0, pm10=40.0, pm25=20.0)


def hourly(locs=("甲",), start="2022-01-01", days=3, col="city", **values):
    """Hourly rows covering ``days`` natural days from ``start`` (labels 01:00 … 24:00)."""
    v = dict(BASE, **values)
    t = pd.date_range(pd.Timestamp(start) + pd.Timedelta(hours=1), periods=24 * days,
                      freq="h", tz="Asia/Shanghai")
    frames = []
    for loc in locs:
        f = pd.DataFrame({col: loc, "time": t})
        for k, x in v.items():
            f[k] = x(t) if callable(x) else float(x)
        for k in ("so2", "pm10", "pm25", "no2", "co", "o3"):
            f[f"{k}_24h"] = f[k]
        f["o3_8h"] = f["o3"]
        f["o3_8h_24h"] = f["o3"]
        f["aqi"] = np.nan
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------- percentile

def test_hj663_percentile_worked_example():
    # HJ 663 Appendix A: {3,4,8,2,5,4} sorted 2,3,4,4,5,8; k = 1 + 5·0.9 = 5.5;
    # s = 5; m = X5 + (X6 − X5)·0.5 = 5 + 3·0.5 = 6.5
    assert airstats.hj663_percentile([3, 4, 8, 2, 5, 4], 0.9) == 6.5
    assert np.percentile([3, 4, 8, 2, 5, 4], 90, method="linear") == 6.5


@pytest.mark.parametrize("p", [0.0, 0.5, 0.9, 0.95, 0.98, 1.0])
def test_hj663_percentile_equals_numpy_linear(p):
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 31, 365):
        x = rng.gamma(2.0, 30.0, n)
        assert airstats.hj663_percentile(x, p) == pytest.approx(
            np.percentile(x, 100 * p, method="linear"))


def test_grouped_percentile_equals_per_group():
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 4, 200)
    slots = np.zeros(200, int)
    for g in range(4):  # unique slot per value inside its group
        idx = np.flatnonzero(codes == g)
        slots[idx] = np.arange(len(idx))
    v = rng.normal(50, 10, 200)
    v[::17] = np.nan
    got = airstats._grouped_percentile(codes, slots, v, 5, 200, 0.95)
    for g in range(4):
        want = np.nanpercentile(v[codes == g], 95, method="linear")
        assert got[g] == pytest.approx(want)
    assert np.isnan(got[4])


# --------------------------------------------------------------------- daily validity

def test_daily_mean_needs_20_hours_19_is_not_enough():
    f = hourly(days=2, pm25=lambda t: np.arange(len(t), dtype=float))
    # day 1 keeps 20 hours, day 2 only 19 (drop hours of each natural day)
    d1 = f["time"] <= pd.Timestamp("2022-01-02 00:00", tz="Asia/Shanghai")
    keep = np.ones(len(f), bool)
    keep[np.flatnonzero(d1)[:4]] = False        # day 1: 24 − 4 = 20 hours
    keep[np.flatnonzero(~d1)[:5]] = False       # day 2: 24 − 5 = 19 hours
    f.loc[~keep, "pm25"] = np.nan
    d = airstats.compute_daily_values(f)
    assert d["pm25_hours"].tolist() == [20, 19]
    # day 1: values 4…23 → mean 13.5
    assert d["pm25"][0] == pytest.approx(13.5)
    assert np.isnan(d["pm25"][1])
    assert not np.isnan(d["so2"][1])  # the other pollutants are complete


def test_natural_day_ends_with_the_0000_label():
    # hour-ending labels: 2022-01-02 00:00 closes 2022-01-01
    f = hourly(days=2, so2=lambda t: np.where(t.hour == 0, 34.0, 10.0))
    d = airstats.compute_daily_values(f)
    # day 1 = 23 hours of 10 + the 00:00 label of 34: (23·10 + 34)/24 = 11
    assert d["date"][0] == pd.Timestamp("2022-01-01")
    assert d["so2"][0] == pytest.approx(11.0)
    lab = airstats.compute_daily_values(f, day_boundary="label")
    # by labels, 2022-01-01 holds only 23 hours (01…23): valid, mean 10
    assert lab.loc[lab["date"] == pd.Timestamp("2022-01-01"), "so2"].iloc[0] == 10.0


def _o3_day(values):
    """One natural day of O3 (24 hour-ending values, NaN allowed) for one city."""
    f = hourly(days=1)
    f["o3"] = values
    return f


def test_o3_8h_window_needs_6_of_8_hours():
    # 24 valid hours of 100 except: hours at slots 0–2 (labels 01–03) missing.
    # The first window (slots 0–7) then has 5 values → not valid; 17 − 1 = 16 windows.
    v = np.full(24, 100.0)
    v[0:3] = np.nan
    d = airstats.compute_daily_values(_o3_day(v))
    assert d["o3_8h_windows"][0] == 16
    # with only 2 missing the first window has 6 values → valid: 17 windows
    v = np.full(24, 100.0)
    v[0:2] = np.nan
    d = airstats.compute_daily_values(_o3_day(v))
    assert d["o3_8h_windows"][0] == 17


def test_o3_daily_max_8h_value_and_14_window_rule():
    # a peak of 8 hours at 200 (slots 10–17), 100 elsewhere: max 8h = 200
    v = np.full(24, 100.0)
    v[10:18] = 200.0
    d = airstats.compute_daily_values(_o3_day(v))
    assert d["o3_8h_max"][0] == 200.0 and d["o3_8h_windows"][0] == 17
    # only 13 valid windows and a max below 160 → not valid
    v = np.full(24, 100.0)
    v[0:12] = np.nan      # windows ending at slots 7…12 hold < 6 values …
    d = airstats.compute_daily_values(_o3_day(v))
    assert d["o3_8h_windows"][0] < 14
    assert np.isnan(d["o3_8h_max"][0])
    # … but if the max exceeds the limit (160) it stands (HJ 663, unverified wording)
    v[12:24] = 170.0
    d = airstats.compute_daily_values(_o3_day(v))
    assert d["o3_8h_windows"][0] < 14 and d["o3_8h_max"][0] == 170.0


def test_chunked_by_location_gives_the_same_daily_values(monkeypatch):
    f = hourly(("甲", "乙", "丙"), days=4, pm25=lambda t: np.arange(len(t)) % 50.0)
    whole = airstats.compute_daily_values(f)
    monkeypatch.setattr(airstats, "_MAX_CELLS", 5)   # forces one location at a time
    parts = airstats.compute_daily_values(f)
    pd.testing.assert_frame_equal(whole, parts)


def test_archive_24h_method_takes_the_days_last_label():
    f = hourly(days=2)
    f["pm25_24h"] = np.arange(len(f), dtype=float)
    d = airstats.compute_daily_values(f, method="archive_24h")
    # natural day 1 ends at the 24th row (index 23)
    assert d["pm25"].tolist() == [23.0, 47.0]


# --------------------------------------------------------------------- periods

def _feb(days_valid: int, year=2022):
    f = hourly(start=f"{year}-02-01", days=28)
    d = airstats.compute_daily_values(f)
    d.loc[d.index >= days_valid, ["pm25"]] = np.nan
    return airstats.assess_days(d, "2012")


def test_february_needs_25_days():
    ok = airstats.compute_period_stats(_feb(25), "2022-02-01", "2022-02-28",
                                       period_kind="monthly")[0]
    bad = airstats.compute_period_stats(_feb(24), "2022-02-01", "2022-02-28",
                                        period_kind="monthly")[0]
    assert ok.validity["pm25"] and ok.valid_days_by_pollutant["pm25"] == 25
    assert not bad.validity["pm25"] and bad.valid_days_by_pollutant["pm25"] == 24
    assert bad.validity["so2"]  # other pollutants unaffected


def test_other_months_need_27_and_the_year_324():
    f = hourly(start="2022-01-01", days=365)
    d = airstats.compute_daily_values(f)
    # March keeps 27 valid PM2.5 days, April only 26
    mar = d["date"].between("2022-03-01", "2022-03-04")
    apr = d["date"].between("2022-04-01", "2022-04-04")
    d.loc[mar, "pm25"] = np.nan
    d.loc[apr, "pm25"] = np.nan
    days = airstats.assess_days(d, "2012")
    months = {s.period: s for s in airstats.compute_monthly_stats(days, 2022)}
    assert months["2022-03"].validity["pm25"]
    assert not months["2022-04"].validity["pm25"]
    year = airstats.compute_annual_stats(days, 2022)[0]
    assert year.valid_days_by_pollutant["pm25"] == 357
    assert not year.validity["pm25"]          # April fails although 357 ≥ 324
    assert year.validity["pm10"]
    # a year with every month at 27 but 12·27 = 324 days … ≥ 324 holds; 323 fails
    d2 = airstats.compute_daily_values(f)
    for m in range(1, 13):
        idx = d2.index[(d2["date"].dt.month == m)]
        d2.loc[idx[27 if m != 2 else 27:], "so2"] = np.nan
    y2 = airstats.compute_annual_stats(airstats.assess_days(d2, "2012"), 2022)[0]
    assert y2.valid_days_by_pollutant["so2"] == 324 and y2.validity["so2"]
    d2.loc[d2.index[0], "so2"] = np.nan
    y3 = airstats.compute_annual_stats(airstats.assess_days(d2, "2012"), 2022)[0]
    assert y3.valid_days_by_pollutant["so2"] == 323 and not y3.validity["so2"]


def test_good_days_heavy_days_ratio_and_categories():
    # 10 days; PM2.5 daily means chosen so the AQI (2012) falls in known classes
    # (the other pollutants stay at or below IAQI 30: O3 8h 60 → 30):
    # 30 → 50/35·30 = 42.86 → 43 (优); 60 → 50 + 50/40·25 = 81.25 → 82 (良);
    # 100 → 131.25 → 132 (轻度); 160 → 200 + 100/100·10 = 210 (重度)
    pm = [30, 30, 60, 60, 60, 100, 100, 160, 160, 160]
    f = hourly(days=10, pm25=lambda t: np.repeat(pm, 24).astype(float), pm10=10.0)
    days, _ = airstats.assess_hourly(f, edition="2012")
    assert days["aqi"].tolist() == [43, 43, 82, 82, 82, 132, 132, 210, 210, 210]
    s = airstats.compute_period_stats(days, "2022-01-01", "2022-01-10")[0]
    assert s.valid_days == 10 and s.good_days == 5 and s.heavy_days == 3
    assert s.good_ratio == pytest.approx(50.0)
    assert s.days_by_category == {1: 2, 2: 3, 3: 2, 4: 0, 5: 3, 6: 0}
    assert s.primary_counts["pm25"] == 8  # days with AQI > 50
    assert s.pm25 == pytest.approx(np.mean(pm))
    assert s.pm25_p95 == pytest.approx(np.percentile(pm, 95))
    # the 2026 edition classes the same days differently (PM2.5 60 → 100, 100 → 137)
    d26, _ = airstats.assess_hourly(f, edition="2026")
    assert d26["aqi"].tolist()[2] == 100 and d26["edition"].iloc[0] == "2026"


def test_composite_index_hand_example_and_weights():
    # constant SO2 12, NO2 40, PM10 70, PM2.5 35, CO 1.0, O3 8h 80:
    # 12/60 + 40/40 + 70/70 + 35/35 + 1/4 + 80/160 = 0.2 + 1 + 1 + 1 + 0.25 + 0.5 = 3.95
    f = hourly(days=5, so2=12, no2=40, pm10=70, pm25=35, co=1.0, o3=80)
    days, _ = airstats.assess_hourly(f, edition="2012")
    s = airstats.compute_period_stats(days, "2022-01-01", "2022-01-05")[0]
    assert s.composite_index == pytest.approx(3.95)
    assert s.composite_parts["co_p95"] == pytest.approx(0.25)
    # weights PM2.5 ×3, NO2 ×2, O3 ×2: 0.2 + 2 + 1 + 3 + 0.25 + 1.0 = 7.45
    w = airstats.compute_period_stats(days, "2022-01-01", "2022-01-05",
                                      weights={"pm25": 3, "no2": 2, "o3_8h_p90": 2})[0]
    assert w.composite_index == pytest.approx(7.45)
    # rounded as reported (unverified convention): SO2 12.4 → 12 etc.
    f2 = hourly(days=5, so2=12.4, no2=40, pm10=70, pm25=35.6, co=1.04, o3=80)
    d2, _ = airstats.assess_hourly(f2, edition="2012")
    raw = airstats.compute_period_stats(d2, "2022-01-01", "2022-01-05")[0]
    rep = airstats.compute_period_stats(d2, "2022-01-01", "2022-01-05", round_reported=True)[0]
    # 12/60 + 1 + 1 + 36/35 + 1.0/4 + 0.5 = 3.978571…; unrounded 12.4/60 + … + 35.6/35 + 1.04/4
    assert rep.composite_index == pytest.approx(0.2 + 1 + 1 + 36 / 35 + 0.25 + 0.5)
    assert raw.composite_index == pytest.approx(12.4 / 60 + 2 + 35.6 / 35 + 1.04 / 4 + 0.5)
    assert rep.round_reported and rep.pm25 == 36
    with pytest.raises(ValueError, match="weights"):
        airstats.compute_period_stats(days, "2022-01-01", "2022-01-05", weights={"o3": 2})


def test_result_is_frozen_and_json_record_has_the_schema_fields():
    f = hourly(days=3)
    days, _ = airstats.assess_hourly(f, edition="2012")
    s = airstats.compute_period_stats(days, "2022-01-01", "2022-01-03")[0]
    with pytest.raises(dataclasses_frozen_error()):
        s.pm25 = 1.0
    rec = s.to_dict()
    for k in ("city", "year", "edition", "dust", "pm25", "pm10", "so2", "no2", "co_p95",
              "o3_8h_p90", "valid_days", "good_days", "good_ratio", "heavy_days",
              "composite_index", "valid_pm25", "valid_days_pm25", "valid_o3_8h"):
        assert k in rec
    documented = {name for name, _ in airstats.ANNUAL_JSON_FIELDS}
    for k in rec:
        generic = k.replace("valid_days_", "valid_days_<p>#").split("#")[0]
        assert (k in documented or generic in documented
                or k.rsplit("_", 1)[0] + "_<n>" in documented
                or ("valid_" in k and "valid_<p>" in documented)
                or ("primary_days_" in k and "primary_days_<p>" in documented)), k


def dataclasses_frozen_error():
    import dataclasses

    return dataclasses.FrozenInstanceError


# --------------------------------------------------------------------- dust

def test_dust_user_list_deducts_pm_and_recomputes_aqi(tmp_path):
    # day 2 is a dust day with PM10 300 (2012: 300 → 200 + 100/100·… = 250? no:
    # PM10 300 in 250–350 → 150 + 50/100·50 = 175) and PM2.5 60 (82)
    pm10 = [40, 300, 40]
    f = hourly(days=3, pm10=lambda t: np.repeat(pm10, 24).astype(float),
               pm25=lambda t: np.repeat([20, 60, 20], 24).astype(float))
    days, _ = airstats.assess_hourly(f, edition="2012")
    assert days["aqi"].tolist()[1] == 175
    p = tmp_path / "dust.csv"
    p.write_text("city,date,note\n甲市,2022-01-02,沙尘\n", encoding="utf-8")
    dd = airstats.read_dust_days(p)
    assert dd.source == "user" and ("甲", dt.date(2022, 1, 2)) in dd.days
    days2, dd2 = airstats.assess_hourly(f, edition="2012", dust=str(p))
    # without PM the day's AQI comes from the rest: NO2 20 → 25, O3 8h 60 → 30,
    # O3 1h 60 → 19, SO2 10 → 10, CO 0.5 → 13: AQI 30, and the day still counts
    assert days2["aqi"].tolist()[1] == 30 and bool(days2["dust_day"][1])
    s0 = airstats.compute_period_stats(days, "2022-01-01", "2022-01-03")[0]
    s1 = airstats.compute_period_stats(days2, "2022-01-01", "2022-01-03", dust=dd2)[0]
    assert s1.dust == "user" and s1.dust_days == 1 and s0.dust == "none"
    assert s0.pm10 == pytest.approx(380 / 3) and s1.pm10 == pytest.approx(40.0)
    assert s0.good_days == 2 and s1.good_days == 3 and s1.valid_days == 3


def test_dust_estimate_is_labelled_estimated():
    f = hourly(days=3, pm10=lambda t: np.repeat([40, 300, 200], 24).astype(float),
               pm25=lambda t: np.repeat([20, 60, 120], 24).astype(float))
    d = airstats.compute_daily_values(f)
    dd = airstats.estimate_dust_days(d)
    # day 2: PM10 300 ≥ 150 and 60/300 = 0.2 ≤ 0.35 → dust; day 3: 120/200 = 0.6 → haze
    assert dd.days == frozenset({("甲", dt.date(2022, 1, 2))})
    assert dd.source == "estimated" and "estimated" in dd.label


def test_bad_dust_file_names_the_line(tmp_path):
    p = tmp_path / "dust.csv"
    p.write_text("city,date\n阳泉,2022-13-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2.*date"):
        airstats.read_dust_days(p)


# --------------------------------------------------------------------- ranking

def test_rank_cities_with_change_on_a_year_earlier():
    # three cities, 2021 and 2022 January, constant PM2.5 per city and year
    frames = []
    for city, pm21, pm22 in (("甲", 35, 70), ("乙", 70, 35), ("丙", 35, 35)):
        for year, pm in ((2021, pm21), (2022, pm22)):
            frames.append(hourly([city], start=f"{year}-01-01", days=31, pm25=pm))
    f = pd.concat(frames, ignore_index=True)
    r = airstats.rank_cities(f, "2022-01", cities=["甲", "乙", "丙"], edition="2012")
    t = r.table.set_index("city")
    # others constant: SO2 10/60 + NO2 20/40 + PM10 40/70 + CO 0.5/4 + O3 60/160
    rest = 10 / 60 + 20 / 40 + 40 / 70 + 0.5 / 4 + 60 / 160
    assert t.loc["甲", "composite_index"] == pytest.approx(rest + 2)
    assert t.loc["乙", "composite_index"] == pytest.approx(rest + 1)
    # 乙 and 丙 tie for rank 1; 甲 is 3rd
    assert t.loc["乙", "rank"] == 1 and t.loc["丙", "rank"] == 1 and t.loc["甲", "rank"] == 3
    assert t.loc["甲", "change_pct"] == pytest.approx(((rest + 2) / (rest + 1) - 1) * 100)
    assert t.loc["丙", "change_pct"] == pytest.approx(0.0)
    assert r.previous_start == dt.date(2021, 1, 1) and r.edition == "2012"


def test_parse_period():
    assert airstats.parse_period("2022") == ("annual", dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert airstats.parse_period("2024-02")[2] == dt.date(2024, 2, 29)
    assert airstats.parse_period("2023-ytd-05") == ("ytd", dt.date(2023, 1, 1),
                                                     dt.date(2023, 5, 31))
    with pytest.raises(ValueError, match="YYYY-MM"):
        airstats.parse_period("May 2023")


def test_province_cities_match_the_shipped_table():
    from yqplan import config

    path = config.data_dir() / "air" / "shanxi_cities.csv"
    if not path.exists():
        pytest.skip("data/air/shanxi_cities.csv not shipped yet")
    shipped = pd.read_csv(path)["city"].tolist()
    assert sorted(shipped) == sorted(region_cities("山西"))


# --------------------------------------------------------------------- stations

def test_city_from_stations_station_first_vs_hourly_first():
    # two stations, O3 peaks at different times: A 200 in slots 0–7, B 200 in 16–23.
    a = np.full(24, 100.0)
    a[0:8] = 200.0
    b = np.full(24, 100.0)
    b[16:24] = 200.0
    f = pd.concat([hourly(["A"], days=1, col="station"), hourly(["B"], days=1, col="station")],
                  ignore_index=True)
    f["o3"] = np.concatenate([a, b])
    m = {"A": "甲", "B": "甲"}
    sf = airstats.compute_city_from_stations(f, m)
    hf = airstats.compute_city_from_stations(f, m, order="hourly_first")
    # station first: each station's max 8h is 200 → city 200
    assert sf["o3_8h_max"][0] == pytest.approx(200.0) and sf["n_stations"][0] == 2
    # hourly first: city hourly series is 150 in slots 0–7 and 16–23 → max 8h 150
    assert hf["o3_8h_max"][0] == pytest.approx(150.0)
    # the daily means agree either way
    assert sf["pm25"][0] == hf["pm25"][0] == 20.0


def test_station_statistics_are_labelled_station():
    f = hourly(["1738A"], days=3, col="station")
    days, _ = airstats.assess_hourly(f, edition="2012")
    s = airstats.compute_period_stats(days, "2022-01-01", "2022-01-03")[0]
    assert s.location_kind == "station" and s.to_dict()["station"] == "1738A"


# --------------------------------------------------------------------- glossary & CLI

def test_every_returned_column_is_in_the_glossary():
    f = hourly(days=2)
    days, _ = airstats.assess_hourly(f, edition="2012")
    r = airstats.rank_cities(pd.concat([hourly(["甲"], start="2021-01-01", days=2), f]),
                             "2022-01-01..2022-01-02", cities=["甲"], edition="2012")
    hourly_aqi = aqi.compute_realtime_aqi(f, "2012")
    g = glossary.glossary()
    cols = set(days.columns) | set(r.table.columns) | set(hourly_aqi.columns)
    cols |= set(airstats.stats_frame(airstats.compute_annual_stats(days, 2022)).columns)
    missing = sorted(c for c in cols if c not in g)
    assert not missing, missing


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "yqplan.cli", *args], capture_output=True,
                          text=True)


def test_cli_errors_name_the_argument_and_choices(tmp_path):
    r = _cli("air", "annual", "--archive", str(tmp_path), "--year", "2022", "--edition", "2020")
    assert r.returncode == 2 and "--edition" in r.stderr and "2012" in r.stderr
    r = _cli("air", "annual", "--archive", str(tmp_path), "--year", "2022", "--rounding", "up")
    assert r.returncode == 2 and "--rounding" in r.stderr and "ceil" in r.stderr
    r = _cli("air", "rank", "--archive", str(tmp_path), "--period", "2022", "--province", "火星")
    assert r.returncode == 2 and "--province" in r.stderr and "山西" in r.stderr


def test_parse_period_rejects_an_end_before_the_start():
    with pytest.raises(ValueError, match="--period: end 2022-02-01 is before start 2022-03-01"):
        airstats.parse_period("2022-03-01..2022-02-01")
    # one day is a valid custom period
    assert airstats.parse_period("2022-03-01..2022-03-01")[1:] == (dt.date(2022, 3, 1),) * 2


def test_default_edition_is_decided_per_day():
    # an archive starting on 2026-03-01: its first label (00:00) closes the natural day
    # 2026-02-28, which holds that one hour only (< 20 h, no value) and is a 2012 day;
    # every day from 2026-03-01 is assessed by HJ 633—2026 (each day by its own date;
    # docs/standards/hj633-aqi.md §1)
    h = hourly(start="2026-02-28 23:00", days=3)   # labels 03-01 00:00 … 03-03 23:00
    days, _ = airstats.assess_hourly(h)
    assert set(days.loc[days["date"] >= "2026-03-01", "edition"]) == {"2026"}
    assert set(days.loc[days["date"] == "2026-02-28", "edition"]) == {"2012"}
    assert days.loc[days["date"] == "2026-02-28", "pm25"].isna().all()


def test_all_nan_hourly_data_gives_no_days_instead_of_crashing():
    nan = {k: np.nan for k in BASE}
    days, _ = airstats.assess_hourly(hourly(days=2, **nan))
    assert len(days) == 0
    assert airstats.compute_annual_stats(days, 2022) == []


def _write_city_days(folder, days, city="甲"):
    """Hand-made synthetic CNEMC city files: every hour, every type, constant values."""
    types = ["AQI", "PM2.5", "PM2.5_24h", "PM10", "PM10_24h", "SO2", "SO2_24h", "NO2",
             "NO2_24h", "O3", "O3_24h", "O3_8h", "O3_8h_24h", "CO", "CO_24h"]
    folder.mkdir(parents=True, exist_ok=True)
    for d in days:
        lines = [f"date,hour,type,{city}"]
        lines += [f"{d:%Y%m%d},{h},{t},{'0.5' if t.startswith('CO') else '20'}"
                  for h in range(24) for t in types]
        (folder / f"china_cities_{d:%Y%m%d}.csv").write_text("\n".join(lines) + "\n")


def test_cli_ytd_ends_on_the_last_day_with_data(tmp_path):
    import json

    _write_city_days(tmp_path / "a", [dt.date(2022, 1, d) for d in (1, 2, 3)])
    r = _cli("air", "annual", "--archive", str(tmp_path / "a"), "--city", "甲",
             "--period", "2022-ytd", "--format", "json")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)[0]
    # last label 2022-01-03 23:00 → last natural day 2022-01-03; Jan 1…3 = 3 days
    assert (rec["start"], rec["end"], rec["days"]) == ("2022-01-01", "2022-01-03", 3)
    assert rec["valid_days"] == 3


def test_cli_reversed_custom_period_names_period(tmp_path):
    r = _cli("air", "annual", "--archive", str(tmp_path), "--period", "2022-03-01..2022-02-01")
    assert r.returncode == 2 and "--period" in r.stderr and "before" in r.stderr


def test_cli_year_without_data_is_an_error_not_an_empty_row(tmp_path):
    # the archive starts 2024-01-01: its 00:00 label closes the natural day 2023-12-31
    # and is the only row read for --year 2023 — no data for that year
    _write_city_days(tmp_path / "a", [dt.date(2024, 1, 1), dt.date(2024, 1, 2)])
    r = _cli("air", "annual", "--archive", str(tmp_path / "a"), "--city", "甲", "--year", "2023")
    assert r.returncode == 2 and "no data for 甲" in r.stderr and "2023-01-01" in r.stderr
    r = _cli("air", "annual", "--archive", str(tmp_path / "a"), "--city", "甲", "--year", "2024",
             "--format", "json")
    assert r.returncode == 0 and '"valid_days": 2' in r.stdout


def test_cli_malformed_ytd_period_names_period(tmp_path):
    # was "invalid literal for int() with base 10: 'abcd'"
    for cmd in ("annual", "rank"):
        r = _cli("air", cmd, "--archive", str(tmp_path), "--period", "abcd-ytd")
        assert r.returncode == 2 and "--period: 'abcd-ytd'" in r.stderr, r.stderr

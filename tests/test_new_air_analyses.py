"""Ozone, episodes, campaigns, seasons, time variation, regions, editions, stations.

Every expected value is worked by hand in the comments (HJ 633 Table 1 breakpoints,
HJ 663 Appendix A percentile); the daily AQI itself comes from the existing, separately
tested ``yqplan.air.stats.assess_days``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yqplan.air import stats as airstats
from yqplan.air import editions
from yqplan.air import episodes
from yqplan.air import ozone
from yqplan.air import regions
from yqplan.air import seasons
from yqplan.air import stations
from yqplan.air import timevar
from yqplan.errors import DataFileError

# low background: IAQI so2 5 (10·50/... 2012 24h: 10/50·50 = 10 → 10), no2 20·50/40 = 25,
# co 0.2·50/2 = 5, pm10 30, pm25 20·50/35 = 28.6 → 29, o3 40 → 8h 20, 1h 12.5 → 13
LOW = dict(so2=10.0, no2=20.0, co=0.2, pm10=30.0, pm25=20.0, o3_1h_max=40.0, o3_8h_max=40.0)


def daily(dates, city="甲", **cols):
    """Daily values (``compute_daily_values`` shape) with LOW unless given per day."""
    dates = pd.DatetimeIndex(pd.to_datetime(dates))
    f = pd.DataFrame({"city": city, "date": dates})
    for k, v in LOW.items():
        f[k] = np.asarray(cols.get(k, v), dtype=float) * np.ones(len(dates))
    f["method"] = "hourly"
    f["day_boundary"] = "natural"
    return f


def assessed(dates, edition="2012", **cols):
    return airstats.assess_days(daily(dates, **cols), edition)


# ------------------------------------------------------------------------- seasons

def test_campaign_and_heating_boundaries():
    d = ["2022-09-30", "2022-10-01", "2022-12-31", "2023-01-01", "2023-03-31", "2023-04-01"]
    assert seasons.campaign_of(d).tolist() == [-1, 2022, 2022, 2022, 2022, -1]
    h = ["2022-11-14", "2022-11-15", "2023-01-10", "2023-03-15", "2023-03-16", "2023-07-01"]
    assert seasons.heating_season(h).tolist() == [False, True, True, True, False, False]
    w = ["2023-04-30", "2023-05-01", "2023-09-30", "2023-10-01"]
    assert seasons.warm_season(w).tolist() == [False, True, True, False]
    assert seasons.campaign_label(2022) == "2022—2023年秋冬季"
    assert seasons.campaign_label(2023, partial=True) == "2023—2024年秋冬季（不完整）"
    assert seasons.season(["2023-12-01", "2023-03-01"], "en").tolist() == ["winter", "spring"]


def test_campaign_periods_mark_partial_ones():
    d = pd.date_range("2022-01-01", "2024-02-24")  # as the real archive
    camps = seasons.campaign_periods(d)
    assert [c.first_year for c in camps] == [2021, 2022, 2023]
    assert [c.partial for c in camps] == [True, False, True]
    assert camps[0].data_first.isoformat() == "2022-01-01"
    assert camps[2].data_last.isoformat() == "2024-02-24"
    assert camps[2].label == "2023—2024年秋冬季（不完整）"


def test_year_coverage_and_label():
    cov = seasons.year_coverage(pd.date_range("2022-01-01", "2024-02-24"))
    assert cov["partial"].tolist() == [False, False, True]
    assert seasons.year_label(2024, cov) == "2024（1月1日—2月24日，不完整）"
    assert seasons.year_label(2023, cov) == "2023"


# ------------------------------------------------------------------------- ozone

def ozone_days():
    # 2023-06-01..04 (warm) O3 8h 100, 170, 200, 50; day 3 also PM2.5 90.
    # IAQI O3 8h: 100 → 50; 170 → 100 + 10·50/55 = 109.1 → 110; 200 → 100 + 40·50/55
    # = 136.4 → 137; 50 → 25.  O3 1h max 40 (IAQI 13).  PM2.5 90 → 100 + 15·50/40 = 118.75
    # → 119.  AQI 50, 110, 137, 29 → non-good days 2 and 3, both with O3 8h primary.
    # 2023-10-01, 02 (other): O3 8h 170 (exceeds, IAQI 110), 40.
    dates = ["2023-06-01", "2023-06-02", "2023-06-03", "2023-06-04", "2023-10-01", "2023-10-02"]
    return assessed(dates, o3_8h_max=[100, 170, 200, 50, 170, 40],
                    pm25=[20, 20, 90, 20, 20, 20])


def test_ozone_by_year_hand_computed():
    t = ozone.o3_by_period(ozone_days(), "year")
    r = t.iloc[0]
    # HJ 663 p90 of 100,170,200,50,170,40: sorted 40,50,100,170,170,200; k = 1 + 5·0.9 = 5.5;
    # X5 + (X6 − X5)·0.5 = 170 + 30·0.5 = 185
    assert r["o3_8h_p90"] == pytest.approx(185.0)
    assert bool(r["over_limit"]) and bool(r["partial"])
    assert (r["o3_exceed_days"], r["o3_primary_days"]) == (3, 3)
    assert (r["nongood_days"], r["nongood_o3_exceed_days"]) == (3, 3)
    assert r["good_days"] == 3 and r["good_ratio"] == pytest.approx(50.0)


def test_ozone_by_month_and_seasons():
    m = ozone.o3_by_period(ozone_days(), "month").set_index("period")
    # June: sorted 50,100,170,200; k = 1 + 3·0.9 = 3.7 → 170 + 30·0.7 = 191
    assert m.loc["2023-06", "o3_8h_p90"] == pytest.approx(191.0)
    assert m.loc["2023-06", "o3_exceed_days"] == 2
    assert m.loc["2023-10", "o3_exceed_days"] == 1
    s = ozone.o3_seasons(ozone_days()).set_index("part")
    assert s.loc["warm", "valid_days"] == 4 and s.loc["warm", "good_ratio"] == pytest.approx(50.0)
    assert s.loc["warm", "o3_8h_mean"] == pytest.approx((100 + 170 + 200 + 50) / 4)
    assert s.loc["other", "o3_exceed_days"] == 1 and s.loc["other", "good_ratio"] == 50.0


def test_nongood_causes_hand_computed():
    c = ozone.nongood_causes(ozone_days()).set_index("pollutant")
    # 3 non-good days: O3 8h primary on all 3; PM2.5 exceeds on 1 (day 3) but is not primary
    assert c.loc["o3_8h", "nongood_days"] == 3
    assert c.loc["o3_8h", "primary_share"] == pytest.approx(100.0)
    assert c.loc["pm25", "primary_days"] == 0 and c.loc["pm25", "exceed_days"] == 1
    assert c.loc["pm25", "exceed_share"] == pytest.approx(100 / 3)
    assert "so2" not in c.index


def test_one_location_refuses_several_and_drops_empty_stub():
    two = pd.concat([ozone_days(), ozone_days().assign(city="乙")])
    with pytest.raises(ValueError, match="2 locations"):
        ozone.o3_by_period(two)
    assert len(ozone.one_location(two, "乙")) == 6
    stub = daily(["2022-12-31"], pm25=np.nan, pm10=np.nan, so2=np.nan, no2=np.nan, co=np.nan,
                 o3_1h_max=np.nan, o3_8h_max=np.nan)
    d = pd.concat([airstats.assess_days(stub, "2012"), ozone_days()], ignore_index=True)
    assert ozone.o3_by_period(d)["period"].tolist() == ["2023"]


# ------------------------------------------------------------------------- episodes

def episode_days():
    # AQI by day (set through PM2.5: AQI = IAQI PM2.5 since the rest is low):
    #  d1 150→pm25 115; d2..d4 above 200; d5 190; d6 > 200; d7 missing (NaN); d8, d9 > 200;
    #  d10 absent from the data; d11 > 200.
    # PM2.5 → IAQI: 160 → 200 + 10·100/100 = 210; 200 → 250; 155 → 205; 142 → 190;
    # 170 → 220; 180 → 230; 190 → 240; 115 → 150.
    dates = pd.date_range("2023-01-01", periods=11)
    pm = [115, 160, 200, 155, 142, 170, np.nan, 180, 190, 0, 175]
    d = assessed(dates, pm25=pm, pm10=[30] * 6 + [np.nan] + [30] * 4)
    return d[d["date"] != "2023-01-10"].reset_index(drop=True)


def test_find_episodes_on_crafted_runs():
    ep = episodes.find_episodes(episode_days())
    assert ep["start"].dt.strftime("%m-%d").tolist() == ["01-02", "01-06", "01-08", "01-11"]
    assert ep["length"].tolist() == [3, 1, 2, 1]
    assert ep["peak_aqi"].tolist() == [250.0, 220.0, 240.0, 225.0]  # 175 → 225
    assert ep["peak_date"].iloc[0] == pd.Timestamp("2023-01-03")
    assert ep["mean_aqi"].iloc[0] == pytest.approx((210 + 250 + 205) / 3)
    assert set(ep["primary"]) == {"pm25"}
    assert len(episodes.find_episodes(episode_days(), min_length=2)) == 2
    # at level 140: d1 (150) joins the first run: d1..d6 (190 > 140)
    assert episodes.find_episodes(episode_days(), 140)["length"].tolist()[0] == 6


def test_exceedance_days_by_pollutant():
    e = episodes.exceedance_days(ozone_days())
    assert e.loc["2023", "O3_8h"] == 3 and e.loc["2023", "PM2.5"] == 1
    assert e.loc["2023", "any"] == 3 and e.loc["2023", "valid_days"] == 6
    assert e.loc["2023", "SO2"] == 0


def test_campaign_stats_hand_computed():
    # campaign 2022: 182 days (Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 28 + Mar 31), PM2.5 50
    # except 3 consecutive days of 200 (IAQI 250: heavy): mean (179·50 + 3·200)/182 = 52.4725
    # good 179/182 = 98.352 %.  Campaign 2023: 183 days (Feb 29), PM2.5 40, all good.
    # Then 10 days of campaign 2024 (partial).
    c1 = pd.date_range("2022-10-01", "2023-03-31")
    c2 = pd.date_range("2023-10-01", "2024-03-31")
    c3 = pd.date_range("2024-10-01", "2024-10-10")
    pm = np.r_[np.where((c1 >= "2022-12-10") & (c1 <= "2022-12-12"), 200, 50), [40] * len(c2),
               [40] * len(c3)]
    d = assessed(c1.append(c2).append(c3), pm25=pm)
    t = episodes.campaign_stats(d)
    assert t["label"].tolist() == ["2022—2023年秋冬季", "2023—2024年秋冬季",
                                   "2024—2025年秋冬季（不完整）"]
    assert t["valid_days"].tolist()[:2] == [182, 183]
    assert t["pm25"].iloc[0] == pytest.approx(9550 / 182)
    assert t["good_ratio"].iloc[0] == pytest.approx(179 / 182 * 100)
    assert (t["heavy_days"].iloc[0], t["episodes"].iloc[0], t["episode_days"].iloc[0]) == (3, 1, 3)
    assert np.isnan(t["pm25_change_pct"].iloc[0])
    assert t["pm25_change_pct"].iloc[1] == pytest.approx((40 - 9550 / 182) / (9550 / 182) * 100)
    assert t["good_ratio_change"].iloc[1] == pytest.approx(100 - 179 / 182 * 100)
    assert t["heavy_days_change"].iloc[1] == -3
    assert np.isnan(t["pm25_change_pct"].iloc[2])  # partial: never compared


# ------------------------------------------------------------------------- time variation

def hourly_frame(start="2023-01-01", days=60, value=lambda t: t.hour.astype(float)):
    t = pd.date_range(start, periods=24 * days, freq="h", tz="Asia/Shanghai")
    return pd.DataFrame({"city": "甲", "time": t, "pm25": value(t)})


def test_bootstrap_mean_constant_and_seeded():
    m, lo, hi, n = timevar.bootstrap_mean([5.0, 5.0, np.nan, 5.0])
    assert (m, lo, hi, n) == (5.0, 5.0, 5.0, 3)
    a = timevar.bootstrap_mean([1, 2, 3, 4, 10], seed=3)
    assert a == timevar.bootstrap_mean([1, 2, 3, 4, 10], seed=3)
    assert a[0] == 4.0 and 1 <= a[1] < 4.0 < a[2] <= 10
    assert np.isnan(timevar.bootstrap_mean([np.nan])[0])


def test_bootstrap_interval_matches_normal_theory():
    # for n = 400 draws of N(0, 1) the 95 % interval of the mean is ±1.96/√400 = ±0.098
    x = np.random.default_rng(0).normal(0, 1, 400)
    m, lo, hi, _ = timevar.bootstrap_mean(x, n_resamples=2000, seed=1)
    half = 1.96 * x.std(ddof=1) / 20
    assert (hi - lo) / 2 == pytest.approx(half, rel=0.12)
    assert lo < m < hi


def test_profiles_by_hour_weekday_month():
    p = timevar.compute_profile(hourly_frame(), "pm25", "hour", n_resamples=50, seed=9)
    assert p.table["key"].tolist() == list(range(24))
    assert np.allclose(p.table["mean"], range(24)) and np.allclose(p.table["low"], range(24))
    assert (p.n_resamples, p.seed) == (50, 9)
    w = timevar.compute_profile(hourly_frame(value=lambda t: t.day_of_week.astype(float)),
                                "pm25", "weekday")
    assert np.allclose(w.table["mean"], range(7)) and (w.table["n"] > 0).all()
    # 2023-01-01 .. 2023-03-01: Jan 744 hours, Feb 672, 1 March 24
    mo = timevar.compute_profile(hourly_frame(), "pm25", "month")
    assert mo.table["n"].tolist() == [744, 672, 24]


def test_profile_split_heating_and_warm():
    # 2023-03-10 .. 2023-03-19 at 10 µg/m³ in the heating season (to 15 March) and 20 after
    f = hourly_frame("2023-03-10", 10, value=lambda t: np.where(t.day <= 15, 10.0, 20.0))
    p = timevar.compute_profile(f, "pm25", "hour", split="heating", language="en")
    g = p.table.groupby("group")["mean"].mean()
    assert g["heating season (15 Nov–15 Mar)"] == 10.0 and g["non-heating season"] == 20.0
    with pytest.raises(ValueError, match="split"):
        timevar.compute_profile(f, "pm25", split="decade")
    with pytest.raises(ValueError, match="column"):
        timevar.compute_profile(f, "pm99")


def test_hour_month_matrix():
    f = hourly_frame(days=60, value=lambda t: (t.hour + 100 * t.month).astype(float))
    m = timevar.hour_month_matrix(f, "pm25")
    assert m.shape == (24, 12)
    assert m.loc[5, 2] == 205.0 and m.loc[23, 1] == 123.0 and np.isnan(m.loc[0, 7])


# ------------------------------------------------------------------------- regions

def test_shipped_regions():
    df, meta = regions.read_regions()
    assert meta["regions"] == ["山西", "京津冀及周边2+26", "汾渭平原", "全国"]
    from yqplan.air import cnemc

    assert regions.region_cities("山西") == list(cnemc.read_shanxi_cities()[0]["city"])
    j = regions.region_cities("京津冀及周边2+26")
    assert len(j) == 28 and {"阳泉", "太原", "长治", "晋城", "北京", "濮阳"} <= set(j)
    f = regions.region_cities("汾渭平原")
    assert len(f) == 11 and "杨凌" not in f
    nat = set(regions.region_cities("全国"))
    assert len(nat) == 337 and set(j) | set(f) <= nat
    assert not {"寿光", "义乌", "石河子", "雄安新区", "甘孜藏族自治州"} & nat
    assert (df.groupby("region")["source"].nunique() == 1).all()
    with pytest.raises(ValueError, match="not one of"):
        regions.region_cities("长三角")


def test_read_regions_refuses_bad_rows(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("region,city,source,date\n甲,A,doc,2020-01-01\n甲,B,doc,2020-13-01\n",
                 encoding="utf-8")
    with pytest.raises(DataFileError, match=r"line 3, column 'date'"):
        regions.read_regions(p)
    p.write_text("region,city,source,date\n甲,A,doc,2020-01-01\n甲,A市,doc,2020-01-01\n",
                 encoding="utf-8")
    with pytest.raises(DataFileError, match="line 3.*twice"):
        regions.read_regions(p)


def test_region_means_are_plain_means():
    reg = pd.DataFrame({"region": ["R", "R", "R", "S"], "city": ["A", "B", "C", "A"],
                        "source": "doc", "date": "2020-01-01"})
    t = pd.DataFrame({"city": ["A", "B", "C", "A", "B"], "year": [2022, 2022, 2022, 2023, 2023],
                      "pm25": [10.0, 20.0, np.nan, 30.0, 60.0],
                      "good_ratio": [90.0, 80.0, np.nan, 70.0, 50.0], "partial": False})
    m = regions.region_means(t, reg).table.set_index(["region", "year"])
    assert m.loc[("R", 2022), "pm25"] == 15.0 and m.loc[("R", 2022), "n_cities"] == 2
    assert m.loc[("R", 2022), "missing"] == "C" and m.loc[("R", 2022), "n_members"] == 3
    assert m.loc[("R", 2023), "good_ratio"] == 60.0
    assert m.loc[("S", 2023), "pm25"] == 30.0
    cmp_ = regions.compare_with_regions(t, regions.region_means(t, reg), "B")
    row = cmp_[(cmp_["region"] == "R") & (cmp_["year"] == 2023)].iloc[0]
    assert row["pm25_city"] == 60.0 and row["pm25_diff"] == 15.0
    wide = regions.comparison_frame(cmp_, "pm25", "B")
    assert list(wide.columns) == ["B", "R", "S"] and list(wide.index) == ["2022", "2023"]
    assert wide.loc["2023"].tolist() == [60.0, 45.0, 30.0]
    t["partial"] = t["year"] == 2023
    cmp_ = regions.compare_with_regions(t, regions.region_means(t, reg), "B")
    assert list(regions.comparison_frame(cmp_, "pm25", "B", "en").index) == ["2022", "2023 (partial)"]


def test_merge_aliases_keeps_the_first_value():
    t = pd.to_datetime(["2023-01-01 01:00", "2023-01-01 02:00"]).tz_localize("Asia/Shanghai")
    h = pd.DataFrame({"city": ["甘孜州", "甘孜藏族自治州", "甘孜藏族自治州"],
                      "time": [t[0], t[0], t[1]], "pm25": [np.nan, 7.0, 8.0]})
    out = regions.merge_aliases(h)
    assert out["city"].unique().tolist() == ["甘孜州"]
    assert out["pm25"].tolist() == [7.0, 8.0]


def test_rank_region_any_region():
    t = pd.date_range("2023-01-01 01:00", periods=24 * 31, freq="h", tz="Asia/Shanghai")
    frames = []
    for city, pm in (("甲", 30.0), ("乙", 60.0), ("丙", 45.0)):
        f = pd.DataFrame({"city": city, "time": t, "so2": 10.0, "no2": 20.0, "co": 0.5,
                          "o3": 60.0, "pm10": 50.0, "pm25": pm})
        frames.append(f)
    reg = pd.DataFrame({"region": "测试", "city": ["乙", "甲", "丁"], "source": "doc",
                        "date": "2020-01-01"})
    r = regions.rank_region(pd.concat(frames), "2023-01", "测试", regions=reg, edition="2012")
    assert r.table["city"].tolist() == ["甲", "乙"]  # 丁 absent, 丙 not a member
    assert r.table["rank"].tolist() == [1, 2]


# ------------------------------------------------------------------------- editions

def edition_days():
    # d1 PM2.5 70: 2012 IAQI 50 + 35·50/40 = 93.75 → 94 (良); 2026 (60–115 ↔ 100–150)
    #    100 + 10·50/55 = 109.1 → 110 (轻度)
    # d2 PM10 140: 2012 50 + 90·50/100 = 95 (良); 2026 (120–250 ↔ 100–150)
    #    100 + 20·50/130 = 107.7 → 108 (轻度)
    # d3 PM2.5 100: 2012 100 + 25·50/40 = 131.25 → 132; 2026 100 + 40·50/55 = 136.4 → 137
    #    (both 轻度: AQI differs, level does not)
    # d4 O3 1h max 250, 8h 100: 2012 IAQI 1h 100 + 50·50/100 = 125 (轻度, primary o3_1h);
    #    2026 no 1h index: max(8h 50, PM10 30, …) = 50 (优)
    # d5 2026-03-02 PM2.5 70: after the switch both columns are 2026: 110
    dates = ["2023-01-01", "2023-01-02", "2023-01-03", "2023-01-04", "2026-03-02"]
    return daily(dates, pm25=[70, 20, 100, 20, 70], pm10=[30, 140, 30, 30, 30],
                 o3_1h_max=[40, 40, 40, 250, 40], o3_8h_max=[40, 40, 40, 100, 40])


def test_assess_both_on_crafted_days():
    d12, d26 = editions.assess_both(edition_days())
    assert d12["aqi"].tolist() == [94, 95, 132, 125, 110]
    assert d26["aqi"].tolist() == [110, 108, 137, 50, 110]
    assert d12["edition"].tolist() == ["2012"] * 4 + ["2026"]
    assert d12["primary_pollutant"].iloc[3] == "o3_1h"


def test_compare_editions_and_causes():
    c = editions.compare_editions(edition_days())
    r = c.table.set_index("year")
    # 2023: 2012 good d1, d2 → 2/4 = 50 %; 2026 good d4 → 25 %
    assert r.loc[2023, "good_ratio_2012"] == 50.0 and r.loc[2023, "good_ratio_2026"] == 25.0
    assert r.loc[2023, "good_ratio_diff"] == -25.0
    assert r.loc[2023, "level_2_2012"] == 2 and r.loc[2023, "level_3_2026"] == 3
    assert r.loc[2023, "primary_o3_1h_2012"] == 1 and r.loc[2023, "primary_o3_1h_2026"] == 0
    assert r.loc[2026, "days_2026_rule"] == 1 and r.loc[2023, "days_2026_rule"] == 0
    assert r.loc[2026, "good_ratio_diff"] == 0.0
    ch = c.changes
    assert ch["date"].dt.strftime("%m-%d").tolist() == ["01-01", "01-02", "01-04"]
    assert ch["cause"].tolist() == ["pm25", "pm10", "o3_1h"]


def test_changed_breakpoints_read_from_the_tables():
    t = editions.changed_breakpoints()
    rows = t.dropna().to_records(index=False).tolist()
    assert rows == [("pm10_24h", 100.0, 150.0, 120.0), ("pm25_24h", 100.0, 75.0, 60.0)]
    assert t["indicator"].iloc[-1].startswith("o3_1h_max")


# ------------------------------------------------------------------------- stations

def test_station_shares_and_labels():
    st = pd.DataFrame({"station": ["1", "2"], "station_name": ["A", "B"], "pm25": [30.0, 60.0],
                       "pm10": [50.0, np.nan]})
    s = stations.station_shares(st, {"pm25": 40.0})
    assert s["pm25_share"].tolist() == [75.0, 150.0] and s["city_basis"].iloc[0] == "city"
    # PM10 missing from the city values: mean of the stations with a value (50)
    assert s["pm10_city"].iloc[0] == 50.0 and s["pm10_share"].iloc[0] == 100.0
    s2 = stations.station_shares(st, {})
    assert s2["pm25_share"].round(2).tolist() == [66.67, 133.33]
    assert s2["city_basis"].iloc[0] == "station mean"
    assert stations.map_labels(st)["name"].tolist() == ["A 30", "B 60"]


# ------------------------------------------------------------------------- partial spans, text

def test_span_partial_tolerates_edge_gaps_but_not_a_short_year():
    # a demo year whose 1 January is missing is still whole; the real archive's 2024 is not
    cov = seasons.year_coverage(pd.date_range("2015-01-02", "2016-12-31"))
    assert cov["partial"].tolist() == [False, False]
    assert seasons.span_partial("2024-01-01", "2024-12-31", "2022-01-01", "2024-02-24")
    assert not seasons.span_partial("2023-01-01", "2023-12-31", "2022-01-01", "2024-02-24")
    # months: no tolerance — February 2024 ends on the 24th
    d = assessed(pd.date_range("2024-01-01", "2024-02-24"))
    m = ozone.o3_by_period(d, "month").set_index("period")["partial"]
    assert m.to_dict() == {"2024-01": False, "2024-02": True}
    assert seasons.report_year(seasons.year_coverage(pd.date_range("2022-01-01", "2024-02-24")),
                               2025) == 2023


def test_sentences_state_directions_from_the_numbers():
    from yqplan.report import air_text

    assert air_text.direction(3.0, 2.0) == "高于" and air_text.direction(1.0, 2.0) == "低于"
    assert air_text.direction(2.0, 2.04, tol=0.05, language="en") == "level with"
    t = ozone.o3_by_period(ozone_days(), "year")
    zh, en = air_text.ozone_sentence(t, 2023)
    assert "185 µg/m³，超过二级标准" in zh and "non-good days O3 exceeded on 3" in en
    s = ozone.o3_seasons(ozone_days())
    zh, _ = air_text.seasons_sentence(s, 2023)
    assert "50.0%，持平于其他月份（50.0%）" in zh
    zh, en = air_text.episodes_sentence(episodes.find_episodes(episode_days()), 2023)
    assert zh.startswith("2023年共 4 次") and "合计 7 天" in zh and "最长 3 天" in zh
    assert "AQI 250" in zh
    c = editions.compare_editions(edition_days())
    zh, en = air_text.editions_sentence(c.table, c.changes, 2023)
    assert "低 25.0 个百分点" in zh and "2 天由优良变为污染" in zh and "PM2.5 1 天" in zh
    v = air_text.view(pd.DataFrame({"primary": ["pm25,o3_8h", ""], "partial": [True, False],
                                    "pm25": [1.234, 2.0]}), ["primary", "partial", "pm25"])
    assert list(v.columns) == ["主要首要污染物", "数据不完整", "PM2.5 (µg/m³)"]
    assert v.iloc[0].tolist() == ["PM2.5, O3_8h", "是", 1.2]


def test_primary_table_by_year_and_edition():
    t = editions.primary_table(editions.compare_editions(edition_days()).table)
    # 2023 under 2012: primary pm25 (d1, d3), pm10 (d2), o3_1h (d4); under 2026 d4 has AQI 50
    assert t.loc["2023 · 2012版", "PM2.5"] == 2 and t.loc["2023 · 2012版", "O3_1h"] == 1
    assert t.loc["2023 · 2026版", "O3_1h"] == 0 and t.loc["2023 · 2026版", "PM10"] == 1


def test_figures_draw_the_tested_results():
    import matplotlib

    matplotlib.use("Agg")
    from yqplan.report import plots_air

    by_month = ozone.o3_by_period(ozone_days(), "month")
    fig = plots_air.plot_o3_by_month(by_month, title="t")
    # June 191 (above); October: 40, 170 → k = 1.9 → 40 + 130·0.9 = 157
    assert [round(b.get_height()) for b in fig.axes[0].patches] == [191, 157]
    prof = [timevar.compute_profile(hourly_frame(), "pm25", by, split="none", n_resamples=20)
            for by in ("hour", "weekday", "month")]
    fig = plots_air.plot_profiles(prof, title="t", unit="µg/m³")
    assert len(fig.axes) == 3
    # "other months" has no May–September: the drawn line has NaN there (a break)
    warm = timevar.compute_profile(ozone_days().rename(columns={"date": "time"}), "o3_8h_max",
                                   "month", split="warm", n_resamples=10)
    fig = plots_air.plot_profiles([warm], title="t")
    other = [ln for ln in fig.axes[0].lines if ln.get_label() == "其他月份"][0]
    assert np.isnan(other.get_ydata()[5])
    fig = plots_air.plot_level_counts(editions.compare_editions(edition_days()).table, title="t")
    assert fig.axes[0].get_title() == "t"
    ep = episodes.find_episodes(episode_days())
    fig = plots_air.plot_aqi_episodes(episode_days().set_index("date")["aqi"], ep, title="t")
    assert len(fig.axes[0].patches) == 4  # one shaded span per episode
    fig = plots_air.plot_value_calendar(episode_days().set_index("date")["pm25"], year=2023,
                                        title="t", unit="µg/m³")
    assert len(fig.axes) == 13
    frame = pd.DataFrame({"甲": [1.0, 2.0], "R": [3.0, 4.0]}, index=[2022, 2023])
    fig = plots_air.plot_compare_bars(frame, title="t", highlight="甲")
    assert fig.axes[0].patches[0].get_facecolor()[:3] == pytest.approx((0xa9 / 255, 0x32 / 255,
                                                                        0x26 / 255))


def test_station_share_figure():
    import matplotlib

    matplotlib.use("Agg")
    from yqplan.report import plots_air

    st = stations.station_shares(pd.DataFrame({"station": ["1", "2"], "station_name": ["A", "B"],
                                               "pm25": [30.0, 60.0]}), {"pm25": 40.0})
    fig = plots_air.plot_station_shares(st, title="t")
    widths = sorted(round(b.get_width()) for b in fig.axes[0].patches)
    assert widths == [75, 150]
    assert len(plots_air.plot_station_shares(st.iloc[:0], title="t").axes[0].patches) == 0


def test_rounding_alone_is_not_blamed_on_the_breakpoints():
    # PM2.5 35.4: 2012 IAQI 50 + 0.4·50/40 = 50.5 → 51 (良); 2026 rounds 35.4 → 35 first
    # (GB/T 8170) → IAQI 50 (优).  The 35 breakpoint did not change: the cause is rounding.
    # PM2.5 61: 2012 50 + 26·50/40 = 82.5 → 83 (良); 2026 100 + 1·50/55 → 101 (轻度): breakpoints.
    d12, d26 = editions.assess_both(daily(["2023-05-01", "2023-05-02"], pm25=[35.4, 61.0]))
    assert d12["aqi"].tolist() == [51, 83] and d26["aqi"].tolist() == [50, 101]
    ch = editions.explain_changes(d12, d26)
    assert ch["cause"].tolist() == ["other", "pm25"]

"""HJ 633 AQI, 2012 and 2026 editions — known answers from the standards' tables.

The breakpoint tables below are typed in from docs/standards/hj633-aqi.md §2 (HJ 633—2012
Table 1, HJ 633—2026 Table 3) independently of ``yqplan.air.aqi``; every expected
IAQI is worked by hand from the standard's formula (arithmetic in comments).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yqplan.air import aqi

LEVELS = [0, 50, 100, 150, 200, 300, 400, 500]
TABLE_2012 = {
    "so2_24h": [0, 50, 150, 475, 800, 1600, 2100, 2620],
    "so2_1h": [0, 150, 500, 650, 800],
    "no2_24h": [0, 40, 80, 180, 280, 565, 750, 940],
    "no2_1h": [0, 100, 200, 700, 1200, 2340, 3090, 3840],
    "pm10_24h": [0, 50, 150, 250, 350, 420, 500, 600],
    "co_24h": [0, 2, 4, 14, 24, 36, 48, 60],
    "co_1h": [0, 5, 10, 35, 60, 90, 120, 150],
    "o3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
    "o3_8h": [0, 100, 160, 215, 265, 800],
    "pm25_24h": [0, 35, 75, 115, 150, 250, 350, 500],
}
TABLE_2026 = dict(TABLE_2012, pm10_24h=[0, 50, 120, 250, 350, 420, 500, 600],
                  pm25_24h=[0, 35, 60, 115, 150, 250, 350, 500])
TABLES = {"2012": TABLE_2012, "2026": TABLE_2026}


def _cases():
    for ed, table in TABLES.items():
        for ind, bps in table.items():
            yield ed, ind, bps


@pytest.mark.parametrize("edition,indicator,bps", list(_cases()))
def test_every_breakpoint_and_every_midpoint(edition, indicator, bps):
    # at a breakpoint the IAQI is that row's level; halfway between two
    # breakpoints the formula gives the mean of the two levels (linear).
    levels = LEVELS[: len(bps)]
    at = aqi.compute_iaqi(bps, indicator, edition, rounding="none", round_input=False)
    np.testing.assert_allclose(at, levels)
    mids = [(a + b) / 2 for a, b in zip(bps, bps[1:])]
    want = [(a + b) / 2 for a, b in zip(levels, levels[1:])]
    got = aqi.compute_iaqi(mids, indicator, edition, rounding="none", round_input=False)
    np.testing.assert_allclose(got, want)
    # one unit above each inner breakpoint the index moves on the upper segment
    for j in range(1, len(bps) - 1):
        step = 0.1 if indicator.startswith("co") else 1.0
        c = bps[j] + step
        slope = (levels[j + 1] - levels[j]) / (bps[j + 1] - bps[j])
        got = aqi.compute_iaqi([c], indicator, edition, rounding="none", round_input=False)[0]
        assert got == pytest.approx(levels[j] + slope * step)


def test_module_tables_match_the_standard_as_typed_here():
    for ed, table in TABLES.items():
        assert set(aqi.BREAKPOINTS[ed]) == set(table)
        for ind, bps in table.items():
            assert list(aqi.BREAKPOINTS[ed][ind]) == bps, (ed, ind)


# Hand-worked examples, one per pollutant (HJ 633 formula, rounded up):
HAND = [
    # PM2.5 24h 2012, C=80: segment 75–115 → 100 + 50/40·(80−75) = 106.25 → 107
    ("2012", "pm25_24h", 80, 107),
    # PM2.5 2026, C=80: segment 60–115 → 100 + 50/55·20 = 118.18 → 119
    ("2026", "pm25_24h", 80, 119),
    # PM10 24h 2012, C=200: 150–250 → 100 + 50/100·50 = 125
    ("2012", "pm10_24h", 200, 125),
    # PM10 2026, C=130: 120–250 → 100 + 50/130·10 = 103.85 → 104
    ("2026", "pm10_24h", 130, 104),
    # SO2 24h, C=100: 50–150 → 50 + 50/100·50 = 75
    ("2012", "so2_24h", 100, 75),
    # SO2 1h, C=600: 500–650 → 100 + 50/150·100 = 133.33 → 134
    ("2012", "so2_1h", 600, 134),
    # NO2 24h, C=90: 80–180 → 100 + 50/100·10 = 105
    ("2012", "no2_24h", 90, 105),
    # NO2 1h, C=250: 200–700 → 100 + 50/500·50 = 105
    ("2012", "no2_1h", 250, 105),
    # CO 24h, C=3.3: 2–4 → 50 + 50/2·1.3 = 82.5 → 83
    ("2012", "co_24h", 3.3, 83),
    # CO 1h, C=12: 10–35 → 100 + 50/25·2 = 104
    ("2012", "co_1h", 12, 104),
    # O3 1h, C=250: 200–300 → 100 + 50/100·50 = 125
    ("2012", "o3_1h", 250, 125),
    # O3 8h, C=170: 160–215 → 100 + 50/55·10 = 109.09 → 110
    ("2012", "o3_8h", 170, 110),
]


@pytest.mark.parametrize("edition,indicator,c,expected", HAND)
def test_hand_worked_example_per_pollutant(edition, indicator, c, expected):
    assert aqi.compute_iaqi([c], indicator, edition)[0] == expected


def test_rounding_up_is_the_default_and_not_nearest():
    # PM2.5 40 (2012): 50 + 50/40·5 = 56.25 → 57 up (56 to nearest)
    assert aqi.compute_iaqi([40], "pm25_24h", "2012")[0] == 57
    assert aqi.compute_iaqi([40], "pm25_24h", "2012", rounding="half_up")[0] == 56
    assert aqi.compute_iaqi([40], "pm25_24h", "2012", rounding="none")[0] == pytest.approx(56.25)


def test_ceil_is_not_fooled_by_binary_floating_error():
    # CO 1.2 mg/m3 (24h): 0 + 50/2·1.2 = 30 exactly; 1.2*25 is 30.000000000000004 in floats
    assert aqi.compute_iaqi([1.2], "co_24h", "2012")[0] == 30


def test_python_aqi_known_error_pm25_75_9():
    # python-aqi truncates to 75 and scores 100; HJ 633—2012: 100 + 50/40·0.9 = 101.125 → 102
    assert aqi.compute_iaqi([75.9], "pm25_24h", "2012")[0] == 102
    # and it is level 3 (lightly polluted), not good
    assert aqi.classify_aqi([102])["aqi_category"][0] == "轻度污染"


def test_2026_rounds_concentrations_half_even_before_lookup():
    # PM2.5 75.5 → 76 (half to even: 75.5 → 76), 76.5 → 76; 2026: 100 + 50/55·16 = 114.5 → 115
    assert aqi.compute_iaqi([76.5], "pm25_24h", "2026")[0] == 115
    assert aqi.compute_iaqi([75.5], "pm25_24h", "2026")[0] == 115
    # CO 0.25 → 0.2 (even), 0.35 → 0.4: 24h 50/2·0.2 = 5; 50/2·0.4 = 10
    assert aqi.compute_iaqi([0.25, 0.35], "co_24h", "2026").tolist() == [5, 10]
    # 2012 states no such rule: 76.5 → 100 + 50/40·1.5 = 101.875 → 102
    assert aqi.compute_iaqi([76.5], "pm25_24h", "2012")[0] == 102


def test_above_the_top_of_a_column_is_capped_at_500():
    assert aqi.compute_iaqi([700], "pm25_24h", "2012")[0] == 500


def test_so2_1h_above_800():
    # 2012: not computed from the 1h column (NaN here) …
    assert np.isnan(aqi.compute_iaqi([900], "so2_1h", "2012")[0])
    # … 2026: IAQI 200
    assert aqi.compute_iaqi([900], "so2_1h", "2026")[0] == 200
    # exactly 800 is still on the table: 200
    assert aqi.compute_iaqi([800], "so2_1h", "2012")[0] == 200


def test_o3_8h_above_800():
    assert np.isnan(aqi.compute_iaqi([850], "o3_8h", "2012")[0])
    assert aqi.compute_iaqi([850], "o3_8h", "2026")[0] == 300


def _hour(**kw):
    base = dict(so2=10.0, no2=20.0, co=0.5, o3=50.0, o3_8h=40.0, pm10=30.0, pm25=20.0,
                so2_24h=10.0, pm10_24h=30.0, pm25_24h=20.0)
    base.update(kw)
    return pd.DataFrame([base])


def test_realtime_2012_so2_over_800_uses_the_24h_index():
    # SO2 1h 900 > 800: the SO2 IAQI is that of the 24h mean 300 (24h column,
    # 150–475): 100 + 50/325·150 = 123.08 → 124
    r = aqi.compute_realtime_aqi(_hour(so2=900.0, so2_24h=300.0), "2012")
    assert r["iaqi_so2"][0] == 124
    assert r["aqi"][0] == 124 and r["primary_pollutant"][0] == "so2"
    # the platform instead looks the 1h value up in the 24h column (800–1600):
    # 200 + 100/800·100 = 212.5 → 213 (half up)
    r = aqi.compute_realtime_aqi(_hour(so2=900.0, so2_24h=300.0), "2012", **aqi.PLATFORM_RULES)
    assert r["iaqi_so2"][0] == 213
    # 2026: 200
    r = aqi.compute_realtime_aqi(_hour(so2=900.0, so2_24h=300.0), "2026")
    assert r["iaqi_so2"][0] == 200


def test_daily_2012_o3_8h_over_800_falls_back_to_o3_1h():
    d = pd.DataFrame([dict(so2=10.0, no2=20.0, co=0.5, pm10=30.0, pm25=20.0,
                           o3_1h_max=900.0, o3_8h_max=820.0)])
    r = aqi.compute_daily_aqi(d, "2012")
    # O3 1h 900: 300 + 100/200·100 = 350; the 8h index is not used
    assert np.isnan(r["iaqi_o3_8h"][0])
    assert r["aqi"][0] == 350 and r["primary_pollutant"][0] == "o3_1h"
    assert bool(r["aqi_complete"][0])
    # 2026: no O3 1h in the daily report; O3 8h > 800 → 300
    r = aqi.compute_daily_aqi(d.drop(columns="o3_1h_max"), "2026")
    assert r["aqi"][0] == 300 and r["primary_pollutant"][0] == "o3_8h"


def test_primary_pollutant_ties_are_all_listed():
    # PM10 150 → 100; PM2.5 75 → 100 (2012): both primary
    d = pd.DataFrame([dict(so2=10.0, no2=20.0, co=0.5, pm10=150.0, pm25=75.0,
                           o3_1h_max=100.0, o3_8h_max=80.0)])
    r = aqi.compute_daily_aqi(d, "2012")
    assert r["aqi"][0] == 100
    assert r["primary_pollutant"][0] == "pm10,pm25"
    assert r["exceeding_pollutants"][0] == ""   # IAQI 100 is not > 100


def test_exceeding_pollutants_2012_only():
    # PM10 200 → 125, PM2.5 80 → 107 (both > 100); NO2 90 → 105
    d = pd.DataFrame([dict(so2=10.0, no2=90.0, co=0.5, pm10=200.0, pm25=80.0,
                           o3_1h_max=100.0, o3_8h_max=80.0)])
    r = aqi.compute_daily_aqi(d, "2012")
    assert r["exceeding_pollutants"][0] == "no2,pm10,pm25"
    assert r["primary_pollutant"][0] == "pm10"
    r = aqi.compute_daily_aqi(d.drop(columns="o3_1h_max"), "2026")
    assert r["exceeding_pollutants"][0] == ""


def test_no_primary_pollutant_at_or_below_50():
    d = pd.DataFrame([dict(so2=10.0, no2=20.0, co=0.5, pm10=50.0, pm25=20.0,
                           o3_1h_max=100.0, o3_8h_max=80.0)])
    r = aqi.compute_daily_aqi(d, "2012")
    assert r["aqi"][0] == 50 and r["primary_pollutant"][0] == ""
    assert r["aqi_level"][0] == 1 and r["aqi_category"][0] == "优"


def test_levels_categories_colours_at_class_edges():
    c = aqi.classify_aqi([0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500, np.nan])
    assert c["aqi_level"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 0]
    assert c["aqi_colour"].tolist()[:3] == ["#00E400", "#00E400", "#FFFF00"]
    assert c["aqi_colour"][8] == "#99004C" and c["aqi_colour"][10] == "#7E0023"
    assert c["aqi_category"][4] == "轻度污染" and c["aqi_category"][12] == ""


def test_missing_pollutant_rule_2026_5_3_1():
    # PM2.5 missing.  PM10 70 (2026: 50 + 50/70·20 = 64.29 → 65) is the largest
    # of the rest, AQI 65 ≤ 100 → not published (NA)
    low = aqi.compute_realtime_aqi(_hour(pm25=np.nan, pm10=70.0), "2026")
    assert np.isnan(low["aqi"][0]) and not low["aqi_complete"][0]
    assert low["iaqi_pm10"][0] == 65  # the per-pollutant values stay
    # PM10 200 (2026: 100 + 50/130·80 = 130.77 → 131) > 100 → published
    high = aqi.compute_realtime_aqi(_hour(pm25=np.nan, pm10=200.0), "2026")
    assert high["aqi"][0] == 131
    # the platform's rule takes the pollutants present whatever the value
    plat = aqi.compute_realtime_aqi(_hour(pm25=np.nan, pm10=70.0), "2026", missing="present")
    assert plat["aqi"][0] == 65


def test_edition_for_switch_date_and_recorded_edition():
    assert aqi.edition_for("2026-02-28") == "2012"
    assert aqi.edition_for("2026-03-01") == "2026"
    t = pd.to_datetime(["2026-02-28 23:00", "2026-03-01 01:00"]).tz_localize("Asia/Shanghai")
    f = pd.concat([_hour(pm25=70.0), _hour(pm25=70.0)], ignore_index=True)
    f["time"] = t
    r = aqi.compute_realtime_aqi(f)
    assert r["edition"].tolist() == ["2012", "2026"]
    # PM2.5 70: 2012 (35–75) 50 + 50/40·35 = 93.75 → 94; 2026 (60–115) 100 + 50/55·10
    # = 109.09 → 110
    assert r["iaqi_pm25"].tolist() == [94, 110]
    # a duplicated index is kept as it is
    f.index = [5, 5]
    r = aqi.compute_realtime_aqi(f)
    assert r.index.tolist() == [5, 5] and r["edition"].tolist() == ["2012", "2026"]


def test_bad_arguments_name_the_choices():
    with pytest.raises(ValueError, match="edition.*2012, 2026"):
        aqi.compute_iaqi([1], "pm25_24h", "2020")
    with pytest.raises(ValueError, match="rounding.*ceil"):
        aqi.compute_iaqi([1], "pm25_24h", "2012", rounding="up")
    with pytest.raises(ValueError, match="indicator"):
        aqi.compute_iaqi([1], "pm2.5", "2012")


def test_vectorised_matches_scalar_loop():
    rng = np.random.default_rng(1)
    c = rng.uniform(0, 600, 500)
    vec = aqi.compute_iaqi(c, "pm25_24h", "2012")
    one = [aqi.compute_iaqi([x], "pm25_24h", "2012")[0] for x in c]
    np.testing.assert_array_equal(vec, one)

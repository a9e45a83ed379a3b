"""GB 3838—2002 classes and the 2011 evaluation rules.

The expected limits below are typed in again from GB 3838—2002 Table 1 (as in
docs/standards/gb3838-water.md §1), not imported from the module, so a wrong constant fails here.
Period classifications are worked by hand in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from yqplan.water import gb3838 as g

# Table 1, classes I..V, "≤" limits (mg/L; fecal coliform 个/L) — transcribed independently.
TABLE1 = {
    "codmn": (2, 4, 6, 10, 15),
    "cod": (15, 15, 20, 30, 40),
    "bod5": (3, 3, 4, 6, 10),
    "nh3n": (0.15, 0.5, 1.0, 1.5, 2.0),
    "tp": (0.02, 0.1, 0.2, 0.3, 0.4),
    "tn": (0.2, 0.5, 1.0, 1.5, 2.0),
    "cu": (0.01, 1.0, 1.0, 1.0, 1.0),
    "zn": (0.05, 1.0, 1.0, 2.0, 2.0),
    "fluoride": (1.0, 1.0, 1.0, 1.5, 1.5),
    "se": (0.01, 0.01, 0.01, 0.02, 0.02),
    "as": (0.05, 0.05, 0.05, 0.1, 0.1),
    "hg": (0.00005, 0.00005, 0.0001, 0.001, 0.001),
    "cd": (0.001, 0.005, 0.005, 0.005, 0.01),
    "cr6": (0.01, 0.05, 0.05, 0.05, 0.1),
    "pb": (0.01, 0.01, 0.05, 0.05, 0.1),
    "cyanide": (0.005, 0.05, 0.2, 0.2, 0.2),
    "phenol": (0.002, 0.002, 0.005, 0.01, 0.1),
    "petroleum": (0.05, 0.05, 0.05, 0.5, 1.0),
    "las": (0.2, 0.2, 0.2, 0.3, 0.3),
    "sulfide": (0.05, 0.1, 0.2, 0.5, 1.0),
    "fecal_coliform": (200, 2000, 10000, 20000, 40000),
}


def _boundary_cases():
    for ind, lims in TABLE1.items():
        for k, lim in enumerate(lims):
            # at the limit: the best class whose limit equals it (shared limits)
            at = 1 + lims.index(lim)
            # just under: still that class (or better, if the previous limit is close — never here)
            under = at
            # just over: the first class whose limit exceeds the value, else 劣V
            over = next((j + 1 for j, l2 in enumerate(lims) if l2 > lim), 6)
            yield pytest.param(ind, lim, at, under, over, id=f"{ind}-{['I','II','III','IV','V'][k]}")


@pytest.mark.parametrize("ind,lim,at,under,over", list(_boundary_cases()))
def test_every_table1_limit_at_under_over(ind, lim, at, under, over):
    assert g.classify_value(ind, lim) == at
    assert g.classify_value(ind, lim * (1 - 1e-3)) == under
    assert g.classify_value(ind, lim * (1 + 1e-3)) == over


def test_module_constants_match_table1():
    for ind, lims in TABLE1.items():
        assert tuple(g.LIMITS[ind]) == lims, ind
    assert len(g.INDICATORS) == 24
    assert len(g.EVALUATED_INDICATORS) == 21
    assert set(g.INDICATORS) - set(g.EVALUATED_INDICATORS) == {"temp", "tn", "fecal_coliform"}


@pytest.mark.parametrize("value,expected", [
    # shared limits go to the best class
    (("cod", 15), 1), (("cod", 15.01), 3), (("bod5", 3), 1), (("cu", 1.0), 2),
    (("cu", 0.5), 2), (("zn", 2.0), 4), (("fluoride", 1.0), 1), (("cyanide", 0.2), 3),
    (("cyanide", 0.21), 6), (("las", 0.2), 1), (("petroleum", 0.05), 1),
    (("nh3n", 2.0), 5), (("nh3n", 2.01), 6), (("codmn", 0), 1),
])
def test_shared_limits_and_extremes(value, expected):
    assert g.classify_value(*value) == expected


@pytest.mark.parametrize("v,expected", [
    (7.5, 1), (7.49, 2), (9.0, 1), (6.0, 2), (5.99, 3), (5.0, 3), (4.99, 4),
    (3.0, 4), (2.99, 5), (2.0, 5), (1.99, 6), (0.0, 6),
])
def test_dissolved_oxygen_is_a_floor(v, expected):
    assert g.classify_value("do", v) == expected


@pytest.mark.parametrize("v,expected", [(6.0, 1), (9.0, 1), (7.3, 1), (5.99, 6), (9.01, 6),
                                        (3.0, 6), (12.0, 6)])
def test_ph_outside_6_to_9_is_worse_than_v(v, expected):
    assert g.classify_value("ph", v) == expected


def test_missing_and_temperature_have_no_class():
    assert g.classify_value("ph", float("nan")) is None
    assert g.classify_value("temp", 25.0) is None
    assert np.isnan(g.classify_values("nh3n", [np.nan, 0.1])[0])


@pytest.mark.parametrize("v,river,lake", [
    (0.01, 1, 1), (0.015, 1, 2), (0.025, 2, 2), (0.03, 2, 3), (0.05, 2, 3), (0.06, 2, 4),
    (0.1, 2, 4), (0.15, 3, 5), (0.2, 3, 5), (0.25, 4, 6), (0.4, 5, 6), (0.41, 6, 6),
])
def test_total_phosphorus_rivers_vs_lakes(v, river, lake):
    assert g.classify_value("tp", v, "river") == river
    assert g.classify_value("tp", v, "lake") == lake


def test_float_means_on_a_limit_are_not_pushed_over():
    # (0.1 + 0.2 + 0.3) / 3 = 0.20000000000000004 in binary: still class III for river TP
    assert g.classify_value("tp", (0.1 + 0.2 + 0.3) / 3) == 3


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="water_body"):
        g.classify_value("tp", 0.1, "sea")
    with pytest.raises(ValueError, match="not a GB 3838"):
        g.classify_value("chla", 0.1)


def test_exceedance_multiple():
    assert g.exceedance_multiple("nh3n", 1.5) == pytest.approx(0.5)  # (1.5 - 1.0) / 1.0
    assert g.exceedance_multiple("tp", 0.35) == pytest.approx(0.75)  # (0.35 - 0.2) / 0.2
    assert g.exceedance_multiple("tp", 0.075, "lake") == pytest.approx(0.5)  # (0.075-0.05)/0.05
    assert math.isnan(g.exceedance_multiple("nh3n", 1.0))  # meets III
    assert math.isnan(g.exceedance_multiple("do", 1.0))
    assert math.isnan(g.exceedance_multiple("ph", 10.0))


def test_labels_and_colours():
    assert [g.class_label(c) for c in range(1, 7)] == ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"]
    assert [g.QUALITY[c][0] for c in range(1, 7)] == ["优", "优", "良好", "轻度污染", "中度污染", "重度污染"]
    assert [g.QUALITY[c][1] for c in range(1, 7)] == ["blue", "blue", "green", "yellow", "orange", "red"]
    assert g.parse_class("劣Ⅴ") == 6 and g.parse_class("Ⅲ") == 3 and g.parse_class("IV") == 4
    assert g.parse_class("") is None and g.parse_class("-") is None


# ------------------------------------------------------------ periods ---

def _long(rows, source="auto"):
    """rows: (section, time, status, {indicator: value})."""
    out = []
    for section, time, status, values in rows:
        for ind, v in values.items():
            out.append({"section_name": section, "sampled_at": pd.Timestamp(time, tz="Asia/Shanghai"),
                        "indicator": ind, "value": v, "valid": status == "正常",
                        "station_status": status, "station_class": pd.NA, "source": source})
    return pd.DataFrame(out)


MARCH = [
    ("A", "2023-03-01 04:00", "正常", dict(ph=7.8, do=6.5, codmn=5, nh3n=1.2, tp=0.25, tn=5, temp=8)),
    ("A", "2023-03-02 04:00", "正常", dict(ph=8.0, do=5.5, codmn=7, nh3n=1.8, tp=0.35, tn=5, temp=9)),
    ("A", "2023-03-03 04:00", "正常", dict(ph=8.2, do=4.0, codmn=9, nh3n=2.4, tp=0.45, tn=5, temp=10)),
    # maintenance: kept but not valid; if used, NH3-N would be 劣V
    ("A", "2023-03-04 04:00", "维护", dict(ph=8.0, do=5.0, codmn=6, nh3n=10.0, tp=0.30)),
    ("A", "2023-04-01 04:00", "正常", dict(ph=8.0, do=9.0, codmn=2, nh3n=0.1, tp=0.02)),
    # B: no TP at all in March; DO missing in one reading
    ("B", "2023-03-01 04:00", "正常", dict(ph=7.0, do=8.0, codmn=3, nh3n=0.3)),
    ("B", "2023-03-01 08:00", "正常", dict(ph=7.2, codmn=3.4, nh3n=0.4)),
]


def test_hand_worked_month_class_and_main_pollutants():
    df = _long(MARCH)
    res = g.classify_periods(df, by="month").set_index(["section_name", "period_label"])
    a = res.loc[("A", "2023-03")]
    # means over the 3 valid readings: pH 8.0 (I), DO 5.333 (III), CODMn 7.0 (IV),
    # NH3-N 1.8 (V), TP 0.35 (V); TN 5.0 would be 劣V but is not used for rivers.
    assert a.water_class == 5 and a.class_label == "Ⅴ" and a.quality_label == "中度污染"
    # main pollutants: the two class-V ones by multiple, NH3-N (1.8-1)/1 = 0.8 before
    # TP (0.35-0.2)/0.2 = 0.75, then CODMn (IV) (7-6)/6 = 0.1667
    assert a.main_pollutants == "氨氮(0.8), 总磷(0.75), 高锰酸盐指数(0.17)"
    assert (a.n_readings, a.n_valid, a.min_indicator_n) == (4, 3, 3)
    assert a.coverage_pct == pytest.approx(100 * 3 / (31 * 6))
    assert a.indicators_missing == ""
    assert a.basis == "auto_recomputed"
    assert "tn" not in a.indicators_evaluated.split(",")
    assert res.loc[("A", "2023-04")].water_class == 1
    b = res.loc[("B", "2023-03")]
    # B: pH 7.1 (I), DO 8.0 (I), CODMn 3.2 (II), NH3-N 0.35 (II) -> II, TP missing
    assert b.water_class == 2 and b.main_pollutants == ""
    assert b.indicators_missing == "tp" and b.min_indicator_n == 0


def test_year_class_uses_annual_means_not_month_classes():
    df = _long(MARCH)
    res = g.classify_periods(df, by="year").set_index("section_name")
    # A over 2023, 4 valid readings: NH3-N (1.2+1.8+2.4+0.1)/4 = 1.375 (IV),
    # TP (0.25+0.35+0.45+0.02)/4 = 0.2675 (IV), CODMn 23/4 = 5.75 (III),
    # DO (6.5+5.5+4+9)/4 = 6.25 (II) -> IV (the March class was V)
    assert res.loc["A", "water_class"] == 4
    assert res.loc["A", "main_pollutants"] == "氨氮(0.38), 总磷(0.34)"


def test_quarter_labels():
    res = g.classify_periods(_long(MARCH), by="quarter")
    assert set(res["period_label"]) == {"2023Q1", "2023Q2"}


def test_ph_hydrogen_mean_is_optional():
    df = _long([("A", "2023-03-01", "正常", {"ph": 6.0}), ("A", "2023-03-02", "正常", {"ph": 8.0})])
    m = g.compute_period_means(df, "month")
    assert m["mean_value"].iloc[0] == pytest.approx(7.0)
    h = g.compute_period_means(df, "month", ph_mean="hydrogen")
    # -log10((1e-6 + 1e-8) / 2) = 6.2967
    assert h["mean_value"].iloc[0] == pytest.approx(-math.log10((1e-6 + 1e-8) / 2))


def test_lake_sections_use_lake_tp():
    df = _long([("R", "2023-03-01", "正常", {"tp": 0.06, "ph": 7.5})])
    assert g.classify_periods(df, sections={"R": "lake"})["water_class"].iloc[0] == 4
    assert g.classify_periods(df)["water_class"].iloc[0] == 2


def test_priority_pollutants_go_first():
    # NH3-N 劣V (3.0 -> multiple 2.0) is worse, but cyanide over III goes first (2011 rules)
    ind = g.classify_indicators({"nh3n": 3.0, "cyanide": 0.25, "codmn": 8})
    main = g.find_main_pollutants(ind)
    assert [c.indicator for c in main] == ["cyanide", "nh3n", "codmn"]


def test_large_exceedance_multiple_printed_without_exponent():
    # Hg 0.05 mg/L in a river: C_III = 0.0001, multiple (0.05 − 0.0001)/0.0001 = 499
    # -> 2 significant digits 500; NH3-N 2.2: (2.2 − 1.0)/1.0 = 1.2
    ind = g.classify_indicators({"hg": 0.05, "nh3n": 2.2})
    assert g.format_pollutants(g.find_main_pollutants(ind)) == "汞(500), 氨氮(1.2)"


def test_manual_basis_and_mixing_refused():
    df = _long(MARCH[:1], source="manual")
    res = g.classify_periods(df)
    assert res["basis"].iloc[0] == "manual" and math.isnan(res["coverage_pct"].iloc[0])
    assert len(res["indicators_missing"].iloc[0].split(",")) == 21 - 5  # 16 lab items absent
    mixed = pd.concat([df, _long(MARCH[1:2])])
    with pytest.raises(ValueError, match="mixed"):
        g.classify_periods(mixed)


# ------------------------------------------------------ share rule ---

@pytest.mark.parametrize("good,bad,expected", [
    (100, 0, "优"), (90, 0, "优"), (89.99, 0, "良好"), (75, 10, "良好"), (74.99, 0, "轻度污染"),
    (74.99, 19.99, "轻度污染"), (70, 20, "中度污染"), (70, 39.99, "中度污染"),
    (59.99, 40, "重度污染"), (0, 100, "重度污染"),
    (60, 40, "重度污染"),  # the rules' gap (I–III ≥ 60 %, 劣V ≥ 40 %): rated 重度 here
])
def test_share_rule_thresholds(good, bad, expected):
    assert g.share_quality(good, bad) == expected


def _classes(period, classes):
    return pd.DataFrame({"section_name": [f"S{i}" for i in range(len(classes))], "period_label": period,
                         "water_class": pd.array(classes, dtype="Int64"), "basis": "auto_recomputed"})


@pytest.mark.parametrize("classes,good,bad,quality", [
    ([3] * 9 + [6], 90.0, 10.0, "优"),                  # 9/10 at I–III
    ([2] * 15 + [4] * 5, 75.0, 0.0, "良好"),             # 15/20
    ([3] * 14 + [4] * 3 + [6] * 3, 70.0, 15.0, "轻度污染"),
    ([3] * 14 + [4] * 2 + [6] * 4, 70.0, 20.0, "中度污染"),  # 劣V exactly 20 %
    ([3] * 11 + [5] * 1 + [6] * 8, 55.0, 40.0, "重度污染"),  # 劣V exactly 40 %, I–III < 60 %
    ([1, 2, 3, 6, 6], 60.0, 40.0, "重度污染"),           # 5 sections: 3 good, 2 劣V
])
def test_group_share_method_with_five_or_more(classes, good, bad, quality):
    res = g.assess_group(_classes("2023", classes), group="桃河").iloc[0]
    assert res.group_method == "share" and res.n_sections == len(classes)
    assert res.share_good_pct == pytest.approx(good) and res.share_bad_pct == pytest.approx(bad)
    assert res.quality_label == quality and pd.isna(res.water_class)


def test_group_mean_method_below_five_sections():
    # A: NH3-N 0.2 (II); B: NH3-N 1.6 (V). Mean over sections 0.9 -> III 良好,
    # not the worst section's V.
    df = _long([("A", "2023-05-01", "正常", {"nh3n": 0.2, "ph": 7.5}),
                ("B", "2023-05-01", "正常", {"nh3n": 1.6, "ph": 7.5})])
    classes = g.classify_periods(df)
    means = g.compute_period_means(df)
    res = g.assess_group(classes, means, group="桃河").iloc[0]
    assert res.group_method == "mean" and res.n_sections == 2
    assert res.water_class == 3 and res.quality_label == "良好" and res.main_pollutants == ""
    assert res.share_good_pct == 50.0 and res.share_bad_pct == 0.0
    with pytest.raises(ValueError, match="means"):
        g.assess_group(classes)


def test_plan_indicators_against_2025_targets():
    c = pd.concat([_classes("2024", [2, 3, 6]), _classes("2025", [2, 3, 3, 4, 2])])
    res = g.compute_plan_indicators(c, section_names=["S0", "S1", "S2", "S3", "S4"]).set_index("period_label")
    # 2024: 2 of 3 at I–III = 66.7 % < 80 %; one 劣V = 33.3 % > 0 %; S3, S4 have no class
    assert res.loc["2024", "share_good_pct"] == pytest.approx(200 / 3)
    assert res.loc["2024", "n_sections_missing"] == 2
    assert not res.loc["2024", "meets_good"] and not res.loc["2024", "meets_bad"]
    # 2025: 4 of 5 = 80 % meets ≥ 80 %; no 劣V
    assert res.loc["2025", "share_good_pct"] == 80.0
    assert res.loc["2025", "meets_good"] and res.loc["2025", "meets_bad"]
    assert res.loc["2025", "target_good_pct"] == 80.0 and res.loc["2025", "target_bad_pct"] == 0.0


def test_agreement_with_station_class():
    df = _long([
        ("A", "2023-03-01 04:00", "正常", dict(ph=8, do=8, codmn=3, nh3n=0.3, tp=0.05)),   # II
        ("A", "2023-03-01 08:00", "正常", dict(ph=8, do=8, codmn=3, nh3n=1.2, tp=0.05)),   # IV
        ("A", "2023-03-01 12:00", "正常", dict(ph=8, do=8, codmn=3, nh3n=0.3, tp=0.25)),   # IV
        ("A", "2023-03-01 16:00", "维护", dict(ph=8, do=8, codmn=3, nh3n=0.3, tp=0.05)),   # not valid
        ("A", "2023-03-01 20:00", "正常", dict(ph=8, codmn=3, nh3n=0.3, tp=0.05)),         # 4 params
    ])
    station = {"04:00": 2, "08:00": 4, "12:00": 3, "16:00": 2, "20:00": 2}
    df["station_class"] = pd.array(df["sampled_at"].dt.strftime("%H:%M").map(station), dtype="Int64")
    res = g.compute_agreement(df).iloc[0]
    # 3 comparable readings (valid, all five parameters): 2 agree, station III vs IV once
    assert (res.n_compared, res.n_agree, res.n_station_better, res.n_station_worse) == (3, 2, 1, 0)
    assert res.agree_pct == pytest.approx(200 / 3) and res.max_abs_diff == 1
    assert g.compute_agreement(df, full_only=False).iloc[0].n_compared == 4


def test_months_without_readings_show_as_gaps():
    df = _long([("A", "2023-03-01", "正常", {"ph": 7.5, "nh3n": 0.3}),
                ("A", "2023-05-01", "正常", {"ph": 7.5, "nh3n": 0.3}),
                ("B", "2023-04-01", "维护", {"ph": 7.5, "nh3n": 0.3})])
    res = g.classify_periods(df).set_index(["section_name", "period_label"])
    assert len(res) == 6  # 2 sections x March..May
    gap = res.loc[("A", "2023-04")]
    assert pd.isna(gap.water_class) and gap.n_readings == 0 and gap.n_valid == 0
    assert gap.indicators_missing == "ph,do,codmn,nh3n,tp"
    # B has a reading in April, but under maintenance: no class, one reading, none valid
    b = res.loc[("B", "2023-04")]
    assert pd.isna(b.water_class) and (b.n_readings, b.n_valid) == (1, 0)
    assert len(g.classify_periods(df, fill_gaps=False)) == 3
    # the plan shares count sections without a class as missing, not as failing
    plan = g.compute_plan_indicators(g.classify_periods(df)).set_index("period_label")
    assert plan.loc["2023-04", "n_sections"] == 0 and plan.loc["2023-04", "n_sections_missing"] == 2
    assert plan.loc["2023-04", "meets_good"] is None


def test_pivot_classes_sections_by_periods():
    res = g.classify_periods(_long(MARCH))
    wide = g.pivot_classes(res)
    assert list(wide.columns) == ["2023-03", "2023-04"] and list(wide.index) == ["A", "B"]
    assert wide.loc["A", "2023-03"] == 5.0 and np.isnan(wide.loc["B", "2023-04"])
    assert g.pivot_classes(res, "n_valid").loc["A", "2023-03"] == 3


# ------------------------------------------------- data sufficiency (issue 12 item 7)

def test_sufficiency_threshold_by_hand():
    # April 2023 has 30 days × 6 four-hourly slots = 180 expected readings.  75 % = 135.
    # Section A: 135 valid readings (every 4 h from 04-01 00:00) → exactly 75 % → sufficient.
    # Section B: 134 → 74.4 % → insufficient, but it still gets a class (shown as 数据不足).
    assert g.WATER_MIN_COVERAGE_PCT == 75.0
    times = pd.date_range("2023-04-01", periods=135, freq="4h")
    rows = [("A", str(t), "正常", {"ph": 7.5, "nh3n": 0.3}) for t in times]
    rows += [("B", str(t), "正常", {"ph": 7.5, "nh3n": 1.8}) for t in times[:134]]
    res = g.classify_periods(_long(rows)).set_index("section_name")
    assert res.loc["A", "coverage_pct"] == pytest.approx(75.0) and res.loc["A", "sufficient"]
    assert res.loc["B", "coverage_pct"] == pytest.approx(100 * 134 / 180)
    assert not res.loc["B", "sufficient"] and res.loc["B", "water_class"] == 5
    # the plan shares count only sufficient section-months: A (II) alone → 100 % I–III;
    # B's V is not counted and is reported as insufficient
    plan = g.compute_plan_indicators(res.reset_index()).iloc[0]
    assert (plan.n_sections, plan.n_good, plan.n_sections_insufficient) == (1, 1, 1)
    assert plan.share_good_pct == 100.0


def test_manual_data_one_sample_a_month_is_sufficient():
    df = _long([("A", "2023-03-05", "正常", {"ph": 7.5, "nh3n": 0.3})], source="manual")
    assert bool(g.classify_periods(df).iloc[0]["sufficient"])


def test_sections_without_data_are_listed():
    df = _long([("A", "2023-03-01", "正常", {"ph": 7.5, "nh3n": 0.3})])
    classes = g.classify_periods(df)
    assert g.sections_without_data(classes, ["A", "温河辛庄", "B"]) == ["温河辛庄", "B"]


@pytest.mark.shared_data
def test_real_thin_water_months_are_insufficient_and_wenhe_has_no_data(water_dir):
    from yqplan.water import monitoring as water

    sections = water.read_sections()
    df, _ = water.read_water_auto(water_dir, names=list(sections["section_name"]))
    classes = g.classify_periods(df, by="month", sections=sections).set_index(
        ["section_name", "period_label"])
    may = classes.loc[("白羊墅", "2022-05")]   # 劣Ⅴ from 7 valid readings (3.8 %)
    aug = classes.loc[("白羊墅", "2021-08")]   # Ⅳ from 1 reading
    assert (may.n_valid, aug.n_valid) == (7, 1)
    assert not may.sufficient and not aug.sufficient
    assert classes.loc[("闫家庄大桥", "2023-02"), "sufficient"]  # 97.6 % coverage
    assert g.sections_without_data(classes.reset_index(), sections["section_name"]) == ["温河辛庄"]


def test_sufficiency_sentences_are_computed_from_the_classes():
    from yqplan.report import water_text

    times = pd.date_range("2023-04-01", periods=150, freq="4h")
    rows = [("A", str(t), "正常", {"ph": 7.5, "nh3n": 0.3}) for t in times]   # April: 150/180
    rows += [("A", "2023-05-03 04:00", "正常", {"ph": 7.5, "nh3n": 2.5})]      # May: 1 reading, 劣V
    classes = g.classify_periods(_long(rows))
    zh, en = water_text.sufficiency_sentences(classes, ["A", "温河辛庄"])
    assert "A 1/2 个月数据充足（1 个月有类别但数据不足）" in zh
    assert zh.endswith("无数据：温河辛庄（自动监测数据中没有该断面）。")
    assert "No data: 温河辛庄" in en
    shares = g.compute_plan_indicators(classes, ["A", "温河辛庄"])
    zh, _ = water_text.share_sentences(shares)
    assert "2023-04（1 个断面）" in zh and "2023-05：没有数据充足的断面" in zh

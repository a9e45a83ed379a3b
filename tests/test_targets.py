"""Tests of yqplan.plan.targets: hand-calculated verdicts (arithmetic in the comments).

The registry used here is built in the test in the shape of the contract of
``yqplan.plan.tables.read_indicators()`` (values copied from Table 1 of the plan); the
real registry is checked at the end when ``yqplan.plan.tables`` is available.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from yqplan.plan import targets

COLS = ["indicator_id", "category", "name_zh", "name_en", "unit", "baseline_2020",
        "target_text", "target_kind", "target_value", "comparator", "direction",
        "attribute", "source"]


def _ind(iid, unit, base, kind, target, comp, direction, attribute="binding", name="x"):
    return dict(zip(COLS, [iid, "环境治理", name, name, unit, base, "", kind, target, comp,
                           direction, attribute, "Table 1"]))


REGISTRY = pd.DataFrame([
    _ind("1", "μg/m³", 49.0, "province_assigned", np.nan, "", "lower", name="PM2.5"),
    _ind("2", "%", 68.6, "province_assigned", np.nan, "", "higher", name="good days"),
    _ind("3", "%", 0.8197, "value", 0.9, "<=", "lower", name="heavy days"),
    _ind("4", "%", 100.0, "value", 80.0, ">=", "higher", name="III or better"),
    _ind("6", "%", np.nan, "not_below_baseline", np.nan, ">=", "higher", "expected", "drinking"),
    _ind("9", "%", 15.0, "value", 42.9, ">=", "higher", "expected", "rural sewage"),
    _ind("14", "%", 100.0, "value", 100.0, ">=", "higher", name="farmland"),
    _ind("18", "%", 22.31, "value", 25.87, ">=", "higher", name="forest"),
], columns=COLS)


def _row(iid):
    return REGISTRY[REGISTRY["indicator_id"] == iid].iloc[0].to_dict()


def _assess(iid, series, **kw):
    return targets.assess_indicator(_row(iid), series, n_boot=199, **kw)


# ----------------------------------------------------------------- status

def test_target_already_met_in_2020_a_ceiling():
    # Heavy-pollution days: 2020 0.8197 %, target ≤ 0.9 % — met from the start.
    a = _assess("3", {2020: 0.8197, 2023: 0.85})
    assert a.status_verdict == "met" and a.verdict == "interim (2023): met"
    assert a.margin == pytest.approx(0.9 - 0.85)  # 0.05 percentage points to spare
    assert a.progress_verdict == "met"
    assert "already met by the 2020 baseline" in a.method_notes and "ceiling" in a.method_notes


def test_ceiling_met_at_baseline_then_missed_is_deterioration():
    # 2023 value 1.1 % > 0.9 %: not met, margin 0.9 − 1.1 = −0.2.
    # 序时进度: 0.8197 + (0.9 − 0.8197)·3/5 = 0.8197 + 0.04818 = 0.86788; 1.1 is worse by 0.23212.
    a = _assess("3", {2020: 0.8197, 2023: 1.1})
    assert a.status_verdict == "not met" and a.margin == pytest.approx(-0.2)
    assert a.schedule_expected == pytest.approx(0.86788)
    assert a.schedule_deviation == pytest.approx(-0.23212)
    assert a.schedule_verdict == "behind schedule"
    assert a.progress_verdict == "deterioration" and math.isnan(a.progress_ratio)


def test_floor_below_the_baseline():
    # Sections at class III or better: 100 % in 2020, target ≥ 80 % (a floor).
    a = _assess("4", {2020: 100.0, 2022: 85.7})
    assert a.status_verdict == "met" and a.margin == pytest.approx(5.7)
    assert "floor" in a.method_notes
    b = _assess("4", {2020: 100.0, 2024: 75.0})
    assert b.status_verdict == "not met" and b.margin == pytest.approx(-5.0)
    assert b.margin_percent == pytest.approx(-5.0 / 80 * 100)
    assert b.progress_verdict == "deterioration"


def test_percentage_near_100_uses_distance_to_the_bound():
    # A good-day ratio 95.0 % in 2020, target ≥ 98.0 %, 96.5 % in 2023.
    # Distances to 100: 5.0 → 3.5, target 2.0.
    # actual CAGR   = (3.5/5)^(1/3) − 1 = 0.887904 − 1 = −0.112096
    # required CAGR = (2/5)^(1/5)  − 1 = 0.832553 − 1 = −0.167447
    # ratio = 0.112096 / 0.167447 = 0.66944 → needs acceleration (0.60–0.95).
    # (On the raw values it would be (96.5/95)^(1/3)−1 = 0.005236 over
    #  (98/95)^(1/5)−1 = 0.006238 → 0.8395: a different, misleading answer.)
    ind = _ind("2", "%", 95.0, "value", 98.0, ">=", "higher")
    a = targets.assess_indicator(ind, {2020: 95.0, 2023: 96.5}, n_boot=99)
    assert a.progress_ratio == pytest.approx(0.66944, rel=1e-4)
    assert a.progress_verdict == "needs acceleration"
    assert a.progress_basis.startswith("distance to 100 %")
    # 序时进度: 95 + (98 − 95)·3/5 = 96.8; 96.5 is 0.3 behind
    assert a.schedule_expected == pytest.approx(96.8)
    assert a.schedule_deviation == pytest.approx(-0.3)
    assert a.schedule_verdict == "behind schedule"


def test_rural_sewage_on_track_by_hand():
    # 15 % → target 42.9 %, 30 % in 2022. Distances to 100: 85 → 70, target 57.1.
    # actual   = (70/85)^(1/2) − 1   = 0.907485 − 1 = −0.092515
    # required = (57.1/85)^(1/5) − 1 = 0.923574 − 1 = −0.076426
    # ratio = 1.2105 → on track.  Line: 15 + 27.9·2/5 = 26.16; 30 is 3.84 ahead.
    a = _assess("9", {2020: 15.0, 2021: 22.0, 2022: 30.0})
    assert a.status_verdict == "not met" and a.margin == pytest.approx(30 - 42.9)
    assert a.progress_ratio == pytest.approx(1.2105, rel=1e-3)
    assert a.progress_verdict == "on track"
    assert a.schedule_deviation == pytest.approx(3.84) and a.schedule_verdict == "on schedule"


def test_missing_province_target_is_never_invented():
    a = _assess("1", {2019: 52.0, 2020: 49.0, 2021: 43.0, 2022: 44.0})
    assert a.status_verdict == "no target supplied" and a.verdict == "no target supplied"
    assert math.isnan(a.target_value) and a.comparator == ""
    assert a.schedule_verdict == a.progress_verdict == "no target supplied"
    assert a.schedule_verdict_base3 == "no target supplied"
    assert math.isnan(a.projection.probability_met)  # projected, but no target to meet
    assert "none invented" in a.method_notes
    # without data as well, the missing target is what the row says
    assert _assess("1", {}).status_verdict == "no target supplied"


def test_supplied_province_target_pm25_by_hand():
    # PM2.5 49 → a (hypothetical) province target ≤ 39; 44 in 2023.
    # status: not met, margin 39 − 44 = −5 µg/m³.
    # 序时进度: 49 + (39 − 49)·3/5 = 43; 44 is 1 behind.
    # actual CAGR = (44/49)^(1/3) − 1 = 0.964763 − 1 = −0.035237
    # required    = (39/49)^(1/5) − 1 = 0.955380 − 1 = −0.044620 → ratio 0.78971.
    a = _assess("1", {2020: 49.0, 2021: 46.0, 2022: 45.0, 2023: 44.0},
                province_target=(39.0, "", "test province document"))
    assert a.status_verdict == "not met" and a.margin == pytest.approx(-5.0)
    assert a.target_source.startswith("test province document")
    assert a.schedule_expected == pytest.approx(43.0) and a.schedule_deviation == pytest.approx(-1.0)
    assert a.progress_ratio == pytest.approx(0.78971, rel=1e-4)
    assert a.progress_verdict == "needs acceleration"
    assert a.progress_basis == "value, compound annual rates"


def test_base_year_sensitivity_by_hand():
    # 2019 52, 2020 49, 2021 43 → 2019–2021 mean = 144/3 = 48.0; target 39; 44 in 2023.
    # Line from 48: 48 + (39 − 48)·3/5 = 42.6 → 44 is 1.4 behind.
    # actual = (44/48)^(1/3) − 1 = 0.971415 − 1 = −0.028585
    # required = (39/48)^(1/5) − 1 = 0.959324 − 1 = −0.040676 → ratio 0.70275.
    # With the 2020 base (49): line 43, deviation −1; ratio 0.78971 (as above).
    a = _assess("1", {2019: 52.0, 2020: 49.0, 2021: 43.0, 2023: 44.0}, province_target=39.0)
    assert a.base3_value == pytest.approx(48.0) and a.base3_years == "2019,2020,2021"
    assert a.schedule_deviation_base3 == pytest.approx(-1.4)
    assert a.schedule_verdict_base3 == "behind schedule"
    assert a.progress_ratio_base3 == pytest.approx(0.70275, rel=1e-4)
    assert a.progress_verdict_base3 == "needs acceleration"
    assert a.progress_ratio == pytest.approx(0.78971, rel=1e-4)


def test_not_below_baseline_uses_the_2020_level():
    # Drinking-water sources: the plan prints no 2020 value; the series' 2020 value is the floor.
    a = _assess("6", {2020: 100.0, 2023: 100.0})
    assert a.status_verdict == "met" and a.target_value == 100.0 and a.comparator == ">="
    assert "the plan prints no baseline" in a.method_notes
    b = _assess("6", {2020: 100.0, 2024: 90.0})
    assert b.status_verdict == "not met" and b.margin == pytest.approx(-10.0)
    c = _assess("6", {2023: 100.0})
    assert c.status_verdict == "no baseline" and c.progress_verdict == "no baseline"


def test_final_verdict_in_2025():
    # Forest cover 22.31 → ≥ 25.87; 2025 value 25.9 → final: met (margin 0.03).
    a = _assess("18", {2020: 22.31, 2022: 23.5, 2025: 25.9})
    assert a.final and a.verdict == "final (2025): met"
    assert a.margin == pytest.approx(0.03)
    assert a.projection is None  # the 2025 value decides: nothing projected
    assert a.to_dict()["projection_status"] == "target year reached"
    assert math.isnan(a.to_dict()["projection"])
    # Assessed as of 2022 the same data give an interim verdict.
    b = _assess("18", {2020: 22.31, 2022: 23.5, 2025: 25.9}, year=2022)
    assert not b.final and b.verdict == "interim (2022): not met"


def test_final_verdict_is_on_2025_not_a_later_year():
    # Heavy-pollution days, target ≤ 0.9 %: 2025 value 0.85 (met, margin 0.9 − 0.85 = 0.05);
    # a 2026 value 1.5 must not turn the plan's final verdict into "not met".
    a = _assess("3", {2020: 0.8197, 2023: 0.7, 2025: 0.85, 2026: 1.5})
    assert a.final and a.latest_year == 2025 and a.verdict == "final (2025): met"
    assert a.margin == pytest.approx(0.05)
    assert "after the target year 2025 (2026)" in a.method_notes
    # The same when assessed "as of" 2026 explicitly.
    b = _assess("3", {2020: 0.8197, 2025: 0.85, 2026: 1.5}, year=2026)
    assert b.verdict == "final (2025): met"


def test_projection_and_probability_perfect_line():
    # PM2.5 falling exactly 2 µg/m³ a year, 2015…2022: 59 − 2·(t − 2015); 2025 → 39.
    # Target ≤ 40 → every bootstrap line is exact and residuals 0 → probability 1.
    years = range(2015, 2023)
    series = {y: 59 - 2.0 * (y - 2015) for y in years}
    a = _assess("1", series, province_target=40.0)
    assert a.trend.slope == pytest.approx(-2.0) and a.trend.trend_status == "ok"
    assert a.projection.projection == pytest.approx(39.0) and a.projection.probability_met == 1.0
    assert a.mann_kendall.direction == "decreasing" and a.spearman.direction == "decreasing"
    assert a.spearman.statistic == pytest.approx(-1.0)
    row = a.to_dict()  # the same numbers in the scoreboard's columns
    assert row["trend_slope"] == pytest.approx(-2.0) and row["projection"] == pytest.approx(39.0)
    assert row["trend_mk_direction"] == row["trend_spearman_direction"] == "decreasing"
    # target ≤ 38 is below the line → probability 0
    assert _assess("1", series, province_target=38.0).projection.probability_met == 0.0


# ----------------------------------------------------------------- edge cases

def test_constant_series_and_nans_and_few_points():
    a = _assess("14", {y: 100.0 for y in range(2015, 2025)})
    assert a.status_verdict == "met" and a.trend.trend_status == "constant series"
    assert a.trend.slope == 0.0
    b = _assess("9", {2020: 15.0, 2021: np.nan, 2022: 30.0})
    assert b.n_years == 2 and b.latest_year == 2022
    assert b.trend.trend_status == "too few points" and math.isnan(b.trend.slope)
    assert b.projection.projection_status == "too few points"
    # a test without a direction shows its status in the table
    assert b.to_dict()["trend_mk_direction"] == b.mann_kendall.trend_status == "too few points"
    assert "too few points" in b.method_notes


def test_zero_values_fall_back_to_linear_rates():
    # Distance-to-bound 0 at the target (farmland ≥ 100 %): no compound rate exists.
    # 2020 95, target 100, 2022 97: distances 5 → 3, target 0;
    # linear: actual (3 − 5)/2 = −1.0/yr, required (0 − 5)/5 = −1.0/yr → ratio 1.0 on track.
    ind = _ind("14", "%", 95.0, "value", 100.0, ">=", "higher")
    a = targets.assess_indicator(ind, {2020: 95.0, 2022: 97.0}, n_boot=99)
    assert a.progress_ratio == pytest.approx(1.0) and a.progress_verdict == "on track"
    assert "linear rates" in a.progress_basis


# ----------------------------------------------------------------- the scoreboard

VALUES = pd.DataFrame({
    "indicator_id": ["1", "1", "1", "3", "3", "9", "9", "9", "18"],
    "year": [2020, 2021, 2022, 2020, 2023, 2020, 2021, 2022, 2025],
    "value": [49.0, 46.0, 44.0, 0.8197, 0.85, 15.0, 22.0, 30.0, 25.9],
    "source": ["test"] * 9,
})


def test_assess_plan_one_row_per_indicator():
    sb = targets.assess_plan(VALUES, registry=REGISTRY, province_targets=pd.DataFrame(
        {"indicator_id": ["2"], "period": ["2025"], "value": [72.0]}))
    assert list(sb.columns) == targets.SCOREBOARD_COLUMNS
    assert list(sb["indicator_id"]) == list(REGISTRY["indicator_id"])
    by = sb.set_index("indicator_id")
    assert by.loc["1", "status_verdict"] == "no target supplied"
    assert by.loc["2", "target_value"] == 72.0 and by.loc["2", "status_verdict"] == "no data"
    assert by.loc["3", "status_verdict"] == "met" and by.loc["18", "verdict"] == "final (2025): met"
    assert by.loc["4", "status_verdict"] == "no data"
    assert by.loc["1", "attribute"] == "binding" and by.loc["9", "attribute"] == "expected"
    assert by.loc["9", "latest_source"] == "test" and by.loc["4", "latest_source"] == ""
    # as of 2021: the 2022 and later values are ignored
    sb21 = targets.assess_plan(VALUES, year=2021, registry=REGISTRY, province_targets={})
    assert sb21.set_index("indicator_id").loc["9", "latest_value"] == 22.0


def test_province_targets_for_another_period_are_ignored():
    sb = targets.assess_plan(VALUES, registry=REGISTRY, province_targets=pd.DataFrame(
        {"indicator_id": ["1"], "period": ["2023"], "value": [40.0]}))
    assert sb.set_index("indicator_id").loc["1", "status_verdict"] == "no target supplied"


def test_bad_values_are_reported_clearly():
    dup = pd.concat([VALUES, VALUES.iloc[:1]])
    with pytest.raises(ValueError, match="more than one value for the same indicator and year"):
        targets.assess_plan(dup, registry=REGISTRY, province_targets={})
    unknown = pd.DataFrame({"indicator_id": ["99"], "year": [2021], "value": [1.0]})
    with pytest.raises(ValueError, match="indicator_id 99 not in the registry"):
        targets.assess_plan(unknown, registry=REGISTRY, province_targets={})
    with pytest.raises(ValueError, match="missing column"):
        targets.assess_plan(VALUES.drop(columns="year"), registry=REGISTRY, province_targets={})
    bad_year = VALUES.assign(year=["2020"] * 8 + ["twenty"])
    with pytest.raises(ValueError, match="'year' must hold years"):
        targets.assess_plan(bad_year, registry=REGISTRY, province_targets={})


def test_write_scoreboard_csv_and_json(tmp_path):
    sb = targets.assess_plan(VALUES, registry=REGISTRY, province_targets={})
    paths = targets.write_scoreboard(sb, tmp_path / "out")
    back = pd.read_csv(paths["csv"], dtype={"indicator_id": str})
    assert list(back["indicator_id"]) == list(sb["indicator_id"])
    recs = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert len(recs) == len(sb) and recs[0]["status_verdict"] == "no target supplied"
    assert recs[0]["target_value"] is None  # NaN → null
    assert not list((tmp_path / "out").glob(".*"))  # no temporary files left


def test_values_from_figures_resolves_the_2020_conflict():
    figs = pd.DataFrame({
        "figure_id": ["F02", "F03", "F14"], "indicator_id": ["2", "2", ""],
        "area": ["阳泉市"] * 3, "period": ["2020", "2020", "2014-01/2014-06"],
        "value": [68.6, 69.9, 34], "unit": ["%", "%", "days"],
        "source": ["plan", "plan", "x"], "location": ["Table 1", "ch. 1", ""],
        "used_in_charts": ["true", "false", "true"]})
    v = targets.values_from_figures(figs)
    assert v.to_dict("records") == [{"indicator_id": "2", "year": 2020, "value": 68.6,
                                     "source": "plan, Table 1"}]
    # the same value printed twice (Table 1 and chapter 1) is kept once, citing both
    same = figs.assign(indicator_id=["4", "4", ""], value=[100.0, 100.0, 34],
                       used_in_charts=[True, True, True])
    assert targets.values_from_figures(same).to_dict("records") == [
        {"indicator_id": "4", "year": 2020, "value": 100.0, "source": "plan, Table 1 = plan, ch. 1"}]
    # two different values both used in charts: refuse to choose
    clash = figs.assign(used_in_charts=[True, True, True])
    with pytest.raises(ValueError, match="indicator 2, 2020: several values"):
        targets.values_from_figures(clash)


# ----------------------------------------------------------------- real registry

def test_real_registry_and_shipped_figures():
    plan = pytest.importorskip("yqplan.plan.tables", reason="yqplan.plan.tables (registry) not built yet")
    reg = plan.read_indicators()
    sb = targets.assess_plan(targets.values_from_figures(), registry=reg)
    assert len(sb) == len(reg) == 23
    assert targets.assess_plan().equals(sb)  # default: the shipped figures and tables
    by = sb.set_index("indicator_id")
    assert by.loc["1", "status_verdict"] == "no target supplied"  # the province table ships empty
    # only the 2020 baseline is published: no met / not-met verdict from it (issue 12)
    for iid in ("3", "4", "9"):
        assert by.loc[iid, "latest_year"] == 2020, iid
        assert by.loc[iid, "status_verdict"] == "baseline only", iid


def test_every_returned_column_is_in_the_glossary():
    import dataclasses

    from yqplan import glossary
    from yqplan.stats import trend

    merged = glossary.glossary()  # raises if a name is defined twice differently
    sb = targets.assess_plan(VALUES, registry=REGISTRY, province_targets={})
    names = set(sb.columns)
    names |= set(trend.compute_trends([1.0, 3, 2, 5, 4, 6], range(2018, 2024)).columns)
    names |= {f.name for f in dataclasses.fields(trend.ProjectionResult)}
    idx = pd.date_range("2019-01-01", periods=36, freq="MS")
    names |= set(trend.deseasonalise(pd.Series(np.arange(36.0), index=idx)).columns)
    names |= set(trend.compute_monthly_means(pd.Series(1.0, index=pd.date_range(
        "2021-01-01", periods=60, freq="D"))).columns)
    names |= set(targets.values_from_figures(pd.DataFrame(
        {"indicator_id": ["1"], "period": ["2020"], "value": [49.0], "source": ["x"]})).columns)
    missing = sorted(names - set(merged))
    assert not missing, missing

"""The typed scoreboard (issue 14): each indicator's assessment keeps the trend and
projection objects it was computed from; the table is made only to be shown.

Known answers come from the statistics functions of :mod:`yqplan.stats.trend` called
directly on the same yearly series with the same bootstrap settings, and from the
scoreboard's column list as the CLI's JSON schema fixes it (written out here).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from yqplan import analyses
from yqplan.plan import final, targets
from yqplan.stats import trend as tr

from test_targets import REGISTRY, VALUES

#: The scoreboard's columns, in order, as ``yqplan targets assess --format json`` gives them.
COLUMNS = [
    "indicator_id", "name_zh", "name_en", "unit", "attribute", "direction", "target_kind",
    "target_value", "comparator", "target_source", "baseline_value", "baseline_source",
    "latest_year", "latest_value", "latest_source", "n_years", "final", "status_verdict",
    "margin", "margin_percent", "verdict", "schedule_expected", "schedule_deviation",
    "schedule_verdict", "progress_ratio", "progress_verdict", "progress_basis", "trend_n",
    "trend_status", "trend_slope", "trend_slope_low", "trend_slope_high", "trend_mk_p",
    "trend_mk_direction", "trend_spearman_rs", "trend_spearman_direction", "projection",
    "projection_low", "projection_high", "probability_met", "projection_status", "base3_value",
    "base3_years", "schedule_deviation_base3", "schedule_verdict_base3", "progress_ratio_base3",
    "progress_verdict_base3", "n_boot", "seed", "method_notes"]

#: Several years per indicator: trends and projections exist (PM2.5 falls, heavy days vary).
YEARS = pd.DataFrame({
    "indicator_id": ["1"] * 7 + ["3"] * 6 + ["9"] * 3 + ["18"] * 2,
    "year": list(range(2016, 2023)) + list(range(2017, 2023)) + [2020, 2021, 2022] + [2020, 2025],
    "value": [62, 58, 55, 51, 49, 46, 44, 2.1, 1.7, 1.2, 0.8197, 1.1, 0.7, 15.0, 22.0, 30.0,
              22.31, 25.9],
})
PROV = {"1": 40.0}  # a supplied PM2.5 target ≤ 40 µg/m³


def same(a, b) -> bool:
    """Equal, NaN equal to NaN (the results carry NaN for 'not computed')."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def same_result(a, b) -> bool:
    return type(a) is type(b) and all(same(getattr(a, f.name), getattr(b, f.name))
                                      for f in dataclasses.fields(a))


def _xy(iid, values=YEARS):
    sub = values[values["indicator_id"] == iid].sort_values("year")
    return sub["value"].to_numpy(dtype=float), sub["year"].to_numpy(dtype=float)


def _board(**kw):
    return targets.score_plan(YEARS, registry=REGISTRY, province_targets=PROV, n_boot=199,
                              seed=11, **kw)


def test_the_assessment_keeps_its_trend_and_projection_objects():
    y, x = _xy("1")
    a = _board()["1"]
    assert isinstance(a, targets.IndicatorAssessment)
    assert same_result(a.trend, tr.theil_sen(y, x, unit="μg/m³", n_boot=199, seed=11))
    assert same_result(a.mann_kendall, tr.mann_kendall(y, x, unit="μg/m³"))
    assert same_result(a.spearman, tr.spearman_trend(y, x, unit="μg/m³"))
    want = tr.project_trend(y, x, target_year=2025, target=40.0, comparator="<=", n_boot=199,
                            seed=11)
    assert isinstance(a.projection, tr.ProjectionResult) and same_result(a.projection, want)
    assert a.projection.projection_status == "ok" and 0 <= a.projection.probability_met <= 1


def test_to_frame_fields_are_those_of_the_objects():
    board = _board()
    frame = board.to_frame()
    assert list(frame.columns) == COLUMNS
    assert list(frame["indicator_id"]) == list(REGISTRY["indicator_id"])
    by = frame.set_index("indicator_id")
    for iid, unit, target in (("1", "μg/m³", 40.0), ("3", "%", 0.9)):
        y, x = _xy(iid)
        ts = tr.theil_sen(y, x, unit=unit, n_boot=199, seed=11)
        mk = tr.mann_kendall(y, x, unit=unit)
        sp = tr.spearman_trend(y, x, unit=unit)
        pj = tr.project_trend(y, x, target_year=2025, target=target, comparator="<=",
                              n_boot=199, seed=11)
        r = by.loc[iid]
        assert r["trend_n"] == ts.n == len(y)
        assert r["trend_status"] == ts.trend_status
        for col, v in (("trend_slope", ts.slope), ("trend_slope_low", ts.slope_low),
                       ("trend_slope_high", ts.slope_high), ("trend_mk_p", mk.p_value),
                       ("trend_spearman_rs", sp.statistic), ("projection", pj.projection),
                       ("projection_low", pj.projection_low),
                       ("projection_high", pj.projection_high),
                       ("probability_met", pj.probability_met)):
            assert same(float(r[col]), float(v)), (iid, col)
        assert r["trend_mk_direction"] == (mk.direction or mk.trend_status)
        assert r["trend_spearman_direction"] == (sp.direction or sp.trend_status)
        assert r["projection_status"] == pj.projection_status
        assert r["n_boot"] == 199 and r["seed"] == 11


def test_a_final_verdict_has_no_projection():
    # indicator 18 has its 2025 value: the status is the final verdict, nothing is projected
    a = _board()["18"]
    assert a.final and a.projection is None
    r = _board().to_frame().set_index("indicator_id").loc["18"]
    assert r["projection_status"] == "target year reached"
    assert all(math.isnan(r[c]) for c in ("projection", "projection_low", "projection_high",
                                           "probability_met"))


def test_the_scoreboard_looks_up_by_id_and_keeps_its_settings():
    board = _board(year=2021)
    assert board.year == 2021 and board.n_boot == 199 and board.seed == 11
    assert board.base_year == 2020 and board.target_year == 2025
    assert board.ids == tuple(REGISTRY["indicator_id"]) and len(board) == len(REGISTRY)
    assert [a.indicator_id for a in board] == list(REGISTRY["indicator_id"])
    assert board["9"].latest_value == 22.0 and "3" in board and "99" not in board
    with pytest.raises(KeyError, match="99.*not on the scoreboard"):
        board["99"]
    # the defaults are recorded as used
    d = targets.score_plan(YEARS, registry=REGISTRY, province_targets={})
    assert d.n_boot == tr.N_BOOT and d.seed == tr.SEED and d.year is None


def test_assess_plan_is_the_scoreboard_shown_as_a_table():
    want = targets.score_plan(VALUES, registry=REGISTRY, province_targets={}).to_frame()
    assert targets.assess_plan(VALUES, registry=REGISTRY, province_targets={}).equals(want)
    assert list(targets.assess_plan(VALUES, registry=REGISTRY, province_targets={}).columns) \
        == COLUMNS


def test_the_plan_scoreboard_names_its_plan():
    board = final.score_plan_for()
    assert board.plan == "14th" and board.target_year == 2025
    assert final.assess_plan_for().equals(board.to_frame())


def test_assess_indicator_series_gives_the_typed_assessment():
    # PM2.5 measured here 2021–2023 plus the published 2020 baseline (49 µg/m³)
    s = pd.Series({2021: 44.0, 2022: 41.0, 2023: 40.0})
    a = analyses.assess_indicator_series("1", s)
    assert isinstance(a, targets.IndicatorAssessment) and a.indicator_id == "1"
    pub = targets.values_from_figures()
    base = pub[(pub["indicator_id"] == "1") & (pub["year"] < 2021)].sort_values("year")
    y = np.concatenate([base["value"].to_numpy(float), s.to_numpy(float)])
    x = np.concatenate([base["year"].to_numpy(float), s.index.to_numpy(float)])
    # the shipped province table has no PM2.5 target: projected without one
    want = tr.project_trend(y, x, target_year=2025, comparator="<=")
    assert same_result(a.projection, want)
    assert a.to_dict()["latest_value"] == 40.0


def test_the_table_row_of_an_assessment_is_the_frame_row():
    board = _board()
    frame = board.to_frame()
    for i, a in enumerate(board):
        row = a.to_dict()
        assert list(row) == COLUMNS
        assert all(same(row[c], frame.iloc[i][c]) for c in COLUMNS), a.indicator_id

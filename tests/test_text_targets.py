"""Verdicts for the quantified targets of the plan text: each kind worked by hand."""

from __future__ import annotations

import math
import shutil

import pandas as pd
import pytest

from yqplan import config
from yqplan.plan import tables as plan
from yqplan.plan import text_targets as tt
from yqplan.errors import DataFileError

ROWS = plan.read_text_targets().set_index("target_id", drop=False)


def _row(tid):
    return ROWS.loc[tid].to_dict()


def _v(pairs):
    return pd.DataFrame({"year": [p[0] for p in pairs], "value": [p[1] for p in pairs],
                         "source": [f"doc {p[0]}" for p in pairs]})


def test_every_text_target_has_a_kind_and_the_rule_that_filled_it():
    assert len(ROWS) == 41 and set(ROWS["assess_kind"]) == set(tt.KINDS)
    counts = ROWS["assess_kind"].value_counts().to_dict()
    assert counts == {"limit": 17, "level": 13, "count": 9, "milestone": 2}
    derived = {t: tt.derive_kind(r) for t, r in ROWS.iterrows()}
    differs = sorted(t for t in ROWS.index if derived[t] != ROWS.loc[t, "assess_kind"])
    # the two documented choices: 至少完成1次 (T25) and 14.25万亩 (T30) are counts
    assert differs == ["T25", "T30"]
    assert ROWS.loc["T29", "assess_kind"] == "milestone" and ROWS.loc["T35", "assess_kind"] == "milestone"


def test_no_value_no_verdict():
    r = tt.assess_text_target(_row("T41"), _v([]))
    assert r.status == r.verdict == "no value supplied" and math.isnan(r.value) and not r.final


def test_level_latest_value_decides():
    # T41 night-time compliance >= 85 % by 2025
    r = tt.assess_text_target(_row("T41"), _v([(2024, 86), (2025, 84)]))
    assert (r.status, r.final, r.value, r.value_year) == ("not met", True, 84, 2025)
    assert r.margin == pytest.approx(-1) and r.verdict == "final (2025): not met"
    r = tt.assess_text_target(_row("T41"), _v([(2023, 88)]))
    assert (r.status, r.final, r.verdict) == ("met", False, "interim (2023): met")
    # T01 solar "力争接近 540" is assessed as reaching it
    assert tt.assess_text_target(_row("T01"), _v([(2025, 545)])).status == "met"
    r = tt.assess_text_target(_row("T01"), _v([(2025, 530)]))
    assert r.status == "not met" and r.margin == pytest.approx(-10) and "接近" in r.notes


def test_limit_no_year_may_exceed():
    # T18 SCR ammonia slip <= 2.5 mg/m3
    r = tt.assess_text_target(_row("T18"), _v([(2022, 2.0), (2024, 3.1), (2025, 2.4)]))
    assert (r.status, r.value, r.value_year, r.final) == ("not met", 3.1, 2024, True)
    assert r.margin == pytest.approx(-0.6) and "2024" in r.notes
    r = tt.assess_text_target(_row("T18"), _v([(2022, 2.0), (2025, 2.4)]))
    assert (r.status, r.value, r.margin) == ("met", 2.4, pytest.approx(0.1))


def test_milestone_by_its_deadline():
    # T35 on-site inspection coverage 100 % by 2023
    r = tt.assess_text_target(_row("T35"), _v([(2022, 90), (2023, 100)]))
    assert (r.status, r.final, r.value_year, r.deadline) == ("met", True, 2023, 2023)
    r = tt.assess_text_target(_row("T35"), _v([(2023, 95), (2024, 100)]))
    assert (r.status, r.final, r.value, r.value_year) == ("not met", True, 95, 2023)
    assert "reached in 2024, after the deadline 2023" in r.notes
    r = tt.assess_text_target(_row("T35"), _v([(2022, 90)]), year=2022)
    assert (r.status, r.final) == ("not met", False)
    # T29 corridor "=" 1 km by end-2022
    assert tt.assess_text_target(_row("T29"), _v([(2022, 1)])).status == "met"
    assert tt.assess_text_target(_row("T29"), _v([(2022, 0.8)])).status == "not met"


def test_count_sums_the_yearly_additions():
    # T37 fixed remote-sensing sets >= 5
    r = tt.assess_text_target(_row("T37"), _v([(2021, 2), (2023, 2)]))
    assert (r.status, r.value, r.margin) == ("not met", 4, -1)
    r = tt.assess_text_target(_row("T37"), _v([(2021, 2), (2023, 2), (2024, 1)]))
    assert (r.status, r.value, r.value_year, r.final) == ("met", 5, 2024, True)
    r = tt.assess_text_target(_row("T37"), _v([(2021, 2), (2023, 2), (2024, 1)]), year=2023)
    assert (r.status, r.value, r.final) == ("not met", 4, False)


def test_values_file_feeds_the_plan_table(tmp_path):
    folder = tmp_path / "p"
    shutil.copytree(config.data_dir() / "plans" / "14th", folder)
    with open(folder / "text_target_values.csv", "a", encoding="utf-8") as fh:
        fh.write("T37,2021,2,sets,city bureau report,2022-01,\nT37,2024,3,sets,city bureau report,2025-01,\n")
    board = tt.assess_text_targets(plan=folder).set_index("target_id")
    assert board.loc["T37", "status"] == "met" and board.loc["T37", "value"] == 5
    assert (board["status"] == "no value supplied").sum() == 40
    assert list(board["chapter"]) == sorted(board["chapter"])


@pytest.mark.parametrize("row, column", [
    ("T37,2021,2,台,doc,2022,", "unit"),
    ("T37,2027,2,sets,doc,2022,", "year"),
    ("T99,2021,2,sets,doc,2022,", "target_id"),
    ("T37,2021,2,sets,,2022,", "source"),
])
def test_bad_text_target_values_refused(tmp_path, row, column):
    f = tmp_path / "text_target_values.csv"
    f.write_text("target_id,year,value,unit,source,source_date,note\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        from yqplan.plan import values

        values.read_text_target_values(f)
    assert err.value.line == 2 and err.value.column == column

"""Values for every indicator (values.csv), province targets reaching the verdicts, gaps."""

from __future__ import annotations

import json
import math
import shutil

import pytest

from yqplan import config
from yqplan.plan import final
from yqplan.plan import tables as plan
from yqplan.plan import targets
from yqplan.plan import values
from yqplan.errors import DataFileError

PLAN14 = config.data_dir() / "plans" / "14th"


def _copy_plan(tmp_path):
    dest = tmp_path / "14th-copy"
    shutil.copytree(PLAN14, dest)
    return dest


def test_plan_folder_and_metadata():
    meta = plan.plan_meta()
    assert (meta.period_start, meta.period_end, meta.base_year, meta.target_year) == (2021, 2025, 2020, 2025)
    assert meta.default_edition == "2012" and meta.folder == PLAN14
    assert plan.plan_dir("14th") == plan.plan_dir() == PLAN14
    with pytest.raises(FileNotFoundError, match="plans present: 14th"):
        plan.plan_dir("13th")


def test_shipped_values_are_the_published_figures_with_sources():
    v = values.read_values()
    # an independent path: targets.values_from_figures reads data/official/figures.csv itself
    pub = targets.values_from_figures()
    got = {(r.indicator_id, r.year): r.value for r in v.itertuples()}
    want = {(r.indicator_id, r.year): r.value for r in pub.itertuples()}
    assert got == want and len(got) == 12
    assert v["source"].str.len().min() > 0
    # the 2020 good-day ratio: Table 1's 68.6 %, with the chapter-1 69.9 % named in the note
    row = v[(v["indicator_id"] == "2")].iloc[0]
    assert row["value"] == 68.6 and "F03 = 69.9" in row["note"]


def test_gaps_list_every_empty_indicator_year():
    g = values.value_gaps()
    assert len(g) == 23 * 6                      # 23 rows x 2020..2025
    assert int(g["filled"].sum()) == 12
    empty_2025 = g[(g["year"] == 2025) & ~g["filled"]]
    assert len(empty_2025) == 23                 # no 2025 value is held yet
    never = sorted(set(g["id"]) - set(g.loc[g["filled"], "id"]))
    assert never == ["10.1", "10.2", "10.3", "10.4", "10.5", "11", "12", "13", "16", "17", "6"]


def test_gaps_cli_writes_atomically(tmp_path, capsys):
    from yqplan.cli import main

    out = tmp_path / "gaps.json"
    assert main(["plan", "gaps", "--empty-only", "--out", str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == 23 * 6 - 12 and all(not r["filled"] for r in rows)
    assert [p.name for p in tmp_path.iterdir()] == ["gaps.json"]   # no temporary left behind
    assert main(["plan", "gaps", "--out", str(tmp_path / "gaps.txt")]) == 2


HEADER = "indicator_id,year,value,unit,source,source_date,note\n"


@pytest.mark.parametrize("row, column, expected", [
    ("1,2023,37,mg/m³,doc,2024,", "unit", "μg/m³"),                   # wrong unit
    ("1,2019,50,μg/m³,doc,2020,", "year", "from 2020"),                 # before the base year
    ("1,2026,30,μg/m³,doc,2026,", "year", "to 2025"),                   # after the plan period
    ("1,2023,37,μg/m³,,2024,", "source", "a value"),                    # no source
    ("1,2023,37,μg/m³,doc,2099-01-01,", "source_date", "not after"),    # future document
    ("99,2023,37,μg/m³,doc,2024,", "indicator_id", "one of"),           # no such indicator
    ("1,2023,abc,μg/m³,doc,2024,", "value", "a number"),
])
def test_bad_value_rows_are_refused(tmp_path, row, column, expected):
    f = tmp_path / "values.csv"
    f.write_text(HEADER + "2,2023,70,%,doc,2024,\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        values.read_values(f)
    assert err.value.line == 3 and err.value.column == column
    assert expected in str(err.value) and "values.csv" in str(err.value)


def test_duplicate_indicator_year_different_values_refused_same_value_kept_once(tmp_path):
    f = tmp_path / "values.csv"
    f.write_text(HEADER + "1,2023,37,μg/m³,doc A,2024,\n1,2023,38,μg/m³,doc B,2024,\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        values.read_values(f)
    assert err.value.line == 3 and err.value.column == "value" and "line 2: 37" in str(err.value)
    f.write_text(HEADER + "1,2023,37,μg/m³,doc A,2024,\n1,2023,37,μg/m³,doc B,2024,\n", encoding="utf-8")
    assert len(values.read_values(f)) == 1


def test_micro_sign_and_greek_mu_are_the_same_unit(tmp_path):
    f = tmp_path / "values.csv"
    f.write_text(HEADER + "1,2023,37,\u00b5g/m³,doc,2024,\n", encoding="utf-8")
    assert values.read_values(f)["value"].tolist() == [37.0]
    assert values.same_unit("μg/m³", "µg/m³")
    assert values.same_unit("\u00b5g/m\u00b3", "\u03bcg/m3")      # NFKC also folds ³ to 3
    assert not values.same_unit("μg/m³", "mg/m³")


def test_filled_province_target_changes_the_verdict(tmp_path):
    folder = _copy_plan(tmp_path)
    before = final.assess_plan_for(plan=folder).set_index("indicator_id")
    assert before.loc["1", "status_verdict"] == "no target supplied"
    with open(folder / "values.csv", "a", encoding="utf-8") as fh:
        fh.write("1,2025,36,μg/m³,test document (not a real source),2026-01,\n")
    assert final.assess_plan_for(plan=folder).set_index("indicator_id").loc["1", "status_verdict"] \
        == "no target supplied"            # a value alone makes no verdict
    with open(folder / "province_targets.csv", "a", encoding="utf-8") as fh:
        fh.write("1,2025,37,μg/m³,,test document (not a real source),2021,,\n")
    after = final.assess_plan_for(plan=folder).set_index("indicator_id")
    r = after.loc["1"]
    assert r["status_verdict"] == "met" and r["final"] and r["target_value"] == 37
    assert math.isclose(r["margin"], 1.0)     # 37 - 36, lower is better
    # and through the report run's scoreboard (verdicts.json), with no air store
    from yqplan.report import run as report

    settings = report.RunSettings(plan=str(folder), reports={},
                                  data={"source": "store", "store": str(tmp_path / "nostore")})
    info = report.write_verdicts(tmp_path, settings)
    board = json.loads((tmp_path / "verdicts.json").read_text(encoding="utf-8"))
    assert {b["indicator_id"]: b["status_verdict"] for b in board}["1"] == "met"
    assert info["n_indicators"] == 23

"""``yqplan plan …`` prints tables that parse as JSON and CSV, and rejects bad arguments."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from yqplan.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_indicators_json(capsys):
    code, out, _ = _run(capsys, "plan", "indicators", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 23
    pm = next(r for r in rows if r["indicator_id"] == "1")
    # Table 1: "全市细颗粒物(PM2.5) 浓度(μg/m ³)	49	完成省下 达指标"
    assert pm["baseline_2020"] == 49 and pm["target_text"] == "完成省下达指标"
    assert pm["target_value"] is None          # NaN becomes null


def test_projects_csv_and_filters(capsys):
    code, out, _ = _run(capsys, "plan", "projects", "--format", "csv")
    df = pd.read_csv(io.StringIO(out), dtype=str)
    assert code == 0 and len(df) == 59 and "investment_total" in df.columns
    _, out, _ = _run(capsys, "plan", "projects", "--table", "13-3", "--format", "csv")
    assert len(pd.read_csv(io.StringIO(out))) == 4
    # 盂县 appears in 13-1 rows 5, 8, 22, 24, 27, 32; 13-2 rows 6, 9, 10, 11, 13, 18, 22; 13-3 row 4
    _, out, _ = _run(capsys, "plan", "projects", "--district", "盂县", "--format", "json")
    assert len(json.loads(out)) == 14


def test_targets_and_reconcile_json(capsys):
    _, out, _ = _run(capsys, "plan", "targets", "--chapter", "3", "--format", "json")
    assert [r["target_id"] for r in json.loads(out)] == ["T01", "T02", "T03", "T04", "T05"]
    _, out, _ = _run(capsys, "plan", "reconcile", "--format", "json")
    rec = {r["table"]: r for r in json.loads(out)}
    assert rec["all"]["stated_count"] == 66 and rec["all"]["table_rows"] == 59
    assert rec["13-2"]["stated_investment"] == 67.4417


def test_investment_csv(capsys):
    _, out, _ = _run(capsys, "plan", "investment", "--by", "district", "--format", "csv")
    df = pd.read_csv(io.StringIO(out), dtype={"adcode": str})
    assert df["n_projects"].sum() == 59
    assert df.set_index("district").loc["矿区", "adcode"] == "140303"


def test_table_format_prints_compact_columns(capsys):
    code, out, _ = _run(capsys, "plan", "reconcile")
    assert code == 0 and "stated_count" in out and "13-2" in out


@pytest.mark.parametrize("argv, fragment", [
    (["plan", "projects", "--district", "太原"], "--district: '太原' is not one of"),
    (["plan", "targets", "--chapter", "13"], "--chapter: 13 is not one of 3"),
])
def test_bad_arguments_are_one_line_errors(capsys, argv, fragment):
    code, _, err = _run(capsys, *argv)
    assert code == 2 and fragment in err and err.count("\n") == 1

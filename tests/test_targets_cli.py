"""The ``yqplan targets`` commands (need the registry from yqplan.plan.tables)."""

from __future__ import annotations

import json

import pytest

from yqplan.cli import main

pytest.importorskip("yqplan.plan.tables", reason="yqplan.plan.tables (registry) not built yet")


def _values(tmp_path, text):
    p = tmp_path / "values.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_assess_writes_scoreboard_and_prints_json(tmp_path, capsys):
    # PM2.5 2019…2024: 52 49 46 44 43 41; no province target shipped → "no target supplied"
    p = _values(tmp_path, "indicator_id,year,value\n" + "".join(
        f"1,{y},{v}\n" for y, v in zip(range(2019, 2025), [52, 49, 46, 44, 43, 41])))
    rc = main(["targets", "assess", "--values", str(p), "--out", str(tmp_path / "o"),
               "--format", "json", "--n-boot", "199"])
    assert rc == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 23
    pm = next(r for r in rows if r["indicator_id"] == "1")
    assert pm["status_verdict"] == "no target supplied" and pm["latest_value"] == 41
    # Theil–Sen of 52 49 46 44 43 41: pairwise slopes' median = −2.0 µg/m³/year
    assert pm["trend_slope"] == pytest.approx(-2.0) and pm["n_boot"] == 199
    assert (tmp_path / "o" / "scoreboard.csv").exists()
    assert json.loads((tmp_path / "o" / "scoreboard.json").read_text(encoding="utf-8"))[0][
        "indicator_id"] == "1"


def test_assess_with_a_province_target_file(tmp_path, capsys):
    p = _values(tmp_path, "indicator_id,year,value,source\n1,2020,49,plan\n1,2023,44,test\n")
    prov = tmp_path / "prov.csv"
    prov.write_text("indicator_id,period,value,unit,comparator,source,source_date,source_url,note\n"
                    "1,2025,39,μg/m³,,hypothetical test document,,,\n", encoding="utf-8")
    assert main(["targets", "assess", "--values", str(p), "--province-targets", str(prov),
                 "--format", "csv"]) == 0
    out = capsys.readouterr().out
    # 44 > 39: not met, 5 µg/m³ short (see test_targets.py for the arithmetic)
    assert "interim (2023): not met" in out and "behind schedule" in out


def test_trend_command(tmp_path, capsys):
    p = _values(tmp_path, "indicator_id,year,value\n" + "".join(
        f"2,{y},{v}\n" for y, v in zip(range(2016, 2024), [60, 62, 61, 65, 68.6, 70, 72, 71])))
    assert main(["targets", "trend", "--values", str(p), "--indicator", "2", "--format",
                 "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["test"] for r in rows] == ["theil_sen", "mann_kendall_hamed_rao", "spearman_hj663"]
    assert rows[0]["slope_unit"] == "%/year" and rows[2]["critical_value"] == 0.643


def test_bad_input_is_one_clear_line(tmp_path, capsys):
    p = _values(tmp_path, "indicator_id,year,value\n1,2020,49\n1,twenty,3\n")
    assert main(["targets", "assess", "--values", str(p)]) == 2
    err = capsys.readouterr().err
    assert "line 3, column 'year'" in err and "expected an integer" in err
    assert main(["targets", "trend", "--indicator", "99"]) == 2
    assert "--indicator: '99' is not one of" in capsys.readouterr().err
    # an indicator id not in Table 1: the file, line and column are named
    q = _values(tmp_path, "indicator_id,year,value\n1,2020,49\n99,2021,3\n")
    assert main(["targets", "assess", "--values", str(q)]) == 2
    err = capsys.readouterr().err
    assert f"{q}, line 3, column 'indicator_id'" in err and "an indicator of Table 1" in err


def test_values_file_not_utf8_is_named(tmp_path, capsys):
    # "阳泉" in GB18030 on line 2: the error names the file and the line, not a bare codec error
    p = tmp_path / "values.csv"
    p.write_bytes("indicator_id,year,value,source\n3,2020,0.8,阳泉\n".encode("gb18030"))
    assert main(["targets", "assess", "--values", str(p)]) == 2
    assert f"{p}, line 2: not UTF-8 text" in capsys.readouterr().err


# Issue 12 item 5: yearly series on which the Hamed-Rao correction is undefined (n/n* <= 0)
# used to crash the scoreboard (math domain error / ZeroDivisionError).
CRASH_SERIES = [
    (range(2019, 2026), [49, 52, 48, 54, 48, 49, 48]),
    (range(2017, 2026), [56, 54, 58, 50, 52, 52, 42, 51, 43]),
]


@pytest.mark.parametrize("years,vals", CRASH_SERIES)
def test_scoreboard_survives_an_undefined_hamed_rao_correction(years, vals, tmp_path, capsys):
    import math

    import pandas as pd

    from yqplan.plan import targets

    values = pd.DataFrame({"indicator_id": "1", "year": list(years), "value": vals})
    sb = targets.assess_plan(values, n_boot=99)
    pm = sb.set_index("indicator_id").loc["1"]
    assert math.isnan(pm["trend_mk_p"]) and pm["trend_mk_direction"] == "p-value undefined"
    assert "n/n*" in pm["method_notes"]
    p = _values(tmp_path, "indicator_id,year,value\n" + "".join(
        f"1,{y},{v}\n" for y, v in zip(years, vals)))
    assert main(["targets", "assess", "--values", str(p), "--format", "json",
                 "--n-boot", "99"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert next(r for r in rows if r["indicator_id"] == "1")["trend_mk_p"] is None
    assert main(["targets", "trend", "--values", str(p), "--indicator", "1"]) == 0
    assert "p-value undefined" in capsys.readouterr().out

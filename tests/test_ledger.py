"""The key-project ledger: derived figures worked by hand, bad records, the burn-up chart."""

from __future__ import annotations

import csv
import datetime as dt
import math
import shutil

import pytest

from yqplan import config
from yqplan.plan import ledger
from yqplan.report import plots
from yqplan.errors import DataFileError

PLAN14 = config.data_dir() / "plans" / "14th"
HEAD = "project_id,as_of,status,investment_done,actual_start,actual_completion,note,source\n"
RECORDS = (
    "13-1#2,2021-03-31,under_construction,0.5,2020-01,,,progress report A\n"
    "13-1#2,2021-06-30,completed,0.806,2020-01,2021-06,,progress report B\n"
    "13-2#3,2023-12-31,under_construction,2.0,2022,,,progress report C\n"
    "13-2#3,2025-12-31,under_construction,4.5,2022,,,progress report D\n"
)


@pytest.fixture()
def folder(tmp_path):
    dest = tmp_path / "p"
    shutil.copytree(PLAN14, dest)
    (dest / "project_status.csv").write_text(HEAD + RECORDS, encoding="utf-8")
    return dest


def test_shipped_ledger_is_empty_but_valid():
    assert len(ledger.read_ledger()) == 0
    s = ledger.ledger_summary()
    assert (s.n_rows, s.n_stated, s.n_with_record, s.n_completed) == (59, 66, 0, 0)
    assert s.investment_done == 0 and s.investment_planned == pytest.approx(212.38462)


def test_derived_figures_by_hand(folder):
    s = ledger.ledger_summary(plan=folder)                  # as of 2025-12-31
    assert s.as_of == "2025-12-31"
    assert (s.n_with_record, s.n_completed) == (2, 1)
    assert s.completion_rate == pytest.approx(1 / 59)
    assert s.completion_rate_stated == pytest.approx(1 / 66)
    assert s.investment_done == pytest.approx(0.806 + 4.5)   # latest figure of each project
    assert s.investment_share == pytest.approx(5.306 / 212.38462)
    t = s.by_table.set_index("table")
    assert t.loc["13-1", "investment_done"] == pytest.approx(0.806) and t.loc["13-1", "n_completed"] == 1
    assert t.loc["13-2", "investment_done"] == pytest.approx(4.5) and t.loc["13-2", "n_completed"] == 0
    assert t.loc["13-3", "investment_done"] == 0
    assert t.loc["13-2", "investment_planned"] == pytest.approx(65.901682)
    d = s.by_district.set_index("district")
    assert d.loc["平定县", "investment_done"] == pytest.approx(4.5)   # 13-2#3 is in 平定县
    dep = s.by_department.set_index("lead_department")
    assert dep.loc["阳泉冀东水泥有限责任公司", "n_completed"] == 1
    # overdue: planned completion ended before 2025-12-31 and not completed — counted
    # independently from the CSV text: every dated row except those due "2025" (end of 2025)
    with open(PLAN14 / "projects.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    due_before = [r["project_id"] for r in rows if r["completion_date"] and r["completion_date"] != "2025"]
    assert sorted(s.overdue["project_id"]) == sorted(set(due_before) - {"13-1#2"})
    assert "13-2#3" not in set(s.overdue["project_id"])   # due 2025 = end of 2025, not past


def test_as_of_dates(folder):
    st = ledger.latest_status(plan=folder, as_of="2021-04-30").set_index("project_id")
    assert st.loc["13-1#2", "status"] == "under_construction" and st.loc["13-1#2", "investment_done"] == 0.5
    assert not st.loc["13-1#2", "overdue"]               # due 2021-05: end of May not yet passed
    st = ledger.latest_status(plan=folder, as_of="2021-06-15").set_index("project_id")
    assert st.loc["13-1#2", "overdue"]                    # past 2021-05-31, still under construction
    assert st.loc["13-2#3", "status"] == "no record" and math.isnan(st.loc["13-2#3", "investment_done"])


def test_burnup_series_and_chart(folder):
    b = ledger.burnup(plan=folder)
    assert [d.date().isoformat() for d in b["date"]] == ["2021-03-31", "2021-06-30", "2023-12-31", "2025-12-31"]
    assert b["completed"].tolist() == [0, 1, 1, 1]
    assert b["investment_done"].tolist() == pytest.approx([0.5, 0.806, 2.806, 5.306])
    fig = plots.plot_burnup(b, title="t", total=59, stated=66, investment_planned=212.38462)
    ax = fig.axes[0]
    steps = [ln for ln in ax.lines if len(ln.get_ydata()) == 4]
    assert list(steps[0].get_ydata()) == [0, 1, 1, 1]
    levels = sorted({float(ln.get_ydata()[0]) for ln in ax.lines if len(ln.get_ydata()) == 2})
    assert levels == [59.0, 66.0]                           # both scope lines, kept apart
    share = [ln for ln in fig.axes[1].lines][0].get_ydata()
    assert list(share) == pytest.approx([100 * x / 212.38462 for x in (0.5, 0.806, 2.806, 5.306)])
    empty = plots.plot_burnup(ledger.burnup(), title="t", total=59, stated=66)
    assert any("尚无进度记录" in t.get_text() for t in empty.axes[0].texts)


@pytest.mark.parametrize("row, column", [
    ("13-9#1,2022-01-31,completed,1,,,,doc", "project_id"),          # not a project of the plan
    ("13-1#2,2099-01-31,under_construction,1,,,,doc", "as_of"),       # in the future
    ("13-1#2,2022-01-31,under_construction,1,,,,", "source"),         # no source
    ("13-1#2,2022-01-31,finished,1,,,,doc", "status"),                # not a status
    ("13-1#2,2022-01,under_construction,1,,,,doc", "as_of"),          # not a day
    ("13-1#2,2022-01-31,under_construction,-1,,,,doc", "investment_done"),
    ("13-1#2,2022-01-31,under_construction,1,,2021-06,,doc", "status"),  # completion on an open project
    ("13-1#2,2021-03-31,under_construction,0.6,,,,doc", "project_id,as_of"),  # second record that day
])
def test_bad_records_refused(tmp_path, row, column):
    f = tmp_path / "project_status.csv"
    f.write_text(HEAD + "13-1#2,2021-03-31,under_construction,0.5,,,,doc\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        ledger.read_ledger(f, today=dt.date(2026, 12, 7))
    assert err.value.line == 3 and err.value.column == column and "project_status.csv" in str(err.value)


def test_period_end_dates():
    assert ledger.period_end_date("2021") == dt.date(2021, 12, 31)
    assert ledger.period_end_date("2022-02") == dt.date(2022, 2, 28)
    assert ledger.period_end_date("2024-02") == dt.date(2024, 2, 29)
    assert ledger.period_end_date("2022-12") == dt.date(2022, 12, 31)
    assert ledger.period_end_date("") is None

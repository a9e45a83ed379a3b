"""The final assessment: the Word document, the HTML report carrying the same numbers, and a
made-up second plan (2026–2030) working end to end from its folder alone."""

from __future__ import annotations

import html as _html
import math
from pathlib import Path

import pytest

from yqplan.plan import final
from yqplan.plan import tables as plan
from yqplan.plan import targets

ROOT = Path(__file__).resolve().parents[1]


def _docx_tables(path):
    import docx

    d = docx.Document(str(path))
    return d, [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]


def _cells(df):
    return [list(map(str, df.columns))] + [[str(v) for v in row] for row in df.itertuples(index=False)]


def test_docx_headings_tables_figures_fonts_and_numbers(tmp_path):
    from docx.oxml.ns import qn

    from yqplan.report import word as docx_report

    fa = final.final_assessment()
    tables = final.final_tables(fa, "zh")
    path = docx_report.write_final_docx(fa, tmp_path / "终期评估.docx", tables=tables)
    d, dt = _docx_tables(path)
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert heads[0] == ("Title", "阳泉市“十四五”生态环境保护规划终期评估（2025年）")
    h1 = [t for s, t in heads if s == "Heading 1"]
    assert h1 == [z for _, z, _ in final.SECTIONS]
    h2 = [t for s, t in heads if s == "Heading 2"]
    assert h2[:8] == [f"第{c}章" for c in (3, 5, 7, 8, 9, 10, 11, 12)]
    # tables: indicators, 8 chapters of text targets, 6 ledger tables, unknowns
    assert len(dt) == 1 + 8 + 6 + 1
    assert dt[0] == _cells(tables["indicators"])
    assert dt[-1] == _cells(tables["unknown"])
    assert len(d.inline_shapes) == 3                           # verdicts, investment, burn-up
    # the numbers of the scoreboard, made independently from the published figures
    board = targets.assess_plan(targets.values_from_figures()).set_index("indicator_id")
    for row in dt[0][1:]:
        r = board.loc[row[0]]
        latest = "–" if math.isnan(r["latest_value"]) else f"{r['latest_value']:.4g}（{int(r['latest_year'])}）"
        assert row[7] == latest, row
    assert dt[0][1 + list(board.index).index("3")][7] == "0.8197（2020）"
    # Chinese fonts set as the East Asian font
    def east_asian(style):
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
    assert east_asian(d.styles["Normal"]) == "宋体" and east_asian(d.styles["Heading 1"]) == "黑体"
    assert d.core_properties.language == "zh-CN"
    assert [p.name for p in tmp_path.iterdir()] == ["终期评估.docx"]   # written atomically


def _run_final_notebook(tmp_path, **params):
    import nbformat
    import papermill as pm

    from yqplan.report import render

    out = tmp_path / "50.ipynb"
    base = {"store_dir": str(tmp_path / "no-store"), "docx_dir": str(tmp_path)}
    pm.execute_notebook(str(ROOT / "notebooks" / "50_final_assessment.ipynb"), str(out),
                        parameters={**base, **params}, kernel_name="python3", progress_bar=False,
                        cwd=str(ROOT / "notebooks"))
    html_path = render.render_html(out, tmp_path / "50.html", language=params.get("language", "zh"))
    text = _html.unescape(Path(html_path).read_text(encoding="utf-8"))
    return nbformat.read(str(out), as_version=4), text


@pytest.mark.slow
def test_html_report_and_docx_carry_the_same_numbers(tmp_path):
    _, text = _run_final_notebook(tmp_path)
    path = tmp_path / "final_assessment.docx"
    assert path.is_file()                                     # the notebook wrote the Word version
    d, dt = _docx_tables(path)
    for _, zh, _ in final.SECTIONS:                           # same sections
        assert zh in text
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert len(heads) == 5 + 8 + 6 and all(h in text for h in heads)   # and the same sub-headings
    missing = {c for t in dt for row in t for c in row if c and c not in text}
    assert not missing, sorted(missing)[:10]                  # every cell of every table is in the HTML
    assert text.count("<img") >= 3 and len(d.inline_shapes) == 3
    summary = final.summary_sentences(final.final_assessment(), "zh")
    assert all(s in text for s in summary) and all(any(s in p.text for p in d.paragraphs) for s in summary)


# ---------------------------------------------------------------------- a second plan

IND_HEADER = ",".join(plan.INDICATORS_SCHEMA.names)
IND_ROWS = [
    '1,1,,环境治理,environmental governance,细颗粒物浓度,PM2.5 annual mean,μg/m³,35,35,30,value,30,<=,lower,binding,约束性,"Table 1, item 1",,',
    '2,2,,环境治理,environmental governance,优良天数比率,Good-day ratio,%,80,80,完成省下达指标,province_assigned,,,higher,binding,约束性,"Table 1, item 2",,',
    '3,3,,生态保护,ecological protection,森林覆盖率,Forest cover,%,26,26,28,value,28,>=,higher,expected,预期性,"Table 1, item 3",,',
]


def _project(pid, table, cat, cat_zh, district, adcode, completion, money):
    r = {c: "" for c in plan.PROJECTS_SCHEMA.names}
    r.update(project_id=pid, table=table, category=cat, category_zh=cat_zh, position="1",
             printed_no="1", name_zh=f"示例项目{pid}", district=district, adcode=adcode,
             district_basis="printed", completion_date=completion, investment_total=money,
             investment_status="stated", lead_department="示例部门")
    return r


def make_second_plan(root: Path) -> Path:
    """A made-up 2026–2030 plan: three indicators, two projects, values — files only."""
    import csv

    folder = root / "15th-example"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(
        "id: 15th-example\nname_zh: 示例“十五五”规划\nname_en: Example 15th plan\nperiod_start: 2026\n"
        "period_end: 2030\nbase_year: 2025\ntarget_year: 2030\ndefault_edition: \"2026\"\n",
        encoding="utf-8")
    (folder / "indicators.csv").write_text(IND_HEADER + "\n" + "\n".join(IND_ROWS) + "\n", encoding="utf-8")
    with open(folder / "projects.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=plan.PROJECTS_SCHEMA.names)
        w.writeheader()
        w.writerow(_project("13-1#1", "13-1", "air", "大气环境治理工程", "城区", "140302", "2028", "1.5"))
        w.writerow(_project("13-2#1", "13-2", "water", "水环境治理工程", "盂县", "140322", "2030", "2.5"))
    (folder / "values.csv").write_text(
        "indicator_id,year,value,unit,source,source_date,note\n"
        "1,2025,35,μg/m³,example bulletin,2026-01,\n1,2028,32,μg/m³,example bulletin,2026-06,\n"
        "1,2030,29.5,µg/m³,example bulletin,2026-06,\n3,2030,27.5,%,example bulletin,2026-06,\n"
        "2,2030,82,%,example bulletin,2026-06,\n", encoding="utf-8")
    (folder / "project_status.csv").write_text(
        "project_id,as_of,status,investment_done,actual_start,actual_completion,note,source\n"
        "13-1#1,2026-06-30,under_construction,0.7,2026-03,,,example progress report\n", encoding="utf-8")
    return folder


def test_second_plan_scoreboard_by_hand(tmp_path):
    folder = make_second_plan(tmp_path)
    meta = plan.plan_meta(folder)
    assert (meta.period_start, meta.period_end, meta.base_year, meta.target_year, meta.default_edition) == \
        (2026, 2030, 2025, 2030, "2026")
    b = final.assess_plan_for(plan=folder).set_index("indicator_id")
    assert list(b.index) == ["1", "2", "3"]
    assert b.loc["1", "verdict"] == "final (2030): met" and b.loc["1", "margin"] == pytest.approx(0.5)
    assert b.loc["3", "verdict"] == "final (2030): not met" and b.loc["3", "margin"] == pytest.approx(-0.5)
    assert b.loc["2", "status_verdict"] == "no target supplied"
    # 序时进度 on the plan's own years: 2028 is 3/5 of the way from 35 (2025) to 30 (2030)
    b28 = final.assess_plan_for(plan=folder, year=2028).set_index("indicator_id")
    assert b28.loc["1", "schedule_expected"] == pytest.approx(35 - 5 * 3 / 5)
    s = final.final_assessment(plan=folder)
    assert (s.ledger.n_rows, s.ledger.n_with_record, s.ledger.investment_done) == (2, 1, 0.7)
    assert math.isnan(s.ledger.n_stated) and s.reconcile is None and len(s.text_targets) == 0
    # a year outside 2025..2030 is refused for this plan
    from yqplan.plan import values
    from yqplan.errors import DataFileError

    with open(folder / "values.csv", "a", encoding="utf-8") as fh:
        fh.write("1,2024,40,μg/m³,example bulletin,2025,\n")
    with pytest.raises(DataFileError, match="from 2025"):
        values.read_values(plan=folder)


@pytest.mark.slow
def test_second_plan_final_report_runs_without_code_changes(tmp_path):
    folder = make_second_plan(tmp_path / "plans")
    nb, text = _run_final_notebook(tmp_path, plan_id=str(folder))
    assert "2030年：达标（终期）" in text and "2030年：未达标（终期）" in text
    assert "细颗粒物浓度" in text and "森林覆盖率" in text and "阳泉市“十四五”" not in text
    assert "四、重点工程台账" in text and "2030-12-31" in text
    d, dt = _docx_tables(tmp_path / "final_assessment.docx")
    assert d.paragraphs[0].text == "示例“十五五”规划终期评估（2030年）"
    assert [row[0] for row in dt[0][1:]] == ["1", "2", "3"]


def test_second_plan_cli(tmp_path, capsys):
    from yqplan.cli import main

    folder = make_second_plan(tmp_path)
    assert main(["plan", "check", "--plan", str(folder)]) == 0
    assert "3 indicators, 2 projects, 5 values" in capsys.readouterr().out
    assert main(["plan", "gaps", "--plan", str(folder), "--empty-only", "--format", "csv"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 + 3 * 6 - 5                          # 2025..2030 for 3 indicators, 5 filled


@pytest.mark.slow
def test_report_run_puts_the_docx_in_the_run_folder_and_links_it(tmp_path):
    import textwrap

    from test_report_helpers import small_demo_data

    from yqplan.report import run as report

    data = small_demo_data()
    params = tmp_path / "p.yaml"
    params.write_text(textwrap.dedent(f"""
        plan: 14th
        data: {{source: store, store: "{data['store']}", water: "{data['water']}"}}
        reports:
          50_final_assessment: {{}}
        """), encoding="utf-8")
    summary = report.run_reports(params, out_dir=tmp_path / "reports", jobs=1, progress=False)
    assert summary.ok, summary.results
    docx_path = summary.run_dir / "final_assessment.docx"
    assert docx_path.is_file()
    index = (summary.run_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="final_assessment.docx"' in index
    d, dt = _docx_tables(docx_path)
    html = _html.unescape((summary.run_dir / "50_final_assessment.html").read_text(encoding="utf-8"))
    assert all(c in html for c in dt[0][0] + [row[7] for row in dt[0][1:]])   # same indicator numbers
    # the run's scoreboard (verdicts.csv) and the Word table agree on every verdict's latest value
    import pandas as pd

    board = pd.read_csv(summary.run_dir / "verdicts.csv", dtype={"indicator_id": str})
    latest = {r.indicator_id: ("–" if pd.isna(r.latest_value) else
                               f"{r.latest_value:.4g}（{int(r.latest_year)}）") for r in board.itertuples()}
    assert {row[0]: row[7] for row in dt[0][1:]} == latest


def test_the_chinese_indicator_table_carries_no_english_source_phrases():
    """Sources are data in English ("plan Table 1", "not below the 2020 level"): the Chinese
    table (HTML and .docx alike) shows them in Chinese."""
    fa = final.final_assessment()
    table = final.final_tables(fa, "zh")["indicators"]
    cells = " ".join(table[["目标来源", "数值来源"]].astype(str).values.ravel())
    assert "plan Table" not in cells and "not below" not in cells and ", item " not in cells
    assert "规划表1" in cells and "表1第1项" in cells
    en = final.final_tables(fa, "en")["indicators"]
    assert "plan Table 1" in " ".join(en["Target source"].astype(str))

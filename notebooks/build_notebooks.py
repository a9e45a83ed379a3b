"""Write the report notebooks (``notebooks/*.ipynb``) from the cell lists below.

Run ``.venv/bin/python notebooks/build_notebooks.py`` after editing; the notebooks are
committed without outputs.  House style: a title and purpose, a ``parameters`` cell of
literals (tagged ``parameters``; the names and defaults are those of the notebook's
model in :data:`yqplan.report.NOTEBOOKS`), derived values in the next cell, then one
library call per section, a figure and a sentence.  Markdown cells come in pairs
tagged ``lang-zh`` / ``lang-en``; the report keeps the reader's language.
No function or class definitions in notebooks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent


def md(zh: str, en: str):
    return [new_markdown_cell(zh.strip(), metadata={"tags": ["lang-zh"]}),
            new_markdown_cell(en.strip(), metadata={"tags": ["lang-en"]})]


def code(src: str, tags=None):
    meta = {"tags": list(tags)} if tags else {}
    return [new_code_cell(src.strip(), metadata=meta)]


def params(model) -> list:
    """The parameters cell: every field of the model with its default, as literals."""
    lines = [f"{name} = {field.default!r}" for name, field in model.model_fields.items()]
    return code("\n".join(lines), tags=["parameters"])


PROVENANCE = """
report.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language)
"""


def notebook(cells) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [c for group in cells for c in group]
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i:02d}"
    return nb


def build() -> dict[str, nbformat.NotebookNode]:
    from yqplan import report

    M = report.NOTEBOOKS
    out = {}

    # ------------------------------------------------------------------ 00 overview
    out["00_plan_overview"] = notebook([
        md("""
# 阳泉市“十四五”生态环境保护规划：总览

规划 19 项指标（第 10 项分 5 个子项）的达标评估，以及第十三章重点工程的数量与投资。
""", """
# Yangquan 14th Five-Year Eco-Environment Plan: overview

Verdicts for the plan's 19 indicators (item 10 has five sub-items) and the key
projects of chapter 13 in numbers.
"""),
        params(M["00_plan_overview"]),
        code("""
from yqplan import maps, plan, plots, report, targets

plots.use_cjk_font()
values, air_meta = report.compute_indicator_values(store_dir, city, edition=edition,
                                                   water_dir=water_dir)
edition_used = edition
data_as_of = air_meta.get("data_as_of")
metas = [air_meta]
sources = ["规划表1、第十三章（data/plan/）", "公开数据（data/official/figures.csv）"]
"""),
        md("## 指标评估", "## Indicator verdicts"),
        code("""
board = targets.assess_plan(values)
fig = plots.plot_verdict_matrix(board, title="指标评估结论" if language == "zh" else "Indicator verdicts",
                                language=language)
"""),
        code("report.show_table(report.scoreboard_view(board, language))"),
        md("""
每行一项指标：状态为最新年份是否达到2025年目标（2025年起为终期结论）；序时进度比较实际值与2020年基准到2025年目标的直线路径；
进展比率为实际年均变化率与所需变化率之比。“未提供目标值”表示规划写“完成省下达指标”，而省下达值尚未录入 `data/plan/province_targets.csv`。
""", """
One row per indicator: the status says whether the latest year meets the 2025 target (final
from 2025 on); the time-elapsed check compares the actual value with the straight path from
the 2020 baseline to the target; the progress ratio divides the actual annual rate by the
required one. "No target supplied" means the plan says "complete the province's assigned
target" and that value has not been entered in `data/plan/province_targets.csv`.
"""),
        md("## 重点工程投资", "## Key projects: investment"),
        code("""
by_table = plan.summarise_investment("table")
fig = plots.plot_bars(by_table.set_index("category_zh" if language == "zh" else "category")["investment"],
                      title="各类重点工程投资" if language == "zh" else "Investment by table",
                      unit="亿元" if language == "zh" else "100 million yuan", language=language)
"""),
        code("""
by_district = plan.summarise_investment("district")
fig = maps.plot_district_map(by_district.groupby("adcode")["investment"].sum(),
                             title="重点工程投资的区县分布" if language == "zh" else "Investment by district",
                             value_label="亿元" if language == "zh" else "100 million yuan",
                             language=language)
"""),
        md("""
地图仅包含落在单一区县的项目；跨区县、市本级或未注明地点的项目见下表。
""", """
The map shades projects located in a single district; projects spanning several districts,
city-wide or without a stated location are in the table.
"""),
        code("report.show_table(by_district, language)"),
        md("## 与规划文本的核对", "## Reconciliation with the plan's stated totals"),
        code("""
recon = plan.reconcile_projects()
fig = plots.plot_grouped_bars(recon.set_index("table")[["stated_investment", "table_investment"]],
                              title="投资：文本所述与表格合计" if language == "zh" else "Investment: stated vs tables",
                              unit="亿元" if language == "zh" else "100 million yuan",
                              series_labels={"stated_investment": plots.label("stated", language),
                                             "table_investment": plots.label("computed", language)},
                              language=language)
"""),
        code("report.show_table(recon, language)"),
        md("""
第十三章所述项目数和投资与三张表的实际合计并排列出，差异如实保留，不强行对齐。
""", """
The counts and investment stated in chapter 13 sit beside what the three tables actually
hold; differences are kept, never forced to agree.
"""),
        md("## 来源", "## Sources"),
        code(PROVENANCE),
    ])

    # ------------------------------------------------------------------ 30 projects
    out["30_projects"] = notebook([
        md("""
# 重点工程：投资、进度与分布

规划表13-1（大气）、13-2（水）、13-3（土壤）所列重点工程：按类别、区县和牵头部门统计投资，开工与完工时间，及与规划文本合计的核对。
""", """
# Key projects: investment, timing and location

The key projects of Tables 13-1 (air), 13-2 (water) and 13-3 (soil): investment by category,
district and lead department, start and completion dates, and the reconciliation with the
plan's stated totals.
"""),
        params(M["30_projects"]),
        code("""
from yqplan import maps, plan, plots, report

plots.use_cjk_font()
projects = plan.read_projects()
edition_used = "—"
data_as_of = None
metas = []
sources = [f"规划表13-1、13-2、13-3（{projects.attrs.get('source_path', 'data/plan/projects.csv')}）"]
zh = language == "zh"
"""),
        md("## 按类别", "## By category"),
        code("""
by_category = plan.summarise_investment("category")
fig = plots.plot_bars(by_category.set_index("category_zh" if zh else "category")["investment"],
                      title="各类工程投资" if zh else "Investment by category",
                      unit="亿元" if zh else "100 million yuan", language=language)
"""),
        code("report.show_table(by_category, language)"),
        md("## 按区县", "## By district"),
        code("""
by_district = plan.summarise_investment("district")
fig = maps.plot_district_map(by_district.groupby("adcode")["investment"].sum(),
                             title="工程投资的区县分布" if zh else "Investment by district",
                             value_label="亿元" if zh else "100 million yuan", language=language)
"""),
        code("""
fig = plots.plot_bars(by_district.set_index("district")["investment"],
                      title="各区县（含跨区县、市本级）投资" if zh else "Investment by district label",
                      unit="亿元" if zh else "100 million yuan", horizontal=True, language=language)
"""),
        md("## 按牵头部门", "## By lead department"),
        code("""
by_department = plan.summarise_investment("department")
fig = plots.plot_bars(by_department.set_index("lead_department")["investment"],
                      title="各牵头部门工程投资" if zh else "Investment by lead department",
                      unit="亿元" if zh else "100 million yuan", horizontal=True, language=language)
"""),
        md("## 开工与完工时间", "## Start and completion"),
        code("""
fig = plots.plot_project_timeline(projects, title="重点工程时间表" if zh else "Project timeline",
                                  label_col="name_zh", start_col="start_date",
                                  end_col="completion_date", group_col="table", language=language)
"""),
        md("""
每个条形为一个项目从开工到完工的时间；规划未写明起止时间的项目不画出，并在标题中计数。
""", """
Each bar runs from a project's start to its completion; projects without dates in the plan
are left out and counted in the title.
"""),
        md("## 与规划文本的核对", "## Reconciliation"),
        code("""
recon = plan.reconcile_projects()
fig = plots.plot_grouped_bars(recon.set_index("table")[["stated_count", "table_rows"]],
                              title="项目数：文本所述与表格行数" if zh else "Projects: stated vs table rows",
                              series_labels={"stated_count": plots.label("stated", language),
                                             "table_rows": plots.label("computed", language)},
                              language=language)
"""),
        code("report.show_table(recon, language)"),
        md("## 来源", "## Sources"),
        code(PROVENANCE),
    ])

    # ------------------------------------------------------------------ 40 one indicator
    out["40_indicator"] = notebook([
        md("""
# 单项指标深入分析

一项规划指标：历年数值、2020年基准与2025年目标、序时进度路径、趋势外推及各评估方法的结论。
""", """
# One indicator in depth

One indicator of the plan: its yearly values, the 2020 baseline and 2025 target, the
time-elapsed path, the projected trend and the verdict of each method.
"""),
        params(M["40_indicator"]),
        code("""
from yqplan import plan, plots, report, targets

plots.use_cjk_font()
zh = language == "zh"
registry = plan.read_indicators()
indicator = report.find_indicator(registry, indicator_id)
values, air_meta = report.compute_indicator_values(store_dir, city, edition=edition,
                                                   water_dir=water_dir)
series = report.indicator_series(values, indicator_id)
edition_used = edition
data_as_of = air_meta.get("data_as_of")
metas = [air_meta]
sources = ["规划表1（data/plan/indicators.csv）", "公开数据（data/official/figures.csv）"]
"""),
        md("## 评估", "## Assessment"),
        code("""
board = targets.assess_plan(values)
row = board[board["indicator_id"] == indicator_id].iloc[0]
report.show_table(report.scoreboard_view(board[board["indicator_id"] == indicator_id], language))
"""),
        code("report.show_indicator_sentence(row, language)"),
        md("## 历年数值与目标路径", "## Values and the path to the target"),
        code("""
projection = report.extract_projection(row)
fig = plots.plot_indicator_path(series, title=f"{indicator_id}. {row['name_zh'] if zh else row['name_en']}",
                                unit=row["unit"], baseline=row["baseline_value"],
                                target=row["target_value"], projection=projection, language=language)
"""),
        md("""
实线为实际值，方块为2020年基准，虚线为2025年目标，点线为序时进度路径；紫色菱形为按 Theil–Sen 趋势外推到2025年的值及其区间（数据点不足6个时不外推）。
""", """
Solid: actual values; square: the 2020 baseline; dashed: the 2025 target; dotted: the
time-elapsed path; purple diamond: the Theil–Sen trend projected to 2025 with its interval
(not drawn with fewer than six points).
"""),
        md("## 数据", "## Data"),
        code("report.show_table(values[values['indicator_id'] == indicator_id], language)"),
        md("## 来源", "## Sources"),
        code(PROVENANCE),
    ])
    return out


def main(argv=None) -> int:
    names = set((argv if argv is not None else sys.argv[1:]) or [])
    for name, nb in build().items():
        if names and name not in names:
            continue
        nbformat.validate(nb)
        path = HERE / f"{name}.ipynb"
        nbformat.write(nb, str(path))
        print(f"wrote {path.relative_to(HERE.parent)} ({len(nb.cells)} cells)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the report notebooks (``notebooks/*.ipynb``) from the cell lists below.

Run ``.venv/bin/python notebooks/build_notebooks.py`` after editing; the notebooks are
committed without outputs.  House style: a title and purpose, a ``parameters`` cell of
literals (tagged ``parameters``; the names and defaults are those of the notebook's
model in :data:`yqplan.report.run.NOTEBOOKS`), derived values in the next cell, then one
library call per section (:mod:`yqplan.analyses` for the tables, :mod:`yqplan.water.gb3838`,
:mod:`yqplan.plan.tables`, :mod:`yqplan.plan.targets` directly), a figure (:mod:`yqplan.report.plots`,
:mod:`yqplan.report.maps`) and a sentence (:mod:`yqplan.report.present`).  Markdown cells come in pairs
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
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)
"""


def sources_section() -> list:
    """The closing "Sources" section, tagged ``provenance``: shown in JupyterLab; in the HTML
    report the pipeline's provenance footer (built from this cell's record) replaces it."""
    heading = md("## 来源", "## Sources")
    for cell in heading:
        cell.metadata["tags"].append("provenance")
    return [heading, code(PROVENANCE, tags=["provenance"])]


#: The plan indicators' values (computed once per run, ``values_file``) and their provenance.
INDICATOR_VALUES = """
values, air_meta = analyses.load_indicator_values(values_file, store_dir, city, edition=edition,
                                                water_dir=water_dir, as_of=as_of, dust=dust,
                                                plan=plan_id)
edition_used = air_meta.get("edition") or edition
data_as_of = air_meta.get("data_as_of")
metas = [air_meta]
""".lstrip("\n")


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
    from yqplan.report import run as report

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
from yqplan import analyses
from yqplan.plan import final
from yqplan.report import maps
from yqplan.plan import tables as plan
from yqplan.report import plots
from yqplan.report import present
from yqplan.plan import targets

plots.use_cjk_font()
""" + INDICATOR_VALUES + """sources = ["规划表1、第十三章（data/plans/14th/）", "公开数据（data/official/figures.csv）"]
"""),
        md("## 指标评估", "## Indicator verdicts"),
        code("""
board = final.assess_plan_for(plan=plan_id, measured=values)
fig = plots.plot_verdict_matrix(board, title="指标评估结论" if language == "zh" else "Indicator verdicts",
                                language=language)
"""),
        code("present.show_table(present.scoreboard_view(board, language))"),
        code("present.show_periods(air_meta, language)"),
        md("""
每行一项指标：状态为最新年份是否达到2025年目标（2025年起为终期结论）；序时进度比较实际值与2020年基准到2025年目标的直线路径；
进展比率为实际年均变化率与所需变化率之比。“未提供目标值”表示规划写“完成省下达指标”，而省下达值尚未录入 `data/plans/14th/province_targets.csv`。
""", """
One row per indicator: the status says whether the latest year meets the 2025 target (final
from 2025 on); the time-elapsed check compares the actual value with the straight path from
the 2020 baseline to the target; the progress ratio divides the actual annual rate by the
required one. "No target supplied" means the plan says "complete the province's assigned
target" and that value has not been entered in `data/plans/14th/province_targets.csv`.
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
        code("present.show_table(by_district, language)"),
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
        code("present.show_table(recon, language)"),
        md("""
第十三章所述项目数和投资与三张表的实际合计并排列出，差异如实保留，不强行对齐。
""", """
The counts and investment stated in chapter 13 sit beside what the three tables actually
hold; differences are kept, never forced to agree.
"""),
        *sources_section(),
    ])

    # ------------------------------------------------------------------ 10 PM2.5
    AIR_SETUP = """
from yqplan import analyses
from yqplan.report import maps
from yqplan.air import periods
from yqplan.report import plots
from yqplan.report import present

plots.use_cjk_font()
zh = language == "zh"
hourly, air_meta = analyses.read_city_hourly(store_dir, city, start_year=start_year, end_year=end_year,
                                           as_of=as_of)
days, dust_days = analyses.assess_air(hourly, edition=edition, dust=dust)
annual = analyses.compute_annual_table(days, start_year, end_year)
year_periods = analyses.annual_periods(annual)  # complete years and partial (year-to-date) periods
whole = analyses.complete_annual(annual)  # only complete years decide verdicts, trends, projections
monthly = analyses.compute_monthly_table(days, start_year, end_year)
synthetic = bool(air_meta.get("synthetic"))
edition_used = analyses.describe_editions(days, edition)
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = [dust_days.label] if dust_days is not None else []
"""
    out["10_pm25"] = notebook([
        md("""
# 细颗粒物（PM2.5）与规划目标

年均与月均浓度（含有效性判定）、去季节趋势及其置信区间、各国控站点、扣沙与不扣沙对比、外推到2025年与序时进度路径。
""", """
# PM2.5 against the plan's target

Annual and monthly means with their validity, the deseasonalised trend with its interval,
the national stations, with and without dust deduction, the projection to 2025 and the
time-elapsed (序时进度) path.
"""),
        params(M["10_pm25"]),
        code(AIR_SETUP),
        code("present.show_periods(year_periods, language)"),
        md("## 年均浓度与目标", "## Annual mean against the target"),
        code("""
row = analyses.assess_indicator_series("1", whole["pm25"], synthetic=synthetic)
fig = plots.plot_indicator_path(annual["pm25"], valid=annual["valid_pm25"],
                                title=f"{city} PM2.5 年均浓度" if zh else f"{city}: annual mean PM2.5",
                                unit="µg/m³", baseline=row["baseline_value"], target=row["target_value"],
                                projection=analyses.extract_projection(row), periods=year_periods,
                                language=language)
"""),
        code("present.show_indicator_sentence(row, language)"),
        code("""
partial_table = analyses.compare_partial_periods(days, annual, language=language)
present.show_markdown(present.partial_comparison_sentence(partial_table, language), language=language)
"""),
        md("""
空心点为未满足年有效性（324天且每月27天，2月25天）的年份；橙色空心菱形为不完整年份（如只有1—2月），单独标注、不与年均线相连，也不参与评估、趋势和外推；点线为从2020年基准到2025年目标的序时进度路径，紫色菱形为 Theil–Sen 趋势外推到2025年的值及90%区间。规划对PM2.5写“完成省下达指标”，未录入省下达值时不画目标线。
""", """
Hollow points: years failing annual validity (324 days, 27 a month, 25 in February); orange
hollow diamond: a partial year (e.g. January–February only), labelled, not joined to the annual
line and never used for verdicts, trends or projections. Dotted:
the time-elapsed path from the 2020 baseline to the 2025 target; purple diamond: the
Theil–Sen trend projected to 2025 with its 90 % interval. The plan's PM2.5 target is "the
province's assigned value": without it in `data/plans/14th/province_targets.csv` no target line is drawn.
"""),
        md("## 月均浓度与有效性", "## Monthly means and validity"),
        code("""
fig = plots.plot_monthly_values(monthly["pm25"], monthly["valid_pm25"],
                                title=f"{city} PM2.5 月均浓度" if zh else f"{city}: monthly mean PM2.5",
                                unit="µg/m³", language=language)
"""),
        md("## 去季节趋势", "## Deseasonalised trend"),
        code("""
trend_result, months = analyses.compute_monthly_trend(days, "pm25", unit="µg/m³")
fig = plots.plot_monthly_trend(months, trend_result, title="PM2.5 去季节趋势" if zh else "PM2.5 deseasonalised trend",
                               unit="µg/m³", language=language)
"""),
        code("""
from yqplan.report import trend_text

present.show_markdown(*trend_text.monthly_trend_sentences(trend_result, "µg/m³"), language)
"""),
        md("## 各国控站点", "## The national stations"),
        code("""
station_year = periods.latest_complete(year_periods) or end_year  # an annual mean needs a complete year
stations, station_meta = analyses.compute_station_annual(store_dir, city, year=station_year, edition=edition,
                                                         dust=dust, as_of=as_of)
metas.append(station_meta)
present.show_markdown(present.station_note(stations, station_year, city, language), language=language)
fig = plots.plot_bars(stations.set_index("station_name")["pm25"] if len(stations) else stations["pm25"],
                      title=f"{station_year}年各站点 PM2.5 年均浓度" if zh else f"Annual mean PM2.5 by station, {station_year}",
                      unit="µg/m³", horizontal=True, language=language)
"""),
        code("""
fig = maps.plot_district_map(stations=stations, title="国控空气监测站点" if zh else "National air-monitoring stations",
                             zoom=True, language=language)
"""),
        md("## 扣除沙尘的影响", "## With and without dust deduction"),
        code("""
dust_table = periods.relabel(analyses.compute_dust_comparison(hourly, edition=edition, start_year=start_year,
                                                                end_year=end_year, dust=dust),
                             year_periods, language)
fig = plots.plot_grouped_bars(dust_table[["pm25_with_dust", "pm25_without_dust"]],
                              title="PM2.5 年均浓度：含/扣除沙尘天" if zh else "Annual PM2.5 with and without dust days",
                              unit="µg/m³", series_labels={"pm25_with_dust": plots.label("with_dust", language),
                                                           "pm25_without_dust": plots.label("without_dust", language)},
                              language=language)
"""),
        code("present.show_table(dust_table.rename_axis('period').reset_index(), language)"),
        md("""
沙尘天为**估算**（PM10日均≥150 µg/m³且PM2.5/PM10≤0.35），并非监测部门公布的沙尘天名单；有官方名单时应以其为准。
""", """
Dust days are **estimated** (PM10 daily mean ≥ 150 µg/m³ and PM2.5/PM10 ≤ 0.35), not the
official list of the monitoring centre; use that list when you have it.
"""),
        *sources_section(),
    ])

    # ------------------------------------------------------------------ 11 good days
    out["11_good_days"] = notebook([
        md("""
# 优良天数比例与重污染天数

日历热力图（AQI等级颜色）、月度优良天数比例、滚动365天比例、首要污染物的变化，以及与规划目标的比较。
""", """
# Good-day ratio and heavy-pollution days

A calendar heat-map in the AQI colours, monthly ratios, the rolling 365-day ratio, the
primary pollutants over time, and the plan's targets.
"""),
        params(M["11_good_days"]),
        code(AIR_SETUP),
        code("present.show_periods(year_periods, language)"),
        md("## 日历", "## Calendar"),
        code("""
year_shown, year_note = periods.resolve_year(year, year_periods, language)
present.show_markdown(year_note, language=language)
fig = plots.plot_aqi_calendar(days.set_index("date")["aqi"], year=year_shown or year,
                              title=f"{city} {year_shown or year}年逐日AQI" if zh else f"{city}: daily AQI, {year_shown or year}",
                              language=language)
"""),
        code("""
present.show_markdown(present.year_summary_sentence(annual, year_shown, year_periods, language), language=language)
partial_table = analyses.compare_partial_periods(days, annual, language=language)
present.show_markdown(present.partial_comparison_sentence(partial_table, language), language=language)
"""),
        md("## 优良天数比例", "## Good-day ratio"),
        code("""
row2 = analyses.assess_indicator_series("2", whole["good_ratio"], synthetic=synthetic)
fig = plots.plot_indicator_path(annual["good_ratio"], title="优良天数比例" if zh else "Good-day ratio", unit="%",
                                baseline=row2["baseline_value"], target=row2["target_value"],
                                projection=analyses.extract_projection(row2), periods=year_periods,
                                language=language)
"""),
        code("present.show_indicator_sentence(row2, language)"),
        code("""
fig = plots.plot_monthly_ratio(monthly["good_ratio"], monthly["heavy_days"],
                               title="月度优良天数比例与重污染天数" if zh else "Monthly good-day ratio and heavy-pollution days",
                               language=language)
"""),
        code("""
rolling = analyses.compute_rolling_good_ratio(days)
fig = plots.plot_rolling_ratio(rolling, target=row2["target_value"],
                               title="滚动365天优良天数比例" if zh else "Rolling 365-day good-day ratio",
                               language=language)
"""),
        md("""
规划表1的2020年优良天数比例为68.6%，第一章正文为69.9%；本报告采用表1的68.6%作为基准。
""", """
Table 1 gives the 2020 good-day ratio as 68.6 %, chapter 1 as 69.9 %; this report uses
Table 1's 68.6 % as the baseline.
"""),
        md("## 重污染天数比例", "## Heavy-pollution days"),
        code("""
row3 = analyses.assess_indicator_series("3", whole["heavy_ratio"], synthetic=synthetic)
fig = plots.plot_indicator_path(annual["heavy_ratio"], title="重污染天数比例" if zh else "Share of heavy-pollution days",
                                unit="%", baseline=row3["baseline_value"], target=row3["target_value"],
                                projection=analyses.extract_projection(row3), periods=year_periods,
                                language=language)
"""),
        code("present.show_indicator_sentence(row3, language)"),
        md("## 首要污染物", "## Primary pollutants"),
        code("""
primary = analyses.count_primary_pollutants(annual)
fig = plots.plot_stacked_counts(periods.relabel(primary, year_periods, language),
                                title="各年首要污染物天数" if zh else "Days by primary pollutant and year",
                                language=language)
"""),
        code("""
present.show_markdown(present.primary_pollutant_sentence(primary, analyses.count_primary_pollutants(monthly),
                                                         year_periods, language=language), language=language)
"""),
        *sources_section(),
    ])

    # ------------------------------------------------------------------ 12 ranking
    out["12_shanxi_ranking"] = notebook([
        md("""
# 阳泉在全省11个地级市中的排名

按环境空气质量综合指数（六项污染物 Σ Ci/Si，不加权）逐月、逐年排名，1为最好。
""", """
# Yangquan among Shanxi's cities

Rank by the composite air-quality index (Σ Ci/Si over six pollutants, unweighted) by month
and by year; 1 is the best.
"""),
        params(M["12_shanxi_ranking"]),
        code("""
from yqplan import analyses
from yqplan.air import periods
from yqplan.report import plots
from yqplan.report import present

plots.use_cjk_font()
zh = language == "zh"
days, air_meta = analyses.assess_cities(store_dir, cities, start_year=start_year, end_year=end_year,
                                        edition=edition, as_of=as_of, dust=dust)
year_periods = periods.derive_periods(days)  # complete years and partial (year-to-date) periods
ranked = air_meta["cities"]
edition_used = analyses.describe_editions(days, edition)
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = []
"""),
        code("present.show_periods(year_periods, language)"),
        md("## 逐月排名", "## Rank by month"),
        code("""
ranks_month, index_month = analyses.rank_periods(days, ranked, by="month")
fig = plots.plot_rank_history(ranks_month, city=city, n_cities=len(ranked),
                              title=f"{city}综合指数逐月排名" if zh else f"{city}: monthly composite-index rank",
                              language=language)
"""),
        code("""
present.show_markdown(
    f"共 {len(ranks_month)} 个月，{present.escape_markdown(city)}排在后三名的月份有 {int((ranks_month[city] >= len(ranked) - 2).sum())} 个。",
    f"Over {len(ranks_month)} months, {present.escape_markdown(city)} was among the three worst in {int((ranks_month[city] >= len(ranked) - 2).sum())}.",
    language)
"""),
        md("## 逐年排名", "## Rank by year"),
        code("""
ranks_year, index_year = analyses.rank_periods(days, ranked, by="year")
rank_year = str(periods.latest_complete(year_periods, among=index_year.index) or index_year.index[-1])
rank_label = periods.year_label(rank_year, year_periods, language)
fig = plots.plot_bars(index_year.loc[rank_year].sort_values(), highlight=city,
                      title=f"{rank_label}年综合指数" if zh and rank_label.isdigit() else
                      (f"{rank_label}综合指数" if zh else f"Composite index, {rank_label}"),
                      language=language)
present.show_markdown(present.rank_sentence(index_year.loc[rank_year], city, rank_label, language), language=language)
"""),
        code("present.show_table(periods.relabel(ranks_year, year_periods, language).astype('Int64').reset_index(names='period'), language)"),
        md("""
综合指数越大空气质量越差；柱状图为最近的完整年份，不完整年份（如只有1—2月）只在表中按其期间标注。省厅每月发布的“全省环境空气质量状况”可用于核对本排名。
""", """
A larger index is worse; the bars are the latest complete year, a partial year (e.g. January–
February only) appears in the table under its period. The provincial department's monthly bulletin ("全省环境空气质量状况")
is where a reader checks this ranking.
"""),
        *sources_section(),
    ])

    # ------------------------------------------------------------------ 20 water
    out["20_water"] = notebook([
        md("""
# 地表水断面水质

各断面逐月水质类别与目标类别的对照、Ⅰ～Ⅲ类与劣Ⅴ类断面比例与规划目标、主要污染指标、断面分布图。类别按 GB 3838—2002 与《地表水环境质量评价办法（试行）》（2011）由自动监测数据重算，**不是官方评价结果**。
""", """
# Surface-water sections

Each section's monthly class against its target class, the shares of sections at I–III and
worse than V against the plan's targets, the main pollutants, and a map of the sections.
Classes are recomputed from automatic monitoring by GB 3838—2002 and the 2011 evaluation
rules: **not the official assessment**.
"""),
        params(M["20_water"]),
        code("""
from yqplan import analyses
from yqplan.water import gb3838
from yqplan.report import maps
from yqplan.report import plots
from yqplan.report import present
from yqplan.water import monitoring as water

plots.use_cjk_font()
zh = language == "zh"
sections = water.read_sections()
readings, water_meta = analyses.read_water_data(water_dir, start_year=start_year, end_year=end_year,
                                              as_of=as_of)
classes = gb3838.classify_periods(readings, by="month", sections=sections)
edition_used = "GB 3838—2002"
data_as_of = water_meta["data_as_of"]
metas = [water_meta]
sources = ["断面表 data/water/sections.csv"]
"""),
        md("## 逐月水质类别", "## Monthly class of each section"),
        code("""
fig = plots.plot_water_heatmap(gb3838.pivot_classes(classes),
                               target_class=sections.set_index("section_name")["target_class_num"],
                               sufficient=gb3838.pivot_classes(classes, "sufficient"),
                               title="断面逐月水质类别" if zh else "Monthly class by section", language=language)
"""),
        code("""
present.show_markdown(
    f"共 {classes['section_name'].nunique()} 个断面、{classes['period_label'].nunique()} 个月；{len(readings)} 条指标读数（断面×时间×指标）。类别由月均值按单因子法确定，数据充足度见文末表格。",
    f"{classes['section_name'].nunique()} sections over {classes['period_label'].nunique()} months from {len(readings)} indicator readings (section × time × indicator); each class is the single-factor class of the monthly means, with its data sufficiency in the last table.",
    language)
"""),
        code("""
from yqplan.report import water_text

present.show_markdown(*water_text.sufficiency_sentences(classes, list(sections["section_name"])), language)
"""),
        md("## Ⅰ～Ⅲ类与劣Ⅴ类比例", "## Shares of class I–III and worse than V"),
        code("""
classes_year = gb3838.classify_periods(readings, by="year", sections=sections)
shares = gb3838.compute_plan_indicators(classes_year, sections["section_name"])
fig = plots.plot_water_shares(shares, target_good=gb3838.TARGET_GOOD_PCT, target_bad=gb3838.TARGET_BAD_PCT,
                              title="各年达到或优于Ⅲ类、劣Ⅴ类断面比例" if zh else "Shares of sections by year",
                              language=language)
present.show_markdown(*water_text.share_sentences(shares), language)
"""),
        md("""
规划指标4（达到或优于Ⅲ类比例，2025年≥80%）和指标5（劣Ⅴ类比例，2025年为0）；年度类别由全年均值确定，而非各月类别。
""", """
The plan's indicators 4 (share at class III or better, ≥ 80 % in 2025) and 5 (share worse than
class V, 0 in 2025); a year's class comes from the annual means, not from the months.
"""),
        md("## 主要污染指标", "## Main pollutants"),
        code("""
fig = plots.plot_bars(analyses.count_main_pollutants(classes[classes["sufficient"]]),
                      title="数据充足且超过Ⅲ类的月份中各指标作为主要污染指标的次数" if zh else "Sufficient months each indicator was a main pollutant",
                      unit="断面·月" if zh else "section-months", language=language)
"""),
        md("## 断面分布", "## Where the sections are"),
        code("""
fig = maps.plot_district_map(sections=sections, title="水质断面" if zh else "Water sections", language=language)
"""),
        md("""
坐标未知或已知有误的断面（如闫家庄大桥，公开坐标指向临汾附近）不在图上标注，见 `data/water/sections.csv`。
""", """
Sections whose coordinates are unknown or known to be wrong (闫家庄大桥: the published point
lies near Linfen) are not drawn; see `data/water/sections.csv`.
"""),
        md("## 数据充足度", "## Data sufficiency"),
        code("""
present.show_table(classes[["section_name", "period_label", "class_label", "main_pollutants", "n_valid",
                           "coverage_pct", "sufficient", "indicators_missing", "basis"]], language, max_rows=400)
"""),
        *sources_section(),
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
from yqplan.report import maps
from yqplan.plan import tables as plan
from yqplan.report import plots
from yqplan.report import present

plots.use_cjk_font()
projects = plan.read_projects()
edition_used = "—"
data_as_of = None
metas = []
sources = [f"规划表13-1、13-2、13-3（{projects.attrs.get('source_path', 'data/plans/14th/projects.csv')}）"]
zh = language == "zh"
"""),
        md("## 按类别", "## By category"),
        code("""
by_category = plan.summarise_investment("category")
fig = plots.plot_bars(by_category.set_index("category_zh" if zh else "category")["investment"],
                      title="各类工程投资" if zh else "Investment by category",
                      unit="亿元" if zh else "100 million yuan", language=language)
"""),
        code("present.show_table(by_category, language)"),
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
        code("present.show_table(recon, language)"),
        *sources_section(),
    ])

    # ------------------------------------------------------------------ 50 final assessment
    out["50_final_assessment"] = notebook([
        md("""
# 规划终期评估

规划目标年的终期评估：规划表1各项指标的终期结论及其依据（数值、来源、目标、方法、数据充分性），规划文本中的量化目标，重点工程台账，以及尚不掌握的情况。同样内容的 Word 版本（.docx）见报告目录。
""", """
# Final assessment of the plan

The final assessment for the plan's target year: each Table 1 indicator's final verdict with
its evidence (value, source, target, method, data sufficiency), the quantified targets of the
plan text, the key-project ledger, and what is still unknown. The same content as a Word
document (.docx) is linked from the index.
"""),
        params(M["50_final_assessment"]),
        code("""
from pathlib import Path

from yqplan import analyses
from yqplan.report import word as docx_report
from yqplan.plan import final
from yqplan.report import plots
from yqplan.report import present

plots.use_cjk_font()
zh = language == "zh"
measured, air_meta = analyses.load_indicator_values(values_file, store_dir, city, edition=edition,
                                                    water_dir=water_dir, as_of=as_of, plan=plan_id)
fa = final.final_assessment(plan=plan_id, measured=measured, as_of=as_of or None)
tables = final.final_tables(fa, language)
edition_used = air_meta.get("edition") or edition
data_as_of = air_meta.get("data_as_of")
metas = [air_meta]
sources = [f"规划文件夹 {fa.plan.folder}：indicators、values、province_targets、text_targets、"
           "text_target_values、projects、project_status"]
"""),
        md("## 一、总体结论", "## 1. Summary"),
        code("""
present.show_markdown("\\n\\n".join(final.summary_sentences(fa, "zh")),
                      "\\n\\n".join(final.summary_sentences(fa, "en")), language)
"""),
        md("## 二、规划指标终期评估", "## 2. Indicators: final verdicts"),
        code('present.show_table(tables["indicators"], language)'),
        code('fig = final.final_figure(fa, "verdicts", language)'),
        md("""
终期结论以目标年的数值与目标比较；缺目标年数值时只给出以最新年份计的中期结论，并在“方法”与“数据充分性”中说明。省下达指标未录入时不作评估。
""", """
A final verdict compares the target year's value with the target; without that value only an
interim verdict from the latest year is given, as the method and data-sufficiency columns say.
A province-assigned target that has not been entered is not assessed.
"""),
        md("## 三、规划文本中的量化目标", "## 3. Quantified targets in the plan text"),
        code("""
chapter_col = tables["text_targets"].columns[0]
for chapter, rows in tables["text_targets"].groupby(chapter_col, sort=False):
    present.show_markdown(f"### 第{chapter}章", f"### Chapter {chapter}", language)
    present.show_table(rows.drop(columns=[chapter_col]), language)
"""),
        md("""
类型：达到水平（最新值与目标比较）、不超过限值（任一年超过即未达标）、节点目标（截止年及以前达到）、数量目标（逐年新增数量累计）。未录入数值的目标不作结论。
""", """
Kinds: level to reach (the latest value against the target), limit not to exceed (any year
above it fails), dated milestone (reached in or before the deadline year), count (yearly
additions summed). Targets without a value get no verdict.
"""),
        md("## 四、重点工程台账", "## 4. Key-project ledger"),
        md("### 主要数字", "### Key figures"),
        code('present.show_table(tables["ledger_key"], language)'),
        md("### 文本所述与表列项目", "### Stated vs printed projects"),
        code('present.show_table(tables["reconcile"], language)'),
        md("### 按表", "### By table"),
        code('present.show_table(tables["ledger_by_table"], language)'),
        code('fig = final.final_figure(fa, "investment", language)'),
        md("### 按区县", "### By district"),
        code('present.show_table(tables["ledger_by_district"], language)'),
        md("### 按牵头部门", "### By lead department"),
        code('present.show_table(tables["ledger_by_department"], language)'),
        code('fig = final.final_figure(fa, "burnup", language)'),
        md("### 逾期未完工项目", "### Projects past planned completion"),
        code('present.show_table(tables["ledger_overdue"], language, max_rows=100)'),
        md("""
逾期未完工：计划完工时间（年份按年末、年月按月末）早于截至日期且无“已完工”记录的项目，包括尚无任何进度记录的项目。
""", """
Past planned completion: projects whose planned completion (a year = its end, a month = its
end) is before the as-of date without a completed record, including projects with no record.
"""),
        md("## 五、尚不掌握的情况", "## 5. What is still unknown"),
        code('present.show_table(tables["unknown"], language, max_rows=200)'),
        code("""
docx_path = (docx_report.write_final_docx(fa, Path(docx_dir) / ("final_assessment.docx" if zh else
                                                               "final_assessment_en.docx"),
                                          language=language, tables=tables)
             if docx_dir else None)
if docx_path is not None:
    present.show_markdown(f"Word 版本：{docx_path.name}", f"Word version: {docx_path.name}", language)
"""),
        *sources_section(),
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
from yqplan import analyses
from yqplan.plan import tables as plan
from yqplan.report import plots
from yqplan.report import present
from yqplan.plan import targets

plots.use_cjk_font()
zh = language == "zh"
registry = plan.read_indicators()
indicator = analyses.find_indicator(registry, indicator_id)
""" + INDICATOR_VALUES + """series = analyses.indicator_series(values, indicator_id)
sources = ["规划表1（data/plans/14th/indicators.csv）", "公开数据（data/official/figures.csv）"]
"""),
        md("## 评估", "## Assessment"),
        code("""
board = targets.assess_plan(values)
row = board[board["indicator_id"] == indicator_id].iloc[0]
present.show_table(present.scoreboard_view(board[board["indicator_id"] == indicator_id], language))
"""),
        code("present.show_indicator_sentence(row, language)"),
        code("present.show_periods(air_meta, language)"),
        md("## 历年数值与目标路径", "## Values and the path to the target"),
        code("""
projection = analyses.extract_projection(row)
series_all, year_periods = analyses.indicator_series_with_partial(values, air_meta, indicator_id)
fig = plots.plot_indicator_path(series_all, title=f"{indicator_id}. {row['name_zh'] if zh else row['name_en']}",
                                unit=row["unit"], baseline=row["baseline_value"],
                                target=row["target_value"], projection=projection, periods=year_periods,
                                language=language)
"""),
        md("""
实线为实际值，方块为2020年基准，虚线为2025年目标，点线为序时进度路径；紫色菱形为按 Theil–Sen 趋势外推到2025年的值及其区间（数据点不足6个时不外推）。
""", """
Solid: actual values; square: the 2020 baseline; dashed: the 2025 target; dotted: the
time-elapsed path; purple diamond: the Theil–Sen trend projected to 2025 with its interval
(not drawn with fewer than six points).
"""),
        md("## 数据", "## Data"),
        code("present.show_table(values[values['indicator_id'] == indicator_id], language)"),
        *sources_section(),
    ])

    # ------------------------------------------------------------------ 13–17: ozone, episodes,
    # time variation, regions, editions (library: yqplan.air.ozone, episodes, timevar, regions,
    # editions, stations, seasons; figures: yqplan.report.plots_air; sentences: yqplan.report.air_text)
    READ_HOURLY = """
plots.use_cjk_font()
zh = language == "zh"
hourly, air_meta = analyses.read_city_hourly(store_dir, city, start_year=start_year, end_year=end_year,
                                           as_of=as_of)
"""
    CITY_DAYS = """
from yqplan import analyses
from yqplan.report import air_text
from yqplan.air import episodes
from yqplan.air import ozone
from yqplan.report import plots
from yqplan.report import plots_air
from yqplan.report import present
from yqplan.air import seasons
""" + READ_HOURLY + """days, _ = analyses.assess_air(hourly, edition=edition)
days = ozone.one_location(days)
coverage = seasons.year_coverage(days["date"])
shown = seasons.report_year(coverage, year)
edition_used = analyses.describe_editions(days, edition)
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = []
"""
    PARTIAL_NOTE = md("""
数据未覆盖全年的年份（如数据止于年中）标为“不完整”，不与完整年份比较。
""", """
Years the data do not cover whole (data ending mid-year) are marked partial and never compared
with whole years.
""")
    out["13_ozone"] = notebook([
        md("""
# 臭氧（O3）污染与PM2.5—O3协同控制

规划第五章第一节第四条要求PM2.5与臭氧协同控制。本报告给出臭氧日最大8小时平均第90百分位数（逐年、逐月）与二级标准的比较、
臭氧超标天数及其月份、臭氧作为首要污染物的天数、暖季（5—9月）与其他月份的对比，以及非优良天的污染物构成。
""", """
# Ozone (O3) and PM2.5–O3 co-control

The plan (§5.1.4) asks for PM2.5 and ozone to be controlled together. This report gives the
90th percentile of the O3 daily maximum 8-hour mean by year and month against the Grade II
limit, the days and months O3 exceeded, the days O3 was the primary pollutant, the warm season
(May–September) against the other months, and what made the non-good days.
"""),
        params(M["13_ozone"]),
        code(CITY_DAYS + "summary = ozone.summarise_ozone(days, language=language)\n"),
        md("## 臭氧年评价值", "## Ozone by year"),
        code("""
fig = plots_air.plot_o3_by_month(summary.by_year, limit=summary.limit,
                                 title=f"{city} O3_8h 第90百分位数（逐年）" if zh else f"{city}: O3_8h 90th percentile by year",
                                 language=language)
"""),
        code("present.show_markdown(*air_text.ozone_sentence(summary.by_year, shown, coverage), language)"),
        code("""
present.show_table(air_text.view(summary.by_year, ["period", "partial", "o3_8h_p90", "over_limit", "valid_days",
                                                   "good_ratio", "o3_exceed_days", "o3_primary_days", "nongood_days",
                                                   "nongood_o3_exceed_days"], language), language)
"""),
        PARTIAL_NOTE,
        md("## 逐月", "## By month"),
        code("""
fig = plots_air.plot_o3_by_month(summary.by_month, limit=summary.limit,
                                 title=f"{city} O3_8h 第90百分位数与超标天数（逐月）" if zh else f"{city}: monthly O3_8h 90th percentile and exceedance days",
                                 language=language)
"""),
        md("""
红色柱为超过二级标准（160 µg/m³）的月份，斜线为数据不完整的月份；橙色点为当月臭氧超标天数（右轴）。按月计算的第90百分位数仅用于显示季节规律，HJ 663 的评价值按年计算。
""", """
Red bars: months above the Grade II limit (160 µg/m³); hatched: months the data cover in part;
orange dots: the month's O3 exceedance days (right axis). The monthly percentile only shows the
seasonal pattern; HJ 663's assessment value is annual.
"""),
        md("## 暖季与其他月份", "## Warm season and the other months"),
        code("""
ratio = summary.seasons.pivot(index="year", columns="part_label", values="good_ratio")
fig = plots.plot_grouped_bars(ratio, title="优良天数比例：暖季与其他月份" if zh else "Good-day ratio: warm season and other months",
                              unit="%", language=language)
"""),
        code("present.show_markdown(*air_text.seasons_sentence(summary.seasons, shown), language)"),
        code("""
present.show_table(air_text.view(summary.seasons, ["year", "part_label", "partial", "valid_days", "good_ratio",
                                                   "o3_8h_mean", "o3_exceed_days", "o3_primary_days",
                                                   "pm25_primary_days", "pm25"], language), language)
"""),
        md("## 非优良天的污染物构成", "## What made the non-good days"),
        code("""
causes = summary.causes
fig = plots.plot_stacked_counts(causes.pivot(index="period", columns="name", values="primary_days").fillna(0),
                                title="非优良天的首要污染物" if zh else "Primary pollutant of the non-good days",
                                language=language)
"""),
        code("""
present.show_table(air_text.view(causes, ["period", "name", "nongood_days", "primary_days", "primary_share",
                                          "exceed_days", "exceed_share"], language), language)
"""),
        md("""
非优良天为日AQI大于100的天。“为首要污染物”按当日首要污染物计（并列时各计一次，比例之和可超过100%）；“超标”为该污染物的IAQI大于100（HJ 633—2012 第3.6条），即超过二级标准日限值。
""", """
A non-good day has a daily AQI above 100. "Primary" counts the day's primary pollutant (ties count
for each, so shares may add up to more than 100 %); "exceeding" means the pollutant's IAQI is
above 100 (HJ 633—2012 §3.6), i.e. above its Grade II daily limit.
"""),
        *sources_section(),
    ])

    out["14_episodes"] = notebook([
        md("""
# 超标天数、重污染过程与秋冬季

各污染物逐年超标天数；日AQI连续高于设定值（默认200，重度污染及以上）的过程及其起止、持续天数、峰值和首要污染物；
秋冬季（10月1日—次年3月31日）PM2.5、优良天数与重污染天数及与上一秋冬季的比较。
""", """
# Exceedance days, heavy-pollution episodes and the autumn–winter campaigns

Days each pollutant exceeded, year by year; runs of consecutive days with AQI above a level
(default 200: heavy pollution and worse) with start, length, peak and primary pollutant; and the
autumn–winter campaigns (1 October – 31 March): PM2.5, good and heavy days, against the previous one.
"""),
        params(M["14_episodes"]),
        code(CITY_DAYS + "found = episodes.find_episodes(days, level)\n"),
        md("## 各污染物超标天数", "## Exceedance days by pollutant"),
        code("""
exceed = episodes.exceedance_days(days)
fig = plots.plot_stacked_counts(exceed[[c for c in exceed.columns if c not in ("any", "valid_days") and exceed[c].sum() > 0]],
                                title="各污染物超标天数（并列时各计一次）" if zh else "Exceedance days by pollutant (a day may count for several)",
                                language=language)
"""),
        code("""
exceed_view = exceed.set_axis(seasons.year_labels(exceed.index, coverage, language)).rename_axis("period").reset_index()
present.show_table(air_text.view(exceed_view, list(exceed_view.columns), language), language)
"""),
        md("## 重污染过程", "## Heavy-pollution episodes"),
        code("""
aqi_year = days.set_index("date")["aqi"]
aqi_year = aqi_year[aqi_year.index.year == shown]
fig = plots_air.plot_aqi_episodes(aqi_year, found[found["start"].dt.year == shown], level=level,
                                  title=f"{city} {shown}年逐日AQI与连续超过{level}的过程" if zh else f"{city}: daily AQI in {shown} and runs above {level}",
                                  language=language)
"""),
        code("present.show_markdown(*air_text.episodes_sentence(found, shown, level), language)"),
        code("""
present.show_table(air_text.view(found, ["start", "end", "length", "peak_aqi", "peak_date", "mean_aqi",
                                         "primary"], language, digits=0), language, max_rows=200)
"""),
        md("""
过程为日AQI连续高于设定值的天；缺测日（无有效AQI）中断过程。主要首要污染物为过程中作为首要污染物天数最多的污染物。
""", """
An episode is a run of consecutive days with AQI above the level; a day without a valid AQI
ends it. The main primary pollutant is the one primary on most days of the run.
"""),
        md("## 秋冬季", "## Autumn–winter campaigns"),
        code("""
campaigns = episodes.campaign_stats(days, level=level, language=language)
fig = plots.plot_bars(campaigns.set_index("label")["pm25"],
                      colours=["#bbbbbb" if p else "#4a7fb0" for p in campaigns["partial"]],
                      title="秋冬季PM2.5平均浓度（灰色：不完整）" if zh else "Mean PM2.5 by autumn–winter campaign (grey: partial)",
                      unit="µg/m³", language=language)
"""),
        code("present.show_markdown(*air_text.campaign_sentence(campaigns), language)"),
        code("""
present.show_table(air_text.view(campaigns, ["label", "data_first", "data_last", "valid_days", "pm25", "good_ratio",
                                             "heavy_days", "episodes", "pm25_change_pct", "good_ratio_change",
                                             "heavy_days_change"], language), language)
"""),
        md("""
秋冬季为10月1日至次年3月31日；数据未覆盖整个时段的秋冬季标为“不完整”，不与其他秋冬季比较。
""", """
A campaign runs from 1 October to 31 March; campaigns the data do not cover whole are marked
partial and not compared.
"""),
        *sources_section(),
    ])

    out["15_time_variation"] = notebook([
        md("""
# 污染物的时间变化

任一污染物的日变化、周变化和月变化（均值及其自助法95%区间），可按年份、季节、暖季或供暖季（11月15日—次年3月15日）分组；小时×月份热力图；任一年的逐日日历。
""", """
# Time variation of a pollutant

Diurnal, weekday and monthly profiles of any pollutant (the mean with its 95 % bootstrap
interval), split by year, season, warm season or heating season (15 November – 15 March);
an hour × month heat map; a calendar of any year.
"""),
        params(M["15_time_variation"]),
        code("""
from yqplan import analyses
from yqplan.report import air_text
from yqplan.air import ozone
from yqplan.report import plots
from yqplan.report import plots_air
from yqplan.report import present
from yqplan.air import seasons
from yqplan.air import timevar
""" + READ_HOURLY + """unit = timevar.UNITS[pollutant]
name = {"o3": "O3", "pm25": "PM2.5", "pm10": "PM10", "no2": "NO2", "so2": "SO2", "co": "CO", "aqi": "AQI"}[pollutant]
edition_used = "—" if pollutant != "aqi" else "CNEMC"
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = []
"""),
        md("## 日、周、月变化", "## Diurnal, weekday and monthly profiles"),
        code("""
profiles = [timevar.compute_profile(hourly, pollutant, by, split=split, n_resamples=n_resamples, seed=seed,
                                    language=language) for by in ("hour", "weekday", "month")]
fig = plots_air.plot_profiles(profiles, title=f"{city} {name} 的时间变化（{start_year}—{end_year}年小时值）" if zh
                              else f"{city}: time variation of {name} (hourly values {start_year}–{end_year})",
                              unit=unit, language=language)
"""),
        code("present.show_markdown(*air_text.profile_sentence(profiles[0]), language)"),
        md("""
小时为北京时间的整点标记（CNEMC 以小时结束时刻标记：08时的值为7—8时的均值）。阴影为均值的95%自助法区间（重抽样次数与随机种子见图下注）；未应用日有效性规则，统计的是已有的小时值。
""", """
Hours are Beijing-time labels (CNEMC labels a value by the end of its hour: 08:00 is the mean of
07:00–08:00). Bands: 95 % bootstrap interval of the mean (resamples and seed under the figure);
no daily validity rule is applied — the profiles describe the hours present.
"""),
        md("## 小时×月份", "## Hour × month"),
        code("""
matrix = timevar.hour_month_matrix(hourly, pollutant)
fig = plots_air.plot_hour_month(matrix, title=f"{city} {name} 小时×月份均值" if zh else f"{city}: {name} by hour and month",
                                unit=unit, language=language)
"""),
        md("## 日历", "## Calendar"),
        code("""
days, _ = analyses.assess_air(hourly, edition=edition)
days = ozone.one_location(days)
shown = seasons.report_year(seasons.year_coverage(days["date"]), year)
column = timevar.DAILY_COLUMN[pollutant]
series = days.set_index("date")[column]
if pollutant == "aqi":
    fig = plots.plot_aqi_calendar(series, year=shown, title=f"{city} {shown}年逐日AQI" if zh else f"{city}: daily AQI, {shown}",
                                  language=language)
    edition_used = analyses.describe_editions(days, edition)
else:
    fig = plots_air.plot_value_calendar(series, year=shown, unit=unit,
                                        title=f"{city} {shown}年逐日 {name}（{column}）" if zh else f"{city}: daily {name} ({column}), {shown}",
                                        language=language)
"""),
        md("""
日历中的日值为GB 3095有效性规则下的日均值（臭氧为日最大8小时平均），白色为无有效日值。
""", """
Calendar values are the daily values under the GB 3095 validity rules (O3: the daily maximum
8-hour mean); white: no valid daily value.
"""),
        *sources_section(),
    ])

    out["16_regions"] = notebook([
        md("""
# 区域对比与国控站点

本市与山西省、京津冀及周边“2+26”城市、汾渭平原和全国地级及以上城市平均的比较（城市值的算术平均，同国家发布口径），
任一区域内的综合指数排名，以及各国控站点的年均值及其占全市的比例。
""", """
# Regional context and the national stations

The city against the averages of Shanxi, the "2+26" cities of 京津冀及周边, the 汾渭平原 and all
prefecture-level-and-above cities (a plain mean of city values, as the national releases compute
it), the composite-index ranking within any region, and each national station's annual values
and share of the city value.
"""),
        params(M["16_regions"]),
        code("""
from yqplan import analyses
from yqplan.report import air_text
from yqplan.report import maps
from yqplan.report import plots
from yqplan.report import plots_air
from yqplan.report import present
from yqplan.air import regions
from yqplan.air import seasons
from yqplan.air import stations

plots.use_cjk_font()
zh = language == "zh"
members, region_meta = regions.read_regions()
names = list(region_names) or region_meta["regions"]
cities = list(dict.fromkeys([city] + [c for n in names for c in regions.region_cities(n, members)]))
table, air_meta = regions.city_annual_from_store(store_dir, cities, range(start_year, end_year + 1),
                                                 edition=edition, as_of=as_of)
means = regions.region_means(table, members, names=names)
comparison = regions.compare_with_regions(table, means, city)
shown = seasons.report_year(table[["year", "partial"]].drop_duplicates(), year) if len(table) else year
edition_used = ", ".join(sorted(set(air_meta["editions"].values()))) or edition
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = [f"区域名单 data/air/regions.csv：{n}（{src}，{d}）" for n, (src, d) in means.sources.items()]
"""),
        md("## 与区域平均的比较", "## Against the regional averages"),
        code("""
fig = plots_air.plot_compare_bars(regions.comparison_frame(comparison, "pm25", city, language), highlight=city,
                              title=f"PM2.5 年均浓度：{city}与区域平均" if zh else f"Annual mean PM2.5: {city} and regional averages",
                              unit="µg/m³", language=language)
"""),
        code("""
fig = plots_air.plot_compare_bars(regions.comparison_frame(comparison, "good_ratio", city, language), highlight=city,
                              title=f"优良天数比例：{city}与区域平均" if zh else f"Good-day ratio: {city} and regional averages",
                              unit="%", language=language)
"""),
        code("present.show_markdown(*air_text.region_sentence(comparison, city, shown), language)"),
        code("""
present.show_table(air_text.view(means.table, ["region", "year", "partial", "n_members", "n_cities", "pm25",
                                               "good_ratio"], language), language)
"""),
        md("""
区域平均为区域内有数据城市年均值（或优良天数比例）的算术平均，不按人口或面积加权；城市年值按HJ 663由小时数据计算，未扣除沙尘，可能与官方发布值略有差异。
“全国”为CNEMC城市数据中的地级及以上城市（直辖市、地级市、地区、自治州、盟），不含县级市、兵团城市和国家级新区，共337个名称（国家发布口径为339个城市）；名单及来源见 `data/air/regions.csv` 与 `docs/regions.md`。
""", """
A regional average is the plain mean of the annual values (or good-day ratios) of the region's
cities with data, unweighted; city values follow HJ 663 from the hourly data without dust
deduction and may differ slightly from the published ones. "全国" is the prefecture-level-and-above
names of the CNEMC city archive (municipalities, prefecture-level cities, prefectures, autonomous
prefectures, leagues) without county-level cities, 兵团 cities and national new areas: 337 names
(the national releases count 339 cities); lists and sources in `data/air/regions.csv` and
`docs/regions.md`.
"""),
        md("## 区域内排名", "## Ranking within a region"),
        code("""
rank_cities = [c for c in regions.region_cities(region, members)]
rank_hourly, rank_meta = analyses.read_city_hourly(store_dir, city, start_year=shown - 1, end_year=shown,
                                                 names=rank_cities, as_of=as_of)
ranking = regions.rank_region(rank_hourly, str(shown), region, regions=members, edition=None if edition == "auto" else edition)
fig = plots.plot_bars(ranking.table.set_index("city")["composite_index"], highlight=city,
                      title=f"{region} {shown}年综合指数（越小越好）" if zh else f"{region}: composite index {shown} (lower is better)",
                      language=language)
"""),
        code("""
present.show_table(air_text.view(ranking.table, ["rank", "city", "composite_index", "change_pct", "valid_days",
                                                 "good_ratio", "pm25", "composite_primary"], language, digits=2),
                   language)
"""),
        md("## 国控站点", "## The national stations"),
        code("""
station_table, station_meta = analyses.compute_station_annual(store_dir, city, year=shown, edition=edition)
metas.append(station_meta)
own = table[(table["city"] == city) & (table["year"] == shown)]
shares = stations.station_shares(station_table, own)
present.show_markdown(
    f"{shown}年存储中有 {len(shares)} 个站点的数据。" + ("" if len(shares) else "真实数据中只有2018年1月1日一天的站点级文件，因此无法给出站点年均值；站点数据入库后本节自动生成。"),
    f"The store holds station data for {len(shares)} stations in {shown}." + ("" if len(shares) else " The real archive has one station-level day only (2018-01-01), so no station annual values can be given; this section fills in once station files are ingested."),
    language)
"""),
        code("""
if len(shares):
    fig = plots_air.plot_station_shares(shares, title=f"{shown}年各站点PM2.5年均浓度占全市的比例" if zh else f"Station PM2.5 as a share of the city value, {shown}",
                                        language=language)
"""),
        code("""
if len(shares):
    fig = maps.plot_district_map(stations=stations.map_labels(shares),
                                 title=f"{shown}年各站点PM2.5年均浓度 (µg/m³)" if zh else f"Annual mean PM2.5 by station, {shown} (µg/m³)",
                                 zoom=True, language=language)
"""),
        code("""
if len(shares):
    present.show_table(air_text.view(shares, ["station_name", "pm25", "pm25_share", "pm10", "pm10_share", "no2",
                                              "valid_days"], language), language)
"""),
        md("""
虚线（100%）为全市年均值：红色站点浓度高于全市，蓝色低于全市。全市值取城市数据的年均值；城市数据缺失时取各站点的平均。
""", """
The dashed line (100 %) is the city's annual value: red stations read higher than the city, blue lower.
The city value is the city archive's annual mean; without it, the mean of the stations.
"""),
        *sources_section(),
    ])

    out["17_editions"] = notebook([
        md("""
# HJ 633—2012 与 HJ 633—2026 的对比

每一年分别按2012版和2026版《环境空气质量指数（AQI）技术规定》评价：优良天数比例、各级别天数和首要污染物，并说明差异来自哪些修改。
2026年3月1日起的日期只按2026版评价。“十五五”规划的基准将按2026版衡量。
""", """
# HJ 633—2012 against HJ 633—2026

Every year assessed under the 2012 and the 2026 edition of the AQI technical regulation: the
good-day ratio, days per level and primary pollutants, and which changes make the difference.
Days from 2026-03-01 are assessed under 2026 only. The 15th plan's baseline will be measured
under 2026.
"""),
        params(M["17_editions"]),
        code("""
from yqplan import analyses
from yqplan.report import air_text
from yqplan.air import stats as airstats
from yqplan.air import editions
from yqplan.report import plots
from yqplan.report import plots_air
from yqplan.report import present
from yqplan.air import seasons
""" + READ_HOURLY + """daily = airstats.compute_daily_values(hourly)
comparison = editions.compare_editions(daily)
table = comparison.table
shown = int(table.loc[~table["partial"], "year"].max() if (~table["partial"]).any() else table["year"].max())
edition_used = "2012, 2026"
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = []
"""),
        md("## 修改了什么", "## What changed"),
        code("""
present.show_table(air_text.view(editions.changed_breakpoints(), ["indicator", "iaqi", "c_2012", "c_2026"],
                                 language, digits=0), language)
"""),
        md("""
2026版与2012版日报的差别：（1）PM2.5 24小时平均在IAQI 100处的浓度限值由75降为60 µg/m³；（2）PM10由150降为120 µg/m³（其余分段不变，因此60—115、120—250的区间对应IAQI 100—150）；
（3）日报不再使用臭氧1小时最大值，只用日最大8小时平均；（4）查表前按GB/T 8170修约浓度，臭氧8小时超过800 µg/m³时IAQI取300。上表由 `yqplan.air.aqi.BREAKPOINTS` 直接比较得出。
""", """
The 2026 daily report differs from 2012 in: (1) PM2.5 24-hour concentration at IAQI 100 down from
75 to 60 µg/m³; (2) PM10 from 150 to 120 µg/m³ (the other breakpoints stay, so 60–115 and 120–250
map to IAQI 100–150); (3) the O3 1-hour maximum is no longer in the daily report, only the daily
maximum 8-hour mean; (4) concentrations are rounded by GB/T 8170 before the look-up, and O3 8h
above 800 µg/m³ gives IAQI 300. The table compares `yqplan.air.aqi.BREAKPOINTS` directly.
"""),
        md("## 逐年对比", "## Year by year"),
        code("""
fig = plots.plot_grouped_bars(table.set_index("year")[["good_ratio_2012", "good_ratio_2026"]],
                              title="优良天数比例：2012版与2026版" if zh else "Good-day ratio: 2012 and 2026 editions",
                              unit="%", series_labels={"good_ratio_2012": "HJ 633—2012", "good_ratio_2026": "HJ 633—2026"},
                              language=language)
"""),
        code("present.show_markdown(*air_text.editions_sentence(table, comparison.changes, shown), language)"),
        code("""
fig = plots_air.plot_level_counts(table, title="各级别天数：每年左柱2012版、右柱2026版" if zh else "Days per AQI level: left bar 2012, right bar 2026",
                                  language=language)
"""),
        code("""
present.show_table(air_text.view(table, ["year", "partial", "good_days_2012", "good_ratio_2012", "good_days_2026",
                                         "good_ratio_2026", "good_ratio_diff", "heavy_days_2012", "heavy_days_2026",
                                         "days_2026_rule"], language), language)
"""),
        md("## 首要污染物", "## Primary pollutants"),
        code("""
prim = editions.primary_table(table, language)
fig = plots.plot_stacked_counts(prim, title="首要污染物天数（每年2012版、2026版）" if zh else "Days by primary pollutant (each year: 2012, 2026)",
                                language=language)
"""),
        code("present.show_table(air_text.view(prim.rename_axis('year_edition').reset_index(), ['year_edition', *prim.columns], language), language)"),
        md("## 变化的原因", "## Why days changed level"),
        code("""
changes = comparison.changes
why = changes.assign(year=changes["date"].dt.year).pivot_table(index="year", columns="cause_text", values="date",
                                                               aggfunc="count", fill_value=0)
present.show_table(air_text.view(why.reset_index(), ["year", *why.columns], language), language)
"""),
        md("""
每个级别发生变化的日子归因于使其AQI较高一方的、在两版之间不同的污染物分指数：PM2.5或PM10（分段限值收严）、臭氧1小时（仅2012版日报使用）；否则归为浓度修约等其他差异。
""", """
Each day whose level changed is attributed to the sub-index that makes the higher AQI and differs
between the editions: PM2.5 or PM10 (tightened breakpoints), O3 1h (in the 2012 daily report
only); otherwise to rounding and the other differences.
"""),
        *sources_section(),
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

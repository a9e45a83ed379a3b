"""Write the report notebooks (``notebooks/*.ipynb``) from the cell lists below.

Run ``.venv/bin/python notebooks/build_notebooks.py`` after editing; the notebooks are
committed without outputs.  House style: a title and purpose, a ``parameters`` cell of
literals (tagged ``parameters``; the names and defaults are those of the notebook's
model in :data:`yqplan.report.NOTEBOOKS`), derived values in the next cell, then one
library call per section (:mod:`yqplan.analyses` for the tables, :mod:`yqplan.gb3838`,
:mod:`yqplan.plan`, :mod:`yqplan.targets` directly), a figure (:mod:`yqplan.plots`,
:mod:`yqplan.maps`) and a sentence (:mod:`yqplan.present`).  Markdown cells come in pairs
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
                       language=language)
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
                                                water_dir=water_dir, as_of=as_of)
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
from yqplan import analyses, maps, plan, plots, present, targets

plots.use_cjk_font()
""" + INDICATOR_VALUES + """sources = ["规划表1、第十三章（data/plan/）", "公开数据（data/official/figures.csv）"]
"""),
        md("## 指标评估", "## Indicator verdicts"),
        code("""
board = targets.assess_plan(values)
fig = plots.plot_verdict_matrix(board, title="指标评估结论" if language == "zh" else "Indicator verdicts",
                                language=language)
"""),
        code("present.show_table(present.scoreboard_view(board, language))"),
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
from yqplan import analyses, maps, plots, present

plots.use_cjk_font()
zh = language == "zh"
hourly, air_meta = analyses.read_city_hourly(store_dir, city, start_year=start_year, end_year=end_year,
                                           as_of=as_of)
days, dust_days = analyses.assess_air(hourly, edition=edition, dust=dust)
annual = analyses.compute_annual_table(days, start_year, end_year)
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
        md("## 年均浓度与目标", "## Annual mean against the target"),
        code("""
row = analyses.assess_indicator_series("1", annual["pm25"], synthetic=synthetic)
fig = plots.plot_indicator_path(annual["pm25"], valid=annual["valid_pm25"],
                                title=f"{city} PM2.5 年均浓度" if zh else f"{city}: annual mean PM2.5",
                                unit="µg/m³", baseline=row["baseline_value"], target=row["target_value"],
                                projection=analyses.extract_projection(row), language=language)
"""),
        code("present.show_indicator_sentence(row, language)"),
        md("""
空心点为未满足年有效性（324天且每月27天，2月25天）的年份；点线为从2020年基准到2025年目标的序时进度路径，紫色菱形为 Theil–Sen 趋势外推到2025年的值及90%区间。规划对PM2.5写“完成省下达指标”，未录入省下达值时不画目标线。
""", """
Hollow points: years failing annual validity (324 days, 27 a month, 25 in February). Dotted:
the time-elapsed path from the 2020 baseline to the 2025 target; purple diamond: the
Theil–Sen trend projected to 2025 with its 90 % interval. The plan's PM2.5 target is "the
province's assigned value": without it in `data/plan/province_targets.csv` no target line is drawn.
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
present.show_markdown(
    f"Theil–Sen 斜率 {trend_result.slope:+.2f} µg/m³/年（95%区间 {trend_result.slope_low:+.2f} 至 {trend_result.slope_high:+.2f}，n = {trend_result.n} 个月）；方法：{trend_result.method}。",
    f"Theil–Sen slope {trend_result.slope:+.2f} µg/m³/year (95 % interval {trend_result.slope_low:+.2f} to {trend_result.slope_high:+.2f}, n = {trend_result.n} months); method: {trend_result.method}.",
    language)
"""),
        md("## 各国控站点", "## The national stations"),
        code("""
stations, station_meta = analyses.compute_station_annual(store_dir, city, year=end_year, edition=edition, dust=dust)
metas.append(station_meta)
fig = plots.plot_bars(stations.set_index("station_name")["pm25"] if len(stations) else stations["pm25"],
                      title=f"{end_year}年各站点 PM2.5 年均浓度" if zh else f"Annual mean PM2.5 by station, {end_year}",
                      unit="µg/m³", horizontal=True, language=language)
"""),
        code("""
fig = maps.plot_district_map(stations=stations, title="国控空气监测站点" if zh else "National air-monitoring stations",
                             zoom=True, language=language)
"""),
        md("## 扣除沙尘的影响", "## With and without dust deduction"),
        code("""
dust_table = analyses.compute_dust_comparison(hourly, edition=edition, start_year=start_year, end_year=end_year)
fig = plots.plot_grouped_bars(dust_table[["pm25_with_dust", "pm25_without_dust"]],
                              title="PM2.5 年均浓度：含/扣除沙尘天" if zh else "Annual PM2.5 with and without dust days",
                              unit="µg/m³", series_labels={"pm25_with_dust": plots.label("with_dust", language),
                                                           "pm25_without_dust": plots.label("without_dust", language)},
                              language=language)
"""),
        code("present.show_table(dust_table.reset_index(), language)"),
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

日历热力图（AQI等级颜色）、月度优良天数比例、滚动365天比例、首要污染物的变化（臭氧的上升），以及与规划目标的比较。
""", """
# Good-day ratio and heavy-pollution days

A calendar heat-map in the AQI colours, monthly ratios, the rolling 365-day ratio, the
primary pollutants over time (the rise of O3), and the plan's targets.
"""),
        params(M["11_good_days"]),
        code(AIR_SETUP.replace("dust=dust", 'dust="none"')),
        md("## 日历", "## Calendar"),
        code("""
fig = plots.plot_aqi_calendar(days.set_index("date")["aqi"], year=year,
                              title=f"{city} {year}年逐日AQI" if zh else f"{city}: daily AQI, {year}",
                              language=language)
"""),
        code("""
present.show_markdown(
    f"{year}年有效天数 {int(annual.loc[year, 'valid_days'])} 天，优良 {int(annual.loc[year, 'good_days'])} 天（{annual.loc[year, 'good_ratio']:.1f}%），重污染 {int(annual.loc[year, 'heavy_days'])} 天。",
    f"{year}: {int(annual.loc[year, 'valid_days'])} valid days, {int(annual.loc[year, 'good_days'])} good ({annual.loc[year, 'good_ratio']:.1f} %), {int(annual.loc[year, 'heavy_days'])} heavily polluted.",
    language)
"""),
        md("## 优良天数比例", "## Good-day ratio"),
        code("""
row2 = analyses.assess_indicator_series("2", annual["good_ratio"], synthetic=synthetic)
fig = plots.plot_indicator_path(annual["good_ratio"], title="优良天数比例" if zh else "Good-day ratio", unit="%",
                                baseline=row2["baseline_value"], target=row2["target_value"],
                                projection=analyses.extract_projection(row2), language=language)
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
row3 = analyses.assess_indicator_series("3", annual["heavy_ratio"], synthetic=synthetic)
fig = plots.plot_indicator_path(annual["heavy_ratio"], title="重污染天数比例" if zh else "Share of heavy-pollution days",
                                unit="%", baseline=row3["baseline_value"], target=row3["target_value"],
                                projection=analyses.extract_projection(row3), language=language)
"""),
        code("present.show_indicator_sentence(row3, language)"),
        md("## 首要污染物", "## Primary pollutants"),
        code("""
fig = plots.plot_stacked_counts(analyses.count_primary_pollutants(annual),
                                title="各年首要污染物天数" if zh else "Days by primary pollutant and year",
                                language=language)
"""),
        md("""
首要污染物为当日空气质量指数大于50时IAQI最大的污染物；臭氧（O3_8h）为首要污染物的天数逐年增加，是夏季优良天数的主要制约。
""", """
The primary pollutant is the one with the highest IAQI on a day with AQI above 50; the days
with ozone (O3_8h) as the primary pollutant are what limits summer good days.
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
from yqplan import analyses, plots, present

plots.use_cjk_font()
zh = language == "zh"
days, air_meta = analyses.assess_cities(store_dir, cities, start_year=start_year, end_year=end_year,
                                        edition=edition, as_of=as_of)
ranked = air_meta["cities"]
edition_used = analyses.describe_editions(days, edition)
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = []
"""),
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
fig = plots.plot_bars(index_year.iloc[-1].sort_values(), highlight=city,
                      title=f"{index_year.index[-1]}年综合指数" if zh else f"Composite index, {index_year.index[-1]}",
                      language=language)
"""),
        code("present.show_table(ranks_year.astype('Int64').reset_index(names='period'), language)"),
        md("""
综合指数越大空气质量越差。省厅每月发布的“全省环境空气质量状况”可用于核对本排名。
""", """
A larger index is worse. The provincial department's monthly bulletin ("全省环境空气质量状况")
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
from yqplan import analyses, gb3838, maps, plots, present, water

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
                               title="断面逐月水质类别" if zh else "Monthly class by section", language=language)
"""),
        code("""
present.show_markdown(
    f"共 {classes['section_name'].nunique()} 个断面、{classes['period_label'].nunique()} 个月；{len(readings)} 条指标读数（断面×时间×指标）。类别由月均值按单因子法确定，数据充足度见文末表格。",
    f"{classes['section_name'].nunique()} sections over {classes['period_label'].nunique()} months from {len(readings)} indicator readings (section × time × indicator); each class is the single-factor class of the monthly means, with its data sufficiency in the last table.",
    language)
"""),
        md("## Ⅰ～Ⅲ类与劣Ⅴ类比例", "## Shares of class I–III and worse than V"),
        code("""
classes_year = gb3838.classify_periods(readings, by="year", sections=sections)
shares = gb3838.compute_plan_indicators(classes_year, sections["section_name"])
fig = plots.plot_water_shares(shares, target_good=gb3838.TARGET_GOOD_PCT, target_bad=gb3838.TARGET_BAD_PCT,
                              title="各年达到或优于Ⅲ类、劣Ⅴ类断面比例" if zh else "Shares of sections by year",
                              language=language)
"""),
        md("""
规划指标4（达到或优于Ⅲ类比例，2025年≥80%）和指标5（劣Ⅴ类比例，2025年为0）；年度类别由全年均值确定，而非各月类别。
""", """
The plan's indicators 4 (share at class III or better, ≥ 80 % in 2025) and 5 (share worse than
class V, 0 in 2025); a year's class comes from the annual means, not from the months.
"""),
        md("## 主要污染指标", "## Main pollutants"),
        code("""
fig = plots.plot_bars(analyses.count_main_pollutants(classes),
                      title="超过Ⅲ类的月份中各指标作为主要污染指标的次数" if zh else "Months each indicator was a main pollutant",
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
                           "coverage_pct", "indicators_missing", "basis"]], language, max_rows=400)
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
from yqplan import maps, plan, plots, present

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
from yqplan import analyses, plan, plots, present, targets

plots.use_cjk_font()
zh = language == "zh"
registry = plan.read_indicators()
indicator = analyses.find_indicator(registry, indicator_id)
""" + INDICATOR_VALUES + """series = analyses.indicator_series(values, indicator_id)
sources = ["规划表1（data/plan/indicators.csv）", "公开数据（data/official/figures.csv）"]
"""),
        md("## 评估", "## Assessment"),
        code("""
board = targets.assess_plan(values)
row = board[board["indicator_id"] == indicator_id].iloc[0]
present.show_table(present.scoreboard_view(board[board["indicator_id"] == indicator_id], language))
"""),
        code("present.show_indicator_sentence(row, language)"),
        md("## 历年数值与目标路径", "## Values and the path to the target"),
        code("""
projection = analyses.extract_projection(row)
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
        code("present.show_table(values[values['indicator_id'] == indicator_id], language)"),
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

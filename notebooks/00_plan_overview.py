# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 阳泉市“十四五”生态环境保护规划：总览
#
# 规划 19 项指标（第 10 项分 5 个子项）的达标评估，以及第十三章重点工程的数量与投资。

# %% [markdown] tags=["lang-en"]
# # Yangquan 14th Five-Year Eco-Environment Plan: overview
#
# Verdicts for the plan's 19 indicators (item 10 has five sub-items) and the key
# projects of chapter 13 in numbers.

# %% tags=["parameters"]
language = 'zh'
edition = 'auto'
as_of = ''
city = '阳泉'
dust = 'none'
store_dir = ''
plan_id = '14th'
water_dir = ''
values_file = ''

# %%
from yqplan import analyses
from yqplan.plan import final
from yqplan.report import maps
from yqplan.plan import tables as plan
from yqplan.report import plots
from yqplan.report import present
from yqplan.report.words import pick, word

plots.use_cjk_font()
req = analyses.TargetsRequest.from_params(values_file, plan=plan_id, water_dir=water_dir, city=city,
                                          store_dir=store_dir, as_of=as_of, edition=edition, dust=dust)
measured = analyses.plan_values(req)
values, air_meta = measured.values, measured.meta
edition_used, data_as_of, metas = measured.edition, measured.data_as_of, [measured.meta]
sources = ["规划表1、第十三章（data/plans/14th/）", "公开数据（data/official/figures.csv）"]

# %% [markdown] tags=["lang-zh"]
# ## 指标评估

# %% [markdown] tags=["lang-en"]
# ## Indicator verdicts

# %%
board = final.assess_plan_for(plan=plan_id, measured=values)
fig = plots.plot_verdict_matrix(board, title=word("title.indicator_verdicts", language),
                                language=language)

# %%
present.show_table(present.scoreboard_view(board, language), language, labelled=True, csv=board)

# %%
present.show_periods(air_meta, language)

# %% [markdown] tags=["lang-zh"]
# 每行一项指标：状态为最新年份是否达到2025年目标（2025年起为终期结论）；序时进度比较实际值与2020年基准到2025年目标的直线路径；
# 进展比率为实际年均变化率与所需变化率之比。“未提供目标值”表示规划写“完成省下达指标”，而省下达值尚未录入 `data/plans/14th/province_targets.csv`。

# %% [markdown] tags=["lang-en"]
# One row per indicator: the status says whether the latest year meets the 2025 target (final
# from 2025 on); the time-elapsed check compares the actual value with the straight path from
# the 2020 baseline to the target; the progress ratio divides the actual annual rate by the
# required one. "No target supplied" means the plan says "complete the province's assigned
# target" and that value has not been entered in `data/plans/14th/province_targets.csv`.

# %% [markdown] tags=["lang-zh"]
# ## 重点工程投资

# %% [markdown] tags=["lang-en"]
# ## Key projects: investment

# %%
by_table = plan.summarise_investment("table")
fig = plots.plot_bars(by_table.set_index(pick(("category_zh", "category"), language))["investment"],
                      title=word("title.investment_by_table", language),
                      unit=word("unit.100m_yuan", language), language=language)

# %%
by_district = plan.summarise_investment("district")
fig = maps.plot_district_map(by_district.groupby("adcode")["investment"].sum(),
                             title=word("title.project_investment_by_district", language),
                             value_label=word("unit.100m_yuan", language),
                             language=language)

# %% [markdown] tags=["lang-zh"]
# 地图仅包含落在单一区县的项目；跨区县、市本级或未注明地点的项目见下表。

# %% [markdown] tags=["lang-en"]
# The map shades projects located in a single district; projects spanning several districts,
# city-wide or without a stated location are in the table.

# %%
present.show_table(by_district, language)

# %% [markdown] tags=["lang-zh"]
# ## 与规划文本的核对

# %% [markdown] tags=["lang-en"]
# ## Reconciliation with the plan's stated totals

# %%
recon = plan.reconcile_projects()
fig = plots.plot_grouped_bars(recon.set_index("table")[["stated_investment", "table_investment"]],
                              title=word("title.investment_stated_vs_tables", language),
                              unit=word("unit.100m_yuan", language),
                              series_labels={"stated_investment": plots.label("stated", language),
                                             "table_investment": plots.label("computed", language)},
                              language=language)

# %%
present.show_table(recon.drop(columns=[pick(("category", "category_zh"), language)]), language)

# %% [markdown] tags=["lang-zh"]
# 第十三章所述项目数和投资与三张表的实际合计并排列出，差异如实保留，不强行对齐。

# %% [markdown] tags=["lang-en"]
# The counts and investment stated in chapter 13 sit beside what the three tables actually
# hold; differences are kept, never forced to agree.

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

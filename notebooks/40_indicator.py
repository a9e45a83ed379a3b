# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 单项指标深入分析
#
# 一项规划指标：历年数值、2020年基准与2025年目标、序时进度路径、趋势外推及各评估方法的结论。

# %% [markdown] tags=["lang-en"]
# # One indicator in depth
#
# One indicator of the plan: its yearly values, the 2020 baseline and 2025 target, the
# time-elapsed path, the projected trend and the verdict of each method.

# %% tags=["parameters"]
language = 'zh'
edition = 'auto'
as_of = ''
city = '阳泉'
dust = 'none'
store_dir = ''
plan_id = '14th'
indicator_id = '1'
water_dir = ''
values_file = ''

# %%
from yqplan import analyses
from yqplan.plan import tables as plan
from yqplan.report import plots
from yqplan.report import present
from yqplan.plan import targets
from yqplan.report.words import pick

plots.use_cjk_font()
registry = plan.read_indicators()
indicator = analyses.find_indicator(registry, indicator_id)
req = analyses.TargetsRequest.from_params(values_file, plan=plan_id, water_dir=water_dir, city=city,
                                          store_dir=store_dir, as_of=as_of, edition=edition, dust=dust)
measured = analyses.plan_values(req)
values, air_meta = measured.values, measured.meta
edition_used, data_as_of, metas = measured.edition, measured.data_as_of, [measured.meta]
series = analyses.indicator_series(values, indicator_id)
sources = ["规划表1（data/plans/14th/indicators.csv）", "公开数据（data/official/figures.csv）"]

# %% [markdown] tags=["lang-zh"]
# ## 评估

# %% [markdown] tags=["lang-en"]
# ## Assessment

# %%
board = targets.score_plan(values)
assessed = board[indicator_id]  # keeps its trend and projection objects
table = board.to_frame()
table = table[table["indicator_id"] == indicator_id]  # the one row, shown and downloadable
present.show_table(present.scoreboard_view(table, language), language, labelled=True, csv=table)

# %%
present.show_indicator_sentence(assessed.to_dict(), language)

# %%
present.show_periods(air_meta, language)

# %% [markdown] tags=["lang-zh"]
# ## 历年数值与目标路径

# %% [markdown] tags=["lang-en"]
# ## Values and the path to the target

# %%
series_all, year_periods = analyses.indicator_series_with_partial(values, air_meta, indicator_id)
fig = plots.plot_indicator_path(series_all, title=f"{indicator_id}. {pick((assessed.name_zh, assessed.name_en), language)}",
                                unit=assessed.unit, baseline=assessed.baseline_value,
                                target=assessed.target_value, projection=assessed.projection, periods=year_periods,
                                language=language)

# %% [markdown] tags=["lang-zh"]
# 实线为实际值，方块为2020年基准，虚线为2025年目标，点线为序时进度路径；紫色菱形为按 Theil–Sen 趋势外推到2025年的值及其区间（数据点不足6个时不外推）。

# %% [markdown] tags=["lang-en"]
# Solid: actual values; square: the 2020 baseline; dashed: the 2025 target; dotted: the
# time-elapsed path; purple diamond: the Theil–Sen trend projected to 2025 with its interval
# (not drawn with fewer than six points).

# %% [markdown] tags=["lang-zh"]
# ## 数据

# %% [markdown] tags=["lang-en"]
# ## Data

# %%
present.show_table(values[values['indicator_id'] == indicator_id], language)

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

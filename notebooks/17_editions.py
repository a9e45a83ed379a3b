# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # HJ 633—2012 与 HJ 633—2026 的对比
#
# 每一年分别按2012版和2026版《环境空气质量指数（AQI）技术规定》评价：优良天数比例、各级别天数和首要污染物，并说明差异来自哪些修改。
# 2026年3月1日起的日期只按2026版评价。“十五五”规划的基准将按2026版衡量。

# %% [markdown] tags=["lang-en"]
# # HJ 633—2012 against HJ 633—2026
#
# Every year assessed under the 2012 and the 2026 edition of the AQI technical regulation: the
# good-day ratio, days per level and primary pollutants, and which changes make the difference.
# Days from 2026-03-01 are assessed under 2026 only. The 15th plan's baseline will be measured
# under 2026.

# %% tags=["parameters"]
language = 'zh'
edition = 'auto'
as_of = ''
city = '阳泉'
dust = 'none'
store_dir = ''
plan_id = '14th'
start_year = 2015
end_year = 2025

# %%
from yqplan import analyses
from yqplan.report import air_text
from yqplan.air import stats as airstats
from yqplan.air import editions
from yqplan.report import plots
from yqplan.report import plots_air
from yqplan.report import present
from yqplan.report.words import word

plots.use_cjk_font()
req = analyses.AirRequest.from_params(city=city, store_dir=store_dir, start_year=start_year,
                                      end_year=end_year, as_of=as_of, edition=edition, dust=dust)
hourly, air_meta = analyses.read_city_hourly(req)
daily = airstats.compute_daily_values(hourly)
comparison = editions.compare_editions(daily, dust=airstats.resolve_dust(req.dust, daily))
table = comparison.table
shown = int(table.loc[~table["partial"], "year"].max() if (~table["partial"]).any() else table["year"].max())
edition_used = "2012, 2026"
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = []

# %% [markdown] tags=["lang-zh"]
# ## 修改了什么

# %% [markdown] tags=["lang-en"]
# ## What changed

# %%
present.show_table(air_text.view(editions.changed_breakpoints(), ["indicator", "iaqi", "c_2012", "c_2026"],
                                 language), language)

# %% [markdown] tags=["lang-zh"]
# 2026版与2012版日报的差别：（1）PM2.5 24小时平均在IAQI 100处的浓度限值由75降为60 µg/m³；（2）PM10由150降为120 µg/m³（其余分段不变，因此60—115、120—250的区间对应IAQI 100—150）；
# （3）日报不再使用臭氧1小时最大值，只用日最大8小时平均；（4）查表前按GB/T 8170修约浓度，臭氧8小时超过800 µg/m³时IAQI取300。上表由 `yqplan.air.aqi.BREAKPOINTS` 直接比较得出。

# %% [markdown] tags=["lang-en"]
# The 2026 daily report differs from 2012 in: (1) PM2.5 24-hour concentration at IAQI 100 down from
# 75 to 60 µg/m³; (2) PM10 from 150 to 120 µg/m³ (the other breakpoints stay, so 60–115 and 120–250
# map to IAQI 100–150); (3) the O3 1-hour maximum is no longer in the daily report, only the daily
# maximum 8-hour mean; (4) concentrations are rounded by GB/T 8170 before the look-up, and O3 8h
# above 800 µg/m³ gives IAQI 300. The table compares `yqplan.air.aqi.BREAKPOINTS` directly.

# %% [markdown] tags=["lang-zh"]
# ## 逐年对比

# %% [markdown] tags=["lang-en"]
# ## Year by year

# %%
fig = plots.plot_grouped_bars(table.set_index("year")[["good_ratio_2012", "good_ratio_2026"]],
                              title=word("title.good_ratio_editions", language),
                              unit="%", series_labels={"good_ratio_2012": "HJ 633—2012", "good_ratio_2026": "HJ 633—2026"},
                              language=language)

# %%
present.show_markdown(*air_text.editions_sentence(table, comparison.changes, shown), language)

# %%
fig = plots_air.plot_level_counts(table, title=word("title.level_counts_editions", language),
                                  language=language)

# %%
present.show_table(air_text.view(table, ["year", "partial", "good_days_2012", "good_ratio_2012", "good_days_2026",
                                         "good_ratio_2026", "good_ratio_diff", "heavy_days_2012", "heavy_days_2026",
                                         "days_2026_rule"], language), language)

# %% [markdown] tags=["lang-zh"]
# ## 首要污染物

# %% [markdown] tags=["lang-en"]
# ## Primary pollutants

# %%
prim = editions.primary_table(table, language)
fig = plots.plot_stacked_counts(prim, title=word("title.primary_editions", language),
                                language=language)

# %%
present.show_table(air_text.view(prim.rename_axis('year_edition').reset_index(), ['year_edition', *prim.columns], language), language, pivot='days')

# %% [markdown] tags=["lang-zh"]
# ## 变化的原因

# %% [markdown] tags=["lang-en"]
# ## Why days changed level

# %%
changes = comparison.changes
why = changes.assign(year=changes["date"].dt.year).pivot_table(index="year", columns="cause_text", values="date",
                                                               aggfunc="count", fill_value=0)
present.show_table(air_text.view(why.reset_index(), ["year", *why.columns], language), language, pivot="days")

# %% [markdown] tags=["lang-zh"]
# 每个级别发生变化的日子归因于使其AQI较高一方的、在两版之间不同的污染物分指数：PM2.5或PM10（分段限值收严）、臭氧1小时（仅2012版日报使用）；否则归为浓度修约等其他差异。

# %% [markdown] tags=["lang-en"]
# Each day whose level changed is attributed to the sub-index that makes the higher AQI and differs
# between the editions: PM2.5 or PM10 (tightened breakpoints), O3 1h (in the 2012 daily report
# only); otherwise to rounding and the other differences.

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

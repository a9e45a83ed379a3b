# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 臭氧（O3）污染与PM2.5—O3协同控制
#
# 规划第五章第一节第四条要求PM2.5与臭氧协同控制。本报告给出臭氧日最大8小时平均第90百分位数（逐年、逐月）与二级标准的比较、
# 臭氧超标天数及其月份、臭氧作为首要污染物的天数、暖季（5—9月）与其他月份的对比，以及非优良天的污染物构成。

# %% [markdown] tags=["lang-en"]
# # Ozone (O3) and PM2.5–O3 co-control
#
# The plan (§5.1.4) asks for PM2.5 and ozone to be controlled together. This report gives the
# 90th percentile of the O3 daily maximum 8-hour mean by year and month against the Grade II
# limit, the days and months O3 exceeded, the days O3 was the primary pollutant, the warm season
# (May–September) against the other months, and what made the non-good days.

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
year = 2025

# %%
from yqplan import analyses
from yqplan.report import air_text
from yqplan.air import ozone
from yqplan.report import plots
from yqplan.report import plots_air
from yqplan.report import present
from yqplan.report.words import word

plots.use_cjk_font()
req = analyses.AirRequest.from_params(city=city, store_dir=store_dir, start_year=start_year,
                                      end_year=end_year, as_of=as_of, edition=edition, dust=dust)
air = analyses.city_days(req, year=year)
days, coverage, shown = air.days, air.coverage, air.shown
edition_used, data_as_of, metas, sources = air.edition, air.data_as_of, [air.meta], []
summary = ozone.summarise_ozone(days, language=language)

# %% [markdown] tags=["lang-zh"]
# ## 臭氧年评价值

# %% [markdown] tags=["lang-en"]
# ## Ozone by year

# %%
fig = plots_air.plot_o3_by_month(summary.by_year, limit=summary.limit,
                                 title=word("title.o3_p90_by_year", language, city=city),
                                 language=language)

# %%
present.show_markdown(*air_text.ozone_sentence(summary.by_year, shown, coverage), language)

# %%
present.show_table(air_text.view(summary.by_year, ["period", "partial", "o3_8h_p90", "over_limit", "valid_days",
                                                   "good_ratio", "o3_exceed_days", "o3_primary_days", "nongood_days",
                                                   "nongood_o3_exceed_days"], language), language)

# %% [markdown] tags=["lang-zh"]
# 数据未覆盖全年的年份（如数据止于年中）标为“不完整”，不与完整年份比较。

# %% [markdown] tags=["lang-en"]
# Years the data do not cover whole (data ending mid-year) are marked partial and never compared
# with whole years.

# %% [markdown] tags=["lang-zh"]
# ## 逐月

# %% [markdown] tags=["lang-en"]
# ## By month

# %%
fig = plots_air.plot_o3_by_month(summary.by_month, limit=summary.limit,
                                 title=word("title.o3_p90_by_month", language, city=city),
                                 language=language)

# %% [markdown] tags=["lang-zh"]
# 红色柱为超过二级标准（160 µg/m³）的月份，斜线为数据不完整的月份；橙色点为当月臭氧超标天数（右轴）。按月计算的第90百分位数仅用于显示季节规律，HJ 663 的评价值按年计算。

# %% [markdown] tags=["lang-en"]
# Red bars: months above the Grade II limit (160 µg/m³); hatched: months the data cover in part;
# orange dots: the month's O3 exceedance days (right axis). The monthly percentile only shows the
# seasonal pattern; HJ 663's assessment value is annual.

# %% [markdown] tags=["lang-zh"]
# ## 暖季与其他月份

# %% [markdown] tags=["lang-en"]
# ## Warm season and the other months

# %%
ratio = summary.seasons.pivot(index="year", columns="part_label", values="good_ratio")
fig = plots.plot_grouped_bars(ratio, title=word("title.good_ratio_warm_season", language),
                              unit="%", language=language)

# %%
present.show_markdown(*air_text.seasons_sentence(summary.seasons, shown), language)

# %%
present.show_table(air_text.view(summary.seasons, ["year", "part_label", "partial", "valid_days", "good_ratio",
                                                   "o3_8h_mean", "o3_exceed_days", "o3_primary_days",
                                                   "pm25_primary_days", "pm25"], language), language)

# %% [markdown] tags=["lang-zh"]
# ## 非优良天的污染物构成

# %% [markdown] tags=["lang-en"]
# ## What made the non-good days

# %%
causes = summary.causes
fig = plots.plot_stacked_counts(causes.pivot(index="period", columns="name", values="primary_days").fillna(0),
                                title=word("title.nongood_primary", language),
                                language=language)

# %%
present.show_table(air_text.view(causes, ["period", "name", "nongood_days", "primary_days", "primary_share",
                                          "exceed_days", "exceed_share"], language), language)

# %% [markdown] tags=["lang-zh"]
# 非优良天为日AQI大于100的天。“为首要污染物”按当日首要污染物计（并列时各计一次，比例之和可超过100%）；“超标”为该污染物的IAQI大于100（HJ 633—2012 第3.6条），即超过二级标准日限值。

# %% [markdown] tags=["lang-en"]
# A non-good day has a daily AQI above 100. "Primary" counts the day's primary pollutant (ties count
# for each, so shares may add up to more than 100 %); "exceeding" means the pollutant's IAQI is
# above 100 (HJ 633—2012 §3.6), i.e. above its Grade II daily limit.

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 优良天数比例与重污染天数
#
# 日历热力图（AQI等级颜色）、月度优良天数比例、滚动365天比例、首要污染物的变化，以及与规划目标的比较。

# %% [markdown] tags=["lang-en"]
# # Good-day ratio and heavy-pollution days
#
# A calendar heat-map in the AQI colours, monthly ratios, the rolling 365-day ratio, the
# primary pollutants over time, and the plan's targets.

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
from yqplan.air import periods
from yqplan.report import plots
from yqplan.report import present
from yqplan.report.words import word

plots.use_cjk_font()
req = analyses.AirRequest.from_params(city=city, store_dir=store_dir, start_year=start_year,
                                      end_year=end_year, as_of=as_of, edition=edition, dust=dust)
air = analyses.city_air(req)
hourly, days, annual, monthly = air.hourly, air.days, air.annual, air.monthly
year_periods = air.periods  # complete years and partial (year-to-date) periods
whole = air.whole  # only complete years decide verdicts, trends, projections
edition_used, data_as_of, metas, sources = air.edition, air.data_as_of, [air.meta], list(air.sources)

# %%
present.show_periods(year_periods, language)

# %% [markdown] tags=["lang-zh"]
# ## 日历

# %% [markdown] tags=["lang-en"]
# ## Calendar

# %%
year_shown, year_note = periods.resolve_year(year, year_periods, language)
present.show_markdown(year_note, language=language)
fig = plots.plot_aqi_calendar(days.set_index("date")["aqi"], year=year_shown or year,
                              title=word("title.daily_aqi", language, city=city, year=year_shown or year),
                              language=language)

# %%
present.show_markdown(present.year_summary_sentence(annual, year_shown, year_periods, language), language=language)
partial_table = analyses.compare_partial_periods(days, annual, language=language)
present.show_markdown(present.partial_comparison_sentence(partial_table, language), language=language)

# %% [markdown] tags=["lang-zh"]
# ## 优良天数比例

# %% [markdown] tags=["lang-en"]
# ## Good-day ratio

# %%
good = analyses.assess_indicator_series("2", whole["good_ratio"], synthetic=air.synthetic)
fig = plots.plot_indicator_path(annual["good_ratio"], title=word("title.good_ratio", language), unit="%",
                                baseline=good.baseline_value, target=good.target_value,
                                projection=good.projection, periods=year_periods,
                                language=language)

# %%
present.show_indicator_sentence(good.to_dict(), language)

# %%
fig = plots.plot_monthly_ratio(monthly["good_ratio"], monthly["heavy_days"],
                               title=word("title.monthly_good_ratio_heavy_days", language),
                               language=language)

# %%
rolling = analyses.compute_rolling_good_ratio(days)
fig = plots.plot_rolling_ratio(rolling, target=good.target_value,
                               title=word("title.rolling_good_ratio", language),
                               language=language)

# %% [markdown] tags=["lang-zh"]
# 规划表1的2020年优良天数比例为68.6%，第一章正文为69.9%；本报告采用表1的68.6%作为基准。

# %% [markdown] tags=["lang-en"]
# Table 1 gives the 2020 good-day ratio as 68.6 %, chapter 1 as 69.9 %; this report uses
# Table 1's 68.6 % as the baseline.

# %% [markdown] tags=["lang-zh"]
# ## 重污染天数比例

# %% [markdown] tags=["lang-en"]
# ## Heavy-pollution days

# %%
heavy = analyses.assess_indicator_series("3", whole["heavy_ratio"], synthetic=air.synthetic)
fig = plots.plot_indicator_path(annual["heavy_ratio"], title=word("title.heavy_ratio", language),
                                unit="%", baseline=heavy.baseline_value, target=heavy.target_value,
                                projection=heavy.projection, periods=year_periods,
                                language=language)

# %%
present.show_indicator_sentence(heavy.to_dict(), language)

# %% [markdown] tags=["lang-zh"]
# ## 首要污染物

# %% [markdown] tags=["lang-en"]
# ## Primary pollutants

# %%
primary = analyses.count_primary_pollutants(annual)
fig = plots.plot_stacked_counts(periods.relabel(primary, year_periods, language),
                                title=word("title.primary_by_year", language),
                                language=language)

# %%
present.show_markdown(present.primary_pollutant_sentence(primary, analyses.count_primary_pollutants(monthly),
                                                         year_periods, language=language), language=language)

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

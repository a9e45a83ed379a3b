# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 细颗粒物（PM2.5）与规划目标
#
# 年均与月均浓度（含有效性判定）、去季节趋势及其置信区间、各国控站点、扣沙与不扣沙对比、外推到2025年与序时进度路径。

# %% [markdown] tags=["lang-en"]
# # PM2.5 against the plan's target
#
# Annual and monthly means with their validity, the deseasonalised trend with its interval,
# the national stations, with and without dust deduction, the projection to 2025 and the
# time-elapsed (序时进度) path.

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
from yqplan.report import maps
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
# ## 年均浓度与目标

# %% [markdown] tags=["lang-en"]
# ## Annual mean against the target

# %%
assessed = analyses.assess_indicator_series("1", whole["pm25"], synthetic=air.synthetic)
fig = plots.plot_indicator_path(annual["pm25"], valid=annual["valid_pm25"],
                                title=word("title.pm25_annual", language, city=city),
                                unit="µg/m³", baseline=assessed.baseline_value, target=assessed.target_value,
                                projection=assessed.projection, periods=year_periods,
                                language=language)

# %%
present.show_indicator_sentence(assessed.to_dict(), language)

# %%
partial_table = analyses.compare_partial_periods(days, annual, language=language)
present.show_markdown(present.partial_comparison_sentence(partial_table, language), language=language)

# %% [markdown] tags=["lang-zh"]
# 空心点为未满足年有效性（324天且每月27天，2月25天）的年份；橙色空心菱形为不完整年份（如只有1—2月），单独标注、不与年均线相连，也不参与评估、趋势和外推；点线为从2020年基准到2025年目标的序时进度路径，紫色菱形为 Theil–Sen 趋势外推到2025年的值及90%区间。规划对PM2.5写“完成省下达指标”，未录入省下达值时不画目标线。

# %% [markdown] tags=["lang-en"]
# Hollow points: years failing annual validity (324 days, 27 a month, 25 in February); orange
# hollow diamond: a partial year (e.g. January–February only), labelled, not joined to the annual
# line and never used for verdicts, trends or projections. Dotted:
# the time-elapsed path from the 2020 baseline to the 2025 target; purple diamond: the
# Theil–Sen trend projected to 2025 with its 90 % interval. The plan's PM2.5 target is "the
# province's assigned value": without it in `data/plans/14th/province_targets.csv` no target line is drawn.

# %% [markdown] tags=["lang-zh"]
# ## 月均浓度与有效性

# %% [markdown] tags=["lang-en"]
# ## Monthly means and validity

# %%
fig = plots.plot_monthly_values(monthly["pm25"], monthly["valid_pm25"],
                                title=word("title.pm25_monthly", language, city=city),
                                unit="µg/m³", language=language)

# %% [markdown] tags=["lang-zh"]
# ## 去季节趋势

# %% [markdown] tags=["lang-en"]
# ## Deseasonalised trend

# %%
trend_result, months = analyses.compute_monthly_trend(days, "pm25", unit="µg/m³")
fig = plots.plot_monthly_trend(months, trend_result, title=word("title.pm25_deseasonalised", language),
                               unit="µg/m³", language=language)

# %%
from yqplan.report import trend_text

present.show_markdown(*trend_text.monthly_trend_sentences(trend_result, "µg/m³"), language)

# %% [markdown] tags=["lang-zh"]
# ## 各国控站点

# %% [markdown] tags=["lang-en"]
# ## The national stations

# %%
# an annual mean needs a complete year
station_year = periods.latest_complete(year_periods) or analyses.request_years(req)[1]
stations, station_meta = analyses.compute_station_annual(req, year=station_year)
metas.append(station_meta)
present.show_markdown(present.station_note(stations, station_year, city, language), language=language)
fig = plots.plot_bars(stations.set_index("station_name")["pm25"] if len(stations) else stations["pm25"],
                      title=word("title.pm25_by_station", language, station_year=station_year),
                      unit="µg/m³", horizontal=True, language=language)

# %%
fig = maps.plot_district_map(stations=stations, title=word("title.national_stations", language),
                             zoom=True, language=language)

# %% [markdown] tags=["lang-zh"]
# ## 扣除沙尘的影响

# %% [markdown] tags=["lang-en"]
# ## With and without dust deduction

# %%
dust_table = periods.relabel(analyses.compute_dust_comparison(hourly, req), year_periods, language)
fig = plots.plot_grouped_bars(dust_table[["pm25_with_dust", "pm25_without_dust"]],
                              title=word("title.pm25_with_without_dust", language),
                              unit="µg/m³", series_labels={"pm25_with_dust": plots.label("with_dust", language),
                                                           "pm25_without_dust": plots.label("without_dust", language)},
                              language=language)

# %%
present.show_table(dust_table.rename_axis('period').reset_index(), language)

# %% [markdown] tags=["lang-zh"]
# 沙尘天为**估算**（PM10日均≥150 µg/m³且PM2.5/PM10≤0.35），并非监测部门公布的沙尘天名单；有官方名单时应以其为准。

# %% [markdown] tags=["lang-en"]
# Dust days are **estimated** (PM10 daily mean ≥ 150 µg/m³ and PM2.5/PM10 ≤ 0.35), not the
# official list of the monitoring centre; use that list when you have it.

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

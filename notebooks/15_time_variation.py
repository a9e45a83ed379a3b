# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 污染物的时间变化
#
# 任一污染物的日变化、周变化和月变化（均值及其自助法95%区间），可按年份、季节、暖季或供暖季（11月15日—次年3月15日）分组；小时×月份热力图；任一年的逐日日历。

# %% [markdown] tags=["lang-en"]
# # Time variation of a pollutant
#
# Diurnal, weekday and monthly profiles of any pollutant (the mean with its 95 % bootstrap
# interval), split by year, season, warm season or heating season (15 November – 15 March);
# an hour × month heat map; a calendar of any year.

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
pollutant = 'o3'
split = 'warm'
n_resamples = 200
seed = 20230101

# %%
from yqplan import analyses
from yqplan.report import air_text
from yqplan.report import plots
from yqplan.report import plots_air
from yqplan.report import present
from yqplan.report.words import word
from yqplan.air import timevar

plots.use_cjk_font()
req = analyses.AirRequest.from_params(city=city, store_dir=store_dir, start_year=start_year,
                                      end_year=end_year, as_of=as_of, edition=edition, dust=dust)
air = analyses.city_days(req, year=year)  # the hours, and the days for the calendar
hourly, air_meta = air.hourly, air.meta
unit = timevar.UNITS[pollutant]
name = {"o3": "O3", "pm25": "PM2.5", "pm10": "PM10", "no2": "NO2", "so2": "SO2", "co": "CO", "aqi": "AQI"}[pollutant]
edition_used = "—" if pollutant != "aqi" else "CNEMC"
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = []

# %% [markdown] tags=["lang-zh"]
# ## 日、周、月变化

# %% [markdown] tags=["lang-en"]
# ## Diurnal, weekday and monthly profiles

# %%
profiles = [timevar.compute_profile(hourly, pollutant, by, split=split, n_resamples=n_resamples, seed=seed,
                                    language=language) for by in ("hour", "weekday", "month")]
fig = plots_air.plot_profiles(profiles, title=word("title.time_variation", language, city=city, name=name, start_year=start_year, end_year=end_year),
                              unit=unit, language=language)

# %%
present.show_markdown(*air_text.profile_sentence(profiles[0]), language)

# %% [markdown] tags=["lang-zh"]
# 小时为北京时间的整点标记（CNEMC 以小时结束时刻标记：08时的值为7—8时的均值）。阴影为均值的95%自助法区间（重抽样次数与随机种子见图下注）；未应用日有效性规则，统计的是已有的小时值。

# %% [markdown] tags=["lang-en"]
# Hours are Beijing-time labels (CNEMC labels a value by the end of its hour: 08:00 is the mean of
# 07:00–08:00). Bands: 95 % bootstrap interval of the mean (resamples and seed under the figure);
# no daily validity rule is applied — the profiles describe the hours present.

# %% [markdown] tags=["lang-zh"]
# ## 小时×月份

# %% [markdown] tags=["lang-en"]
# ## Hour × month

# %%
matrix = timevar.hour_month_matrix(hourly, pollutant)
fig = plots_air.plot_hour_month(matrix, title=word("title.hour_month", language, city=city, name=name),
                                unit=unit, language=language)

# %% [markdown] tags=["lang-zh"]
# ## 日历

# %% [markdown] tags=["lang-en"]
# ## Calendar

# %%
days, shown = air.days, air.shown
column = timevar.DAILY_COLUMN[pollutant]
series = days.set_index("date")[column]
if pollutant == "aqi":
    fig = plots.plot_aqi_calendar(series, year=shown, title=word("title.daily_aqi", language, city=city, year=shown),
                                  language=language)
    edition_used = air.edition
else:
    fig = plots_air.plot_value_calendar(series, year=shown, unit=unit,
                                        title=word("title.daily_value_calendar", language, city=city, shown=shown, name=name,
                                                   column=word("column.daily_max_8h" if column == "o3_8h_max"
                                                               else "column.daily_mean", language)),
                                        language=language)

# %% [markdown] tags=["lang-zh"]
# 日历中的日值为GB 3095有效性规则下的日均值（臭氧为日最大8小时平均），白色为无有效日值。

# %% [markdown] tags=["lang-en"]
# Calendar values are the daily values under the GB 3095 validity rules (O3: the daily maximum
# 8-hour mean); white: no valid daily value.

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 超标天数、重污染过程与秋冬季
#
# 各污染物逐年超标天数；日AQI连续高于设定值（默认200，重度污染及以上）的过程及其起止、持续天数、峰值和首要污染物；
# 秋冬季（10月1日—次年3月31日）PM2.5、优良天数与重污染天数及与上一秋冬季的比较。

# %% [markdown] tags=["lang-en"]
# # Exceedance days, heavy-pollution episodes and the autumn–winter campaigns
#
# Days each pollutant exceeded, year by year; runs of consecutive days with AQI above a level
# (default 200: heavy pollution and worse) with start, length, peak and primary pollutant; and the
# autumn–winter campaigns (1 October – 31 March): PM2.5, good and heavy days, against the previous one.

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
level = 200

# %%
from yqplan import analyses
from yqplan.report import air_text
from yqplan.air import episodes
from yqplan.report import plots
from yqplan.report import plots_air
from yqplan.report import palette
from yqplan.report import present
from yqplan.report.words import word
from yqplan.air import seasons

plots.use_cjk_font()
req = analyses.AirRequest.from_params(city=city, store_dir=store_dir, start_year=start_year,
                                      end_year=end_year, as_of=as_of, edition=edition, dust=dust)
air = analyses.city_days(req, year=year)
days, coverage, shown = air.days, air.coverage, air.shown
edition_used, data_as_of, metas, sources = air.edition, air.data_as_of, [air.meta], []
found = episodes.find_episodes(days, level)

# %% [markdown] tags=["lang-zh"]
# ## 各污染物超标天数

# %% [markdown] tags=["lang-en"]
# ## Exceedance days by pollutant

# %%
exceed = episodes.exceedance_days(days)
fig = plots.plot_stacked_counts(exceed[[c for c in exceed.columns if c not in ("any", "valid_days") and exceed[c].sum() > 0]],
                                title=word("title.exceedance_by_pollutant", language),
                                language=language)

# %%
exceed_view = exceed.set_axis(seasons.year_labels(exceed.index, coverage, language)).rename_axis("period").reset_index()
present.show_table(air_text.view(exceed_view, list(exceed_view.columns), language), language, pivot="days")

# %% [markdown] tags=["lang-zh"]
# ## 重污染过程

# %% [markdown] tags=["lang-en"]
# ## Heavy-pollution episodes

# %%
aqi_year = days.set_index("date")["aqi"]
aqi_year = aqi_year[aqi_year.index.year == shown]
fig = plots_air.plot_aqi_episodes(aqi_year, found[found["start"].dt.year == shown], level=level,
                                  title=word("title.aqi_episodes", language, city=city, shown=shown, level=level),
                                  language=language)

# %%
present.show_markdown(*air_text.episodes_sentence(found, shown, level), language)

# %%
present.show_table(air_text.view(found, ["start", "end", "length", "peak_aqi", "peak_date", "mean_aqi",
                                         "primary"], language), language, max_rows=200)

# %% [markdown] tags=["lang-zh"]
# 过程为日AQI连续高于设定值的天；缺测日（无有效AQI）中断过程。主要首要污染物为过程中作为首要污染物天数最多的污染物。

# %% [markdown] tags=["lang-en"]
# An episode is a run of consecutive days with AQI above the level; a day without a valid AQI
# ends it. The main primary pollutant is the one primary on most days of the run.

# %% [markdown] tags=["lang-zh"]
# ## 秋冬季

# %% [markdown] tags=["lang-en"]
# ## Autumn–winter campaigns

# %%
campaigns = episodes.campaign_stats(days, level=level, language=language)
fig = plots.plot_bars(campaigns.set_index("label")["pm25"],
                      colours=[palette.GREY_SOFT if p else palette.BAR for p in campaigns["partial"]],
                      title=word("title.campaign_pm25", language),
                      unit="µg/m³", language=language)

# %%
present.show_markdown(*air_text.campaign_sentence(campaigns), language)

# %%
present.show_table(air_text.view(campaigns, ["label", "data_first", "data_last", "valid_days", "pm25", "good_ratio",
                                             "heavy_days", "episodes", "pm25_change_pct", "good_ratio_change",
                                             "heavy_days_change"], language), language)

# %% [markdown] tags=["lang-zh"]
# 秋冬季为10月1日至次年3月31日；数据未覆盖整个时段的秋冬季标为“不完整”，不与其他秋冬季比较。

# %% [markdown] tags=["lang-en"]
# A campaign runs from 1 October to 31 March; campaigns the data do not cover whole are marked
# partial and not compared.

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 数据覆盖率：有数据的小时比例
#
# 各年、各月中本市有监测数据的小时所占比例（任一污染物，以及PM2.5和臭氧），以及存档本身缺失的小时数。
# 这是对数据的描述，不是有效性判定：年均值和日历中的有效性按 GB 3095—2012 表4 另行判定。

# %% [markdown] tags=["lang-en"]
# # Data coverage: the share of hours with data
#
# For each year and month, the share of hours the city has monitoring data for (any pollutant,
# and PM2.5 and ozone), and the hours the archive itself lacks. This describes the data; it is
# not a validity rule: the annual means and calendars apply GB 3095—2012 Table 4 separately.

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
from yqplan.air import coverage
from yqplan.report import air_text
from yqplan.report import plots
from yqplan.report import plots_air
from yqplan.report import present
from yqplan.report.words import word

plots.use_cjk_font()
req = analyses.AirRequest.from_params(city=city, store_dir=store_dir, start_year=start_year,
                                      end_year=end_year, as_of=as_of, edition=edition, dust=dust)
table, air_meta = analyses.city_coverage(req)
edition_used = "—"
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = []

# %% [markdown] tags=["lang-zh"]
# ## 逐月

# %% [markdown] tags=["lang-en"]
# ## By month

# %%
fig = plots_air.plot_year_month(coverage.coverage_matrix(table), title=word("title.coverage_by_month", language, city=city),
                                language=language)

# %%
present.show_markdown(word("sentence.coverage_summary", language, city=present.escape_markdown(city), **coverage.summarise_coverage(table)._asdict()),
                      language=language)

# %% [markdown] tags=["lang-zh"]
# 一小时只要有任一污染物的数值即计为有数据；统计期间从起始年1月1日起，至结束年年末、`as_of` 或数据的最后一个小时（取最早者）为止，
# 之后的月份不计为缺失。“存档缺失”为存档中没有任何城市数据的小时（整点文件缺失）。

# %% [markdown] tags=["lang-en"]
# An hour counts as having data when any pollutant has a value. The period runs from 1 January
# of the first year to the end of the last year, `as_of` or the last hour of the data, whichever
# is first; later months are not counted as missing. "Missing from the archive" counts hours
# without a row for any city (a missing hourly file).

# %% [markdown] tags=["lang-zh"]
# ## 逐年

# %% [markdown] tags=["lang-en"]
# ## By year

# %%
yearly = coverage.yearly_coverage(table)
fig = plots.plot_bars(yearly.set_index("year")["share_any"], title=word("title.coverage_by_year", language, city=city),
                      unit="%", language=language)

# %%
present.show_table(air_text.view(yearly, ["year", "hours", "hours_with_data", "share_any", "share_pm25", "share_o3",
                                          "archive_missing_hours"], language), language)

# %% [markdown] tags=["lang-zh"]
# ## 各月明细

# %% [markdown] tags=["lang-en"]
# ## Every month

# %%
present.show_table(air_text.view(table, ["year", "month", "hours", "hours_with_data", "share_any", "share_pm25",
                                         "share_o3", "archive_missing_hours"], language), language, max_rows=400)

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

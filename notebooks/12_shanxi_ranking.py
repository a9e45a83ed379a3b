# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 阳泉在全省11个地级市中的排名
#
# 按环境空气质量综合指数（六项污染物 Σ Ci/Si，不加权）逐月、逐年排名，1为最好。

# %% [markdown] tags=["lang-en"]
# # Yangquan among Shanxi's cities
#
# Rank by the composite air-quality index (Σ Ci/Si over six pollutants, unweighted) by month
# and by year; 1 is the best.

# %% tags=["parameters"]
language = 'zh'
edition = 'auto'
as_of = ''
city = '阳泉'
dust = 'none'
store_dir = ''
plan_id = '14th'
start_year = 2021
end_year = 2025
cities = []

# %%
from yqplan import analyses
from yqplan.air import periods
from yqplan.report import plots
from yqplan.report import present
from yqplan.report.words import word

plots.use_cjk_font()
# the cities ranked: ``cities`` when several, else the region's (as ``yqplan air rank``)
req = analyses.AirRequest.from_params(city=city, cities=cities, store_dir=store_dir, start_year=start_year,
                                      end_year=end_year, as_of=as_of, edition=edition, dust=dust)
days, air_meta = analyses.assess_cities(req)
year_periods = periods.derive_periods(days)  # complete years and partial (year-to-date) periods
ranked = air_meta["cities"]
edition_used = air_meta["edition"]
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = []

# %%
present.show_periods(year_periods, language)

# %% [markdown] tags=["lang-zh"]
# ## 逐月排名

# %% [markdown] tags=["lang-en"]
# ## Rank by month

# %%
ranks_month, index_month = analyses.rank_periods(days, ranked, by="month")
fig = plots.plot_rank_history(ranks_month, city=city, n_cities=len(ranked),
                              title=word("title.monthly_rank", language, city=city),
                              language=language)

# %%
present.show_markdown(word("sentence.months_among_worst_three", language, months=len(ranks_month), city=present.escape_markdown(city), worst=int((ranks_month[city] >= len(ranked) - 2).sum())), language=language)

# %% [markdown] tags=["lang-zh"]
# ## 逐年排名

# %% [markdown] tags=["lang-en"]
# ## Rank by year

# %%
ranks_year, index_year = analyses.rank_periods(days, ranked, by="year")
rank_year = str(periods.latest_complete(year_periods, among=index_year.index) or index_year.index[-1])
rank_label = periods.year_label(rank_year, year_periods, language)
fig = plots.plot_bars(index_year.loc[rank_year].sort_values(), highlight=city,
                      title=(word("title.composite_index_year", language, period=rank_label) if rank_label.isdigit()
                             else word("title.composite_index_period", language, period=rank_label)),
                      language=language)
present.show_markdown(present.rank_sentence(index_year.loc[rank_year], city, rank_label, language), language=language)

# %%
present.show_table(periods.relabel(ranks_year, year_periods, language).astype('Int64').reset_index(names='period'), language, pivot='rank')

# %% [markdown] tags=["lang-zh"]
# 综合指数越大空气质量越差；柱状图为最近的完整年份，不完整年份（如只有1—2月）只在表中按其期间标注。省厅每月发布的“全省环境空气质量状况”可用于核对本排名。

# %% [markdown] tags=["lang-en"]
# A larger index is worse; the bars are the latest complete year, a partial year (e.g. January–
# February only) appears in the table under its period. The provincial department's monthly bulletin ("全省环境空气质量状况")
# is where a reader checks this ranking.

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

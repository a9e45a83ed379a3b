# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 区域对比与国控站点
#
# 本市与山西省、京津冀及周边“2+26”城市、汾渭平原和全国地级及以上城市平均的比较（城市值的算术平均，同国家发布口径），
# 任一区域内的综合指数排名，以及各国控站点的年均值及其占全市的比例。

# %% [markdown] tags=["lang-en"]
# # Regional context and the national stations
#
# The city against the averages of Shanxi, the "2+26" cities of 京津冀及周边, the 汾渭平原 and all
# prefecture-level-and-above cities (a plain mean of city values, as the national releases compute
# it), the composite-index ranking within any region, and each national station's annual values
# and share of the city value.

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
year = 2025
region = '山西'
region_names = []

# %%
from yqplan import analyses
from yqplan.report import air_text
from yqplan.report import maps
from yqplan.report import plots
from yqplan.report import plots_air
from yqplan.report import present
from yqplan.report.words import word
from yqplan.air import regions
from yqplan.air import seasons
from yqplan.air import stations

plots.use_cjk_font()
members, region_meta = regions.read_regions()
names = list(region_names) or region_meta["regions"]
cities = list(dict.fromkeys([city] + [c for n in names for c in regions.region_cities(n, members)]))
req = analyses.AirRequest.from_params(city=city, cities=cities, store_dir=store_dir, start_year=start_year,
                                      end_year=end_year, as_of=as_of, edition=edition, dust=dust)
table, air_meta = analyses.city_annual_from_store(req)
means = regions.region_means(table, members, names=names)
comparison = regions.compare_with_regions(table, means, city)
shown = seasons.report_year(table[["year", "partial"]].drop_duplicates(), year) if len(table) else year
edition_used = ", ".join(sorted(set(air_meta["editions"].values()))) or req.edition
data_as_of = air_meta["data_as_of"]
metas = [air_meta]
sources = [f"区域名单 data/air/regions.csv：{n}（{src}，{d}）" for n, (src, d) in means.sources.items()]

# %% [markdown] tags=["lang-zh"]
# ## 与区域平均的比较

# %% [markdown] tags=["lang-en"]
# ## Against the regional averages

# %%
fig = plots_air.plot_compare_bars(regions.comparison_frame(comparison, "pm25", city, language), highlight=city,
                              title=word("title.pm25_vs_regions", language, city=city),
                              unit="µg/m³", language=language)

# %%
fig = plots_air.plot_compare_bars(regions.comparison_frame(comparison, "good_ratio", city, language), highlight=city,
                              title=word("title.good_ratio_vs_regions", language, city=city),
                              unit="%", language=language)

# %%
present.show_markdown(*air_text.region_sentence(comparison, city, shown), language)

# %%
present.show_table(air_text.view(means.table, ["region", "year", "partial", "n_members", "n_cities", "pm25",
                                               "good_ratio"], language), language)

# %% [markdown] tags=["lang-zh"]
# 区域平均为区域内有数据城市年均值（或优良天数比例）的算术平均，不按人口或面积加权；城市年值按HJ 663由小时数据计算，沙尘按本次运行的设置扣除（见出处），可能与官方发布值略有差异。
# “全国”为CNEMC城市数据中的地级及以上城市（直辖市、地级市、地区、自治州、盟），不含县级市、兵团城市和国家级新区，共337个名称（国家发布口径为339个城市）；名单及来源见 `data/air/regions.csv` 与 `docs/regions.md`。

# %% [markdown] tags=["lang-en"]
# A regional average is the plain mean of the annual values (or good-day ratios) of the region's
# cities with data, unweighted; city values follow HJ 663 from the hourly data with the run's dust
# deduction (see the provenance) and may differ slightly from the published ones. "全国" is the prefecture-level-and-above
# names of the CNEMC city archive (municipalities, prefecture-level cities, prefectures, autonomous
# prefectures, leagues) without county-level cities, 兵团 cities and national new areas: 337 names
# (the national releases count 339 cities); lists and sources in `data/air/regions.csv` and
# `docs/regions.md`.

# %% [markdown] tags=["lang-zh"]
# ## 区域内排名

# %% [markdown] tags=["lang-en"]
# ## Ranking within a region

# %%
rank_cities = [c for c in regions.region_cities(region, members)]
rank_req = req.for_years(shown - 1, shown, cities=rank_cities)  # the year shown and the one before
rank_hourly, rank_meta = analyses.read_city_hourly(rank_req)
ranking = regions.rank_region(rank_hourly, str(shown), region, regions=members,
                              edition=None if req.edition == "auto" else req.edition, dust=req.dust)
fig = plots.plot_bars(ranking.table.set_index("city")["composite_index"], highlight=city,
                      title=word("title.region_composite", language, region=region, shown=shown),
                      language=language)

# %%
present.show_table(air_text.view(ranking.table, ["rank", "city", "composite_index", "change_pct", "valid_days",
                                                 "good_ratio", "pm25", "composite_primary"], language),
                   language)

# %% [markdown] tags=["lang-zh"]
# ## 国控站点

# %% [markdown] tags=["lang-en"]
# ## The national stations

# %%
station_table, station_meta = analyses.compute_station_annual(req, year=shown)
metas.append(station_meta)
own = table[(table["city"] == city) & (table["year"] == shown)]
shares = stations.station_shares(station_table, own)
present.show_markdown(word("sentence.stations_in_store", language, year=shown, n=len(shares))
                      + ("" if len(shares) else word("sentence.no_station_year", language)), language=language)

# %%
if len(shares):
    fig = plots_air.plot_station_shares(shares, title=word("title.station_shares", language, shown=shown),
                                        language=language)

# %%
if len(shares):
    fig = maps.plot_district_map(stations=stations.map_labels(shares),
                                 title=word("title.station_pm25_map", language, shown=shown),
                                 zoom=True, language=language)

# %%
if len(shares):
    present.show_table(air_text.view(shares, ["station_name", "pm25", "pm25_share", "pm10", "pm10_share", "no2",
                                              "valid_days"], language), language)

# %% [markdown] tags=["lang-zh"]
# 虚线（100%）为全市年均值：红色站点浓度高于全市，蓝色低于全市。全市值取城市数据的年均值；城市数据缺失时取各站点的平均。

# %% [markdown] tags=["lang-en"]
# The dashed line (100 %) is the city's annual value: red stations read higher than the city, blue lower.
# The city value is the city archive's annual mean; without it, the mean of the stations.

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

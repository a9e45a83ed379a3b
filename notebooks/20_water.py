# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 地表水断面水质
#
# 各断面逐月水质类别与目标类别的对照、Ⅰ～Ⅲ类与劣Ⅴ类断面比例与规划目标、主要污染指标、断面分布图。类别按 GB 3838—2002 与《地表水环境质量评价办法（试行）》（2011）由自动监测数据重算，**不是官方评价结果**。

# %% [markdown] tags=["lang-en"]
# # Surface-water sections
#
# Each section's monthly class against its target class, the shares of sections at I–III and
# worse than V against the plan's targets, the main pollutants, and a map of the sections.
# Classes are recomputed from automatic monitoring by GB 3838—2002 and the 2011 evaluation
# rules: **not the official assessment**.

# %% tags=["parameters"]
language = 'zh'
edition = 'auto'
as_of = ''
city = '阳泉'
dust = 'none'
store_dir = ''
plan_id = '14th'
water_dir = ''
start_year = 2021
end_year = 2025

# %%
from yqplan import analyses
from yqplan.water import gb3838
from yqplan.report import maps
from yqplan.report import plots
from yqplan.report import present
from yqplan.report.words import word
from yqplan.water import monitoring as water

plots.use_cjk_font()
sections = water.read_sections()
# None when the run has no water data: the reports then say so
req = analyses.WaterRequest.from_params(water_dir, start_year=start_year, end_year=end_year, as_of=as_of)
readings, water_meta = analyses.read_water_data(req)
classes = gb3838.classify_periods(readings, by="month", sections=sections)
edition_used = "GB 3838—2002"
data_as_of = water_meta["data_as_of"]
metas = [water_meta]
sources = ["断面表 data/water/sections.csv"]

# %% [markdown] tags=["lang-zh"]
# ## 逐月水质类别

# %% [markdown] tags=["lang-en"]
# ## Monthly class of each section

# %%
fig = plots.plot_water_heatmap(gb3838.pivot_classes(classes),
                               target_class=sections.set_index("section_name")["target_class_num"],
                               sufficient=gb3838.pivot_classes(classes, "sufficient"),
                               title=word("title.water_monthly_class", language), language=language)

# %%
present.show_markdown(word("sentence.water_sections_months", language, sections=classes['section_name'].nunique(), months=classes['period_label'].nunique(), readings=len(readings)), language=language)

# %%
from yqplan.report import water_text

present.show_markdown(*water_text.sufficiency_sentences(classes, list(sections["section_name"])), language)

# %% [markdown] tags=["lang-zh"]
# ## Ⅰ～Ⅲ类与劣Ⅴ类比例

# %% [markdown] tags=["lang-en"]
# ## Shares of class I–III and worse than V

# %%
classes_year = gb3838.classify_periods(readings, by="year", sections=sections)
shares = gb3838.compute_plan_indicators(classes_year, sections["section_name"])
fig = plots.plot_water_shares(shares, target_good=gb3838.TARGET_GOOD_PCT, target_bad=gb3838.TARGET_BAD_PCT,
                              title=word("title.water_shares", language),
                              language=language)
present.show_markdown(*water_text.share_sentences(shares), language)

# %% [markdown] tags=["lang-zh"]
# 规划指标4（达到或优于Ⅲ类比例，2025年≥80%）和指标5（劣Ⅴ类比例，2025年为0）；年度类别由全年均值确定，而非各月类别。

# %% [markdown] tags=["lang-en"]
# The plan's indicators 4 (share at class III or better, ≥ 80 % in 2025) and 5 (share worse than
# class V, 0 in 2025); a year's class comes from the annual means, not from the months.

# %% [markdown] tags=["lang-zh"]
# ## 主要污染指标

# %% [markdown] tags=["lang-en"]
# ## Main pollutants

# %%
fig = plots.plot_bars(analyses.count_main_pollutants(classes[classes["sufficient"]]),
                      title=word("title.water_main_pollutants", language),
                      unit=word("unit.section_months", language), language=language)

# %% [markdown] tags=["lang-zh"]
# ## 断面分布

# %% [markdown] tags=["lang-en"]
# ## Where the sections are

# %%
fig = maps.plot_district_map(sections=sections, title=word("title.water_sections", language), language=language)

# %% [markdown] tags=["lang-zh"]
# 坐标未知或已知有误的断面（如闫家庄大桥，公开坐标指向临汾附近）不在图上标注，见 `data/water/sections.csv`。

# %% [markdown] tags=["lang-en"]
# Sections whose coordinates are unknown or known to be wrong (闫家庄大桥: the published point
# lies near Linfen) are not drawn; see `data/water/sections.csv`.

# %% [markdown] tags=["lang-zh"]
# ## 数据充足度

# %% [markdown] tags=["lang-en"]
# ## Data sufficiency

# %%
present.show_table(water_text.classes_view(classes, language), language, max_rows=400)

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

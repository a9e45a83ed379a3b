# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 重点工程：投资、进度与分布
#
# 规划表13-1（大气）、13-2（水）、13-3（土壤）所列重点工程：按类别、区县和牵头部门统计投资，开工与完工时间，及与规划文本合计的核对。

# %% [markdown] tags=["lang-en"]
# # Key projects: investment, timing and location
#
# The key projects of Tables 13-1 (air), 13-2 (water) and 13-3 (soil): investment by category,
# district and lead department, start and completion dates, and the reconciliation with the
# plan's stated totals.

# %% tags=["parameters"]
language = 'zh'
edition = 'auto'
as_of = ''
city = '阳泉'
dust = 'none'
store_dir = ''
plan_id = '14th'

# %%
from yqplan.report import maps
from yqplan.plan import tables as plan
from yqplan.report import plots
from yqplan.report import present
from yqplan.report.words import pick, word

plots.use_cjk_font()
projects = plan.read_projects()
edition_used = "—"
data_as_of = None
metas = []
sources = [f"规划表13-1、13-2、13-3（{projects.attrs.get('source_path', 'data/plans/14th/projects.csv')}）"]

# %% [markdown] tags=["lang-zh"]
# ## 按类别

# %% [markdown] tags=["lang-en"]
# ## By category

# %%
by_category = plan.summarise_investment("category")
fig = plots.plot_bars(by_category.set_index(pick(("category_zh", "category"), language))["investment"],
                      title=word("title.investment_by_category", language),
                      unit=word("unit.100m_yuan", language), language=language)

# %%
present.show_table(by_category, language)

# %% [markdown] tags=["lang-zh"]
# ## 按区县

# %% [markdown] tags=["lang-en"]
# ## By district

# %%
by_district = plan.summarise_investment("district")
fig = maps.plot_district_map(by_district.groupby("adcode")["investment"].sum(),
                             title=word("title.investment_by_district", language),
                             value_label=word("unit.100m_yuan", language), language=language)

# %%
fig = plots.plot_bars(by_district.set_index("district")["investment"],
                      title=word("title.investment_by_district_label", language),
                      unit=word("unit.100m_yuan", language), horizontal=True, language=language)

# %% [markdown] tags=["lang-zh"]
# ## 按牵头部门

# %% [markdown] tags=["lang-en"]
# ## By lead department

# %%
by_department = plan.summarise_investment("department")
fig = plots.plot_bars(by_department.set_index("lead_department")["investment"],
                      title=word("title.investment_by_department", language),
                      unit=word("unit.100m_yuan", language), horizontal=True, language=language)

# %% [markdown] tags=["lang-zh"]
# ## 开工与完工时间

# %% [markdown] tags=["lang-en"]
# ## Start and completion

# %%
fig = plots.plot_project_timeline(projects, title=word("title.project_timeline", language),
                                  label_col="name_zh", start_col="start_date",
                                  end_col="completion_date", group_col="table", language=language)

# %% [markdown] tags=["lang-zh"]
# 每个条形为一个项目从开工到完工的时间；规划未写明起止时间的项目不画出，并在标题中计数。

# %% [markdown] tags=["lang-en"]
# Each bar runs from a project's start to its completion; projects without dates in the plan
# are left out and counted in the title.

# %% [markdown] tags=["lang-zh"]
# ## 与规划文本的核对

# %% [markdown] tags=["lang-en"]
# ## Reconciliation

# %%
recon = plan.reconcile_projects()
fig = plots.plot_grouped_bars(recon.set_index("table")[["stated_count", "table_rows"]],
                              title=word("title.projects_stated_vs_rows", language),
                              series_labels={"stated_count": plots.label("stated", language),
                                             "table_rows": plots.label("computed", language)},
                              language=language)

# %%
present.show_table(recon.drop(columns=[pick(("category", "category_zh"), language)]), language)

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lang-zh"]
# # 规划终期评估
#
# 规划目标年的终期评估：规划表1各项指标的终期结论及其依据（数值、来源、目标、方法、数据充分性），规划文本中的量化目标，重点工程台账，以及尚不掌握的情况。同样内容的 Word 版本（.docx）见报告目录。

# %% [markdown] tags=["lang-en"]
# # Final assessment of the plan
#
# The final assessment for the plan's target year: each Table 1 indicator's final verdict with
# its evidence (value, source, target, method, data sufficiency), the quantified targets of the
# plan text, the key-project ledger, and what is still unknown. The same content as a Word
# document (.docx) is linked from the index.

# %% tags=["parameters"]
language = 'zh'
edition = 'auto'
as_of = ''
city = '阳泉'
dust = 'none'
store_dir = ''
plan_id = '14th'
water_dir = ''
values_file = ''
docx_dir = ''

# %%
from pathlib import Path

from yqplan import analyses
from yqplan.report import word as docx_report
from yqplan.plan import final
from yqplan.report import plots
from yqplan.report import present
from yqplan.report.words import word

plots.use_cjk_font()
req = analyses.TargetsRequest.from_params(values_file, plan=plan_id, water_dir=water_dir, city=city,
                                          store_dir=store_dir, as_of=as_of, edition=edition, dust=dust)
measured, air_meta = analyses.load_indicator_values(req)
fa = final.final_assessment(plan=plan_id, measured=measured, as_of=as_of or None)
tables = final.final_tables(fa, language)
edition_used = air_meta.get("edition") or edition
data_as_of = air_meta.get("data_as_of")
metas = [air_meta]
sources = [f"规划文件夹 {fa.plan.folder}：indicators、values、province_targets、text_targets、"
           "text_target_values、projects、project_status"]

# %% [markdown] tags=["lang-zh"]
# ## 一、总体结论

# %% [markdown] tags=["lang-en"]
# ## 1. Summary

# %%
present.show_markdown("\n\n".join(final.summary_sentences(fa, "zh")),
                      "\n\n".join(final.summary_sentences(fa, "en")), language)

# %% [markdown] tags=["lang-zh"]
# ## 二、规划指标终期评估

# %% [markdown] tags=["lang-en"]
# ## 2. Indicators: final verdicts

# %%
present.show_table(tables["indicators"], language, labelled=True)

# %%
fig = final.final_figure(fa, "verdicts", language)

# %% [markdown] tags=["lang-zh"]
# 终期结论以目标年的数值与目标比较；缺目标年数值时只给出以最新年份计的中期结论，并在“方法”与“数据充分性”中说明。省下达指标未录入时不作评估。

# %% [markdown] tags=["lang-en"]
# A final verdict compares the target year's value with the target; without that value only an
# interim verdict from the latest year is given, as the method and data-sufficiency columns say.
# A province-assigned target that has not been entered is not assessed.

# %% [markdown] tags=["lang-zh"]
# ## 三、规划文本中的量化目标

# %% [markdown] tags=["lang-en"]
# ## 3. Quantified targets in the plan text

# %%
chapter_col = tables["text_targets"].columns[0]
for chapter, rows in tables["text_targets"].groupby(chapter_col, sort=False):
    present.show_markdown(word("heading.chapter", language, chapter=chapter), language=language)
    present.show_table(rows.drop(columns=[chapter_col]), language, labelled=True)

# %% [markdown] tags=["lang-zh"]
# 类型：达到水平（最新值与目标比较）、不超过限值（任一年超过即未达标）、节点目标（截止年及以前达到）、数量目标（逐年新增数量累计）。未录入数值的目标不作结论。

# %% [markdown] tags=["lang-en"]
# Kinds: level to reach (the latest value against the target), limit not to exceed (any year
# above it fails), dated milestone (reached in or before the deadline year), count (yearly
# additions summed). Targets without a value get no verdict.

# %% [markdown] tags=["lang-zh"]
# ## 四、重点工程台账

# %% [markdown] tags=["lang-en"]
# ## 4. Key-project ledger

# %% [markdown] tags=["lang-zh"]
# ### 主要数字

# %% [markdown] tags=["lang-en"]
# ### Key figures

# %%
present.show_table(tables["ledger_key"], language, labelled=True)

# %% [markdown] tags=["lang-zh"]
# ### 文本所述与表列项目

# %% [markdown] tags=["lang-en"]
# ### Stated vs printed projects

# %%
present.show_table(tables["reconcile"], language, labelled=True)

# %% [markdown] tags=["lang-zh"]
# ### 按表

# %% [markdown] tags=["lang-en"]
# ### By table

# %%
present.show_table(tables["ledger_by_table"], language, labelled=True)

# %%
fig = final.final_figure(fa, "investment", language)

# %% [markdown] tags=["lang-zh"]
# ### 按区县

# %% [markdown] tags=["lang-en"]
# ### By district

# %%
present.show_table(tables["ledger_by_district"], language, labelled=True)

# %% [markdown] tags=["lang-zh"]
# ### 按牵头部门

# %% [markdown] tags=["lang-en"]
# ### By lead department

# %%
present.show_table(tables["ledger_by_department"], language, labelled=True)

# %%
fig = final.final_figure(fa, "burnup", language)

# %% [markdown] tags=["lang-zh"]
# ### 逾期未完工项目

# %% [markdown] tags=["lang-en"]
# ### Projects past planned completion

# %%
present.show_table(tables["ledger_overdue"], language, max_rows=100, labelled=True)

# %% [markdown] tags=["lang-zh"]
# 逾期未完工：计划完工时间（年份按年末、年月按月末）早于截至日期且无“已完工”记录的项目，包括尚无任何进度记录的项目。

# %% [markdown] tags=["lang-en"]
# Past planned completion: projects whose planned completion (a year = its end, a month = its
# end) is before the as-of date without a completed record, including projects with no record.

# %% [markdown] tags=["lang-zh"]
# ## 五、尚不掌握的情况

# %% [markdown] tags=["lang-en"]
# ## 5. What is still unknown

# %%
present.show_table(tables["unknown"], language, max_rows=200, labelled=True)

# %%
docx_path = (docx_report.write_final_docx(fa, Path(docx_dir) / word("file.final_assessment_docx", language),
                                          language=language, tables=tables)
             if docx_dir else None)
if docx_path is not None:
    present.show_markdown(word("sentence.word_version", language, name=docx_path.name), language=language)

# %% [markdown] tags=["lang-zh", "provenance"]
# ## 来源

# %% [markdown] tags=["lang-en", "provenance"]
# ## Sources

# %% tags=["provenance"]
present.show_provenance(*metas, edition=edition_used, data_as_of=data_as_of, sources=sources,
                       language=language, dust=dust)

"""The final assessment as a Word document (.docx), the format official reports are exchanged in.

:func:`write_final_docx` writes, with ``python-docx``, the same sections, tables and figures
as the HTML report ``50_final_assessment`` (both take them from
:func:`yqplan.plan.final.final_tables` / :func:`yqplan.plan.final.final_figures`): a title, the
summary sentences, the indicator table, the text targets chapter by chapter, the ledger
(key figures, by table / district / department, overdue projects, stated vs printed, two
figures) and what is still unknown.  Chinese by default: body text in 宋体 (SimSun) and
headings in 黑体 (SimHei), set as the East Asian font (``w:eastAsia``) so Word uses them
for Chinese characters.  The file is written atomically.
"""

from __future__ import annotations

import io
from pathlib import Path

__all__ = ["write_final_docx", "BODY_FONT", "HEADING_FONT"]

#: East Asian fonts (Chinese): body, headings.
BODY_FONT, HEADING_FONT = "宋体", "黑体"
_LATIN = "Times New Roman"


def _set_font(style_or_run, east_asian: str, latin: str = _LATIN, size_pt: float | None = None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = latin
    if size_pt:
        font.size = Pt(size_pt)
    el = style_or_run.element
    rpr = el.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)


def _table(doc, df):
    from docx.shared import Pt

    t = doc.add_table(rows=1, cols=len(df.columns))
    t.style = "Table Grid"
    for cell, name in zip(t.rows[0].cells, df.columns):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for rec in df.itertuples(index=False):
        cells = t.add_row().cells
        for cell, v in zip(cells, rec):
            cell.text = str(v)
    for row in t.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8)
    return t


def _figure(doc, fig, caption: str):
    from docx.shared import Cm

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    buf.seek(0)
    doc.add_picture(buf, width=Cm(15.5))
    doc.add_paragraph(caption, style="Caption")


def write_final_docx(fa, path, *, language: str = "zh", tables: dict | None = None,
                     figures: dict | None = None, title: str = "") -> Path:
    """Write the final assessment ``fa`` (:func:`yqplan.plan.final.final_assessment`) as .docx.

    Parameters
    ----------
    fa : yqplan.plan.final.FinalAssessment
    path : where to write (atomically).
    language : ``zh`` (default) or ``en``.
    tables, figures : :func:`yqplan.plan.final.final_tables` / :func:`final_figures` results
        (computed when omitted).
    title : the document title (default: the plan name and "终期评估").

    Returns the path.  Headings are Word's ``Heading 1``/``Heading 2`` styles (the
    section titles of :data:`yqplan.plan.final.SECTIONS`).
    """
    import matplotlib.pyplot as plt
    from docx import Document
    from docx.shared import Pt

    from yqplan import _io
    from yqplan.plan import final

    zh = language == "zh"
    tables = tables if tables is not None else final.final_tables(fa, language)
    figures = figures if figures is not None else final.final_figures(fa, language)
    doc = Document()
    _set_font(doc.styles["Normal"], BODY_FONT, size_pt=10.5)
    for name in ("Title", "Heading 1", "Heading 2", "Caption"):
        _set_font(doc.styles[name], HEADING_FONT if name != "Caption" else BODY_FONT)
    plan_name = (fa.plan.name_zh if zh else fa.plan.name_en) or fa.plan.plan_id
    title = title or (f"{plan_name}终期评估（{fa.year}年）" if zh else
                      f"{plan_name}: final assessment ({fa.year})")
    doc.core_properties.title = title
    doc.core_properties.language = "zh-CN" if zh else "en"
    doc.add_heading(title, level=0)
    heads = {k: (z if zh else e) for k, z, e in final.SECTIONS}

    doc.add_heading(heads["summary"], level=1)
    for s in final.summary_sentences(fa, language):
        doc.add_paragraph(s)

    doc.add_heading(heads["indicators"], level=1)
    _table(doc, tables["indicators"])
    _figure(doc, figures["verdicts"], "图1 指标评估结论" if zh else "Figure 1. Indicator verdicts")

    doc.add_heading(heads["text_targets"], level=1)
    tt = tables["text_targets"]
    ch_col = tt.columns[0]
    for ch, g in tt.groupby(ch_col, sort=False):
        doc.add_heading(f"第{ch}章" if zh else f"Chapter {ch}", level=2)
        _table(doc, g.drop(columns=[ch_col]))

    doc.add_heading(heads["ledger"], level=1)
    for key, (hz, he) in (("ledger_key", ("主要数字", "Key figures")),
                          ("reconcile", ("文本所述与表列项目", "Stated vs printed projects")),
                          ("ledger_by_table", ("按表", "By table")),
                          ("ledger_by_district", ("按区县", "By district")),
                          ("ledger_by_department", ("按牵头部门", "By lead department")),
                          ("ledger_overdue", ("逾期未完工项目", "Projects past planned completion"))):
        if len(tables[key].columns):
            doc.add_heading(hz if zh else he, level=2)
            _table(doc, tables[key])
    _figure(doc, figures["investment"], "图2 重点工程投资：计划与已完成" if zh else
            "Figure 2. Key projects: planned and completed investment")
    _figure(doc, figures["burnup"], "图3 重点工程完工进度" if zh else "Figure 3. Key projects: burn-up")

    doc.add_heading(heads["unknown"], level=1)
    _table(doc, tables["unknown"])
    p = doc.add_paragraph()
    r = p.add_run("本文件由 yqplan 根据规划文件夹中的数据表生成；未提供的数值一律标为未知，不作推测。" if zh else
                  "Made by yqplan from the plan folder's tables; values not supplied are shown as "
                  "unknown, never guessed.")
    r.font.size = Pt(8)
    for fig in figures.values():
        plt.close(fig)
    path = Path(path)
    with _io.atomic_path(path, suffix=".docx") as tmp:
        doc.save(str(tmp))
    return path

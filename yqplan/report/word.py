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
    from yqplan.report import words

    tables = tables if tables is not None else final.final_tables(fa, language)
    figures = figures if figures is not None else final.final_figures(fa, language)
    doc = Document()
    _set_font(doc.styles["Normal"], BODY_FONT, size_pt=10.5)
    for name in ("Title", "Heading 1", "Heading 2", "Caption"):
        _set_font(doc.styles[name], HEADING_FONT if name != "Caption" else BODY_FONT)
    plan_name = getattr(fa.plan, "name_" + language) or fa.plan.plan_id
    title = title or words.word("docx.title", language, plan=plan_name, year=fa.year)
    doc.core_properties.title = title
    doc.core_properties.language = words.word("docx.language_tag", language)
    doc.add_heading(title, level=0)
    heads = {k: words.word(f"final.section.{k}", language) for k, _, _ in final.SECTIONS}

    doc.add_heading(heads["summary"], level=1)
    for s in final.summary_sentences(fa, language):
        doc.add_paragraph(s)

    doc.add_heading(heads["indicators"], level=1)
    _table(doc, tables["indicators"])
    _figure(doc, figures["verdicts"], words.word("docx.figure_verdicts", language))

    doc.add_heading(heads["text_targets"], level=1)
    tt = tables["text_targets"]
    ch_col = tt.columns[0]
    for ch, g in tt.groupby(ch_col, sort=False):
        doc.add_heading(words.word("docx.chapter", language, chapter=ch), level=2)
        _table(doc, g.drop(columns=[ch_col]))

    doc.add_heading(heads["ledger"], level=1)
    # each sub-heading is the catalogue's docx.<table key>
    for key in ("ledger_key", "reconcile", "ledger_by_table", "ledger_by_district",
                "ledger_by_department", "ledger_overdue"):
        if len(tables[key].columns):
            doc.add_heading(words.word(f"docx.{key}", language), level=2)
            _table(doc, tables[key])
    _figure(doc, figures["investment"], words.word("docx.figure_investment", language))
    _figure(doc, figures["burnup"], words.word("docx.figure_burnup", language))

    doc.add_heading(heads["unknown"], level=1)
    _table(doc, tables["unknown"])
    p = doc.add_paragraph()
    r = p.add_run(words.word("docx.footer", language))
    r.font.size = Pt(8)
    for fig in figures.values():
        plt.close(fig)
    path = Path(path)
    with _io.atomic_path(path, suffix=".docx") as tmp:
        doc.save(str(tmp))
    return path

"""The final assessment (终期评估) of a plan: every verdict for the target year with its evidence.

:func:`final_assessment` gathers, for one plan (:func:`yqplan.plan.tables.plan_meta`):

* the scoreboard of the Table 1 indicators (:func:`assess_plan_for`, the plan's own
  registry, province targets, base and target years) with, per indicator, the evidence:
  value in the target year and its source, the target and where it comes from, the
  method, and the data sufficiency (years with a value of base year … target year);
* the text targets' verdicts (:func:`yqplan.plan.text_targets.assess_text_targets`);
* the key-project ledger as of the end of the plan period
  (:func:`yqplan.plan.ledger.ledger_summary`) and the stated-vs-printed reconciliation;
* what is still unknown: targets not supplied, indicator-years without a value, text
  targets without a value, projects without a status record.

:func:`final_tables` and :func:`final_figures` are what the HTML report
(``notebooks/50_final_assessment.ipynb``) and the Word document
(:func:`yqplan.report.word.write_final_docx`) both show, so they carry the same numbers.
Entered values (``values.csv``, official figures) take precedence over values measured
here (``measured``) for the same indicator and year.  See ``docs/final-assessment.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from yqplan.plan import ledger, tables as plan_mod, targets, text_targets, values as values_mod
from yqplan.report import words as _words

__all__ = ["assess_plan_for", "score_plan_for", "combine_entered", "FinalAssessment", "final_assessment", "final_tables",
           "final_figure", "final_figures", "FIGURES", "summary_sentences", "SECTIONS", "WORDS", "word"]

#: Report sections in order: key, Chinese and English heading.
SECTIONS = (("summary", "一、总体结论", "1. Summary"),
            ("indicators", "二、规划指标终期评估", "2. Indicators: final verdicts"),
            ("text_targets", "三、规划文本中的量化目标", "3. Quantified targets in the plan text"),
            ("ledger", "四、重点工程台账", "4. Key-project ledger"),
            ("unknown", "五、尚不掌握的情况", "5. What is still unknown"))

#: Words of this report not in :data:`yqplan.report.present.VERDICT_WORDS` (zh, en): the
#: catalogue :mod:`yqplan.report.words`, ``final.*``.
WORDS = _words.section("final")


def word(w, language: str = "zh") -> str:
    """A verdict or kind word in the reader's language (this module's, then present's)."""
    from yqplan.report import present  # heavy (matplotlib): imported on use

    pair = WORDS.get(str(w)) or ledger.STATUS_WORDS.get(str(w))
    if pair:
        return pair[0] if language == "zh" else pair[1]
    return present.verdict_word(w, language)


def _num(v, digits: int = 4) -> str:
    if v is None:
        return "–"
    try:
        if math.isnan(float(v)):
            return "–"
    except (TypeError, ValueError):
        return str(v)
    return f"{float(v):.{digits}g}"


def _money(v) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{float(v):.4f}"


def _pct(v) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{100 * float(v):.1f}%"


def combine_entered(entered, measured):
    """Entered values first in precedence: a measured value fills only years not entered."""

    if measured is None or not len(measured):
        return entered.reset_index(drop=True)
    m = measured[["indicator_id", "year", "value", "source"]].copy()
    m["indicator_id"] = m["indicator_id"].astype(str)
    m["year"] = m["year"].astype(int)
    both = pd.concat([m, entered], ignore_index=True)
    both = both.drop_duplicates(["indicator_id", "year"], keep="last")
    return both.sort_values(["indicator_id", "year"], ignore_index=True)


def assess_plan_for(values=None, *, plan=None, year: int | None = None, measured=None):
    """The scoreboard of a plan as a table: :func:`score_plan_for` (same parameters) flattened.

    Returns
    -------
    DataFrame, the scoreboard (:data:`yqplan.plan.targets.SCOREBOARD_COLUMNS`).
    """
    return score_plan_for(values, plan=plan, year=year, measured=measured).to_frame()


def score_plan_for(values=None, *, plan=None, year: int | None = None,
                   measured=None) -> targets.Scoreboard:
    """The typed scoreboard of a plan: :func:`yqplan.plan.targets.score_plan` with that plan's tables.

    Parameters
    ----------
    values : long DataFrame ``indicator_id, year, value[, source]``; default the plan
        folder's ``values.csv`` (:func:`yqplan.plan.values.values_for_assessment`).
    plan : plan id or folder (default the 14th plan).
    year : assess as of this year (default: each indicator's latest value).
    measured : values measured here (e.g. :func:`yqplan.analyses.compute_indicator_values`),
        used only for indicator-years ``values`` does not hold.

    Returns
    -------
    yqplan.plan.targets.Scoreboard
        Each indicator's assessment with its trend and projection objects; ``plan`` is the
        plan's id.
    """

    meta = plan_mod.plan_meta(plan)
    registry = plan_mod.read_indicators(plan=plan)
    entered = values_mod.values_for_assessment(plan=plan) if values is None else values
    v = combine_entered(entered, measured)
    if (meta.folder / "province_targets.csv").is_file():
        prov = plan_mod.read_province_targets(indicators=registry, plan=plan)
    else:  # a plan without province-assigned targets needs no file
        prov = {}
    return targets.score_plan(v, year=year, registry=registry, province_targets=prov,
                              base_year=meta.base_year, target_year=meta.target_year,
                              plan_id=meta.plan_id)


@dataclass(frozen=True)
class FinalAssessment:
    """Everything the final-assessment report shows (see :func:`final_assessment`).

    ``plan`` the :class:`yqplan.plan.tables.PlanMeta`; ``year`` the assessment year (the
    target year); ``as_of`` the ledger date; ``scoreboard`` the indicators'
    scoreboard; ``values`` the values used; ``gaps`` indicator-years filled or empty
    (:func:`yqplan.plan.values.value_gaps`); ``text_targets`` the text targets' verdicts;
    ``ledger`` the :class:`yqplan.plan.ledger.LedgerSummary`; ``burnup`` its series;
    ``reconcile`` stated vs printed projects (None without ``stated_totals.csv``).
    """

    plan: object
    year: int
    as_of: str
    scoreboard: object
    values: object
    gaps: object
    text_targets: object
    ledger: object
    burnup: object
    reconcile: object


def final_assessment(values=None, *, plan=None, measured=None, year: int | None = None,
                     as_of=None) -> FinalAssessment:
    """The final assessment of a plan for its target year.

    Parameters
    ----------
    values : indicator values (default the plan folder's ``values.csv``).
    plan : plan id or folder (default the 14th plan).
    measured : values measured here, used only where nothing is entered.
    year : the assessment year (default the plan's target year).
    as_of : the ledger date (default the end of the plan period).
    """

    meta = plan_mod.plan_meta(plan)
    year = meta.target_year if year is None else int(year)
    entered = values_mod.values_for_assessment(plan=plan) if values is None else values
    used = combine_entered(entered, measured)
    board = assess_plan_for(used, plan=plan, year=year)
    reg = plan_mod.read_indicators(plan=plan)
    gap_vals = used.assign(unit="", source_date="", note="")
    gaps = values_mod.value_gaps(gap_vals, plan=plan, what="indicators",
                                 years=range(meta.base_year, year + 1))
    tt = text_targets.assess_text_targets(plan=plan, year=year)
    projects = plan_mod.read_projects(plan=plan)
    summ = ledger.ledger_summary(plan=plan, as_of=as_of, projects=projects)
    burn = ledger.burnup(plan=plan, projects=projects)
    recon = (plan_mod.reconcile_projects(projects, plan=plan)
             if (meta.folder / "stated_totals.csv").is_file() else None)
    del reg
    return FinalAssessment(meta, year, summ.as_of, board, used, gaps, tt, summ, burn, recon)


# --------------------------------------------------------------------------- what readers see

def _sufficiency(fa: FinalAssessment, iid: str, language: str) -> str:
    g = fa.gaps[fa.gaps["id"] == iid]
    have = [int(y) for y in g.loc[g["filled"], "year"]]
    miss = [int(y) for y in g.loc[~g["filled"], "year"]]
    n = len(g)
    if language == "zh":
        text = f"{len(have)}/{n} 年有值"
        return text + (f"；缺 {', '.join(map(str, miss))}" if miss else "")
    text = f"{len(have)}/{n} years with a value"
    return text + (f"; missing {', '.join(map(str, miss))}" if miss else "")


def _method(r, year: int, language: str) -> str:
    st = r["status_verdict"]
    zh = language == "zh"
    if st not in ("met", "not met"):
        return ("无法评估：" if zh else "not assessed: ") + word(st, language)
    cmp_ = f"{r['comparator']} {_num(r['target_value'])}"
    if r["final"]:
        return (f"{year}年实际值与目标比较（值 {cmp_} 为达标）" if zh else
                f"the {year} value against the target (met when value {cmp_})")
    return (f"无{year}年值：以{int(r['latest_year'])}年值比较（中期，非终期结论）" if zh else
            f"no {year} value: the {int(r['latest_year'])} value compared (interim, not final)")


def _indicator_table(fa: FinalAssessment, language: str):
    from yqplan.report import present  # heavy (matplotlib): imported on use

    zh = language == "zh"
    y = fa.year
    rows = []
    for r in fa.scoreboard.to_dict("records"):
        sub = fa.values[(fa.values["indicator_id"] == r["indicator_id"]) & (fa.values["year"] == y)]
        vy = float(sub["value"].iloc[0]) if len(sub) else math.nan
        rows.append({
            ("编号" if zh else "No."): r["indicator_id"],
            ("指标" if zh else "Indicator"): r["name_zh"] if zh else r["name_en"],
            ("单位" if zh else "Unit"): r["unit"],
            ("属性" if zh else "Attribute"): present.verdict_word(r["attribute"], language),
            ("目标" if zh else "Target"): present.target_text(r, language),
            ("目标来源" if zh else "Target source"): present.source_words(r["target_source"] or "–",
                                                                        language),
            (f"{y}年值" if zh else f"{y} value"): _num(vy),
            ("最新值（年）" if zh else "Latest (year)"): (
                "–" if pd.isna(r["latest_value"]) else
                f"{_num(r['latest_value'])}（{int(r['latest_year'])}）" if zh else
                f"{_num(r['latest_value'])} ({int(r['latest_year'])})"),
            ("数值来源" if zh else "Value source"): present.source_words(r["latest_source"] or "–",
                                                                       language),
            ("结论" if zh else "Verdict"): present.verdict_text(r, language),
            ("方法" if zh else "Method"): _method(r, y, language),
            ("数据充分性" if zh else "Data sufficiency"): _sufficiency(fa, r["indicator_id"], language),
        })
    return pd.DataFrame(rows)


def _text_target_table(tt, language: str):
    zh = language == "zh"
    cols = [("章" if zh else "Ch."), ("编号" if zh else "No."), ("节" if zh else "Section"),
            ("目标内容" if zh else "Target"), ("类型" if zh else "Kind"),
            ("目标值" if zh else "Target value"), ("截止年" if zh else "Due"),
            ("实际值" if zh else "Value"), ("结论" if zh else "Verdict"), ("来源" if zh else "Source")]
    rows = []
    for r in tt.to_dict("records"):
        verdict = r["verdict"]
        if r["status"] in ("met", "not met"):
            fin = word("final" if r["final"] else "interim", language)
            verdict = (f"{int(r['value_year'])}年：{word(r['status'], language)}（{fin}）" if zh
                       else r["verdict"])
        else:
            verdict = word(r["status"], language)
        rows.append({
            ("章" if zh else "Ch."): str(r["chapter"]),
            ("编号" if zh else "No."): r["target_id"], ("节" if zh else "Section"): r["section"],
            ("目标内容" if zh else "Target"): r["item_zh"] if zh else r["item_en"],
            ("类型" if zh else "Kind"): word(r["assess_kind"], language),
            ("目标值" if zh else "Target value"): f"{r['comparator']} {_num(r['target_value'])} {r['unit']}",
            ("截止年" if zh else "Due"): str(r["deadline"]),
            ("实际值" if zh else "Value"): _num(r["value"]),
            ("结论" if zh else "Verdict"): verdict,
            ("来源" if zh else "Source"): r["sources"] or "–",
        })
    return pd.DataFrame(rows, columns=cols)


def _ledger_key_figures(fa: FinalAssessment, language: str):
    s = fa.ledger
    zh = language == "zh"
    # without any record a rate of 0 % would read as a finding: show it as unknown
    rate = _pct if s.n_with_record else (lambda v: "–（无进度记录）" if zh else "– (no records)")
    items = [
        ("截至日期", "As of", s.as_of),
        ("表列项目行数", "Project rows printed in the tables", str(s.n_rows)),
        ("规划文本所述项目数", "Projects stated in the plan text", _num(s.n_stated)),
        ("有进度记录的项目", "Projects with a status record", str(s.n_with_record)),
        ("已完工项目", "Projects completed", str(s.n_completed)),
        ("完工率（÷表列行数）", "Completion rate (÷ rows)", rate(s.completion_rate)),
        ("完工率（÷文本所述项目数）", "Completion rate (÷ stated)", rate(s.completion_rate_stated)),
        ("计划投资（亿元）", "Planned investment (100 million yuan)", _money(s.investment_planned)),
        ("已完成投资（亿元）", "Investment completed (100 million yuan)", _money(s.investment_done)),
        ("投资完成比例", "Investment completed, share of planned", rate(s.investment_share)),
        ("逾期未完工项目", "Projects past planned completion, not completed", str(len(s.overdue))),
    ]
    return pd.DataFrame({("项目" if zh else "Item"): [i[0] if zh else i[1] for i in items],
                         ("数值" if zh else "Value"): [i[2] for i in items]})


def _ledger_group(df, key: str, language: str):
    zh = language == "zh"
    names = {"table": ("表", "Table"), "district": ("区县", "District"),
             "lead_department": ("牵头部门", "Lead department")}
    return pd.DataFrame({
        names[key][0 if zh else 1]: df[key].astype(str),
        ("项目数" if zh else "Projects"): df["n_projects"].astype(str),
        ("已完工" if zh else "Completed"): df["n_completed"].astype(str),
        ("计划投资（亿元）" if zh else "Planned (亿元)"): df["investment_planned"].map(_money),
        ("已完成投资（亿元）" if zh else "Done (亿元)"): df["investment_done"].map(_money),
        ("完成比例" if zh else "Share done"): df["share_done"].map(_pct),
    })


def _overdue_table(fa: FinalAssessment, language: str):
    zh = language == "zh"
    o = fa.ledger.overdue
    return pd.DataFrame({
        ("编号" if zh else "No."): o["project_id"], ("项目" if zh else "Project"): o["name_zh"],
        ("计划完工" if zh else "Planned completion"): o["planned_completion"],
        ("状态" if zh else "Status"): o["status"].map(lambda s: word(s, language)),
        ("记录日期" if zh else "Record date"): o["record_date"].replace("", "–"),
    })


def _reconcile_table(fa: FinalAssessment, language: str):
    zh = language == "zh"
    r = fa.reconcile
    if r is None:
        return pd.DataFrame()
    return pd.DataFrame({
        ("表" if zh else "Table"): r["table"],
        ("文本所述项目数" if zh else "Stated projects"): r["stated_count"].astype(str),
        ("表列行数" if zh else "Rows in table"): r["table_rows"].astype(str),
        ("文本所述投资（亿元）" if zh else "Stated (亿元)"): r["stated_investment"].map(_money),
        ("表列投资合计（亿元）" if zh else "Table sum (亿元)"): r["table_investment"].map(_money),
    })


def _unknown_table(fa: FinalAssessment, language: str):
    zh = language == "zh"
    y = fa.year
    rows = []
    for r in fa.scoreboard.to_dict("records"):
        name = r["name_zh"] if zh else r["name_en"]
        if r["status_verdict"] in ("no target supplied", "no baseline"):
            rows.append(("指标" if zh else "indicator", r["indicator_id"], name,
                         word(r["status_verdict"], language)))
        g = fa.gaps[(fa.gaps["id"] == r["indicator_id"]) & (fa.gaps["year"] == y)]
        if len(g) and not bool(g["filled"].iloc[0]):
            rows.append(("指标" if zh else "indicator", r["indicator_id"], name,
                         f"无{y}年值（终期结论未知）" if zh else f"no {y} value (final verdict unknown)"))
    for r in fa.text_targets.to_dict("records"):
        if r["status"] == "no value supplied":
            rows.append(("文本目标" if zh else "text target", r["target_id"],
                         r["item_zh"] if zh else r["item_en"], word("no value supplied", language)))
    st = fa.ledger.status
    nrec = st[st["status"] == "no record"]
    if len(nrec):
        rows.append(("重点工程" if zh else "key projects", f"{len(nrec)}/{len(st)}",
                     "、".join(nrec["project_id"].head(8)) + ("…" if len(nrec) > 8 else ""),
                     word("no record", language)))
    return pd.DataFrame(rows, columns=["类别" if zh else "Kind", "编号" if zh else "No.",
                                       "名称" if zh else "Name", "缺少" if zh else "Missing"])


def final_tables(fa: FinalAssessment, language: str = "zh") -> dict:
    """The report's tables as text (the HTML and the .docx show exactly these cells).

    Keys: ``indicators``, ``text_targets`` (all chapters; the report splits it by the
    chapter column), ``ledger_key``, ``ledger_by_table``, ``ledger_by_district``,
    ``ledger_by_department``, ``ledger_overdue``, ``reconcile``, ``unknown``.
    """
    s = fa.ledger
    return {
        "indicators": _indicator_table(fa, language),
        "text_targets": _text_target_table(fa.text_targets, language),
        "ledger_key": _ledger_key_figures(fa, language),
        "ledger_by_table": _ledger_group(s.by_table, "table", language),
        "ledger_by_district": _ledger_group(s.by_district, "district", language),
        "ledger_by_department": _ledger_group(s.by_department, "lead_department", language),
        "ledger_overdue": _overdue_table(fa, language),
        "reconcile": _reconcile_table(fa, language),
        "unknown": _unknown_table(fa, language),
    }


def summary_sentences(fa: FinalAssessment, language: str = "zh") -> list[str]:
    """The summary, every number computed from the assessment."""
    zh = language == "zh"
    b = fa.scoreboard
    n = len(b)
    final = b[b["final"].astype(bool)]
    met = int((final["status_verdict"] == "met").sum())
    notmet = int((final["status_verdict"] == "not met").sum())
    interim = int(b["status_verdict"].isin(["met", "not met"]).sum()) - met - notmet
    no_target = int((b["status_verdict"] == "no target supplied").sum())
    no_data = n - met - notmet - interim - no_target
    tt = fa.text_targets
    t_met = int((tt["status"] == "met").sum())
    t_not = int((tt["status"] == "not met").sum())
    t_none = int((tt["status"] == "no value supplied").sum())
    s = fa.ledger
    if zh:
        return [
            f"规划表1共 {n} 项指标（含子项）：{fa.year}年终期达标 {met} 项、未达标 {notmet} 项；"
            f"仅有中期结论（缺{fa.year}年值）{interim} 项；未提供目标值 {no_target} 项；其余 {no_data} 项无可评估数据。",
            f"规划文本中的 {len(tt)} 项量化目标：达标 {t_met} 项、未达标 {t_not} 项、未提供数值 {t_none} 项。",
            f"重点工程：表列 {s.n_rows} 行（文本所述 {_num(s.n_stated)} 项），截至{s.as_of}有进度记录 "
            f"{s.n_with_record} 项，已完工 {s.n_completed} 项，已完成投资 {_money(s.investment_done)} 亿元"
            f"（计划 {_money(s.investment_planned)} 亿元）；逾期未完工（含无记录）{len(s.overdue)} 项。",
        ]
    return [
        f"Table 1 has {n} indicator rows: {met} met and {notmet} not met in {fa.year} (final); "
        f"{interim} with an interim verdict only (no {fa.year} value); {no_target} without a "
        f"target supplied; {no_data} without data to assess.",
        f"The {len(tt)} quantified targets of the plan text: {t_met} met, {t_not} not met, "
        f"{t_none} with no value supplied.",
        f"Key projects: {s.n_rows} rows printed ({_num(s.n_stated)} stated); by {s.as_of} "
        f"{s.n_with_record} have a status record, {s.n_completed} completed, "
        f"{_money(s.investment_done)} of {_money(s.investment_planned)} (100 million yuan) "
        f"invested; {len(s.overdue)} past their planned completion without a completion record.",
    ]


#: The report's figures, in order.
FIGURES = ("verdicts", "investment", "burnup")


def final_figure(fa: FinalAssessment, name: str, language: str = "zh"):
    """One figure of the report: ``verdicts`` (verdict matrix), ``investment`` (planned vs
    completed by table) or ``burnup`` (:func:`yqplan.report.plots.plot_burnup`)."""
    from yqplan.report import plots  # heavy (matplotlib): imported on use

    zh = language == "zh"
    s = fa.ledger
    if name == "verdicts":
        return plots.plot_verdict_matrix(
            fa.scoreboard, title=(f"{fa.year}年指标评估结论" if zh else f"Indicator verdicts, {fa.year}"),
            language=language)
    if name == "investment":
        inv = s.by_table.set_index("table")[["investment_planned", "investment_done"]]
        return plots.plot_grouped_bars(
            inv, title="重点工程投资：计划与已完成" if zh else "Key projects: planned and completed investment",
            unit="亿元" if zh else "100 million yuan",
            series_labels={"investment_planned": "计划" if zh else "planned",
                           "investment_done": "已完成" if zh else "completed"}, language=language)
    if name == "burnup":
        return plots.plot_burnup(
            fa.burnup, title="重点工程完工进度（累计上升图）" if zh else "Key projects: burn-up",
            total=float(s.n_rows), stated=s.n_stated, investment_planned=s.investment_planned,
            language=language)
    raise ValueError(f"figure: {name!r} is not one of {', '.join(FIGURES)}")


def final_figures(fa: FinalAssessment, language: str = "zh") -> dict:
    """All figures of the report (:data:`FIGURES`), name → matplotlib figure."""
    return {name: final_figure(fa, name, language) for name in FIGURES}

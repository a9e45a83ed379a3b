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
from yqplan.report import words

__all__ = ["assess_plan_for", "score_plan_for", "combine_entered", "FinalAssessment", "final_assessment", "final_tables",
           "final_figure", "final_figures", "FIGURES", "summary_sentences", "SECTIONS", "WORDS", "word"]

#: Report sections in order: key, Chinese and English heading (catalogue ``final.section.*``).
SECTIONS = tuple((key, *words.WORDS[f"final.section.{key}"])
                 for key in ("summary", "indicators", "text_targets", "ledger", "unknown"))

#: Words of this report not in :data:`yqplan.report.present.VERDICT_WORDS` (zh, en): the
#: catalogue :mod:`yqplan.report.words`, ``final.*``.
WORDS = words.section("final")


def word(w, language: str = "zh") -> str:
    """A verdict or kind word in the reader's language (this module's, then present's)."""
    from yqplan.report import present  # heavy (matplotlib): imported on use

    pair = WORDS.get(str(w)) or ledger.STATUS_WORDS.get(str(w))
    if pair:
        return words.pick(pair, language)
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
    return values_mod.combine_values([m, entered])


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
    gap_vals = used.assign(unit="", source_date="", note="")
    gaps = values_mod.value_gaps(gap_vals, plan=plan, what="indicators",
                                 years=range(meta.base_year, year + 1))
    tt = text_targets.assess_text_targets(plan=plan, year=year)
    projects = plan_mod.read_projects(plan=plan)
    summ = ledger.ledger_summary(plan=plan, as_of=as_of, projects=projects)
    burn = ledger.burnup(plan=plan, projects=projects)
    recon = (plan_mod.reconcile_projects(projects, plan=plan)
             if (meta.folder / "stated_totals.csv").is_file() else None)
    return FinalAssessment(meta, year, summ.as_of, board, used, gaps, tt, summ, burn, recon)


# --------------------------------------------------------------------------- what readers see
# Every word below comes from the catalogue (yqplan.report.words, final.*); names and items of
# the plan's own tables are read from their ``_zh`` / ``_en`` columns.

def _sufficiency(fa: FinalAssessment, iid: str, language: str) -> str:
    g = fa.gaps[fa.gaps["id"] == iid]
    have = [int(y) for y in g.loc[g["filled"], "year"]]
    miss = [int(y) for y in g.loc[~g["filled"], "year"]]
    text = words.word("final.sufficiency", language, have=len(have), n=len(g))
    if miss:
        text += words.word("final.sufficiency_missing", language, years=", ".join(map(str, miss)))
    return text


def _method(r, year: int, language: str) -> str:
    st = r["status_verdict"]
    if st not in ("met", "not met"):
        return words.word("final.method.not_assessed", language, verdict=word(st, language))
    cmp_ = f"{r['comparator']} {_num(r['target_value'])}"
    if r["final"]:
        return words.word("final.method.final", language, year=year, comparison=cmp_)
    return words.word("final.method.interim", language, year=year, latest=int(r["latest_year"]))


def _indicator_table(fa: FinalAssessment, language: str):
    from yqplan.report import present  # heavy (matplotlib): imported on use

    y = fa.year
    rows = []
    for r in fa.scoreboard.to_dict("records"):
        sub = fa.values[(fa.values["indicator_id"] == r["indicator_id"]) & (fa.values["year"] == y)]
        vy = float(sub["value"].iloc[0]) if len(sub) else math.nan
        rows.append({
            words.word("final.col.no", language): r["indicator_id"],
            words.word("final.col.indicator", language): r["name_" + language],
            words.word("final.col.unit", language): r["unit"],
            words.word("final.col.attribute", language): present.verdict_word(r["attribute"], language),
            words.word("final.col.target", language): present.target_text(r, language),
            words.word("final.col.target_source", language): present.source_words(r["target_source"] or "–",
                                                                                   language),
            words.word("final.col.year_value", language, year=y): _num(vy),
            words.word("final.col.latest", language): (
                "–" if pd.isna(r["latest_value"]) else
                words.word("final.value_year", language, value=_num(r["latest_value"]),
                           year=int(r["latest_year"]))),
            words.word("final.col.value_source", language): present.source_words(r["latest_source"] or "–",
                                                                                  language),
            words.word("final.col.verdict", language): present.verdict_text(r, language),
            words.word("final.col.method", language): _method(r, y, language),
            words.word("final.col.sufficiency", language): _sufficiency(fa, r["indicator_id"], language),
        })
    return pd.DataFrame(rows)


def _text_target_table(tt, language: str):
    cols = [words.word("final.col.chapter", language), words.word("final.col.no", language),
            words.word("final.col.section", language), words.word("final.col.target_item", language),
            words.word("final.col.kind", language), words.word("final.col.target_value", language),
            words.word("final.col.due", language), words.word("final.col.value", language),
            words.word("final.col.verdict", language), words.word("final.col.source", language)]
    rows = []
    for r in tt.to_dict("records"):
        if r["status"] in ("met", "not met"):
            verdict = words.word("final.text_verdict", language, year=int(r["value_year"]),
                                 status=word(r["status"], language),
                                 final=word("final" if r["final"] else "interim", language))
        else:
            verdict = word(r["status"], language)
        rows.append([str(r["chapter"]), r["target_id"], r["section"], r["item_" + language],
                     word(r["assess_kind"], language),
                     f"{r['comparator']} {_num(r['target_value'])} {r['unit']}", str(r["deadline"]),
                     _num(r["value"]), verdict, r["sources"] or "–"])
    return pd.DataFrame(rows, columns=cols)


def _ledger_key_figures(fa: FinalAssessment, language: str):
    s = fa.ledger
    # without any record a rate of 0 % would read as a finding: show it as unknown
    rate = _pct if s.n_with_record else (lambda v: words.word("final.rate_no_records", language))
    items = [
        (words.word("final.ledger.as_of", language), s.as_of),
        (words.word("final.ledger.rows", language), str(s.n_rows)),
        (words.word("final.ledger.stated", language), _num(s.n_stated)),
        (words.word("final.ledger.with_record", language), str(s.n_with_record)),
        (words.word("final.ledger.completed", language), str(s.n_completed)),
        (words.word("final.ledger.completion_rate", language), rate(s.completion_rate)),
        (words.word("final.ledger.completion_rate_stated", language), rate(s.completion_rate_stated)),
        (words.word("final.ledger.planned", language), _money(s.investment_planned)),
        (words.word("final.ledger.done", language), _money(s.investment_done)),
        (words.word("final.ledger.share", language), rate(s.investment_share)),
        (words.word("final.ledger.overdue", language), str(len(s.overdue))),
    ]
    return pd.DataFrame({words.word("final.col.item", language): [i[0] for i in items],
                         words.word("final.col.figure", language): [i[1] for i in items]})


def _ledger_group(df, key: str, language: str):
    # ``key`` is a column of the ledger's groupings: table, district or lead_department
    return pd.DataFrame({
        words.word(f"final.col.{key}", language): df[key].astype(str),
        words.word("final.col.projects", language): df["n_projects"].astype(str),
        words.word("final.col.completed", language): df["n_completed"].astype(str),
        words.word("final.col.planned", language): df["investment_planned"].map(_money),
        words.word("final.col.done", language): df["investment_done"].map(_money),
        words.word("final.col.share_done", language): df["share_done"].map(_pct),
    })


def _overdue_table(fa: FinalAssessment, language: str):
    o = fa.ledger.overdue
    return pd.DataFrame({
        words.word("final.col.no", language): o["project_id"],
        words.word("final.col.project", language): o["name_zh"],
        words.word("final.col.planned_completion", language): o["planned_completion"],
        words.word("final.col.status", language): o["status"].map(lambda s: word(s, language)),
        words.word("final.col.record_date", language): o["record_date"].replace("", "–"),
    })


def _reconcile_table(fa: FinalAssessment, language: str):
    r = fa.reconcile
    if r is None:
        return pd.DataFrame()
    return pd.DataFrame({
        words.word("final.col.table", language): r["table"],
        words.word("final.col.stated_projects", language): r["stated_count"].astype(str),
        words.word("final.col.table_rows", language): r["table_rows"].astype(str),
        words.word("final.col.stated_investment", language): r["stated_investment"].map(_money),
        words.word("final.col.table_investment", language): r["table_investment"].map(_money),
    })


def _unknown_table(fa: FinalAssessment, language: str):
    y = fa.year
    rows = []
    indicator = words.word("final.unknown.indicator", language)
    for r in fa.scoreboard.to_dict("records"):
        name = r["name_" + language]
        if r["status_verdict"] in ("no target supplied", "no baseline"):
            rows.append((indicator, r["indicator_id"], name, word(r["status_verdict"], language)))
        g = fa.gaps[(fa.gaps["id"] == r["indicator_id"]) & (fa.gaps["year"] == y)]
        if len(g) and not bool(g["filled"].iloc[0]):
            rows.append((indicator, r["indicator_id"], name,
                         words.word("final.unknown.no_year_value", language, year=y)))
    for r in fa.text_targets.to_dict("records"):
        if r["status"] == "no value supplied":
            rows.append((words.word("final.unknown.text_target", language), r["target_id"],
                         r["item_" + language], word("no value supplied", language)))
    st = fa.ledger.status
    nrec = st[st["status"] == "no record"]
    if len(nrec):
        # project ids joined by "、" in both languages (as the report has always shown them)
        rows.append((words.word("final.unknown.key_projects", language), f"{len(nrec)}/{len(st)}",
                     "、".join(nrec["project_id"].head(8)) + ("…" if len(nrec) > 8 else ""),
                     word("no record", language)))
    return pd.DataFrame(rows, columns=[words.word("final.col.category", language),
                                       words.word("final.col.no", language),
                                       words.word("final.col.name", language),
                                       words.word("final.col.missing", language)])


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
    return [
        words.word("final.summary.indicators", language, n=n, year=fa.year, met=met, not_met=notmet,
                   interim=interim, no_target=no_target, no_data=no_data),
        words.word("final.summary.text_targets", language, n=len(tt), met=t_met, not_met=t_not,
                   none=t_none),
        words.word("final.summary.ledger", language, rows=s.n_rows, stated=_num(s.n_stated),
                   as_of=s.as_of, with_record=s.n_with_record, completed=s.n_completed,
                   done=_money(s.investment_done), planned=_money(s.investment_planned),
                   overdue=len(s.overdue)),
    ]


#: The report's figures, in order.
FIGURES = ("verdicts", "investment", "burnup")


def final_figure(fa: FinalAssessment, name: str, language: str = "zh"):
    """One figure of the report: ``verdicts`` (verdict matrix), ``investment`` (planned vs
    completed by table) or ``burnup`` (:func:`yqplan.report.plots.plot_burnup`)."""
    from yqplan.report import plots  # heavy (matplotlib): imported on use

    s = fa.ledger
    if name == "verdicts":
        return plots.plot_verdict_matrix(
            fa.scoreboard, title=words.word("final.figure.verdicts", language, year=fa.year),
            language=language)
    if name == "investment":
        inv = s.by_table.set_index("table")[["investment_planned", "investment_done"]]
        return plots.plot_grouped_bars(
            inv, title=words.word("final.figure.investment", language),
            unit=words.word("unit.100m_yuan", language),
            series_labels={"investment_planned": words.word("final.figure.planned", language),
                           "investment_done": words.word("final.figure.completed", language)},
            language=language)
    if name == "burnup":
        return plots.plot_burnup(
            fa.burnup, title=words.word("final.figure.burnup", language),
            total=float(s.n_rows), stated=s.n_stated, investment_planned=s.investment_planned,
            language=language)
    raise ValueError(f"figure: {name!r} is not one of {', '.join(FIGURES)}")


def final_figures(fa: FinalAssessment, language: str = "zh") -> dict:
    """All figures of the report (:data:`FIGURES`), name → matplotlib figure."""
    return {name: final_figure(fa, name, language) for name in FIGURES}

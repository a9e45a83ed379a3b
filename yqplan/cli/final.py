"""``yqplan plan gaps | text-verdicts | ledger | final | check``: values, text targets, the
project ledger and the final assessment of a plan folder (``--plan``, default 14th)."""

from __future__ import annotations

from pathlib import Path

from yqplan.cli._common import add_format_arg, emit


def _add_plan(p) -> None:
    p.add_argument("--plan", default=None,
                   help="plan id (a folder under data/plans) or a path to a plan folder (default: 14th)")


def _write_or_emit(df, args) -> None:
    if getattr(args, "out", None):
        from yqplan import _io  # heavy (pandas): `yqplan --help` stays fast

        path = Path(args.out)
        if path.suffix not in (".csv", ".json"):
            raise ValueError(f"--out: {path.name!r} must end in .csv or .json")
        _io.write_frame(df, path)  # atomic: a temporary file renamed over the target
        print(f"wrote {path}")
    else:
        emit(df, args.format)


def _gaps(args) -> int:
    from yqplan.plan import values  # heavy (pandas): `yqplan --help` stays fast

    what = "text_targets" if args.what == "text-targets" else "indicators"
    df = values.value_gaps(plan=args.plan, what=what)
    if args.empty_only:
        df = df[~df["filled"]]
    _write_or_emit(df, args)
    return 0


def _text_verdicts(args) -> int:
    from yqplan.plan import text_targets  # heavy (pandas): `yqplan --help` stays fast

    df = text_targets.assess_text_targets(plan=args.plan, year=args.year)
    if args.chapter is not None:
        df = df[df["chapter"] == args.chapter]
    if args.format == "table":
        df = df[["target_id", "chapter", "section", "item_zh", "assess_kind", "comparator",
                 "target_value", "unit", "deadline", "value", "value_year", "verdict"]]
    _write_or_emit(df, args)
    return 0


def _ledger(args) -> int:
    from yqplan.plan import ledger  # heavy (pandas): `yqplan --help` stays fast

    s = ledger.ledger_summary(plan=args.plan, as_of=args.as_of or None)
    df = {"table": s.by_table, "district": s.by_district, "department": s.by_department,
          "overdue": s.overdue, "status": s.status}[args.by]
    _write_or_emit(df, args)
    return 0


def _final(args) -> int:
    from yqplan.report import word as docx_report  # heavy (matplotlib): imported on use
    from yqplan.plan import final  # heavy (pandas): `yqplan --help` stays fast

    fa = final.final_assessment(plan=args.plan)
    tables = final.final_tables(fa, args.language)
    if args.docx:
        path = docx_report.write_final_docx(fa, args.docx, language=args.language, tables=tables)
        print(f"wrote {path}")
    emit(tables["indicators"], args.format)
    return 0


def _check(args) -> int:
    from yqplan.plan import ledger  # heavy (pandas): `yqplan --help` stays fast
    from yqplan.plan import tables as plan  # heavy (pandas): `yqplan --help` stays fast
    from yqplan.plan import values  # heavy (pandas): `yqplan --help` stays fast

    meta = plan.plan_meta(args.plan)
    ind = plan.read_indicators(plan=args.plan)
    proj = plan.read_projects(plan=args.plan)
    n_val = len(values.read_values(plan=args.plan, indicators=ind))
    n_tt = len(values.read_text_target_values(plan=args.plan))
    n_led = len(ledger.read_ledger(plan=args.plan, projects=proj))
    print(f"plan {meta.plan_id} ({meta.period_start}–{meta.period_end}, base {meta.base_year}, "
          f"target {meta.target_year}, edition {meta.default_edition}) in {meta.folder}: "
          f"{len(ind)} indicators, {len(proj)} projects, {n_val} values, {n_tt} text-target "
          f"values, {n_led} ledger records — all valid")
    return 0


def register(sub, group) -> None:
    g = group("plan", "the plan's tables: indicators, key projects, text targets, reconciliation")

    p = g.add_parser("gaps", help="which indicator-years (or text-target-years) still have no value")
    _add_plan(p)
    add_format_arg(p)
    p.add_argument("--what", choices=("indicators", "text-targets"), default="indicators")
    p.add_argument("--empty-only", action="store_true", help="only the empty cells")
    p.add_argument("--out", help="write the table to this .csv/.json (atomically) instead")
    p.set_defaults(func=_gaps)

    p = g.add_parser("text-verdicts", help="verdicts of the quantified targets in the plan text")
    _add_plan(p)
    add_format_arg(p)
    p.add_argument("--year", type=int, help="assess as of this year (default: the target year)")
    p.add_argument("--chapter", type=int, help="only one chapter")
    p.add_argument("--out", help="write the table to this .csv/.json (atomically) instead")
    p.set_defaults(func=_text_verdicts)

    p = g.add_parser("ledger", help="key-project ledger: completion and investment done vs planned")
    _add_plan(p)
    add_format_arg(p)
    p.add_argument("--as-of", help="date YYYY-MM-DD (default: end of the plan period)")
    p.add_argument("--by", choices=("table", "district", "department", "overdue", "status"),
                   default="table")
    p.add_argument("--out", help="write the table to this .csv/.json (atomically) instead")
    p.set_defaults(func=_ledger)

    p = g.add_parser("final", help="the final assessment (终期评估): indicator table; --docx writes Word")
    _add_plan(p)
    add_format_arg(p)
    p.add_argument("--language", choices=("zh", "en"), default="zh")
    p.add_argument("--docx", help="write the Word document here (atomically)")
    p.set_defaults(func=_final)

    p = g.add_parser("check", help="validate every table of a plan folder")
    _add_plan(p)
    p.set_defaults(func=_check)


#: The public API of this module (anything else is private to it).
__all__ = ["register"]

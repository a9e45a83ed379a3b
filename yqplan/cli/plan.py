"""``yqplan plan …``: the plan's tables (indicators, key projects, text targets, reconciliation)."""

from __future__ import annotations

from yqplan.cli._common import add_format_arg, emit

# Columns shown by --format table (csv and json give every column).
_COMPACT = {
    "indicators": ["indicator_id", "category", "name_zh", "unit", "baseline_2020", "target_text",
                   "target_kind", "target_value", "comparator", "direction", "attribute"],
    "projects": ["project_id", "printed_no", "name_zh", "build_status", "district", "start_date",
                 "completion_date", "investment_total", "investment_status", "lead_department"],
    "targets": ["target_id", "section", "item_zh", "value", "unit", "comparator", "target_year",
                "kind"],
}
_TABLES = ("13-1", "13-2", "13-3")
_BY = ("table", "category", "district", "department")


def _columns(df, args, name):
    if args.format == "table" and not args.all_columns:
        return df[_COMPACT[name]]
    return df


def _indicators(args) -> int:
    from yqplan.plan import tables as plan  # heavy (pandas): `yqplan --help` stays fast

    emit(_columns(plan.read_indicators(), args, "indicators"), args.format)
    return 0


def _projects(args) -> int:
    from yqplan.plan import tables as plan  # heavy (pandas): `yqplan --help` stays fast

    df = plan.read_projects()
    if args.table:
        df = df[df["table"] == args.table]
    if args.district:
        if args.district not in plan.DISTRICT_ADCODES:
            raise ValueError(f"--district: {args.district!r} is not one of {', '.join(plan.DISTRICT_ADCODES)}")
        df = df[df["district"].str.split(";").apply(lambda parts: args.district in parts)]
    emit(_columns(df, args, "projects"), args.format)
    return 0


def _targets(args) -> int:
    from yqplan.plan import tables as plan  # heavy (pandas): `yqplan --help` stays fast

    df = plan.read_text_targets()
    if args.chapter is not None:
        if not 3 <= args.chapter <= 12:
            raise ValueError(f"--chapter: {args.chapter} is not one of 3 … 12")
        df = df[df["chapter"] == args.chapter]
    emit(_columns(df, args, "targets"), args.format)
    return 0


def _reconcile(args) -> int:
    from yqplan.plan import tables as plan  # heavy (pandas): `yqplan --help` stays fast

    emit(plan.reconcile_projects(), args.format)
    return 0


def _investment(args) -> int:
    from yqplan.plan import tables as plan  # heavy (pandas): `yqplan --help` stays fast

    emit(plan.summarise_investment(by=args.by), args.format)
    return 0


def register(sub, group) -> None:
    g = group("plan", "the plan's tables: indicators, key projects, text targets, reconciliation")

    p = g.add_parser("indicators", help="Table 1: the 19 indicators (item 10 in five sub-items)")
    add_format_arg(p)
    p.add_argument("--all-columns", action="store_true", help="every column also in table format")
    p.set_defaults(func=_indicators)

    p = g.add_parser("projects", help="Tables 13-1, 13-2, 13-3: key projects")
    add_format_arg(p)
    p.add_argument("--table", choices=_TABLES, help="only one table")
    p.add_argument("--district", help="only projects in this district (城区, 矿区, 郊区, 平定县, 盂县 …)")
    p.add_argument("--all-columns", action="store_true", help="every column also in table format")
    p.set_defaults(func=_projects)

    p = g.add_parser("targets", help="quantified targets and limits in chapters 3-12")
    add_format_arg(p)
    p.add_argument("--chapter", type=int, help="only one chapter (3-12)")
    p.add_argument("--all-columns", action="store_true", help="every column also in table format")
    p.set_defaults(func=_targets)

    p = g.add_parser("reconcile", help="projects and investment stated in chapter 13 vs the tables")
    add_format_arg(p)
    p.set_defaults(func=_reconcile)

    p = g.add_parser("investment", help="stated investment summed by table, category, district or department")
    add_format_arg(p)
    p.add_argument("--by", choices=_BY, default="table", help="grouping (default: %(default)s)")
    p.set_defaults(func=_investment)


#: The public API of this module (anything else is private to it).
__all__ = ["register"]

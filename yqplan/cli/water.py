"""``yqplan water read|classify|summary|group|agreement`` — surface-water sections.

Classes computed from automatic-monitoring data are labelled ``auto_recomputed``:
they are this library's recomputation, not the official assessment.
"""

from __future__ import annotations

from yqplan.air.cities import DEFAULT_CITY_FULL  # cheap: no pandas
from yqplan.cli._common import add_format_arg, emit


def _add_common(p, by: bool = True) -> None:
    p.add_argument("--path", default=None,
                   help="snapshot folder or zip (default: $YQPLAN_SHARED_DATA/water); "
                        "with --manual, the manual CSV file")
    p.add_argument("--manual", action="store_true",
                   help="--path is a manual (laboratory) CSV in the project's template")
    p.add_argument("--sections", default=None,
                   help="comma-separated section names, or 'all' (default: the sections "
                        "in data/water/sections.csv)")
    if by:
        p.add_argument("--by", default="month",
                       help="period: month, quarter or year (default: %(default)s)")
    p.add_argument("--period", default=None,
                   help="keep the readings of YYYY or YYYY-MM-DD..YYYY-MM-DD only "
                        "(default: all; a report's years and as_of)")
    add_format_arg(p)


def _request(args):
    from yqplan import analyses  # heavy (pandas): `yqplan --help` stays fast

    if args.sections in (None, ""):
        sections = ()
    elif args.sections == "all":
        sections = ("all",)
    else:
        sections = tuple(s.strip() for s in args.sections.split(",") if s.strip())
    return analyses.WaterRequest(path=args.path or "", manual=bool(args.manual),
                                 sections=sections, by=getattr(args, "by", "month"),
                                 period=args.period or "")


def _check_by(by: str) -> str:
    from yqplan import analyses  # heavy (pandas)

    return analyses.check_choice("--by", by, analyses.WATER_PERIODS)


def _load(args):
    from yqplan import analyses  # heavy (pandas)

    data = analyses.load_water(_request(args))
    return data.readings, data.meta, data.sections, data.names


def _read(args) -> int:
    import pandas as pd  # heavy (pandas): `yqplan --help` stays fast

    df, meta, _, _ = _load(args)
    if args.manual:
        rows = [{"item": k, "value": meta[k]} for k in ("rows", "values", "below_detection")]
    else:
        rows = [{"item": f"files {k}", "value": meta[k]}
                for k in ("files_read", "files_empty", "files_header_only")]
        rows.append({"item": "files skipped", "value": len(meta["files_skipped"])})
        rows.append({"item": "files named utf8_ but GB18030", "value": len(meta["encoding_mismatch"])})
        rows.append({"item": "rows left out (wrong number of fields)", "value": len(meta["bad_lines"])})
        rows += [{"item": f"step {k}", "value": v} for k, v in meta["steps"].items()]
        rows.append({"item": "duplicate copies removed", "value": meta["duplicate_rows"]})
        rows.append({"item": "duplicated readings whose copies differ", "value": meta["duplicate_conflicts"]})
    rows.append({"item": "sections", "value": ", ".join(map(str, sorted(df["section_name"].unique())))})
    emit(pd.DataFrame(rows), args.format)
    return 0


def _classify(args) -> int:
    from yqplan import analyses  # heavy (pandas)

    emit(analyses.water_classes(_request(args)), args.format)
    return 0


def _summary(args) -> int:
    from yqplan import analyses  # heavy (pandas)

    emit(analyses.water_summary(_request(args)), args.format)
    return 0


def _group(args) -> int:
    from yqplan.water import gb3838  # heavy (pandas): `yqplan --help` stays fast

    by = _check_by(args.by)
    df, _, sections, names = _load(args)
    classes = gb3838.classify_periods(df, by=by, sections=sections)
    means = gb3838.compute_period_means(df, by=by)
    present = sorted(map(str, df["section_name"].unique()))
    if args.group_by == "river":
        river = dict(zip(sections["section_name"], sections["river"]))
        groups = {s: river.get(s, "(river unknown)") for s in present}
    elif args.group_by == "basin":
        basin = df.drop_duplicates("section_name").set_index("section_name")["basin"]
        # manual data of a section missing from sections.csv carry no basin (NaN)
        groups = {s: basin[s] if isinstance(basin[s], str) and basin[s] else "(basin unknown)"
                  for s in present}
    else:
        city = DEFAULT_CITY_FULL if names is not None and set(names) <= set(sections["section_name"]) else "all"
        groups = {s: city for s in present}
    emit(gb3838.assess_groups(classes, means, groups, sections=sections), args.format)
    return 0


def _agreement(args) -> int:
    from yqplan.water import gb3838  # heavy (pandas): `yqplan --help` stays fast

    if args.manual:
        raise ValueError("--manual: agreement compares automatic stations' own classes; "
                         "manual data have none")
    by = _check_by(args.by) if args.by != "all" else None
    df, _, sections, _ = _load(args)
    emit(gb3838.compute_agreement(df, by=by, sections=sections), args.format)
    return 0


def register(sub, group) -> None:
    g = group("water", "surface-water sections: read monitoring, classify by GB 3838, plan shares")
    p = g.add_parser("read", help="read snapshots (or a manual CSV); print files and cleaning steps")
    _add_common(p, by=False)
    p.set_defaults(func=_read)
    p = g.add_parser("classify", help="class of each section per period, with data sufficiency")
    _add_common(p)
    p.set_defaults(func=_classify)
    p = g.add_parser("summary", help="plan indicators: share of sections at I–III and 劣V vs 2025 targets")
    _add_common(p)
    p.set_defaults(func=_summary)
    p = g.add_parser("group", help="river, basin or city quality (< 5 sections: means; >= 5: shares)")
    _add_common(p)
    p.add_argument("--group-by", choices=("river", "basin", "city"), default="river",
                   help="what to group the sections by (default: %(default)s)")
    p.set_defaults(func=_group)
    p = g.add_parser("agreement", help="recomputed vs the stations' own instantaneous classes")
    _add_common(p)
    p.set_defaults(func=_agreement)


#: The public API of this module (anything else is private to it).
__all__ = ["register"]

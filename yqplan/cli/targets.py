"""``yqplan targets …``: verdicts against the plan's targets, and trend statistics."""

from __future__ import annotations

import sys

from yqplan.cli._common import add_format_arg, emit

# Columns shown by --format table (csv and json give every column).
_COMPACT = ["indicator_id", "name_zh", "unit", "attribute", "target_value", "comparator",
            "latest_year", "latest_value", "verdict", "margin", "schedule_verdict",
            "progress_verdict", "trend_slope", "probability_met"]


def _request(args):
    from yqplan import analyses  # heavy (pandas): `yqplan --help` stays fast

    return analyses.TargetsRequest(
        values_file=args.values or "", year=getattr(args, "year", None),
        province_targets=getattr(args, "province_targets", None) or "", seed=args.seed,
        n_boot=getattr(args, "n_boot", None), indicator=getattr(args, "indicator", "") or "",
        autocor=bool(getattr(args, "autocor", False)))


def _assess(args) -> int:
    from yqplan import analyses  # heavy (pandas)
    from yqplan.plan import targets  # heavy (pandas): `yqplan --help` stays fast

    board = analyses.score_targets(_request(args))
    sb = board.to_frame()  # the typed scoreboard flattened only to be written and shown
    if args.out:
        paths = targets.write_scoreboard(sb, args.out)
        print(f"wrote {paths['csv']} and {paths['json']}", file=sys.stderr)
    emit(sb[_COMPACT] if args.format == "table" and not args.all_columns else sb, args.format)
    return 0


def _trend(args) -> int:
    from yqplan import analyses  # heavy (pandas)

    df = analyses.indicator_trend(_request(args))
    if args.format == "table":
        df = df[["indicator_id", "test", "n", "trend_status", "slope", "slope_low", "slope_high",
                 "slope_unit", "statistic_name", "statistic", "p_value", "critical_value",
                 "direction", "stars"]]
    emit(df, args.format)
    return 0


def register(sub, group) -> None:
    g = group("targets", "verdicts against the plan's targets; trend statistics")

    p = g.add_parser("assess", help="the scoreboard: every indicator against its target "
                                    "(status, 序时进度, progress ratio, projection)")
    p.add_argument("--values", metavar="FILE",
                   help="CSV with indicator_id,year,value[,source] (default: the shipped "
                        "published figures)")
    p.add_argument("--year", type=int, help="assess as of this year (default: latest value)")
    p.add_argument("--province-targets", metavar="FILE",
                   help="province-assigned targets CSV (default: data/plans/14th/province_targets.csv)")
    p.add_argument("--out", metavar="DIR", help="also write scoreboard.csv and scoreboard.json here")
    p.add_argument("--seed", type=int, help="bootstrap seed (default 42)")
    p.add_argument("--n-boot", type=int, help="bootstrap resamples (default 599)")
    p.add_argument("--all-columns", action="store_true", help="every column also in table format")
    add_format_arg(p)
    p.set_defaults(func=_assess)

    p = g.add_parser("trend", help="Theil-Sen, Mann-Kendall (Hamed-Rao) and HJ 663 Spearman "
                                   "for one indicator's yearly values")
    p.add_argument("--values", metavar="FILE",
                   help="CSV with indicator_id,year,value[,source] (default: the shipped "
                        "published figures)")
    p.add_argument("--indicator", required=True, metavar="ID", help="indicator id, e.g. 1 or 10.3")
    p.add_argument("--autocor", action="store_true", help="block bootstrap (autocorrelated data)")
    p.add_argument("--seed", type=int, help="bootstrap seed (default 42)")
    add_format_arg(p)
    p.set_defaults(func=_trend)


#: The public API of this module (anything else is private to it).
__all__ = ["register"]

"""``yqplan targets …``: verdicts against the plan's targets, and trend statistics."""

from __future__ import annotations

from yqplan.cli._common import add_format_arg, emit

# Columns shown by --format table (csv and json give every column).
_COMPACT = ["indicator_id", "name_zh", "unit", "attribute", "target_value", "comparator",
            "latest_year", "latest_value", "verdict", "margin", "schedule_verdict",
            "progress_verdict", "trend_slope", "probability_met"]


def read_values(path):
    """Read a values CSV: ``indicator_id, year, value[, source]`` (extra columns allowed).

    Errors name the file, line and column (:func:`yqplan._schema.read_csv_checked`).
    """
    from yqplan._schema import Column, Schema, read_csv_checked, read_utf8_lines

    from pathlib import Path

    from yqplan.errors import DataFileError

    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file not found", expected="a CSV with indicator_id,year,value")
    header = next((ln for ln in read_utf8_lines(path)
                   if ln.strip() and not ln.lstrip().startswith("#")), "")
    from yqplan.plan import tables as plan
    from yqplan.plan import targets

    ids = list(plan.read_indicators()["indicator_id"])

    def known(text):  # an id not in Table 1: named with its line here, not later without one
        return None if targets._norm_id(text) in ids else "an indicator of Table 1: " + ", ".join(ids)

    cols = [
        Column("indicator_id", "str", required=True, pattern=r"\d+(\.\d+)?", check=known,
               description="indicator number as printed in Table 1 (1 … 19, 10.1 … 10.5)"),
        Column("year", "int", required=True, min=1990, max=2100, description="year"),
        Column("value", "float", description="the indicator's value that year [indicator unit]"),
    ]
    if "source" in [h.strip() for h in header.split(",")]:  # optional column
        cols.append(Column("source", "str", description="where the value comes from"))
    schema = Schema(columns=cols, unique=("indicator_id", "year"), allow_extra=True)
    df = read_csv_checked(path, schema)
    df["year"] = df["year"].astype(int)
    df["indicator_id"] = df["indicator_id"].map(targets._norm_id)  # "1.0" -> "1", as assess_plan
    return df


def _values(args):
    from yqplan.plan import targets

    if args.values:
        return read_values(args.values)
    return targets.values_from_figures()


def _assess(args) -> int:
    from yqplan.plan import tables as plan
    from yqplan.plan import targets

    prov = plan.read_province_targets(args.province_targets) if args.province_targets else None
    kw = {}
    if args.seed is not None:
        kw["seed"] = args.seed
    if args.n_boot is not None:
        if args.n_boot < 99:
            raise ValueError(f"--n-boot: {args.n_boot} is too few; expected at least 99")
        kw["n_boot"] = args.n_boot
    sb = targets.assess_plan(_values(args), year=args.year, province_targets=prov, **kw)
    if args.out:
        paths = targets.write_scoreboard(sb, args.out)
        import sys

        print(f"wrote {paths['csv']} and {paths['json']}", file=sys.stderr)
    emit(sb[_COMPACT] if args.format == "table" and not args.all_columns else sb, args.format)
    return 0


def _trend(args) -> int:
    from yqplan.plan import tables as plan
    from yqplan.stats import trend

    values = _values(args)
    reg = plan.read_indicators()
    ids = list(reg["indicator_id"])
    if args.indicator not in ids:
        raise ValueError(f"--indicator: {args.indicator!r} is not one of {', '.join(ids)}")
    unit = reg.loc[reg["indicator_id"] == args.indicator, "unit"].iloc[0]
    sub = values[values["indicator_id"] == args.indicator].dropna(subset=["value"])
    df = trend.compute_trends(sub["value"].to_numpy(), sub["year"].to_numpy(), unit=unit,
                              autocor=args.autocor, seed=args.seed if args.seed is not None
                              else trend.SEED)
    df.insert(0, "indicator_id", args.indicator)
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

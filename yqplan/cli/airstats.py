"""``yqplan air annual|monthly|daily|hourly-aqi|rank`` — air-quality assessment.

Data come from the Parquet store (``--store``, default ``yqplan.config.store_dir()``)
or straight from archive files (``--archive`` folders, yearly zips or CSVs).
Every output records the HJ 633 edition it used.  The JSON of ``air annual`` has
the stable schema of ``yqplan.air.stats.ANNUAL_JSON_FIELDS`` (one record per city
or station; see docs/aqi_platform_rules.md and docs/guide/air-assessment.md).
"""

from __future__ import annotations

import sys

from yqplan.air.cities import DEFAULT_CITY, DEFAULT_PROVINCE  # cheap: no pandas
from yqplan.cli._common import add_format_arg, emit

#: The option values (defined once, in the analysis layer; literal here so ``--help`` is fast).
ROUNDING_CHOICES = ("ceil", "half_up", "half_even", "none")
HOURLY_ROUNDINGS = ROUNDING_CHOICES + ("platform", "platform-sites-2018")


def _add_source(p) -> None:
    src = p.add_mutually_exclusive_group()
    src.add_argument("--store", default=None,
                     help="Parquet store folder (default: $YQPLAN_STORE or data/store)")
    src.add_argument("--archive", action="append", default=None, metavar="PATH",
                     help="read archive files directly: folder, yearly zip or CSV "
                          "(repeatable)")
    loc = p.add_mutually_exclusive_group()
    loc.add_argument("--city", default=None,
                     help=f"city name(s) as in the archive, comma-separated (default {DEFAULT_CITY})")
    loc.add_argument("--station", default=None,
                     help="station code(s) such as 1738A, comma-separated")


def _add_rules(p, rounding_choices=ROUNDING_CHOICES) -> None:
    p.add_argument("--edition", default="auto",
                   help="HJ 633 / GB 3095 edition: auto (by date: 2026 from 2026-03-01), "
                        "2012 or 2026 (default: %(default)s)")
    p.add_argument("--rounding", default="ceil",
                   help=f"IAQI rounding: {', '.join(rounding_choices)} "
                        "(default: %(default)s, the standard's round-up)")


def _add_daily_rules(p) -> None:
    p.add_argument("--dust", default="none",
                   help="dust deduction: none, estimate (labelled estimated) or a CSV file "
                        "of city,date (default: %(default)s)")
    p.add_argument("--method", default="hourly",
                   help="daily values from: hourly (GB 3095 validity) or archive_24h "
                        "(the platform's _24h rows) (default: %(default)s)")
    p.add_argument("--round-reported", action="store_true",
                   help="round period concentrations as reported (integers, CO 0.1) before "
                        "the composite index (unverified convention)")
    p.add_argument("--day-boundary", default="natural",
                   help="natural (00:00-24:00, hour-ending labels) or label (labels 0-23) "
                        "(default: %(default)s)")


def _split(text) -> tuple[str, ...]:
    return tuple(s.strip() for s in (text or "").split(",") if s.strip())


def _request(args, period=None):
    """The :class:`yqplan.analyses.AirRequest` of the parsed options."""
    from yqplan import analyses  # heavy (pandas): `yqplan --help` stays fast

    if period is None:
        period = getattr(args, "period", None) or (str(args.year) if getattr(args, "year", None)
                                                   else "")
    return analyses.AirRequest(
        cities=_split(getattr(args, "city", None)), stations=_split(getattr(args, "station", None)),
        period=period, store=args.store or "", archive=tuple(args.archive or ()),
        edition=args.edition, dust=getattr(args, "dust", "none"), rounding=args.rounding,
        method=getattr(args, "method", "hourly"),
        day_boundary=getattr(args, "day_boundary", "natural"),
        round_reported=bool(getattr(args, "round_reported", False)),
        province=getattr(args, "province", DEFAULT_PROVINCE))


def _notes(result) -> None:
    for line in result.notes:
        print(f"yqplan: note: {line}", file=sys.stderr)


def _annual(args) -> int:
    from yqplan import analyses  # heavy (pandas)

    result = analyses.air_annual(_request(args))
    df = result.frame()
    if args.format == "table":
        cols = [c for c in ("city", "station", "period", "edition", "dust", "pm25", "pm10",
                            "so2", "no2", "co_p95", "o3_8h_p90", "valid_days", "good_days",
                            "good_ratio", "heavy_days", "composite_index") if c in df]
        df = df[cols].round({"pm25": 1, "pm10": 1, "so2": 1, "no2": 1, "co_p95": 2,
                             "o3_8h_p90": 1, "good_ratio": 1, "composite_index": 2})
    _notes(result)
    emit(df, args.format)
    return 0


def _monthly(args) -> int:
    from yqplan import analyses  # heavy (pandas)

    result = analyses.air_monthly(_request(args, str(args.year) if args.year else ""))
    df = result.frame()
    if args.format == "table":
        cols = [c for c in ("city", "station", "period", "edition", "pm25", "pm10", "so2", "no2",
                            "co_p95", "o3_8h_p90", "valid_days", "good_days", "good_ratio",
                            "heavy_days", "composite_index", "valid_pm25") if c in df]
        df = df[cols].round(2)
    _notes(result)
    emit(df, args.format)
    return 0


def _daily(args) -> int:
    from yqplan import analyses  # heavy (pandas)

    result = analyses.air_daily(_request(args))
    out = result.table.copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    if args.format == "table":
        out = out.round(2)
    _notes(result)
    emit(out, args.format)
    return 0


def _hourly(args) -> int:
    from yqplan import analyses  # heavy (pandas)

    result = analyses.air_hourly(_request(args))
    out = result.table
    if args.format != "json":
        out = out.assign(time=out["time"].dt.strftime("%Y-%m-%d %H:%M%z"))
    _notes(result)
    emit(out, args.format)
    return 0


def _rank(args) -> int:
    from yqplan import analyses  # heavy (pandas)

    result = analyses.air_rank(_request(args))
    out = result.frame()
    if args.format == "table":
        out = out.round({"composite_index": 2, "composite_index_previous": 2,
                         "change_pct": 1, "good_ratio": 1, "pm25": 1})
    _notes(result)
    emit(out, args.format)
    return 0


def register(sub, group) -> None:
    air = group("air", "air-quality data and assessment")

    p = air.add_parser("annual", help="HJ 663 annual (or any period) statistics",
                       description="Annual statistics of a city or station: means, HJ 663 "
                                   "percentiles, validity, good days, composite index.")
    _add_source(p)
    p.add_argument("--year", type=int, default=None, help="calendar year")
    p.add_argument("--period", default=None,
                   help="instead of --year: YYYY, YYYY-MM, YYYY-ytd-MM or start..end")
    _add_rules(p)
    _add_daily_rules(p)
    add_format_arg(p)
    p.set_defaults(func=_annual)

    p = air.add_parser("monthly", help="HJ 663 statistics of each month of a year")
    _add_source(p)
    p.add_argument("--year", type=int, default=None, help="calendar year")
    _add_rules(p)
    _add_daily_rules(p)
    add_format_arg(p)
    p.set_defaults(func=_monthly)

    p = air.add_parser("daily", help="daily values (GB 3095 validity) and the daily AQI")
    _add_source(p)
    p.add_argument("--year", type=int, default=None, help="calendar year")
    p.add_argument("--period", default=None, help="YYYY, YYYY-MM or start..end")
    _add_rules(p)
    _add_daily_rules(p)
    add_format_arg(p)
    p.set_defaults(func=_daily)

    p = air.add_parser("hourly-aqi", help="real-time (hourly) IAQI and AQI of each hour")
    _add_source(p)
    p.add_argument("--year", type=int, default=None, help="calendar year")
    p.add_argument("--period", default=None, help="YYYY, YYYY-MM or start..end")
    _add_rules(p, HOURLY_ROUNDINGS)
    add_format_arg(p)
    p.set_defaults(func=_hourly)

    p = air.add_parser("rank", help="composite-index ranking of a province's cities")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--store", default=None, help="Parquet store folder")
    src.add_argument("--archive", action="append", default=None, metavar="PATH",
                     help="archive folder, zip or CSV (repeatable; include the year before)")
    p.add_argument("--province", default=DEFAULT_PROVINCE, help="province (default: %(default)s)")
    p.add_argument("--period", default=None,
                   help="YYYY, YYYY-MM (month) or YYYY-ytd-MM (January to that month)")
    p.add_argument("--year", type=int, default=None, help="same as --period YYYY")
    _add_rules(p)
    p.add_argument("--dust", default="none", help="none, estimate or a CSV of city,date")
    add_format_arg(p)
    p.set_defaults(func=_rank)


#: The public API of this module (anything else is private to it).
__all__ = ["ROUNDING_CHOICES", "HOURLY_ROUNDINGS", "DEFAULT_CITY", "register"]

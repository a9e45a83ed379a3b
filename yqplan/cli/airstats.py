"""``yqplan air annual|monthly|daily|hourly-aqi|rank`` — air-quality assessment.

Data come from the Parquet store (``--store``, default ``yqplan.config.store_dir()``)
or straight from archive files (``--archive`` folders, yearly zips or CSVs).
Every output records the HJ 633 edition it used.  The JSON of ``air annual`` has
the stable schema of ``yqplan.air.stats.ANNUAL_JSON_FIELDS`` (one record per city
or station; see docs/aqi_platform_rules.md and the README).
"""

from __future__ import annotations

import sys

from yqplan.cli._common import add_format_arg, emit

EDITION_CHOICES = ("auto", "2012", "2026")
ROUNDING_CHOICES = ("ceil", "half_up", "half_even", "none")
#: ``platform``: the rules reproducing the 2022–2024 city archives' AQI row;
#: ``platform-sites-2018``: those reproducing the 2018 station file (docs/aqi_platform_rules.md).
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
                     help="city name(s) as in the archive, comma-separated (default 阳泉)")
    loc.add_argument("--station", default=None,
                     help="station code(s) such as 1738A, comma-separated")


def _add_rules(p, rounding_choices=ROUNDING_CHOICES) -> None:
    p.add_argument("--edition", default="auto",
                   help="HJ 633 / GB 3095 edition: auto (by date: 2026 from 2026-03-01), "
                        "2012 or 2026 (default: %(default)s)")
    p.add_argument("--rounding", default="ceil",
                   help=f"IAQI rounding: {', '.join(rounding_choices)} "
                        "(default: %(default)s, the standard's round-up)")
    p._yq_roundings = rounding_choices


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


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name}: {value!r} is not one of {', '.join(choices)}")
    return value


def _edition(args, start):
    # "auto" stays "auto": each day by the edition in force on it (airstats.assess_days),
    # never one edition for the whole period from its first day
    return _check_choice("--edition", args.edition, EDITION_CHOICES)


def _names(args):
    if args.station:
        return "sites", "station", [s.strip() for s in args.station.split(",") if s.strip()]
    text = args.city or "阳泉"
    return "cities", "city", [s.strip().removesuffix("市") for s in text.split(",") if s.strip()]


def _load(args, start, end, names=None, kind=None):
    """Hourly rows for ``start``..``end`` (+ the next day's 00:00 label) and meta."""
    import pandas as pd

    if kind is None:
        kind, _, names = _names(args)
    t0 = pd.Timestamp(start)
    t1 = pd.Timestamp(end) + pd.Timedelta(days=1)  # 00:00 label closes the natural day
    if args.archive:
        from yqplan.air.cnemc import read_cnemc

        df, meta = read_cnemc(args.archive, kind=kind, names=names, start=t0, end=t1)
        where = "--archive " + ", ".join(args.archive)
    else:
        from yqplan import config
        from yqplan.air.store import read_store

        store = args.store or config.store_dir()
        from pathlib import Path

        if not Path(store).is_dir():
            raise ValueError(f"--store: {store} is not a folder; run 'yqplan air ingest' or "
                             "pass --archive PATH")
        df, meta = read_store(store, kind=kind, names=names, start=t0, end=t1)
        where = f"--store {store}"
    # the next day's 00:00 label alone (it closes the last natural day) is no data
    # for the period: e.g. --year 2023 against an archive starting 2024-01-01
    t1_local = t1.tz_localize("Asia/Shanghai")
    if df.empty or not (df["time"] < t1_local).any():
        raise ValueError(f"--{'station' if kind == 'sites' else 'city'}: no data for "
                         f"{', '.join(names or [])} between {start} and {end} in {where}")
    missing = meta.get("names_not_found") or []
    if missing:
        print(f"yqplan: note: not found in {where}: {', '.join(missing)}", file=sys.stderr)
    if meta.get("synthetic"):
        print("yqplan: note: SYNTHETIC demonstration data", file=sys.stderr)
    return df, meta


def _period_of(args, default_kind="annual"):
    from yqplan.air import stats as airstats

    text = getattr(args, "period", None) or (str(args.year) if getattr(args, "year", None)
                                             else None)
    if text is None:
        raise ValueError("--year or --period: one is required (e.g. --year 2022, "
                         "--period 2023-05, 2023-ytd-06, 2022-01-01..2022-03-31)")
    if text.endswith("-ytd") and text[:4].isdigit():   # else parse_period names --period
        import datetime as dt

        y = int(text[:4])
        return airstats.parse_period(text, last_date=min(dt.date.today(), dt.date(y, 12, 31)))
    return airstats.parse_period(text)


def _assess(args, start, end):
    from yqplan.air import stats as airstats

    _check_choice("--rounding", args.rounding, ROUNDING_CHOICES)
    _check_choice("--method", args.method, airstats.METHODS)
    _check_choice("--day-boundary", args.day_boundary, airstats.DAY_BOUNDARIES)
    _check_choice("--edition", args.edition, EDITION_CHOICES)
    df, meta = _load(args, start, end)
    edition = _edition(args, start)
    days, dust = airstats.assess_hourly(df, edition=edition, rounding=args.rounding,
                                        dust=args.dust, method=args.method,
                                        day_boundary=args.day_boundary)
    return days, dust, meta, edition


def _annual(args) -> int:
    import pandas as pd

    from yqplan.air import stats as airstats

    kind, start, end = _period_of(args)
    days, dust, meta, _ = _assess(args, start, end)
    text = args.period or ""
    if text.strip().endswith("-ytd") and len(days):
        # YYYY-ytd ends on the last day with data (parse_period), not on today
        kind, start, end = airstats.parse_period(text, last_date=days["date"].max())
    stats = airstats.compute_period_stats(days, start, end, period=args.period or str(args.year),
                                          period_kind=kind, dust=dust,
                                          round_reported=args.round_reported)
    df = airstats.stats_frame(stats)
    df["synthetic"] = bool(meta.get("synthetic"))
    if args.format == "table":
        cols = [c for c in ("city", "station", "period", "edition", "dust", "pm25", "pm10",
                            "so2", "no2", "co_p95", "o3_8h_p90", "valid_days", "good_days",
                            "good_ratio", "heavy_days", "composite_index") if c in df]
        df = df[cols].round({"pm25": 1, "pm10": 1, "so2": 1, "no2": 1, "co_p95": 2,
                             "o3_8h_p90": 1, "good_ratio": 1, "composite_index": 2})
    if dust is not None:
        print(f"yqplan: note: {dust.label}", file=sys.stderr)
    emit(pd.DataFrame(df), args.format)
    return 0


def _monthly(args) -> int:
    from yqplan.air import stats as airstats

    if not args.year:
        raise ValueError("--year: required (e.g. --year 2022)")
    _, start, end = airstats.parse_period(str(args.year))
    days, dust, meta, _ = _assess(args, start, end)
    df = airstats.stats_frame(airstats.compute_monthly_stats(
        days, int(args.year), dust=dust, round_reported=args.round_reported))
    df["synthetic"] = bool(meta.get("synthetic"))
    if args.format == "table":
        cols = [c for c in ("city", "station", "period", "edition", "pm25", "pm10", "so2", "no2",
                            "co_p95", "o3_8h_p90", "valid_days", "good_days", "good_ratio",
                            "heavy_days", "composite_index", "valid_pm25") if c in df]
        df = df[cols].round(2)
    emit(df, args.format)
    return 0


def _daily(args) -> int:
    _, start, end = _period_of(args)
    days, _, meta, _ = _assess(args, start, end)
    import pandas as pd

    days = days[(days["date"] >= pd.Timestamp(start)) & (days["date"] <= pd.Timestamp(end))]
    cols = [c for c in ("city", "station", "date", "so2", "no2", "co", "pm10", "pm25",
                        "o3_1h_max", "o3_8h_max", "aqi", "aqi_level", "aqi_category",
                        "primary_pollutant",
                        "dust_day", "edition") if c in days]
    out = days[cols].copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    out["synthetic"] = bool(meta.get("synthetic"))
    if args.format == "table":
        out = out.round(2)
    emit(out, args.format)
    return 0


def _hourly(args) -> int:
    import pandas as pd

    from yqplan.air import aqi

    _, start, end = _period_of(args)
    kind, loc, names = _names(args)
    _check_choice("--rounding", args.rounding, HOURLY_ROUNDINGS)
    _check_choice("--edition", args.edition, EDITION_CHOICES)
    df, meta = _load(args, start, end)
    t = df["time"].dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    df = df[(t >= pd.Timestamp(start)) & (t < pd.Timestamp(end) + pd.Timedelta(days=1))]
    if args.rounding == "platform":
        rules = dict(aqi.PLATFORM_RULES)
    elif args.rounding == "platform-sites-2018":
        rules = dict(aqi.PLATFORM_RULES_SITES_2018)
    else:
        rules = {"rounding": args.rounding}
    edition = None if args.edition == "auto" else _check_choice("--edition", args.edition,
                                                                 EDITION_CHOICES)
    res = aqi.compute_realtime_aqi(df, edition, **rules)
    out = pd.concat([df[[loc, "time"]], res], axis=1)
    out["platform_aqi"] = df["aqi"]
    out["synthetic"] = bool(meta.get("synthetic"))
    cols = [loc, "time", "aqi", "aqi_level", "aqi_category", "primary_pollutant"] + \
        [c for c in res.columns if c.startswith("iaqi_")] + ["platform_aqi", "edition", "rounding",
                                                           "synthetic"]
    # the schema names the AQI level ``level`` and its category ``category``
    out = out[cols].rename(columns={"aqi_level": "level", "aqi_category": "category"})
    if args.format != "json":
        out = out.assign(time=out["time"].dt.strftime("%Y-%m-%d %H:%M%z"))
    emit(out, args.format)
    return 0


def _rank(args) -> int:
    from yqplan.air import stats as airstats

    text = args.period or (str(args.year) if args.year else None)
    if not text:
        raise ValueError("--period: required (YYYY, YYYY-MM, YYYY-ytd-MM)")
    if args.province not in airstats.PROVINCE_CITIES:
        raise ValueError(f"--province: {args.province!r} is not one of "
                         f"{', '.join(airstats.PROVINCE_CITIES)}")
    _check_choice("--rounding", args.rounding, ROUNDING_CHOICES)
    _check_choice("--edition", args.edition, EDITION_CHOICES)
    cities = list(airstats.PROVINCE_CITIES[args.province])
    import datetime as dt

    kind, start, end = airstats.parse_period(
        text, last_date=dt.date(int(text[:4]), 12, 31)
        if "ytd" in text and text[:4].isdigit() else None)
    pstart = dt.date(start.year - 1, start.month, 1)
    df, meta = _load(args, pstart, end, names=cities, kind="cities")
    edition = _edition(args, start)
    r = airstats.rank_cities(df, text, cities=cities, edition=edition,
                             rounding=args.rounding, dust=args.dust)
    out = r.table.copy()
    out.insert(0, "period", r.period)
    out["edition"] = r.edition
    out["dust"] = r.dust
    out["synthetic"] = bool(meta.get("synthetic"))
    if args.format == "table":
        out = out.round({"composite_index": 2, "composite_index_previous": 2,
                         "change_pct": 1, "good_ratio": 1, "pm25": 1})
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
    p.add_argument("--province", default="山西", help="province (default: %(default)s)")
    p.add_argument("--period", default=None,
                   help="YYYY, YYYY-MM (month) or YYYY-ytd-MM (January to that month)")
    p.add_argument("--year", type=int, default=None, help="same as --period YYYY")
    _add_rules(p)
    p.add_argument("--dust", default="none", help="none, estimate or a CSV of city,date")
    add_format_arg(p)
    p.set_defaults(func=_rank)

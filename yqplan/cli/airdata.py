"""``yqplan air ingest|fetch|read|stations`` and ``yqplan demo``: the CNEMC air data."""

from __future__ import annotations

import sys

from yqplan.cli._common import add_format_arg, emit, keep_pandas_out_of_pyarrow


def register(sub, group):
    air = group("air", "CNEMC air-quality data: ingest, fetch, read, assess")

    p = air.add_parser("ingest", help="add CNEMC daily files (folders, zips, globs) to the "
                       "Parquet store; re-reads only new or changed files")
    p.add_argument("archives", nargs="+", metavar="ARCHIVE",
                   help="folder, yearly zip, glob pattern or daily CSV")
    p.add_argument("--store", default=None, help="store folder (default: $YQPLAN_STORE or "
                   "data/store)")
    p.add_argument("--kind", choices=("cities", "sites"), default=None,
                   help="only this kind (default: both)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for another ingest of the store to finish "
                   "(default 0: refuse at once)")
    add_format_arg(p)
    p.set_defaults(func=_ingest)

    p = air.add_parser("fetch", help="download missing daily files from the public mirror "
                       "(retries, resume, polite delay)")
    p.add_argument("--kind", choices=("cities", "sites"), required=True)
    p.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
    p.add_argument("--dest", required=True, help="folder receiving the daily CSV files")
    p.add_argument("--base-url", default=None,
                   help="mirror base URL (default: https://quotsoft.net/air/data/)")
    p.add_argument("--delay", type=float, default=1.0,
                   help="seconds between requests (default: %(default)s)")
    p.add_argument("--retries", type=int, default=4, help="retries per file (default: %(default)s)")
    p.add_argument("--file-deadline", type=float, default=None, metavar="SECONDS",
                   help="give up one file's download after this long, even if bytes still "
                   "trickle in (default: 300)")
    p.add_argument("--run-deadline", type=float, default=None, metavar="SECONDS",
                   help="stop the whole run after this long; days not reached are reported "
                   "failed (default: 21600, six hours)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_format_arg(p)
    p.set_defaults(func=_fetch)

    p = air.add_parser("read", help="print hourly data of cities/stations from the store")
    p.add_argument("--store", default=None, help="store folder (default: $YQPLAN_STORE)")
    p.add_argument("--kind", choices=("cities", "sites"), default="cities")
    p.add_argument("--names", nargs="+", required=True, help="cities (阳泉) or station codes")
    p.add_argument("--start", default=None)
    p.add_argument("--end", default=None)
    add_format_arg(p, default="csv")
    p.set_defaults(func=_read)

    p = air.add_parser("stations", help="Yangquan's national air stations (shipped facts)")
    add_format_arg(p)
    p.set_defaults(func=_stations)

    p = sub.add_parser("demo", help="write the deterministic SYNTHETIC demonstration archive "
                       "(CNEMC formats, 2015–2025) and optionally ingest it")
    p.add_argument("--dest", default=None, help="archive folder (default: $YQPLAN_DEMO or "
                   "data/demo)")
    p.add_argument("--start-year", type=int, default=2015)
    p.add_argument("--end-year", type=int, default=2025)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--overwrite", action="store_true", help="regenerate even if present")
    p.add_argument("--store", default=None,
                   help="also ingest the archive into this store folder")
    p.add_argument("--national-sites", type=int, default=None, metavar="N",
                   help="instead: a station-level national year of N synthetic stations "
                   "(benchmarks), year --end-year, --months months")
    p.add_argument("--months", type=int, default=12, help="with --national-sites (1–12)")
    p.set_defaults(func=_demo)


def _summary_rows(summary: dict):
    rows = []
    for kind, d in summary["store"].items():
        rows.append({"kind": kind, **d})
    return rows


def _ingest(args) -> int:
    from yqplan.air import store  # heavy (pandas): `yqplan --help` stays fast

    keep_pandas_out_of_pyarrow()   # the ingest and its summary need no pandas
    # a held lock (StoreBusyError) is cli.main's: exit 3, "refused", as for a report run
    summary = store.ingest(args.archives, args.store, kind=args.kind,
                           progress=not args.no_progress, lock_timeout=args.wait)
    err = sys.stderr
    print(f"ingest: {summary['files_seen']} daily files seen, {summary['files_read']} read, "
          f"{summary['files_unchanged']} unchanged, {summary['rows_written']} rows written in "
          f"{summary['seconds']} s" + (" — SYNTHETIC data" if summary["synthetic"] else ""),
          file=err)
    if summary["files_skipped"]:
        print(f"skipped {len(summary['files_skipped'])} file(s):", file=err)
        for s in summary["files_skipped"]:
            print(f"  {s['file']}: {s['reason']}", file=err)
    for c in summary.get("conflicts", []):
        print(f"conflict: {c['kind']} {c['day']}: {c['detail']}; used {c['used']}, "
              f"ignored {c['ignored']}", file=err)
    rejected = summary.get("values_rejected", [])
    if rejected:
        print(f"{sum(r['count'] for r in rejected)} value(s) made missing (not a number, "
              "negative, not finite or implausible):", file=err)
        for r in rejected[:20]:
            print(f"  {r['file']}: {r['location']}: {r['count']} (first: {r['example']})",
                  file=err)
        if len(rejected) > 20:
            print(f"  ... and {len(rejected) - 20} more file-location pairs", file=err)
    emit(_summary_rows(summary), args.format)
    return 0


#: exit code of ``air fetch`` when a downloaded file cannot be saved (disk full, read-only
#: folder): EX_IOERR of sysexits.h
EXIT_IO_ERROR = 74


def _fetch(args) -> int:
    from yqplan.air import cnemc  # heavy (pandas): `yqplan --help` stays fast

    if args.delay < 0:
        raise ValueError(f"--delay: {args.delay} must be ≥ 0")
    deadlines = {k: v for k, v in (("file_deadline", args.file_deadline),
                                   ("run_deadline", args.run_deadline)) if v is not None}
    try:
        df, meta = cnemc.fetch_cnemc(args.kind, args.start, args.end, args.dest,
                                     base_url=args.base_url or cnemc.DEFAULT_BASE_URL,
                                     delay=args.delay, retries=args.retries,
                                     progress=not args.no_progress, **deadlines)
    except cnemc.FetchWriteError as exc:   # one line, no traceback: cron reads the code
        print(f"yqplan: error: {exc}", file=sys.stderr)
        return EXIT_IO_ERROR
    print(f"fetch: {meta['downloaded']} downloaded, {meta['present']} already present, "
          f"{meta['not_found']} not on the mirror, {meta['failed']} failed", file=sys.stderr)
    emit(df[df["status"] != "present"], args.format)
    return 1 if meta["failed"] else 0


def _read(args) -> int:
    from yqplan.air import store  # heavy (pandas): `yqplan --help` stays fast

    df, meta = store.read_store(args.store, kind=args.kind, names=args.names, start=args.start,
                                end=args.end)
    if meta["synthetic"]:
        print("note: SYNTHETIC demonstration data", file=sys.stderr)
    if meta["names_not_found"]:
        print(f"note: no data in the store for {', '.join(meta['names_not_found'])}",
              file=sys.stderr)
    emit(df, args.format)
    return 0


def _stations(args) -> int:
    from yqplan.air.cnemc import read_station_list  # heavy (pandas): `yqplan --help` stays fast

    df, _ = read_station_list()
    emit(df, args.format)
    return 0


def _demo(args) -> int:
    from yqplan.air import demo  # heavy (pandas): `yqplan --help` stays fast
    from yqplan.air import store  # heavy (pandas): `yqplan --help` stays fast

    kw = {} if args.seed is None else {"seed": args.seed}
    if args.national_sites is not None:
        if not 1 <= args.months <= 12:
            raise ValueError(f"--months: {args.months} is not in 1–12")
        if args.dest is None:
            raise ValueError("--dest is required with --national-sites")
        info = demo.write_national_sites(args.dest, args.end_year, args.national_sites,
                                         months=args.months, **kw)
        print(f"demo: SYNTHETIC national station archive at {info['path']} "
              f"({info['files']} daily files)", file=sys.stderr)
        return 0
    marker = demo.write_demo_archive(args.dest, args.start_year, args.end_year,
                                     overwrite=args.overwrite, **kw)
    written = marker["files"]
    print(f"demo: SYNTHETIC archive at {marker['path']} "
          + (f"({written} daily files written)" if written is not None else "(already present)"),
          file=sys.stderr)
    if args.store:
        summary = store.ingest(marker["path"], args.store, progress=False)
        print(f"demo: ingested into {args.store}: {summary['files_read']} files read, "
              f"{summary['rows_written']} rows", file=sys.stderr)
    return 0


#: The public API of this module (anything else is private to it).
__all__ = ["register", "EXIT_IO_ERROR"]

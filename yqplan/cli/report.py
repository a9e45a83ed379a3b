"""``yqplan report``: run the notebooks of a parameter file and render offline HTML reports."""

from __future__ import annotations

import sys


def register(sub, group) -> None:
    p = sub.add_parser(
        "report", help="run the report notebooks and write HTML under reports/",
        description="Validate a parameter file, run its notebooks with papermill in parallel "
                    "processes, render self-contained HTML without code, write "
                    "reports/runs/<run-id>/index.html, verdicts.json and verdicts.csv, then "
                    "point reports/latest at the new run when everything succeeded. Exit status: "
                    "0 ok, 1 some reports failed (latest stays on the last successful run), "
                    "2 invalid parameters, 3 another run holds the lock, 4 I/O error "
                    "(read-only or full disk), 130/143 interrupted/terminated.")
    p.add_argument("--params", required=True, metavar="FILE",
                   help="YAML parameter file, e.g. params/demo.yaml")
    p.add_argument("--only", metavar="NAMES",
                   help="comma-separated report names or notebook stems to run (default: all); "
                        "such a partial run does not move reports/latest")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="parallel worker processes (default: the file's `jobs`, 2)")
    p.add_argument("--timeout", type=int, metavar="S",
                   help="per-cell timeout in seconds (default: the file's `timeout`, 600)")
    p.add_argument("--out", metavar="DIR",
                   help="reports folder (default: $YQPLAN_REPORTS or reports/)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")
    p.add_argument("--fresh-kernels", action="store_true",
                   help="a new kernel for every report (slower); by default each worker keeps "
                        "one kernel and resets it between reports")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from yqplan.report import run as report  # heavy (pandas, papermill): imported on use

    if args.jobs is not None and args.jobs < 1:
        raise ValueError(f"--jobs: expected a positive integer, got {args.jobs}")
    if args.timeout is not None and args.timeout < 1:
        raise ValueError(f"--timeout: expected a positive number of seconds, got {args.timeout}")
    only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    # ParamsError (exit 2), LockHeldError (3), OSError (4), SIGINT/SIGTERM (130/143):
    # yqplan.cli.main turns each into its exit code and one line on stderr.
    summary = report.run_reports(args.params, only=only, jobs=args.jobs, timeout=args.timeout,
                                 out_dir=args.out, progress=not args.no_progress,
                                 fresh_kernels=args.fresh_kernels)
    failed = [r for r in summary.results if r["status"] != "ok"]
    print(timing_table(summary.results, summary.phases))
    latest = summary.latest.name if summary.latest else "no run (none has succeeded yet)"
    print(f"{len(summary.results) - len(failed)} of {len(summary.results)} reports ok in "
          f"{summary.wall_s:.1f} s (kernel start-up and I/O {summary.kernel_overhead_s:.1f} s "
          f"summed over reports); {summary.run_dir / 'index.html'}; latest: {latest}")
    for r in failed:
        print(f"FAILED {r['name']}: {' '.join(str(r['error']).split())}", file=sys.stderr)
    if summary.verdicts_error:
        print(f"FAILED verdicts: {' '.join(summary.verdicts_error.split())}", file=sys.stderr)
    if summary.ok:
        return 0
    names = [r["name"] for r in failed] + (["verdicts"] if summary.verdicts_error else [])
    print(f"yqplan: error: {len(names)} failed ({', '.join(names)}) in run {summary.run_dir.name}; "
          f"latest stays at {latest}", file=sys.stderr)
    return 1


#: The public API of this module (anything else is private to it).
__all__ = ["register", "timing_table"]


def timing_table(results, phases: dict | None = None) -> str:
    """Per-report times of a run as a plain-text table, slowest first.

    Columns: wall seconds of the report (notebook and HTML), seconds its cells ran, the rest
    (kernel start-up and shut-down, notebook I/O, rendering) and its share of the summed
    report time; then the total and the run's phases (``run.json``).  A report with no
    cell time recorded (failed before its first cell) shows ``–``.
    """
    rows = sorted(results, key=lambda r: -(r.get("duration_s") or 0.0))
    total = sum(r.get("duration_s") or 0.0 for r in rows)
    width = max([len("report")] + [len(r["name"]) for r in rows])
    lines = [f"{'report':<{width}}  {'status':<6}  {'wall s':>7}  {'cells s':>7}  "
             f"{'other s':>7}  {'share':>5}"]
    for r in rows:
        wall = r.get("duration_s") or 0.0
        other = r.get("kernel_overhead_s")
        cells = "–" if other is None else f"{max(wall - other, 0.0):.1f}"
        other_s = "–" if other is None else f"{other:.1f}"
        share = f"{100 * wall / total:.0f} %" if total else "–"
        lines.append(f"{r['name']:<{width}}  {r['status']:<6}  {wall:7.1f}  {cells:>7}  "
                     f"{other_s:>7}  {share:>5}")
    lines.append(f"{'summed':<{width}}  {'':<6}  {total:7.1f}")
    if phases:
        lines.append("phases: " + ", ".join(f"{k.removesuffix('_s')} {v:.1f} s"
                                            for k, v in phases.items()))
    return "\n".join(lines)

"""Benchmark: `make report` on the demonstration data — wall time and the share spent on kernels.

Runs ``yqplan report --params params/demo.yaml`` the way ``make report`` does, into a
temporary reports folder, twice:

1. **cold**: demonstration archive and store built from nothing (fresh ``YQPLAN_DEMO`` and
   ``YQPLAN_DEMO_STORE`` in a temporary folder) — what a fresh clone pays;
2. **warm**: the same data already there — what a scheduled run pays.

For each it prints the wall time, the time spent preparing data, the per-report times and
the **kernel share**: per report, papermill's wall time minus the time its cells ran
(kernel start-up and shut-down, notebook I/O), summed and divided by the summed report
time.  As a baseline in the same run it times one bare kernel start → trivial cell → stop
through papermill, and prints how many such starts the run paid for.

Targets: under 90 s on 2 cores for ``make report`` (issue 7); the report phase ≤ 30 s with
every report (issue 17).  Nothing is asserted; the
numbers are printed.  Usage: ``.venv/bin/python bench/bench_report.py [--warm-only]``.

``--compare [--rounds N] [--base CHECKOUT]``: warm runs only, interleaved in each round
(every contender once per round, back to back): this code with kept kernels (the default),
this code with ``--fresh-kernels`` (a kernel per report, as before), and, with ``--base``,
the ``yqplan`` of another checkout (its ``.venv``; e.g. a ``git worktree`` of the branch
point).  Prints each contender's median and range and the ratios to kept kernels.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YQPLAN = str(Path(sys.executable).with_name("yqplan"))


def bare_kernel_seconds(tmp: Path) -> float:
    """One papermill run of a one-cell notebook: the floor cost of a report's kernel."""
    import nbformat
    import papermill as pm
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("x = 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src, out = tmp / "bare.ipynb", tmp / "bare-out.ipynb"
    nbformat.write(nb, str(src))
    pm.execute_notebook(str(src), str(out), progress_bar=False, kernel_name="python3")  # warm caches
    t0 = time.perf_counter()
    pm.execute_notebook(str(src), str(out), progress_bar=False, kernel_name="python3")
    return time.perf_counter() - t0


def run_once(label: str, env: dict, reports: Path, yqplan: str = YQPLAN, extra=(),
             root: Path = ROOT) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run([yqplan, "report", "--params", str(root / "params" / "demo.yaml"),
                           "--out", str(reports), "--no-progress", *extra],
                          cwd=root, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-4000:])
        raise SystemExit(f"{label}: yqplan report exited {proc.returncode}")
    run = json.loads((reports / "latest" / "run.json").read_text(encoding="utf-8"))
    results = run["results"]
    total = sum(r["duration_s"] for r in results)
    kernel = sum(r["kernel_overhead_s"] or 0 for r in results)
    prepared = "; ".join(run["data"].get("prepared", []))
    print(f"\n== {label}: wall {wall:.1f} s ({len(results)} reports, {os.cpu_count()} CPUs)")
    print(f"   data preparation: {prepared or 'nothing to do'}")
    for r in results:
        print(f"   {r['name']:<22} {r['status']:<6} {r['duration_s']:6.1f} s  "
              f"(outside cells {r['kernel_overhead_s'] or 0:4.1f} s)")
    print(f"   summed report time {total:.1f} s; outside cells (kernel start/stop, I/O) "
          f"{kernel:.1f} s = {100 * kernel / total:.0f} %")
    return {"wall": wall, "total": total, "kernel": kernel, "n": len(results)}


def compare(argv: list[str]) -> int:
    """Warm runs, contenders interleaved per round; medians, ranges and ratios."""
    import statistics

    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 3
    contenders = {"kept kernels": (YQPLAN, (), ROOT), "fresh kernels": (YQPLAN, ("--fresh-kernels",), ROOT)}
    if "--base" in argv:
        base = Path(argv[argv.index("--base") + 1]).resolve()
        contenders["base checkout"] = (str(base / ".venv" / "bin" / "yqplan"), (), base)
    env = dict(os.environ)  # the demo data of $YQPLAN_DEMO / $YQPLAN_DEMO_STORE (built once here)
    walls: dict[str, list[float]] = {k: [] for k in contenders}
    loads = []
    with tempfile.TemporaryDirectory(prefix="yqplan-bench-") as tmp:
        tmp = Path(tmp)
        run_once("warm-up (data built when missing)", env, tmp / "warmup")
        for i in range(rounds):
            for label, (exe, extra, root) in contenders.items():
                loads.append(os.getloadavg()[0])
                r = run_once(f"round {i + 1}: {label}", env, tmp / f"r{i}-{label.split()[0]}", exe, extra, root)
                walls[label].append(r["wall"])
    print(f"\n{rounds} rounds, load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} CPUs")
    kept = walls["kept kernels"]
    for label, w in walls.items():
        ratios = [b / a for a, b in zip(kept, w)]
        print(f"  {label:<14} median {statistics.median(w):6.1f} s (range {min(w):.1f}–{max(w):.1f}); "
              f"÷ kept kernels {statistics.median(ratios):.2f}× (rounds {min(ratios):.2f}–{max(ratios):.2f}×); "
              f"vs goal 30 s → {statistics.median(w) / 30:.2f}")
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--compare" in argv:
        return compare(argv)
    with tempfile.TemporaryDirectory(prefix="yqplan-bench-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "YQPLAN_DEMO": str(tmp / "demo"), "YQPLAN_DEMO_STORE": str(tmp / "store")}
        if "--warm-only" in argv:  # reuse the project's data/demo and data/demo-store
            env = dict(os.environ)
        bare = bare_kernel_seconds(tmp)
        print(f"baseline: one bare papermill kernel start → 1 cell → stop: {bare:.2f} s")
        runs = {}
        if "--warm-only" not in argv:
            runs["cold"] = run_once("cold (demo data built from nothing)", env, tmp / "reports-cold")
        runs["warm"] = run_once("warm (data already there)", env, tmp / "reports-warm")
        for label, r in runs.items():
            print(f"{label}: wall {r['wall']:.1f} s vs target 90 s → ratio {r['wall'] / 90:.2f}, "
              f"vs goal 30 s → {r['wall'] / 30:.2f}; load average {os.getloadavg()[0]:.1f}; "
                  f"{r['n']} kernels × bare start {bare:.1f} s = {r['n'] * bare:.1f} s "
                  f"({100 * r['n'] * bare / r['total']:.0f} % of summed report time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

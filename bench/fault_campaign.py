"""Fault campaign for the store (issue 13): random kills and lock races.

1. Random kills: a child process ingests archive B into a copy of the store holding archive
   A (B rewrites a month of each year for both kinds, cuts a day short and adds one); it is
   SIGKILLed after a random delay between 0 and 1.2× the ingest's own duration.  Every other
   trial starts from the same store in the layout of earlier versions (one file per kind and
   year, ``store_faults.to_year_layout``), which the ingest splits into month files in the
   same commit.  After each
   kill, everything a reader sees (both kinds read whole, files read and skipped, missing
   hours) must equal the store before (A) or after (A then B) — nothing else; and a rerun
   must reach the store after.
2. Lock races: two child processes released at the same instant ingest different days into
   one store (the second refused at once); every ingest that reported success must find its
   day in the final store.

Prints the trials, the states seen and anything lost.  Exit status 1 if any trial saw a
mixed store or lost data.

Usage: python bench/fault_campaign.py [--kills 120] [--races 30] [--seed 13]
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import store_faults as kit  # noqa: E402


def kills(n: int, rng: random.Random, root: Path) -> dict:
    from yqplan.air import store

    got = kit.prepare(root)
    b, tmpl, want_a, want_b = got["b"], got["template"], got["A"], got["B"]
    tmpl_year = kit.to_year_layout(kit.fresh_copy(tmpl, root / "template-years"))
    assert kit.state(tmpl_year) == want_a
    spans = {}
    for layout, t in (("month", tmpl), ("year", tmpl_year)):
        calib = kit.run_child([b], kit.fresh_copy(t, root / "calib"))
        spans[layout] = float(calib.stdout.split("DONE")[1])
    seen = {"previous": 0, "new": 0, "other": 0}
    rerun_bad = 0
    for trial in range(n):
        layout = ("month", "year")[trial % 2]
        span = spans[layout]
        s = kit.fresh_copy(tmpl if layout == "month" else tmpl_year, root / "trial")
        proc = kit.start_child([b], s)
        proc.stdout.readline()   # GO: imports done, the ingest starts now
        time.sleep(rng.uniform(0, span * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=120)
        got = kit.state(s)
        seen["previous" if got == want_a else "new" if got == want_b else "other"] += 1
        store.ingest(b, s, progress=False)
        rerun_bad += kit.state(s) != want_b
    return {"trials": n, "ingest_seconds": max(spans.values()), "states": seen,
            "rerun_wrong": rerun_bad}


RACER = textwrap.dedent("""
    import sys, time
    from yqplan.air import store
    folder, s, at = sys.argv[1], sys.argv[2], float(sys.argv[3])
    while time.time() < at:
        pass
    try:
        store.ingest(folder, s, progress=False)
        print("OK")
    except store.StoreBusyError:
        print("BUSY")
""")


def races(n: int, root: Path) -> dict:
    outcomes = {"one refused": 0, "both ran": 0}
    lost = 0
    for trial in range(n):
        s = root / f"race{trial}"
        folders = kit.race_folders(root, trial)
        at = time.time() + 2.0   # after both children have imported
        procs = [subprocess.Popen([sys.executable, "-c", RACER, str(f), str(s), str(at)],
                                  stdout=subprocess.PIPE, text=True) for f in folders]
        res = [p.communicate(timeout=120)[0].strip() for p in procs]
        outcomes["both ran" if res == ["OK", "OK"] else "one refused"] += 1
        days, have = kit.days_in_store(s)
        for i, r in enumerate(res):
            day = f"2022-01-0{1 + i}"
            if r == "OK" and (day not in days or day not in have):
                lost += 1
    return {"trials": n, "outcomes": outcomes, "lost": lost}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=120)
    ap.add_argument("--races", type=int, default=30)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="yqplan-faults-") as tmp:
        k = kills(args.kills, rng, Path(tmp) / "kills")
        print(f"random kills: {k['trials']} trials, half of them splitting a store of "
              f"whole-year files (ingest up to {k['ingest_seconds']:.2f} s, "
              f"kill delay 0–{1.2 * k['ingest_seconds']:.2f} s); states seen: "
              f"previous store {k['states']['previous']}, new store {k['states']['new']}, "
              f"anything else {k['states']['other']}; rerun not reaching the new store: "
              f"{k['rerun_wrong']}")
        r = races(args.races, Path(tmp) / "races")
        print(f"lock races: {r['trials']} trials of two processes released together; "
              f"one refused {r['outcomes']['one refused']}, both ran in turn "
              f"{r['outcomes']['both ran']}; successful ingests whose data vanished: "
              f"{r['lost']}")
    bad = k["states"]["other"] + k["rerun_wrong"] + r["lost"]
    print("anything lost or mixed:", "NO" if not bad else f"YES ({bad})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

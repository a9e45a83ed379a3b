"""Kept kernels: each report worker runs its notebooks one after the other in one kernel.

* A notebook leaves nothing behind for the next one: variables, matplotlib settings, the
  working directory, the environment, ``sys.path``, warning filters and the record of
  warnings already shown, the execution count (cells numbered from 1 again).
* A notebook that fails, kills its kernel or times out gets the kernel replaced: the
  next report runs normally.
* The real demo notebooks give the same executed notebooks (text, tables, sentences,
  figures) in a kept kernel as in a kernel of their own (``fresh_kernels=True``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from pydantic import BaseModel, ConfigDict

from test_report import write
from yqplan.report import run as report

ROOT = Path(__file__).resolve().parents[1]


class _P(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    language: str = "zh"


LEAKY = """\
import os, sys, warnings
import matplotlib
import numpy as np
import pandas as pd
import leakmod
secret = 42
pd.set_option("display.precision", 2)
np.seterr(all="raise")
matplotlib.rcParams["lines.linewidth"] = 9.0
matplotlib.rcParams["font.family"] = ["monospace"]
os.chdir("/")
os.environ["YQPLAN_TEST_LEAK"] = "1"
sys.path.append("/nowhere/leaked")
warnings.simplefilter("ignore")
"""

PROBE = """\
import json, os, sys
import matplotlib
import numpy as np
import pandas as pd
import leakmod
leakmod.warn()  # shown again: a warning shown by an earlier report is not 'already shown'
print(json.dumps({"secret": "secret" in globals(), "pid": os.getpid(),
                  "linewidth": matplotlib.rcParams["lines.linewidth"],
                  "family": list(matplotlib.rcParams["font.family"]),
                  "cwd": os.getcwd(), "env": os.environ.get("YQPLAN_TEST_LEAK"),
                  "leaked_path": "/nowhere/leaked" in sys.path,
                  "precision": pd.get_option("display.precision"), "divide": np.geterr()["divide"]}))
"""


def _notebooks(folder: Path) -> dict:
    folder.mkdir()
    (folder / "leakmod.py").write_text(
        "import warnings\n\ndef warn():\n    warnings.warn('leakmod warning', UserWarning)\n",
        encoding="utf-8")
    # warner only warns (changing filters would itself make Python forget shown warnings)
    bodies = {"leaky": LEAKY, "warner": "import leakmod\nleakmod.warn()", "probe": PROBE, "boom": "raise RuntimeError('deliberate')",
              "die": "import os\nos._exit(3)", "sleepy": "import time\ntime.sleep(60)"}
    for name, body in bodies.items():
        nb = new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [new_code_cell("language = 'zh'", metadata={"tags": ["parameters"]}),
                    new_code_cell(body), new_code_cell("1 + 1")]
        nbformat.write(nb, str(folder / f"{name}.ipynb"))
    return {name: _P for name in bodies}


def _run(tmp_path: Path, reports: list[str], *, fresh: bool, timeout: int = 60, tag: str = ""):
    registry = _notebooks(tmp_path / "nb") if not (tmp_path / "nb").exists() else \
        {p.stem: _P for p in (tmp_path / "nb").glob("*.ipynb")}
    body = "data: {source: store}\nreports:\n" + "".join(
        f"  {name}: {{notebook: {name.split('-')[0]}}}\n" for name in reports)
    params = write(tmp_path / f"p{tag}.yaml", body)
    return report.run_reports(params, out_dir=tmp_path / f"reports{tag}", notebook_dir=tmp_path / "nb",
                              registry=registry, prepare=False, verdicts=False, progress=False,
                              jobs=1, timeout=timeout, fresh_kernels=fresh)


def _probe(summary, name: str = "probe") -> tuple[dict, list, str]:
    nb = nbformat.read(str(summary.run_dir / "notebooks" / f"{name}.ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    stdout = "".join(o.get("text", "") for c in code for o in c.outputs
                     if o.output_type == "stream" and o.name == "stdout")
    stderr = "".join(o.get("text", "") for c in code for o in c.outputs
                     if o.output_type == "stream" and o.name == "stderr")
    return json.loads(stdout), [c.execution_count for c in code], stderr


@pytest.mark.slow
def test_nothing_a_notebook_leaves_reaches_the_next_one(tmp_path):
    nb_dir = str((tmp_path / "nb").resolve())
    kept = _run(tmp_path, ["leaky", "warner", "probe"], fresh=False, tag="-kept")
    assert kept.ok, kept.results
    state, counts, stderr = _probe(kept)
    # known answers: matplotlib's own default line width (matplotlibrc: 1.5) and family
    assert state == {"secret": False, "pid": state["pid"], "linewidth": 1.5,
                     "family": ["sans-serif"], "cwd": nb_dir, "env": None, "leaked_path": False,
                     "precision": 6, "divide": "warn"}  # pandas' and numpy's documented defaults
    # numbered as in a kernel of its own: parameters, injected parameters, body, last cell
    assert counts == [1, 2, 3, 4]
    assert "leakmod warning" in stderr
    # the same notebook in a kernel of its own says the same (but for its process)
    fresh = _run(tmp_path, ["leaky", "warner", "probe"], fresh=True, tag="-fresh")
    fresh_state, fresh_counts, fresh_stderr = _probe(fresh)
    assert {**fresh_state, "pid": 0} == {**state, "pid": 0}
    assert fresh_counts == counts and ("leakmod warning" in fresh_stderr)
    assert json.loads((kept.run_dir / "run.json").read_text(encoding="utf-8"))["kernels"] == "kept"


@pytest.mark.slow
def test_one_kernel_per_worker_and_a_new_one_after_a_failure(tmp_path):
    summary = _run(tmp_path, ["probe", "probe-2", "boom", "probe-3", "die", "probe-4"], fresh=False)
    status = {r["name"]: r["status"] for r in summary.results}
    assert status == {"probe": "ok", "probe-2": "ok", "boom": "failed", "probe-3": "ok",
                      "die": "failed", "probe-4": "ok"}
    pids = {name: _probe(summary, name)[0]["pid"] for name in ("probe", "probe-2", "probe-3", "probe-4")}
    assert pids["probe"] == pids["probe-2"]  # the same kernel ran both
    # a new kernel after the failed report, and another after the one that killed its kernel
    assert len({pids["probe-2"], pids["probe-3"], pids["probe-4"]}) == 3
    assert "deliberate" in next(r for r in summary.results if r["name"] == "boom")["error"]
    # the run is over: its kernels are gone (the worker shut its last one down)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(p) for p in pids.values())


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.slow
def test_a_timed_out_notebook_does_not_hold_up_the_next_one(tmp_path):
    summary = _run(tmp_path, ["sleepy", "probe"], fresh=False, timeout=3)
    status = {r["name"]: r for r in summary.results}
    assert status["sleepy"]["status"] == "failed"
    assert "timed out" in status["sleepy"]["error"].lower() or "timeout" in status["sleepy"]["error"].lower()
    assert status["probe"]["status"] == "ok", status["probe"]["error"]  # its kernel was not busy sleeping


# ------------------------------------------------------------------ the real notebooks, both ways

def _outputs(path: Path) -> list:
    """What a reader sees of an executed notebook: every output's text, HTML, Markdown, image presence."""
    nb = nbformat.read(str(path), as_version=4)
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        out.append(("cell", i, cell.execution_count))
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            out.append((i, o["output_type"], o.get("name"), o.get("text"), data.get("text/plain"),
                        data.get("text/html"), data.get("text/markdown"), "image/png" in data,
                        o.get("execution_count")))
    return out


def _small_demo_store(folder: Path) -> Path:
    """Two synthetic years (to 10 February 2025) of the demo generator, ingested."""
    from yqplan.air import demo, store

    demo.write_demo_archive(folder / "archive", start_year=2024, end_year=2025,
                            end_date="2025-02-10", sites=False)
    store.ingest(folder / "archive", folder / "store", progress=False)
    return folder / "store"


@pytest.mark.slow
def test_demo_notebooks_are_the_same_in_a_kept_kernel(tmp_path):
    years = "{start_year: 2024, end_year: 2025}"
    params = write(tmp_path / "p.yaml",
                   f'data: {{source: store, store: "{_small_demo_store(tmp_path)}"}}\nreports:\n'
                   f"  18_data_coverage: {years}\n  10_pm25: {years}\n  30_projects: {{}}\n")
    runs = {}
    for fresh in (True, False):
        runs[fresh] = report.run_reports(params, out_dir=tmp_path / f"r{fresh}", progress=False,
                                         prepare=False, verdicts=False, jobs=1, timeout=300,
                                         fresh_kernels=fresh)
        assert runs[fresh].ok, runs[fresh].results
    images = 0
    for name in ("18_data_coverage", "10_pm25", "30_projects"):
        a, b = (_outputs(runs[f].run_dir / "notebooks" / f"{name}.ipynb") for f in (True, False))
        assert a == b, name
        images += sum(1 for o in a if len(o) > 7 and o[7])
    assert images >= 3  # figures were drawn (and compared: present in both)
    # the rendered pages say the same (run ids and times aside)
    for name in ("18_data_coverage", "10_pm25", "30_projects"):
        pages = [(runs[f].run_dir / f"{name}.html").read_text(encoding="utf-8") for f in (True, False)]
        strip = [p.replace(runs[f].run_dir.name, "RUN") for p, f in zip(pages, (True, False))]
        assert len(strip[0].split("<img")) == len(strip[1].split("<img"))

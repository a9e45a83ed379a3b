"""The report pipeline: typed parameter validation, failures isolated, offline HTML, atomic switch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from pydantic import BaseModel, ConfigDict

from yqplan.report import render
from yqplan.report import run as report

ROOT = Path(__file__).resolve().parents[1]
YQPLAN = str(Path(sys.executable).with_name("yqplan"))


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ------------------------------------------------------------------ parameter validation

def test_shipped_parameter_files_validate():
    settings, jobs = report.read_params(ROOT / "params" / "demo.yaml")
    names = [j.name for j in jobs]
    assert names[:6] == ["00_plan_overview", "10_pm25", "11_good_days", "12_shanxi_ranking",
                         "20_water", "30_projects"]
    assert [n for n in names if n.startswith("40_")] == ["40_indicator-1", "40_indicator-2",
                                                         "40_indicator-4"]
    pm25 = next(j for j in jobs if j.name == "10_pm25")
    assert pm25.params["language"] == "zh" and pm25.params["end_year"] == 2025
    assert pm25.params["store_dir"]  # run-wide store filled in
    settings, jobs = report.read_params(ROOT / "params" / "example-real.yaml")
    assert settings.data.source == "store"
    assert len([j for j in jobs if j.notebook == "40_indicator"]) == 7


def test_a_typo_is_refused_with_the_valid_names(tmp_path):
    f = write(tmp_path / "p.yaml", """
        reports:
          10_pm25: {stat_year: 2021}
        """)
    with pytest.raises(report.ParamsError) as err:
        report.read_params(f)
    msg = str(err.value)
    assert "unknown parameter 'stat_year'" in msg and "10_pm25" in msg
    for valid in ("start_year", "end_year", "dust", "language", "edition"):  # dust, edition: run-wide
        assert valid in msg


def test_a_mistyped_value_is_refused(tmp_path):
    f = write(tmp_path / "p.yaml", """
        reports:
          10_pm25: {end_year: "2025", dust: sometimes}
          40_indicator: {indicator_id: 1}
        """)
    with pytest.raises(report.ParamsError) as err:
        report.read_params(f)
    lines = str(err.value).splitlines()
    assert any("'end_year'" in line and "integer" in line for line in lines)
    # dust is run-wide (issue 12): a report's own value is refused, naming where it goes
    assert any("'dust'" in line and "run-wide setting" in line for line in lines)
    # an id written as a number is not silently turned into a string ("1" vs 1.0 vs 10.1)
    assert any("'indicator_id'" in line and "string" in line for line in lines)


@pytest.mark.parametrize("body, expected", [
    ("reports:\n  99_nope: {}\n", "unknown notebook '99_nope'"),
    ("languages: en\nreports: {}\n", "'languages'"),
    ("data: {source: cloud}\nreports: {}\n", "'data.source'"),
    ("as_of: 2025-13-01\nreports: {}\n", "month must be in 1..12"),
    ("as_of: 31.12.2025\nreports: {}\n", "ISO date"),
    ("reports:\n  10_pm25: {as_of: '31/12/2025'}\n", "ISO date"),
    ("reports:\n  40_indicator: {for_each: {indicator_id: '1'}}\n", "for_each"),
])
def test_other_bad_settings_are_refused(tmp_path, body, expected):
    f = tmp_path / "p.yaml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(report.ParamsError, match=expected):
        report.read_params(f)


def test_cli_refuses_a_typo_before_running_anything(tmp_path):
    f = write(tmp_path / "p.yaml", """
        reports:
          30_projects: {languag: en}
        """)
    out = subprocess.run([YQPLAN, "report", "--params", str(f), "--out", str(tmp_path / "r")],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert "unknown parameter 'languag'" in out.stderr and "language" in out.stderr
    assert not (tmp_path / "r").exists()  # nothing ran, nothing written


def test_cli_rejects_bad_numbers(tmp_path):
    out = subprocess.run([YQPLAN, "report", "--params", str(ROOT / "params" / "demo.yaml"),
                          "--jobs", "0"], capture_output=True, text=True)
    assert out.returncode == 2 and "--jobs" in out.stderr


# ------------------------------------------------------------------ a run with a failure

class _Tiny(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    language: str = "zh"
    x: int = 1


def _tiny_notebooks(folder: Path) -> dict:
    folder.mkdir()
    for name, body in {"ok_a": "y = x * 2\nprint('a', y)",
                       "ok_b": "import matplotlib.pyplot as plt\nplt.plot([1, 2], [x, 3])\nplt.title('中文标题')",
                       "boom": "raise RuntimeError(f'deliberate failure x={x}')"}.items():
        nb = new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [new_markdown_cell(f"# 报告 {name}", metadata={"tags": ["lang-zh"]}),
                    new_markdown_cell(f"# Report {name}", metadata={"tags": ["lang-en"]}),
                    new_code_cell("language = 'zh'\nx = 1", metadata={"tags": ["parameters"]}),
                    new_code_cell(body),
                    new_markdown_cell("after the failure"),
                    new_markdown_cell("## 来源 (in-notebook sources)",
                                      metadata={"tags": ["lang-zh", "provenance"]})]
        nbformat.write(nb, str(folder / f"{name}.ipynb"))
    return {"ok_a": _Tiny, "ok_b": _Tiny, "boom": _Tiny}


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("failing")
    registry = _tiny_notebooks(tmp / "nb")
    params = write(tmp / "p.yaml", """
        title: 失败测试
        data: {source: store}
        reports:
          ok_a: {x: 3}
          boom: {x: 7}
          ok_b: {}
        """)
    summary = report.run_reports(params, out_dir=tmp / "reports", notebook_dir=tmp / "nb",
                                 registry=registry, prepare=False, verdicts=False, progress=False,
                                 jobs=2, timeout=60)
    return tmp, summary


def test_a_failing_notebook_does_not_stop_the_others(failing_run):
    tmp, summary = failing_run
    status = {r["name"]: r["status"] for r in summary.results}
    assert status == {"ok_a": "ok", "boom": "failed", "ok_b": "ok"}
    assert not summary.ok
    boom = next(r for r in summary.results if r["name"] == "boom")
    assert "RuntimeError" in boom["error"] and "deliberate failure x=7" in boom["error"]
    index = (summary.run_dir / "index.html").read_text(encoding="utf-8")
    assert "失败" in index and "deliberate failure x=7" in index
    assert "共 3 份报告：2 份成功，1 份失败" in index
    # the failed report is still rendered, with its error and papermill's banner
    page = (summary.run_dir / "boom.html").read_text(encoding="utf-8")
    assert "deliberate failure x=7" in page and "本报告运行失败" in page
    # parameters really reached the notebooks (papermill injected them)
    nb = nbformat.read(str(summary.run_dir / "notebooks" / "ok_a.ipynb"), as_version=4)
    assert any("a 6" in "".join(o.get("text", "")) for c in nb.cells for o in c.get("outputs", []))


def test_run_folder_layout_and_latest_symlink(failing_run):
    tmp, summary = failing_run
    root = tmp / "reports"
    latest = root / "latest"
    # a run with a failed report is kept but never becomes `latest` (none succeeded yet)
    assert not latest.exists() and not latest.is_symlink() and summary.latest is None
    assert summary.run_dir.parent == root / "runs"
    assert not list((root / "runs").glob(".*.partial"))
    run = json.loads((summary.run_dir / "run.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in run["results"]] == ["ok_a", "boom", "ok_b"]  # file order kept


def test_reports_are_self_contained_without_code(failing_run):
    tmp, summary = failing_run
    for page in summary.run_dir.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert render.find_external_refs(text) == [], page.name
        assert "<script src" not in text and "require.js" not in text.lower()
        assert 'rel="stylesheet"' not in text
        assert "@font-face" in text and "data:font/woff;base64," in text
    ok_b = (summary.run_dir / "ok_b.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in ok_b  # the figure is embedded
    # no code cells (a render with code has jp-InputArea-editor divs and prompts)
    assert 'jp-InputArea-editor"' not in ok_b and 'class="jp-InputPrompt' not in ok_b
    assert "after the failure" in ok_b and "Report ok_b" not in ok_b  # zh cells only
    assert "来源与说明" in ok_b and "yqplan 0." in ok_b  # provenance block
    # the notebook's own Sources section is left out: the footer says it once, in full
    assert "in-notebook sources" not in ok_b


def test_find_external_refs_catches_network_references():
    page = ('<script src="https://cdn.x/require.js"></script><link href="//fonts.x/a.css">'
            '<style>@import "http://x/y.css"; .a{background:url(https://x/i.png)}</style>'
            '<img src="data:image/png;base64,AAAA"><a href="index.html">ok</a>')
    assert len(render.find_external_refs(page)) == 4


def test_previous_run_stays_in_place_when_a_run_breaks(tmp_path, monkeypatch):
    registry = _tiny_notebooks(tmp_path / "nb")
    params = write(tmp_path / "p.yaml", "data: {source: store}\nreports:\n  ok_a: {}\n")
    kw = dict(out_dir=tmp_path / "reports", notebook_dir=tmp_path / "nb", registry=registry,
              prepare=False, verdicts=False, progress=False, jobs=1)
    first = report.run_reports(params, **kw)
    assert first.ok

    def broken(*args, **kwargs):
        raise KeyboardInterrupt("interrupted while writing the index")

    monkeypatch.setattr(render, "write_index", broken)
    with pytest.raises(KeyboardInterrupt):
        report.run_reports(params, **kw)
    latest = tmp_path / "reports" / "latest"
    assert latest.resolve() == first.run_dir.resolve()
    assert (latest / "index.html").is_file()
    assert [p.name for p in (tmp_path / "reports" / "runs").iterdir()] == [first.run_dir.name]


def test_a_second_run_is_refused_while_one_holds_the_lock(tmp_path):
    import fcntl

    root = tmp_path / "reports"
    root.mkdir()
    with open(root / ".report.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        registry = _tiny_notebooks(tmp_path / "nb")
        params = write(tmp_path / "p.yaml", "data: {source: store}\nreports:\n  ok_a: {}\n")
        with pytest.raises(RuntimeError, match="in progress"):
            report.run_reports(params, out_dir=root, notebook_dir=tmp_path / "nb", registry=registry,
                               prepare=False, verdicts=False, progress=False)


@pytest.mark.slow
def test_cli_run_with_a_failing_real_notebook_exits_non_zero(tmp_path):
    """Real notebooks through the command: 30 and 40 succeed, 40 reading a missing values file fails.

    (An unknown indicator id is refused before anything runs: tests/test_params_up_front.py.)
    """
    from yqplan.air import demo
    from yqplan.air import store

    archive, st = tmp_path / "archive", tmp_path / "store"
    demo.write_demo_archive(archive, start_year=2025, end_year=2025, end_date="2025-01-05", sites=False)
    store.ingest(archive, st, progress=False)
    params = write(tmp_path / "p.yaml", f"""
        data: {{source: store, store: "{st}"}}
        reports:
          30_projects: {{}}
          40_indicator: {{indicator_id: "18"}}
          bad_indicator: {{notebook: 40_indicator, indicator_id: "18", values_file: "{tmp_path}/none.csv"}}
        """)
    out = subprocess.run([YQPLAN, "report", "--params", str(params), "--out", str(tmp_path / "r"),
                          "--jobs", "2", "--timeout", "120", "--no-progress"],
                         capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert out.returncode == 1, out.stderr[-2000:]
    assert "2 of 3 reports ok" in out.stdout
    assert "FAILED bad_indicator" in out.stderr and "none.csv" in out.stderr
    assert not (tmp_path / "r" / "latest").exists()  # a run with a failure is not `latest`
    run = next((tmp_path / "r" / "runs").iterdir())
    index = (run / "index.html").read_text(encoding="utf-8")
    assert index.count('class="status-ok"') == 2 and index.count('class="status-failed"') == 1
    board = json.loads((run / "verdicts.json").read_text(encoding="utf-8"))
    assert len(board) == 23 and {"indicator_id", "status_verdict"} <= set(board[0])
    assert (run / "verdicts.csv").is_file()
    # the kernel's chatter went to the report's log, not to the terminal
    assert "Kernel is running over TCP" not in out.stderr


# ------------------------------------------------------------------ --only, keep_runs, timeout

def test_only_runs_the_named_reports(tmp_path):
    registry = _tiny_notebooks(tmp_path / "nb")
    params = write(tmp_path / "p.yaml", "data: {source: store}\nreports:\n  ok_a: {}\n  ok_b: {}\n")
    kw = dict(out_dir=tmp_path / "reports", notebook_dir=tmp_path / "nb", registry=registry,
              prepare=False, verdicts=False, progress=False, jobs=1)
    full = report.run_reports(params, **kw)
    summary = report.run_reports(params, only=["ok_b"], **kw)
    assert [r["name"] for r in summary.results] == ["ok_b"]
    # a partial run does not replace the last full run as `latest`
    assert (tmp_path / "reports" / "latest").resolve() == full.run_dir.resolve()
    assert summary.run_dir.is_dir() and summary.run_dir != full.run_dir
    with pytest.raises(report.ParamsError, match="--only: unknown report.*nope.*reports: ok_a, ok_b"):
        report.run_reports(params, only=["nope"], **kw)


def test_prune_keeps_the_newest_and_the_one_latest_points_at(tmp_path):
    runs = tmp_path / "runs"
    names = ["20250101T000000Z", "20250102T000000Z", "20250103T000000Z", "20250104T000000Z"]
    for n in names:
        (runs / n).mkdir(parents=True)
    (runs / ".20250105T000000Z.partial").mkdir()  # a build in progress is not a complete run
    os.symlink(os.path.join("runs", names[0]), tmp_path / "latest")  # latest on the oldest
    removed = report.prune_runs(tmp_path, 2)
    assert [p.name for p in removed] == [names[1]]
    assert sorted(p.name for p in runs.iterdir()) == [".20250105T000000Z.partial", names[0], *names[2:]]
    assert report.prune_runs(tmp_path, 0) == []  # 0 keeps every run
    assert len(list(runs.iterdir())) == 4


def test_keep_runs_prunes_old_runs_after_latest_switches(tmp_path, monkeypatch):
    registry = _tiny_notebooks(tmp_path / "nb")
    params = write(tmp_path / "p.yaml", "keep_runs: 2\ndata: {source: store}\nreports:\n  ok_a: {}\n")
    root = tmp_path / "reports"
    old = [root / "runs" / f"2025010{i}T000000Z" for i in (1, 2, 3)]
    for d in old:
        d.mkdir(parents=True)
    kw = dict(out_dir=root, notebook_dir=tmp_path / "nb", registry=registry, prepare=False,
              verdicts=False, progress=False, jobs=1)
    # latest cannot be switched: nothing is pruned (the old runs are all still there)
    def broken_switch(*args):
        raise OSError("disk full")

    monkeypatch.setattr(report, "switch_latest", broken_switch)
    with pytest.raises(OSError, match="disk"):
        report.run_reports(params, **kw)
    assert all(d.is_dir() for d in old)
    monkeypatch.undo()
    summary = report.run_reports(params, **kw)
    kept = sorted(p.name for p in (root / "runs").iterdir())
    # the two newest: the run whose switch failed and this one; all three old ones gone
    assert len(kept) == 2 and kept[-1] == summary.run_dir.name
    assert not any(d.exists() for d in old)
    assert (root / "latest").resolve() == summary.run_dir.resolve()
    bad = write(tmp_path / "bad.yaml", "keep_runs: -1\nreports:\n  ok_a: {}\n")
    with pytest.raises(report.ParamsError, match="keep_runs"):
        report.read_params(bad, registry)


def test_a_cell_past_the_timeout_fails_that_report_only(tmp_path):
    registry = _tiny_notebooks(tmp_path / "nb")
    nb = nbformat.read(str(tmp_path / "nb" / "ok_a.ipynb"), as_version=4)
    nb.cells[3].source = "import time\ntime.sleep(30)"
    nbformat.write(nb, str(tmp_path / "nb" / "sleepy.ipynb"))
    registry["sleepy"] = _Tiny
    params = write(tmp_path / "p.yaml", "data: {source: store}\nreports:\n  sleepy: {}\n  ok_a: {}\n")
    summary = report.run_reports(params, out_dir=tmp_path / "reports", notebook_dir=tmp_path / "nb",
                                 registry=registry, prepare=False, verdicts=False, progress=False,
                                 jobs=2, timeout=3)
    status = {r["name"]: r for r in summary.results}
    assert status["ok_a"]["status"] == "ok"
    assert status["sleepy"]["status"] == "failed"
    assert "timed out" in status["sleepy"]["error"].lower() or "timeout" in status["sleepy"]["error"].lower()
    # behaviour, not timing (timing belongs in bench/): the interrupted report is still
    # rendered and listed, with its error, in the run's index
    assert (summary.run_dir / status["sleepy"]["html"]).is_file()
    assert "sleepy" in (summary.run_dir / "index.html").read_text(encoding="utf-8")

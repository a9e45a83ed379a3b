"""The report run under faults: failed runs and `latest`, killed runs, exit codes cron can use.

* A run with a failed report is kept but never becomes ``latest``, and pruning never
  removes the newest fully successful run (issue 13, item 10).
* Killing a run (SIGTERM, SIGINT, SIGKILL of the parent) leaves no worker and no kernel
  behind (item 11).
* Every command exits with a documented code and one line on stderr, no traceback:
  refused lock 3, failed reports 1, bad parameters 2, read-only or full disk 4, a pipe
  closed by ``head`` 141 and quiet (item 12).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from test_report import _tiny_notebooks, write
from yqplan.report import run as report

ROOT = Path(__file__).resolve().parents[1]
YQPLAN = str(Path(sys.executable).with_name("yqplan"))
ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


def _kw(tmp_path, registry):
    return dict(out_dir=tmp_path / "reports", notebook_dir=tmp_path / "nb", registry=registry,
                prepare=False, verdicts=False, progress=False, jobs=1, timeout=60)


def _run_json(run_dir: Path) -> dict:
    return json.loads((run_dir / "run.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ item 10: latest and pruning

def test_a_failed_run_does_not_become_latest_nor_prune_the_good_run(tmp_path):
    registry = _tiny_notebooks(tmp_path / "nb")
    good_p = write(tmp_path / "good.yaml", "keep_runs: 1\ndata: {source: store}\nreports:\n  ok_a: {}\n")
    bad_p = write(tmp_path / "bad.yaml",
                  "keep_runs: 1\ndata: {source: store}\nreports:\n  ok_a: {}\n  boom: {}\n")
    latest = tmp_path / "reports" / "latest"
    logged = []
    good = report.run_reports(good_p, **_kw(tmp_path, registry))
    assert good.ok and latest.resolve() == good.run_dir.resolve()
    time.sleep(1.1)  # run ids are UTC seconds
    bad = report.run_reports(bad_p, log=logged.append, **_kw(tmp_path, registry))
    assert not bad.ok
    # the failed run is kept (and its index lists the failure) …
    assert (bad.run_dir / "index.html").is_file() and _run_json(bad.run_dir)["ok"] is False
    # … but `latest` stays on the good run, which keep_runs: 1 did not remove
    assert latest.resolve() == good.run_dir.resolve()
    assert good.run_dir.is_dir() and (latest / "ok_a.html").is_file()
    assert bad.latest == good.run_dir.resolve() and bad.pruned == ()
    assert any(f"latest stays at run {good.run_dir.name}" in m for m in logged), logged
    # a second failure: the older failed run may go, the good one stays
    time.sleep(1.1)
    bad2 = report.run_reports(bad_p, **_kw(tmp_path, registry))
    assert sorted(p.name for p in (tmp_path / "reports" / "runs").iterdir()) == \
        [good.run_dir.name, bad2.run_dir.name]
    # the next good run becomes latest and only then the old good run is pruned
    time.sleep(1.1)
    good2 = report.run_reports(good_p, **_kw(tmp_path, registry))
    assert good2.ok and latest.resolve() == good2.run_dir.resolve()
    assert [p.name for p in (tmp_path / "reports" / "runs").iterdir()] == [good2.run_dir.name]


def _fake_run(runs: Path, name: str, ok: bool | None, partial: bool = False) -> Path:
    d = runs / name
    d.mkdir(parents=True)
    if ok is not None:
        (d / "run.json").write_text(json.dumps({"run_id": name, "ok": ok, "partial": partial}),
                                    encoding="utf-8")
    return d


def test_prune_keeps_the_newest_successful_run_and_latest(tmp_path):
    runs = tmp_path / "runs"
    a = _fake_run(runs, "20250101T000000Z", True)    # latest points here
    b = _fake_run(runs, "20250102T000000Z", True)    # the newest successful full run
    _fake_run(runs, "20250103T000000Z", True, partial=True)  # --only: not a full run
    _fake_run(runs, "20250104T000000Z", False)
    e = _fake_run(runs, "20250105T000000Z", False)
    os.symlink(os.path.join("runs", a.name), tmp_path / "latest")
    removed = report.prune_runs(tmp_path, 1)
    assert sorted(p.name for p in removed) == ["20250103T000000Z", "20250104T000000Z"]
    assert sorted(p.name for p in runs.iterdir()) == [a.name, b.name, e.name]
    assert report.run_succeeded(b) and not report.run_succeeded(e)
    # a record written before `ok` existed is judged by its results
    old = runs / "20240101T000000Z"
    old.mkdir()
    (old / "run.json").write_text(json.dumps({"results": [{"status": "ok"}, {"status": "failed"}]}),
                                  encoding="utf-8")
    assert not report.run_succeeded(old)


# ------------------------------------------------------------------ item 11: workers die with the run

SLEEPY_DRIVER = textwrap.dedent("""
    import functools, sys
    from pydantic import BaseModel, ConfigDict
    from yqplan import cli
    from yqplan.report import run as report

    class Sleepy(BaseModel):
        model_config = ConfigDict(extra="forbid")
        language: str = "zh"
        mark: str = ""

    if __name__ == "__main__":  # the spawned workers import this file too
        report.NOTEBOOKS.clear()
        report.NOTEBOOKS["sleepy"] = Sleepy
        report.run_reports = functools.partial(report.run_reports, notebook_dir=sys.argv[1],
                                               prepare=False, verdicts=False)
        sys.exit(cli.main(["report", "--params", sys.argv[2], "--out", sys.argv[3], "--no-progress",
                           "--jobs", "2"]))
""")


def _sleepy_setup(tmp_path: Path) -> tuple[list[str], Path]:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb_dir, marks = tmp_path / "nb", tmp_path / "marks"
    nb_dir.mkdir()
    marks.mkdir()
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [new_code_cell("language = 'zh'\nmark = ''", metadata={"tags": ["parameters"]}),
                new_code_cell("import os, pathlib, time\n"
                              "pathlib.Path(mark, str(os.getpid())).touch()\n"
                              "time.sleep(300)")]
    nbformat.write(nb, str(nb_dir / "sleepy.ipynb"))
    params = write(tmp_path / "p.yaml", f"""
        data: {{source: store}}
        reports:
          one: {{notebook: sleepy, mark: "{marks}"}}
          two: {{notebook: sleepy, mark: "{marks}"}}
        """)
    driver = tmp_path / "driver.py"
    driver.write_text(SLEEPY_DRIVER, encoding="utf-8")
    return [sys.executable, str(driver), str(nb_dir), str(params), str(tmp_path / "reports")], marks


def _gone(proc) -> bool:
    import psutil

    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130),
                                       (signal.SIGKILL, -signal.SIGKILL)])
def test_killing_a_run_leaves_no_worker_or_kernel(tmp_path, sig, code):
    psutil = pytest.importorskip("psutil")
    argv, marks = _sleepy_setup(tmp_path)
    below = []
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        deadline = time.monotonic() + 120
        while len(list(marks.iterdir())) < 2:  # both kernels are inside their sleeping cell
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the kernels did not start"
            time.sleep(0.2)
        below = psutil.Process(proc.pid).children(recursive=True)
        kernels = {int(p.name) for p in marks.iterdir()}
        assert kernels <= {p.pid for p in below}  # the kernels are descendants of the run
        assert len(below) >= 4  # two workers and their two kernels (and multiprocessing's helper)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == code, err[-3000:]
        if sig != signal.SIGKILL:
            assert "Traceback" not in err, err[-3000:]
            assert err.strip().splitlines()[-1].startswith("yqplan: "), err[-3000:]
        deadline = time.monotonic() + 8
        while not all(_gone(p) for p in below) and time.monotonic() < deadline:
            time.sleep(0.2)
        alive = [(p.pid, p.name()) for p in below if not _gone(p)]
        assert alive == [], f"orphans after {sig!r}: {alive}"
        if sig != signal.SIGKILL:  # an interrupted run leaves no build behind
            assert not list((tmp_path / "reports" / "runs").glob(".*.partial"))
    finally:  # never leave our own mess (only the run's processes: not pytest's own helpers)
        if proc.poll() is None:
            below = psutil.Process(proc.pid).children(recursive=True)
            proc.kill()
            proc.wait()
        for p in below:
            with contextlib.suppress(psutil.Error):
                p.kill()


# ------------------------------------------------------------------ item 12: exit codes

def _cli(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([YQPLAN, *map(str, args)], capture_output=True, text=True, env=ENV,
                          timeout=600, **kw)


def _one_error_line(out: subprocess.CompletedProcess, prefix: str) -> str:
    assert "Traceback" not in out.stderr, out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("yqplan:")]
    assert len(lines) == 1 and lines[0].startswith(prefix), out.stderr
    assert out.stderr.strip().splitlines()[-1] == lines[0]  # the last thing cron mails
    return lines[0]


def test_help_documents_the_exit_codes():
    out = _cli("--help")
    assert out.returncode == 0
    text = out.stdout
    for code in ("0", "1", "2", "3", "4", "130", "141", "143"):
        assert f"\n  {code:>3}  " in text, code
    guide = (ROOT / "docs" / "guide" / "reports.md").read_text(encoding="utf-8")
    reports = guide[guide.index("<!-- section:reports -->"):]
    for code in ("| 3 |", "| 4 |", "| 141 |"):
        assert code in reports


def test_exit_2_bad_parameters_one_line(tmp_path):
    f = write(tmp_path / "p.yaml", "reports:\n  30_projects: {languag: en}\n  10_pm25: {dust: x}\n")
    out = _cli("report", "--params", f, "--out", tmp_path / "r")
    assert out.returncode == 2
    line = _one_error_line(out, "yqplan: error: invalid parameters: ")
    assert "'languag'" in line and "'dust'" in line
    assert not (tmp_path / "r").exists()


def test_exit_3_when_another_run_holds_the_lock(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    p = write(tmp_path / "p.yaml", "data: {source: store}\nreports:\n  30_projects: {}\n")
    with open(root / ".report.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        out = _cli("report", "--params", p, "--out", root)
    assert out.returncode == 3
    assert "in progress" in _one_error_line(out, "yqplan: refused: ")


def _mount_ns_works() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


def _in_tmpfs(options: str, where: Path, argv) -> subprocess.CompletedProcess:
    """Run ``argv`` with a tmpfs (mount ``options``) on ``where``, in a private mount namespace."""
    where.mkdir(parents=True, exist_ok=True)
    script = 'mount -t tmpfs -o "$1" tmpfs "$2" || exit 97; shift 2; exec "$@"'
    out = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", options, str(where), *map(str, argv)],
                         capture_output=True, text=True, env=ENV, timeout=600)
    assert out.returncode != 97, out.stderr
    return out


@pytest.fixture(scope="module")
def tiny_archive(tmp_path_factory):
    from yqplan.air import demo

    archive = tmp_path_factory.mktemp("tiny") / "archive"
    demo.write_demo_archive(archive, start_year=2025, end_year=2025, end_date="2025-01-05", sites=False)
    return archive


def test_exit_4_read_only_store_and_reports(tmp_path, tiny_archive):
    ro = tmp_path / "ro"
    if _mount_ns_works():
        run = lambda *a: _in_tmpfs("ro,size=1m", ro, [YQPLAN, *a])  # noqa: E731
    elif os.geteuid() != 0:
        ro.mkdir()
        ro.chmod(0o555)
        run = _cli
    else:
        pytest.skip("root without mount namespaces: cannot make a read-only folder")
    out = run("air", "ingest", tiny_archive, "--store", ro / "store", "--no-progress")
    assert out.returncode == 4, out.stderr
    line = _one_error_line(out, "yqplan: I/O error: ")
    assert "Read-only file system" in line or "Permission denied" in line
    p = write(tmp_path / "p.yaml", "data: {source: store}\nreports:\n  30_projects: {}\n")
    out = run("report", "--params", p, "--out", ro / "reports")
    assert out.returncode == 4, out.stderr
    _one_error_line(out, "yqplan: I/O error: ")


def test_exit_4_disk_full(tmp_path, tiny_archive):
    full = tmp_path / "full"
    argv = [YQPLAN, "air", "ingest", tiny_archive, "--store", full / "store", "--no-progress"]
    if _mount_ns_works():  # a real ENOSPC: a 16 KiB file system (the partition needs ~30)
        out = _in_tmpfs("size=16k", full, argv)
        expected = "No space left on device"
    else:  # no mount namespace: a file-size limit gives EFBIG on the same writes
        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))

        out = subprocess.run(argv, capture_output=True, text=True, env=ENV, preexec_fn=limit)
        expected = "File too large"
    assert out.returncode == 4, out.stderr
    assert expected in _one_error_line(out, "yqplan: I/O error: ")


@pytest.mark.slow
def test_exit_1_failed_report_says_where_latest_stays(tmp_path, tiny_archive):
    from yqplan.air import store

    st = tmp_path / "store"
    store.ingest(tiny_archive, st, progress=False)
    good = write(tmp_path / "good.yaml", f"""
        data: {{source: store, store: "{st}"}}
        reports:
          30_projects: {{}}
        """)
    out = _cli("report", "--params", good, "--out", tmp_path / "r", "--jobs", "1", "--no-progress")
    assert out.returncode == 0, out.stderr[-3000:]
    first = (tmp_path / "r" / "latest").resolve()
    time.sleep(1.1)
    bad = write(tmp_path / "bad.yaml", f"""
        data: {{source: store, store: "{st}"}}
        reports:
          30_projects: {{}}
          bad_indicator: {{notebook: 40_indicator, indicator_id: "18", values_file: "{tmp_path}/none.csv"}}
        """)
    out = _cli("report", "--params", bad, "--out", tmp_path / "r", "--jobs", "2", "--no-progress")
    assert out.returncode == 1
    line = _one_error_line(out, "yqplan: error: 1 failed (bad_indicator)")
    assert line.endswith(f"latest stays at {first.name}")
    assert (tmp_path / "r" / "latest").resolve() == first
    assert len(list((tmp_path / "r" / "runs").iterdir())) == 2


@pytest.mark.parametrize("command", ["air read", "air hourly-aqi"])
def test_exit_141_quietly_when_head_closes_the_pipe(tmp_path, tiny_archive, command):
    cities = report.analyses.shanxi_cities()
    if command == "air read":
        from yqplan.air import store

        store.ingest(tiny_archive, tmp_path / "store", progress=False)
        argv = ["air", "read", "--store", tmp_path / "store", "--names", *cities]  # CSV
    else:
        argv = ["air", "hourly-aqi", "--archive", tiny_archive, "--city", ",".join(cities),
                "--period", "2025-01-01..2025-01-05", "--format", "csv"]
    # ~0.2 MB of output written in pieces: far more than a pipe holds, so the writer meets
    # the closed end (one single large write would lose the error inside Python's buffer)
    proc = subprocess.Popen([YQPLAN, *map(str, argv)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=ENV)
    first = proc.stdout.read(100)  # then close it, as `head -c 100` does
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=120)
    assert len(first) == 100
    assert proc.returncode == 141, err
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err
    # and through a shell, as a user types it
    shell = subprocess.run(["bash", "-c", " ".join(f"'{a}'" for a in [YQPLAN, *map(str, argv)]) + " | head -1"],
                           capture_output=True, text=True, env=ENV)
    assert shell.stdout.count("\n") == 1 and "Traceback" not in shell.stderr, shell.stderr
    assert "Error" not in shell.stderr, shell.stderr

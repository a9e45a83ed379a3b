"""The notebook collection: committed clean, parameters cell of literals matching the typed
schema, thin (no definitions), and every notebook runs under papermill with small parameters."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from yqplan.report import render
from yqplan.report import run as report

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_every_registered_notebook_exists_and_nothing_else():
    assert sorted(p.stem for p in NOTEBOOKS) == sorted(report.NOTEBOOKS)
    assert {"00_plan_overview", "10_pm25", "11_good_days", "12_shanxi_ranking", "20_water",
            "30_projects", "40_indicator", "50_final_assessment", "13_ozone", "14_episodes",
            "15_time_variation", "16_regions", "17_editions", "18_data_coverage"} == set(report.NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_is_clean(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    nb = nbformat.reads(json.dumps(raw), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: outputs committed in cell {cell.get('id')}"
            assert cell.execution_count is None
        assert "papermill" not in cell.get("metadata", {})
    assert "papermill" not in nb.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_literals_matching_the_schema(path):
    nb = nbformat.read(str(path), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one cell tagged 'parameters'"
    cell = tagged[0]
    assert nb.cells.index(cell) <= 3, "parameters come right after the title"
    values = {}
    for stmt in ast.parse(cell.source).body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1, ast.dump(stmt)
        values[stmt.targets[0].id] = ast.literal_eval(stmt.value)  # raises unless a literal
    model = report.NOTEBOOKS[path.stem]
    defaults = {k: f.default for k, f in model.model_fields.items()}
    assert values == defaults, f"{path.name}: parameters cell differs from {model.__name__}"
    model.model_validate(values)  # the defaults themselves pass the strict schema


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_bilingual(path):
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            defs = [n for n in ast.walk(tree)
                    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
            assert not defs, f"{path.name}: definitions belong in the package"
    zh = [c for c in nb.cells if "lang-zh" in c.get("metadata", {}).get("tags", [])]
    en = [c for c in nb.cells if "lang-en" in c.get("metadata", {}).get("tags", [])]
    assert len(zh) == len(en) > 0
    assert render.notebook_title(nb, "zh") and render.notebook_title(nb, "en")
    assert render.notebook_title(nb, "zh") != render.notebook_title(nb, "en")


SOURCES = sorted((ROOT / "notebooks").glob("[0-9]*.py"))


def _cells(nb):
    return [(c.cell_type, c.source, list(c.get("metadata", {}).get("tags", []))) for c in nb.cells]


def test_every_notebook_has_its_source_script_and_no_builder_remains():
    assert [p.stem for p in SOURCES] == [p.stem for p in NOTEBOOKS]
    assert not (ROOT / "notebooks" / "build_notebooks.py").exists()
    config = (ROOT / "notebooks" / "jupytext.toml").read_text(encoding="utf-8")
    assert 'formats = "ipynb,py:percent"' in config


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_committed_notebook_matches_its_source(path):
    """``jupytext --to ipynb`` of the percent script gives the committed notebook: the same
    cells in the same order with the same sources and tags (``make notebooks`` rewrites it)."""
    import jupytext

    source = jupytext.read(str(path))
    committed = nbformat.read(str(path.with_suffix(".ipynb")), as_version=4)
    assert _cells(source) == _cells(committed), \
        f"{path.with_suffix('.ipynb').name} is stale: run `make notebooks`"
    assert source.metadata["kernelspec"] == committed.metadata["kernelspec"]


def test_notebook_sources_pass_pyflakes():
    """The sources are plain Python: no unused import, undefined name or redefinition."""
    pytest.importorskip("pyflakes")
    out = subprocess.run([sys.executable, "-m", "pyflakes", *map(str, SOURCES)],
                         capture_output=True, text=True)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def test_pyflakes_check_catches_a_fault(tmp_path):
    """The lint above can fail: an unused import in a percent script is reported."""
    pytest.importorskip("pyflakes")
    bad = tmp_path / "99_bad.py"
    bad.write_text("# %%\nimport os\n\n# %%\nprint(undefined_name)\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pyflakes", str(bad)], capture_output=True, text=True)
    assert "'os' imported but unused" in out.stdout and "undefined name" in out.stdout


@pytest.mark.slow
def test_every_notebook_runs_under_papermill_with_small_parameters():
    """All notebooks (and the overview in English) through the real pipeline, 2 processes."""
    from test_report_helpers import small_demo_run

    summary = small_demo_run()
    by_name = {r["name"]: r for r in summary.results}
    failed = {n: r["error"] for n, r in by_name.items() if r["status"] != "ok"}
    assert not failed, failed
    assert {r["notebook"] for r in summary.results} == set(report.NOTEBOOKS)
    assert summary.ok and summary.run_dir.is_dir()
    # executed notebooks were produced by papermill with the injected parameters
    nb = nbformat.read(str(summary.run_dir / "notebooks" / "10_pm25.ipynb"), as_version=4)
    assert nb.metadata["papermill"]["parameters"]["start_year"] == 2024
    assert any("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells)
    # every report says the data are synthetic
    for r in summary.results:
        if r["notebook"] not in ("30_projects",):
            assert r["provenance"]["synthetic"] is True, r["name"]


@pytest.mark.slow
def test_overview_notebook_runs_and_shows_the_scoreboard():
    from test_report_helpers import small_demo_run

    summary = small_demo_run()
    html = (summary.run_dir / "00_plan_overview.html").read_text(encoding="utf-8")
    assert "指标评估" in html and "重点工程投资" in html and "与规划文本的核对" in html
    assert "PM2.5" in html and "<img" in html
    en = (summary.run_dir / "00_plan_overview_en.html").read_text(encoding="utf-8")
    assert "Indicator verdicts" in en and "指标评估结论" not in en
    assert "Reconciliation" in en

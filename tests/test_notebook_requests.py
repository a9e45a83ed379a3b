"""One front door (issue 14): every notebook asks its question as a typed request, built once.

A notebook's parameters cell is followed by one set-up cell that builds its request(s) with
:meth:`yqplan.analyses.AirRequest.from_params` (``WaterRequest``, ``TargetsRequest`` alike), and
every call that reads or assesses data takes that request instead of loose store, city,
years, edition, dust and ``as_of`` arguments.  The tests read the jupytext sources
``notebooks/NN_*.py`` (plain Python).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))

#: The analysis functions that read or assess data: a notebook reaches them through a request.
THROUGH_REQUEST = {"city_air", "city_days", "city_coverage", "read_city_hourly", "assess_air",
                   "compute_air_annual", "compute_station_annual", "assess_cities",
                   "city_annual_from_store", "read_water_data", "load_indicator_values",
                   "plan_values", "compute_indicator_values", "write_indicator_values",
                   "compute_dust_comparison"}
#: Keywords that would spell the request again beside it.
LOOSE = {"store_dir", "city", "cities", "start_year", "end_year", "edition", "dust", "as_of",
         "water_dir", "values_file", "plan", "names", "kind"}
#: Parameters that only the request carries once it is built: nothing after the set-up cell
#: reads them (``city``, ``dust`` and the years still appear in titles and in the provenance
#: block, so they are not listed).
REQUEST_ONLY = {"store_dir", "water_dir", "values_file", "edition", "as_of"}
CONSTRUCTORS = {"from_params"}
DERIVED = {"for_years"}


def _cells(path):
    """``[(first_line, last_line, header)]`` of the jupytext percent cells (1-based lines)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines, 1) if line.startswith("# %%")]
    return [(a, (starts[k + 1] - 1) if k + 1 < len(starts) else len(lines), lines[a - 1])
            for k, a in enumerate(starts)]


def _setup_cell(path):
    cells = _cells(path)
    k = next(k for k, c in enumerate(cells) if 'tags=["parameters"]' in c[2])
    params = cells[k]
    setup = next(c for c in cells[k + 1:] if "[markdown]" not in c[2])
    return params, setup


def _call_name(node):
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


def _request_names(tree):
    """Names bound to ``X.from_params(...)`` or ``req.for_years(...)``."""
    names = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and _call_name(node.value) in CONSTRUCTORS | DERIVED):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def test_the_lists_name_functions_that_exist():
    from yqplan import analyses

    assert all(hasattr(analyses, n) for n in THROUGH_REQUEST)
    for cls in (analyses.AirRequest, analyses.WaterRequest, analyses.TargetsRequest):
        assert callable(cls.from_params)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_notebook_reads_or_assesses_data_without_its_request(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    requests = _request_names(tree)
    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in THROUGH_REQUEST):
            continue
        takes = any(isinstance(a, ast.Name) and a.id in requests for a in node.args)
        loose = sorted(k.arg for k in node.keywords if k.arg in LOOSE)
        if not takes or loose:
            bad.append(f"line {node.lineno}: {node.func.attr}"
                       + ("" if takes else " without a request") + (f" with {loose}" if loose else ""))
    assert not bad, f"{path.name}: " + "; ".join(bad)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_request_is_built_once_right_after_the_parameters(path):
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    params, (a, b, _) = _setup_cell(path)
    built = [(node.lineno, ast.unparse(node.func)) for node in ast.walk(tree)
             if isinstance(node, ast.Call) and _call_name(node) in CONSTRUCTORS]
    outside = [f"line {n}: {f}" for n, f in built if not a <= n <= b]
    assert not outside, f"{path.name}: requests built outside the set-up cell: {outside}"
    kinds = [f for _, f in built]
    assert len(kinds) == len(set(kinds)), f"{path.name}: a request built twice: {kinds}"
    uses_data = any(isinstance(n, ast.Attribute) and n.attr in THROUGH_REQUEST
                    for n in ast.walk(tree))
    assert built or not uses_data, f"{path.name} reads data but builds no request"
    # after the set-up, the request alone carries the store, the years, the edition, as_of
    late = sorted({f"{n.id} (line {n.lineno})" for n in ast.walk(tree)
                   if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
                   and n.id in REQUEST_ONLY and not (params[0] <= n.lineno <= b)})
    assert not late, f"{path.name}: parameters read beside the request: {late}"


def test_the_test_sees_a_loose_call():
    # the rule itself: a loose call (as the notebooks made before) is caught
    src = ("req = analyses.AirRequest.from_params(city=city)\n"
           "air = analyses.city_air(store_dir, city, start_year=start_year)\n"
           "ok = analyses.city_air(req)\n"
           "bad = analyses.city_days(req, dust=dust)\n")
    tree = ast.parse(src)
    requests = _request_names(tree)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Attribute) and n.func.attr in THROUGH_REQUEST]
    verdicts = [any(isinstance(a, ast.Name) and a.id in requests for a in c.args)
                and not any(k.arg in LOOSE for k in c.keywords) for c in calls]
    assert requests == {"req"} and sorted(verdicts) == [False, False, True]
    assert re.search("from_params", src)

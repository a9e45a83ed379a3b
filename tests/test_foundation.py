"""The project's frame: environment files in step, a silent cheap import, the CLI, atomic writes."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from yqplan import _io
from yqplan._schema import Column, Schema, read_csv_checked
from yqplan.errors import DataFileError

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in pyproject["dependencies"]}
    wanted |= {_name(r) for r in pyproject["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            listed |= {_name(r) for r in dep["pip"] if not r.startswith("-e")}
        else:
            listed.add(_name(dep.split("=")[0]))
    listed -= {"python", "pip"}
    assert listed == wanted, f"only in environment.yml: {listed - wanted}; only in pyproject: {wanted - listed}"


def test_import_is_silent_and_light():
    code = ("import sys, yqplan, yqplan.config, yqplan.glossary;"
            "heavy = [m for m in ('matplotlib', 'geopandas', 'papermill', 'pandas') if m in sys.modules];"
            "print(','.join(heavy), end='')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr == ""
    assert out.stdout == "", f"import yqplan pulled in: {out.stdout}"


def test_cli_help_lists_topics():
    out = subprocess.run([sys.executable, "-m", "yqplan.cli", "--help"], capture_output=True,
                         text=True, check=True)
    assert "usage: yqplan" in out.stdout


def test_config_paths_follow_environment(monkeypatch, tmp_path):
    from yqplan import config

    monkeypatch.setenv("YQPLAN_DATA", str(tmp_path))
    assert config.data_dir() == tmp_path
    assert config.store_dir() == tmp_path / "store"  # derived from the data dir
    monkeypatch.setenv("YQPLAN_STORE", str(tmp_path / "elsewhere"))
    assert config.store_dir() == tmp_path / "elsewhere"


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    _io.write_text(target, "good")
    with pytest.raises(RuntimeError):
        with _io.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_dir_swaps_whole_folder(tmp_path):
    target = tmp_path / "run"
    with _io.atomic_dir(target) as d:
        (d / "a.html").write_text("1")
    with pytest.raises(KeyError):
        with _io.atomic_dir(target) as d:
            (d / "b.html").write_text("2")
            raise KeyError("fail")
    assert sorted(p.name for p in target.iterdir()) == ["a.html"]


SCHEMA = Schema([Column("id", required=True), Column("value", "float", min=0),
                 Column("kind", choices=("a", "b"))], unique=("id",))


def test_schema_reads_and_converts(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("# comment\nid,value,kind\nx,1.5,a\n\ny,,b\n", encoding="utf-8")
    df = read_csv_checked(f, SCHEMA)
    assert df["value"].tolist()[0] == 1.5 and df["value"].isna().tolist() == [False, True]


@pytest.mark.parametrize("body, line, column", [
    ("id,value,kind\nx,abc,a\n", 2, "value"),
    ("id,value,kind\nx,1,a\ny,-1,a\n", 3, "value"),
    ("id,value,kind\nx,1,a\n\nx,2,b\n", 4, "id"),
    ("id,value,kind\nx,1,c\n", 2, "kind"),
    ("id,value,kind\n,1,a\n", 2, "id"),
])
def test_schema_error_names_file_line_and_column(tmp_path, body, line, column):
    f = tmp_path / "bad.csv"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        read_csv_checked(f, SCHEMA)
    assert err.value.line == line and err.value.column == column
    assert "bad.csv" in str(err.value) and f"line {line}" in str(err.value)


def test_schema_missing_column(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("id,kind\nx,a\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing column.*value"):
        read_csv_checked(f, SCHEMA)


def test_atomic_writes_get_ordinary_permissions(tmp_path):
    import os

    mask = os.umask(0o022)
    try:
        f = _io.write_text(tmp_path / "report.html", "x")
        with _io.atomic_dir(tmp_path / "run") as d:
            (d / "a").write_text("1")
    finally:
        os.umask(mask)
    assert f.stat().st_mode & 0o777 == 0o644  # readable by a web server, not 0600
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o755


def test_glossary_merges_without_conflict():
    from yqplan.glossary import glossary

    g = glossary()
    assert all(isinstance(v, str) and v for v in g.values())
    assert "[µg/m³]" in g["pm25"]

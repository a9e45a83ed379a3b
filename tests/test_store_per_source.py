"""One store per source: synthetic and real data never share a store (issue 12, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from yqplan import config
from yqplan.report import run as report
from yqplan.air import store
from yqplan.air.demo import write_demo_archive

FIX = Path(__file__).parent / "data" / "cnemc"   # real CNEMC extracts (no SYNTHETIC.json)


def _snapshot(d: Path) -> dict:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_real_files_into_a_synthetic_store_are_refused_before_any_write(tmp_path):
    arch = tmp_path / "demo"
    write_demo_archive(arch, 2020, 2020, end_date="2020-01-05")
    s = tmp_path / "store"
    assert store.ingest(arch, s, progress=False)["synthetic"] is True
    before = _snapshot(s)
    with pytest.raises(store.StoreSourceError, match="holds SYNTHETIC demonstration data.*real"):
        store.ingest(FIX, s, progress=False)
    assert _snapshot(s) == before


def test_synthetic_files_into_a_real_store_are_refused(tmp_path):
    s = tmp_path / "store"
    assert store.ingest(FIX, s, progress=False)["synthetic"] is False
    before = _snapshot(s)
    arch = tmp_path / "demo"
    write_demo_archive(arch, 2020, 2020, end_date="2020-01-05")
    with pytest.raises(store.StoreSourceError, match="holds real data.*SYNTHETIC"):
        store.ingest(arch, s, progress=False)
    assert _snapshot(s) == before
    # the same source again is fine (incremental: nothing re-read)
    assert store.ingest(FIX, s, progress=False)["files_read"] == 0


def test_mixed_paths_are_refused(tmp_path):
    arch = tmp_path / "demo"
    write_demo_archive(arch, 2020, 2020, end_date="2020-01-03")
    with pytest.raises(store.StoreSourceError, match="mix synthetic"):
        store.ingest([arch, FIX], tmp_path / "store", progress=False)
    assert not (tmp_path / "store" / store.MANIFEST).exists()


def test_the_demo_and_the_real_example_use_different_stores(monkeypatch, tmp_path):
    monkeypatch.delenv("YQPLAN_STORE", raising=False)
    monkeypatch.delenv("YQPLAN_DEMO_STORE", raising=False)
    root = config.project_root()
    demo, _ = report.read_params(root / "params" / "demo.yaml")
    real_raw = yaml.safe_load((root / "params" / "example-real.yaml").read_text(encoding="utf-8"))
    real_raw["data"].update(archive="", water="")
    p = tmp_path / "real.yaml"
    p.write_text(yaml.safe_dump(real_raw, allow_unicode=True), encoding="utf-8")
    real, _ = report.read_params(p)
    demo_store = report.data_paths(demo)["store"]
    real_store = report.data_paths(real)["store"]
    assert demo_store.resolve() != real_store.resolve()
    assert demo_store == config.demo_store_dir() and real_store == config.store_dir()

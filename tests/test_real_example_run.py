"""``params/example-real.yaml`` works as shipped once its two paths are filled in (issue 12, item 2).

End to end on the real archives: the CNEMC archive is ingested into a fresh store (never the
demo's), every report runs, none fails, and nothing is labelled synthetic.
"""

from __future__ import annotations

import json

import pytest
import yaml

from yqplan import config
from yqplan.report import run as report

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]


def test_the_real_data_example_runs_end_to_end(tmp_path, cnemc_dir, water_dir, monkeypatch):
    # the shipped file, only its two FILL IN paths changed; the real store defaults to
    # config.store_dir(), pointed at a temporary folder here
    monkeypatch.setenv("YQPLAN_STORE", str(tmp_path / "store"))
    raw = yaml.safe_load((config.project_root() / "params" / "example-real.yaml")
                         .read_text(encoding="utf-8"))
    raw["data"].update(archive=str(cnemc_dir), water=str(water_dir))
    params = tmp_path / "real.yaml"
    params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")

    summary = report.run_reports(params, out_dir=tmp_path / "reports", progress=False)

    failed = {r["name"]: r["error"] for r in summary.results if r["status"] != "ok"}
    assert failed == {}
    assert summary.verdicts_error == "" and summary.ok
    run = json.loads((summary.run_dir / "run.json").read_text(encoding="utf-8"))
    assert run["verdicts"]["synthetic"] is False
    assert not any((r.get("provenance") or {}).get("synthetic") for r in run["results"])
    banner = '<p class="yq-synthetic"'
    for page in summary.run_dir.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert banner not in text and "synthetic demonstration" not in text, page.name
    assert (tmp_path / "store" / "CURRENT").is_file()

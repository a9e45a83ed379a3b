"""Shared, cached builders for the report tests (imported by test_notebooks / test_browser).

``small_demo_data()`` writes a two-year SYNTHETIC archive (yqplan.air.demo), ingests it and
writes synthetic water snapshots, once per test session; ``small_demo_run()`` runs every
notebook once on it through the real pipeline (papermill in 2 worker processes) with
small parameters, plus one English report.  Outputs go to ``tests/artifacts/`` (git-ignored)
so the HTML and screenshots can be looked at after a run.
"""

from __future__ import annotations

import functools
import shutil
import textwrap
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

SMALL_PARAMS = """
title: "测试运行（合成数据）"
language: zh
data:
  source: store
  archive: ""
  store: "{store}"
  water: "{water}"
jobs: 2
timeout: 300
dust: estimate
reports:
  00_plan_overview: {{}}
  00_plan_overview_en:
    notebook: 00_plan_overview
    language: en
  10_pm25: {{start_year: 2024, end_year: 2025}}
  11_good_days: {{start_year: 2024, end_year: 2025, year: 2025}}
  12_shanxi_ranking: {{start_year: 2025, end_year: 2025, cities: ["阳泉", "太原", "大同", "晋中"]}}
  20_water: {{start_year: 2024, end_year: 2025}}
  30_projects: {{}}
  40_indicator:
    for_each: {{indicator_id: ["2"]}}
  50_final_assessment: {{}}
  13_ozone: {{start_year: 2024, end_year: 2025, year: 2025}}
  14_episodes: {{start_year: 2024, end_year: 2025, year: 2025}}
  15_time_variation: {{start_year: 2024, end_year: 2025, year: 2025, split: heating, n_resamples: 50}}
  16_regions: {{start_year: 2024, end_year: 2025, year: 2025, region_names: ["山西", "汾渭平原"]}}
  17_editions: {{start_year: 2024, end_year: 2025}}
  18_data_coverage: {{start_year: 2024, end_year: 2025}}
"""


@functools.lru_cache(maxsize=None)
def small_demo_data() -> dict:
    """A synthetic 2024–2025 archive + store (11 Shanxi cities, Yangquan stations) + water."""
    from yqplan.air import demo
    from yqplan.air import store

    root = ARTIFACTS / "demo-data"
    archive, st, water = root / "archive", root / "store", root / "water"
    if not (st / "CURRENT").is_file():
        shutil.rmtree(root, ignore_errors=True)
        demo.write_demo_archive(archive, start_year=2024, end_year=2025)
        store.ingest(archive, st, progress=False)
        demo.write_demo_water(water, start_year=2024, end_year=2025)
    return {"archive": archive, "store": st, "water": water}


@functools.lru_cache(maxsize=None)
def small_demo_run():
    """Run every notebook once through ``yqplan.report.run.run_reports`` on the small demo data."""
    from yqplan.report import run as report

    data = small_demo_data()
    out = ARTIFACTS / "reports"
    shutil.rmtree(out, ignore_errors=True)
    params = ARTIFACTS / "small-params.yaml"
    params.write_text(textwrap.dedent(SMALL_PARAMS).format(store=data["store"], water=data["water"]),
                      encoding="utf-8")
    summary = report.run_reports(params, out_dir=out, jobs=2, progress=False)
    return summary

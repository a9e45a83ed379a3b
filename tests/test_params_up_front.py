"""Bad cities, indicator ids and years are refused before any notebook starts (issue 12, item 12)."""

from __future__ import annotations

import pytest

from yqplan.report import run as report
from yqplan.air import store
from yqplan.cli import main as cli_main
from yqplan.air.demo import write_demo_archive


def _params(tmp_path, body: str, store_dir="") -> object:
    p = tmp_path / "p.yaml"
    p.write_text("data: {source: store, store: '%s'}\n" % store_dir + body, encoding="utf-8")
    return p


def test_an_unknown_city_is_refused_with_the_valid_ones(tmp_path, capsys):
    p = _params(tmp_path, "city: 阳全\nreports:\n  30_projects: {}\n")
    with pytest.raises(report.ParamsError, match="city '阳全'.*valid: .*阳泉"):
        report.read_params(p)
    assert cli_main(["report", "--params", str(p), "--out", str(tmp_path / "r")]) == 2
    assert "阳全" in capsys.readouterr().err
    assert not (tmp_path / "r" / "runs").exists()     # nothing ran


def test_an_unknown_ranking_city_is_refused(tmp_path):
    p = _params(tmp_path, "reports:\n  12_shanxi_ranking: {cities: [太原, 北平]}\n")
    with pytest.raises(report.ParamsError, match="city '北平'"):
        report.read_params(p)


def test_an_unknown_indicator_id_is_refused(tmp_path):
    p = _params(tmp_path, "reports:\n  40_indicator:\n    for_each: {indicator_id: ['1', '99']}\n")
    with pytest.raises(report.ParamsError, match=r"indicator_id '99'.*valid: 1, 2, 3.*10\.5"):
        report.read_params(p)


def test_start_after_end_is_refused(tmp_path):
    p = _params(tmp_path, "reports:\n  10_pm25: {start_year: 2025, end_year: 2021}\n")
    with pytest.raises(report.ParamsError, match="start_year 2025 is after end_year 2021"):
        report.read_params(p)


@pytest.fixture()
def small_store(tmp_path):
    arch = tmp_path / "demo"
    write_demo_archive(arch, 2020, 2021, end_date="2021-01-05")
    s = tmp_path / "store"
    store.ingest(arch, s, progress=False)
    return s


def test_years_outside_the_store_are_refused_before_any_notebook(tmp_path, small_store):
    p = _params(tmp_path, "reports:\n  11_good_days: {start_year: 2020, end_year: 2021, year: 2025}\n"
                "  10_pm25: {start_year: 2023, end_year: 2025}\n", small_store)
    settings, jobs = report.read_params(p)      # the plan and the shipped lists allow them
    with pytest.raises(report.ParamsError) as err:
        report.check_against_store(settings, jobs, small_store)
    text = str(err.value)
    assert "year 2025 has no data in the store; valid: 2020–2021" in text
    assert "years 2023–2025 have no data in the store" in text
    # through the run: refused (exit 2) before any notebook starts
    out = tmp_path / "r"
    assert cli_main(["report", "--params", str(p), "--out", str(out)]) == 2
    assert not list((out / "runs").glob("*")) if (out / "runs").exists() else True


def test_year_zero_is_the_latest_whole_year_of_data(tmp_path, small_store):
    """Data 2020-01-01 … 2021-01-05: year 0 is 2020, never the five days of 2021."""
    p = _params(tmp_path, "reports:\n  11_good_days: {start_year: 2015, end_year: 2025, year: 0}\n",
                small_store)
    settings, jobs = report.read_params(p)
    jobs = report.check_against_store(settings, jobs, small_store)
    assert jobs[0].params["year"] == 2020
    # as_of cuts the span
    p = _params(tmp_path, "as_of: 2020-12-31\nreports:\n  11_good_days: {year: 0}\n", small_store)
    settings, jobs = report.read_params(p)
    assert report.check_against_store(settings, jobs, small_store)[0].params["year"] == 2020

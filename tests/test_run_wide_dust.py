"""Dust and edition are run-wide: every report of a run uses the same (issue 12, item 4)."""

from __future__ import annotations

import pytest

from yqplan import analyses
from yqplan.report import present
from yqplan.report import run as report
from yqplan.air import store

BASE = "data: {source: store}\n"


def _write(tmp_path, text, name="p.yaml"):
    p = tmp_path / name
    p.write_text(BASE + text, encoding="utf-8")
    return p


ALL = ("reports:\n  00_plan_overview: {}\n  10_pm25: {}\n  11_good_days: {}\n"
       "  12_shanxi_ranking: {}\n  20_water: {}\n  30_projects: {}\n"
       "  40_indicator: {for_each: {indicator_id: ['1', '2']}}\n")


def test_every_report_gets_the_runs_dust_and_edition(tmp_path):
    _, jobs = report.read_params(_write(tmp_path, "dust: estimate\nedition: '2012'\n" + ALL))
    assert len(jobs) == 8
    assert {j.params["dust"] for j in jobs} == {"estimate"}
    assert {j.params["edition"] for j in jobs} == {"2012"}


def test_an_old_per_report_dust_is_refused_with_a_clear_message(tmp_path):
    p = _write(tmp_path, "reports:\n  10_pm25: {dust: estimate}\n  11_good_days: {}\n")
    with pytest.raises(report.ParamsError, match="'dust' is a run-wide setting.*`dust: estimate` "
                                                 "at the top of the file"):
        report.read_params(p)
    # the same value as the run's is accepted (an old file that already agrees)
    _, jobs = report.read_params(_write(tmp_path, "dust: estimate\nreports:\n  10_pm25: {dust: estimate}\n"))
    assert jobs[0].params["dust"] == "estimate"
    with pytest.raises(report.ParamsError, match="'edition' is a run-wide setting"):
        report.read_params(_write(tmp_path, "reports:\n  10_pm25: {edition: '2026'}\n"))


def test_a_file_of_official_dust_days(tmp_path):
    f = tmp_path / "dust.csv"
    f.write_text("city,date\n阳泉,2023-03-14\n阳泉市,2023-04-11\n", encoding="utf-8")
    _, jobs = report.read_params(_write(tmp_path, f"dust: {f}\n" + ALL))
    assert {j.params["dust"] for j in jobs} == {str(f)}
    bad = tmp_path / "bad.csv"
    bad.write_text("city,date\n阳泉,2023-03-14\n阳泉,2023-13-01\n", encoding="utf-8")
    with pytest.raises(report.ParamsError, match=r"bad\.csv, line 3, column 'date'.*YYYY-MM-DD"):
        report.read_params(_write(tmp_path, f"dust: {bad}\n" + ALL))
    with pytest.raises(report.ParamsError, match="dust.*not a file"):
        report.read_params(_write(tmp_path, f"dust: {tmp_path / 'missing.csv'}\n" + ALL))
    cols = tmp_path / "cols.csv"
    cols.write_text("place,day\n阳泉,2023-03-14\n", encoding="utf-8")
    with pytest.raises(report.ParamsError, match=r"cols\.csv, line 1.*city \(or station\) and date"):
        report.read_params(_write(tmp_path, f"dust: {cols}\n" + ALL))


def test_the_provenance_block_says_which_deduction():
    rec = present.provenance_record({}, edition="2012", dust="estimate")
    assert rec["dust"] == "estimate"
    html = present._data_provenance_html(rec, "zh")
    assert "沙尘扣除" in html and "估算" in html
    rec = present.provenance_record({}, dust="/x/official_dust.csv")
    assert "official_dust.csv" in present._data_provenance_html(rec, "en")


@pytest.mark.shared_data
@pytest.mark.slow
def test_scoreboard_and_pm25_report_give_one_figure(tmp_path, cnemc_dir):
    """Real 2023: the scoreboard's PM2.5 (indicator 1) is 10_pm25's, with the same deduction."""
    s = tmp_path / "store"
    store.ingest(cnemc_dir / "城市_20230101-20231231.zip", s, progress=False)
    for dust in ("none", "estimate"):
        values, _ = analyses.compute_indicator_values(s, "阳泉", dust=dust)
        board = values[(values["indicator_id"] == "1") & (values["year"] == 2023)]["value"].iloc[0]
        hourly, _ = analyses.read_city_hourly(s, "阳泉", start_year=2023, end_year=2023)
        days, _ = analyses.assess_air(hourly, dust=dust)            # as 10_pm25 does
        pm25 = analyses.compute_annual_table(days, 2023, 2023).loc[2023, "pm25"]
        assert board == pytest.approx(pm25, abs=1e-9)
    # the deduction changes the figure (the issue measured 40.1 without, 38.4 with the estimate)
    none, _ = analyses.compute_indicator_values(s, "阳泉", dust="none")
    est, _ = analyses.compute_indicator_values(s, "阳泉", dust="estimate")
    pick = lambda v: v[(v["indicator_id"] == "1") & (v["year"] == 2023)]["value"].iloc[0]  # noqa: E731
    assert round(pick(none), 1) == 40.1 and round(pick(est), 1) == 38.4

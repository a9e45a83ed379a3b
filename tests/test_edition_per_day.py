"""``edition: auto`` decides each day's edition by one rule everywhere (issue 12, item 9).

HJ 633—2012 applies before 2026-03-01, HJ 633—2026 from that day on.  A crafted archive with
PM2.5 at 70 µg/m³ every hour from 2026-02-26 to 2026-03-03 (other pollutants low):

* 2012 (PM2.5 24h breakpoints 35 → IAQI 50, 75 → 100): 50 + (70 − 35)·50/40 = 93.75 → 94
* 2026 (PM2.5 at IAQI 100 = 60, 115 → 150): 100 + (70 − 60)·50/55 = 109.09 → 110

(IAQI rounded up, HJ 633 §6.2 / 2026 §4.2.6.)  The CLI, the library and the analyses layer must
give 94 on 2026-02-28 and 110 on 2026-03-01 whatever period they are asked for.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import redirect_stdout

import pytest

from yqplan import analyses
from yqplan.air import stats as airstats
from yqplan.cli import main as cli_main
from yqplan.air.cnemc import read_cnemc

VALUES = {"AQI": 0, "PM2.5": 70, "PM2.5_24h": 70, "PM10": 80, "PM10_24h": 80, "SO2": 10,
          "SO2_24h": 10, "NO2": 20, "NO2_24h": 20, "O3": 50, "O3_24h": 50, "O3_8h": 50,
          "O3_8h_24h": 50, "CO": 0.5, "CO_24h": 0.5}
EXPECTED = {"2026-02-28": (94, "2012"), "2026-03-01": (110, "2026"), "2026-03-02": (110, "2026")}


@pytest.fixture()
def archive(tmp_path):
    d = tmp_path / "arch"
    d.mkdir()
    day = dt.date(2026, 2, 25)
    while day <= dt.date(2026, 3, 4):
        ds = day.strftime("%Y%m%d")
        lines = ["date,hour,type,阳泉,太原"]
        lines += [f"{ds},{h},{t},{v},{v}" for h in range(24) for t, v in VALUES.items()]
        (d / f"china_cities_{ds}.csv").write_text("\n".join(lines), encoding="utf-8")
        day += dt.timedelta(days=1)
    return d


def _by_day(days):
    days = days[days["city"] == "阳泉"] if "city" in days else days
    return {str(r["date"])[:10]: (int(r["aqi"]), str(r["edition"])) for _, r in days.iterrows()
            if str(r["date"])[:10] in EXPECTED}


def _cli_daily(archive, period):
    out = io.StringIO()
    with redirect_stdout(out):
        rc = cli_main(["air", "daily", "--archive", str(archive), "--city", "阳泉",
                       "--period", period, "--format", "json"])
    assert rc == 0
    return {r["date"]: (int(r["aqi"]), str(r["edition"])) for r in json.loads(out.getvalue())
            if r["date"] in EXPECTED}


@pytest.mark.parametrize("period", ["2026-02-27..2026-03-02", "2026-02-28..2026-03-02"])
def test_cli_decides_the_edition_per_day(archive, period):
    assert _cli_daily(archive, period) == EXPECTED


def test_a_period_starting_on_the_switch_day_also_keeps_the_day_before_in_2012(archive):
    # the hourly data read include 2026-02-28's last hours; the period's days are all 2026
    assert _cli_daily(archive, "2026-03-01..2026-03-02") == {k: v for k, v in EXPECTED.items()
                                                            if k >= "2026-03-01"}


def test_library_and_analyses_agree_with_the_cli(archive):
    hourly, _ = read_cnemc(archive, names="阳泉")
    days, _ = airstats.assess_hourly(hourly)                    # default edition: auto
    assert _by_day(days) == EXPECTED
    days, _ = airstats.assess_hourly(hourly, edition="auto")
    assert _by_day(days) == EXPECTED
    days, _ = analyses.assess_air(hourly, edition="auto")
    assert _by_day(days) == EXPECTED
    # an explicit edition is honoured for every day
    days, _ = airstats.assess_hourly(hourly, edition="2012")
    assert _by_day(days)["2026-03-01"] == (94, "2012")


def test_ranking_across_the_switch_records_both_editions(archive):
    hourly, _ = read_cnemc(archive, names=["阳泉", "太原"])
    r = airstats.rank_cities(hourly, "2026-02-27..2026-03-02", cities=["阳泉", "太原"])
    assert r.edition == "2012,2026"


def test_the_editions_report_and_the_request_layer_use_the_same_day_rule(archive):
    # 17_editions: editions.assess_both — its "in force" column follows the same rule
    from yqplan.air import editions

    hourly, _ = read_cnemc(archive, names="阳泉")
    daily = airstats.compute_daily_values(hourly)
    in_force, all_2026 = editions.assess_both(daily)
    assert _by_day(in_force) == EXPECTED
    assert _by_day(all_2026)["2026-02-28"] == (110, "2026")        # the 2026 column, every day
    # the CLI's one call into the analysis layer
    res = analyses.air_daily(analyses.AirRequest(cities=("阳泉市",), archive=(str(archive),),
                                                 period="2026-02-27..2026-03-02"))
    assert _by_day(res.table) == EXPECTED

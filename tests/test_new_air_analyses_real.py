"""Ozone, episodes, editions and regional means on the real 2022–2023 CNEMC city archives.

Known answers that do not come from this code: the issue's own count for Yangquan 2023 (O3 8h
primary on 137 days, over its limit on 47 of the 99 non-good days — counted independently
when the issue was filed), the heavy days of :func:`yqplan.air.stats.compute_annual_stats`
(episode days above 200 must add up to them), and the national means published by the
Ministry for 2022/2023 (PM2.5 29 / 30 µg/m³, good days 86.5 % / 85.5 %, with dust deducted),
which a plain mean of our city values without dust deduction must come close to.
"""

from __future__ import annotations

import pytest

from yqplan import analyses
from yqplan.air import stats as airstats
from yqplan.air import editions
from yqplan.air import episodes
from yqplan.air import ozone
from yqplan.air import regions

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def yq_days(cnemc_dir):
    from yqplan.air.cnemc import read_cnemc

    df, _ = read_cnemc([cnemc_dir / "城市_20220101-20221231.zip",
                        cnemc_dir / "城市_20230101-20231231.zip"], names=["阳泉"])
    days, _ = analyses.assess_air(df, edition="auto")
    return ozone.one_location(days), df


def test_yangquan_2023_ozone_matches_the_issue(yq_days):
    days, _ = yq_days
    y = ozone.o3_by_period(days, "year").set_index("period").loc["2023"]
    causes = ozone.nongood_causes(days).set_index(["period", "pollutant"])
    assert causes.loc[("2023", "o3_8h"), "primary_days"] <= y["o3_primary_days"]
    assert int(y["nongood_days"]) == 99 and int(y["nongood_o3_exceed_days"]) == 47
    assert int(airstats.compute_annual_stats(days, 2023)[0].primary_counts["o3_8h"]) == 137
    assert not bool(y["partial"]) and y["o3_8h_p90"] > 160
    m = ozone.o3_by_period(days, "month").set_index("period")
    for month in ("2023-06", "2023-07"):
        assert 40 < m.loc[month, "good_ratio"] < 52, m.loc[month, "good_ratio"]
    s = ozone.o3_seasons(days).set_index(["year", "part"])
    assert s.loc[(2023, "warm"), "o3_exceed_days"] > s.loc[(2023, "other"), "o3_exceed_days"]


def test_yangquan_episodes_add_up_to_the_heavy_days(yq_days):
    days, _ = yq_days
    ep = episodes.find_episodes(days)
    for year in (2022, 2023):
        heavy = airstats.compute_annual_stats(days, year)[0].heavy_days
        assert int(ep.loc[ep["start"].dt.year == year, "length"].sum()) == heavy
    camps = episodes.campaign_stats(days).set_index("campaign")
    assert bool(camps.loc[2021, "partial"]) and not bool(camps.loc[2022, "partial"])
    assert camps.loc[2022, "valid_days"] >= 170


def test_editions_2026_lowers_the_good_day_ratio(yq_days):
    _, hourly = yq_days
    c = editions.compare_editions(airstats.compute_daily_values(hourly), [2022, 2023])
    t = c.table.set_index("year")
    # stricter PM breakpoints and no O3 1h: never more good days under 2026
    assert (t["good_days_2026"] <= t["good_days_2012"]).all()
    assert (t["good_ratio_diff"] < 0).all()
    lost = c.changes[c.changes["good_2012"] & ~c.changes["good_2026"]]
    assert set(lost["cause"]) <= {"pm25", "pm10", "other"}


def test_national_and_regional_means_near_the_published_ones(cnemc_dir):
    from yqplan.air.cnemc import read_cnemc

    nat = regions.region_cities("全国")
    aliases = regions.read_city_aliases()
    df, _ = read_cnemc(cnemc_dir / "城市_20230101-20231231.zip",
                       names=nat + [a for a in aliases if aliases[a] in nat])
    df = regions.merge_aliases(df, aliases)
    days, _ = analyses.assess_air(df, edition="2012")
    table = regions.city_annual_table(days, [2023])
    means = regions.region_means(table).table.set_index(["region", "year"])
    n = means.loc[("全国", 2023)]
    assert n["n_cities"] >= 330
    assert 29 < n["pm25"] < 34 and 83 < n["good_ratio"] < 88   # published 30 and 85.5 %
    assert means.loc[("山西", 2023), "n_cities"] == 11
    assert means.loc[("京津冀及周边2+26", 2023), "n_cities"] == 28
    assert means.loc[("汾渭平原", 2023), "n_cities"] == 11
    # the key regions are more polluted than the nation
    for r in ("京津冀及周边2+26", "汾渭平原", "山西"):
        assert means.loc[(r, 2023), "pm25"] > n["pm25"]

"""Annual statistics, dust and ranking on the real CNEMC archives (2022, 2023).

Checks that do not depend on this library's own arithmetic: the store and the
files give the same figures; the hourly-derived daily means agree with the
platform's independent ``_24h`` rows within rounding on most days; Shanxi's 11
cities are all ranked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yqplan.air import stats as airstats
from yqplan.air.cities import region_cities

pytestmark = pytest.mark.shared_data

SHANXI = region_cities("山西")


@pytest.fixture(scope="module")
def shanxi_2022_2023(cnemc_dir):
    from yqplan.air.cnemc import read_cnemc

    df, meta = read_cnemc([cnemc_dir / "城市_20220101-20221231.zip",
                           cnemc_dir / "城市_20230101-20231231.zip"], names=SHANXI)
    assert meta["names_not_found"] == []
    return df


def test_yangquan_annual_figures_are_valid_and_plausible(shanxi_2022_2023):
    yq = shanxi_2022_2023[shanxi_2022_2023["city"] == "阳泉"]
    days, _ = airstats.assess_hourly(yq, edition="2012")
    for year in (2022, 2023):
        s = airstats.compute_annual_stats(days, year)[0]
        assert s.edition == "2012" and s.dust == "none"
        assert all(s.validity.values()), s.validity
        assert 324 <= s.valid_days <= 365
        assert s.good_days + sum(s.days_by_category[l] for l in (3, 4, 5, 6)) == s.valid_days
        assert 20 < s.pm25 < 80 and 50 < s.good_ratio < 95
        assert s.composite_index == pytest.approx(sum(s.composite_parts.values()))


def test_hourly_daily_means_agree_with_the_platforms_24h_rows(shanxi_2022_2023):
    # the platform's PM2.5_24h at the 00:00 label is the mean of the 24 labels
    # 01:00…24:00: the same natural day, computed independently (integers).
    yq = shanxi_2022_2023[shanxi_2022_2023["city"].isin(["阳泉", "太原"])]
    mine = airstats.compute_daily_values(yq).set_index(["city", "date"])
    plat = airstats.compute_daily_values(yq, method="archive_24h").set_index(["city", "date"])
    a, b = mine.align(plat, join="inner")
    for col, tol in (("pm25", 0.5), ("so2", 0.5), ("co", 0.05)):
        ok = a[col].notna() & b[col].notna()
        within = float(((a[col] - b[col]).abs()[ok] <= tol + 1e-9).mean())
        assert within > 0.75, (col, within)   # measured 80–99 % on all cities


def test_estimated_dust_is_labelled_and_lowers_pm10(shanxi_2022_2023):
    yq = shanxi_2022_2023[shanxi_2022_2023["city"] == "阳泉"]
    base, _ = airstats.assess_hourly(yq, edition="2012")
    dusty, dd = airstats.assess_hourly(yq, edition="2012", dust="estimate")
    s0 = airstats.compute_annual_stats(base, 2023)[0]
    s1 = airstats.compute_annual_stats(dusty, 2023, dust=dd)[0]
    assert s1.dust == "estimated" and "estimated" in dd.label
    assert s1.dust_days > 0 and s1.pm10 < s0.pm10
    # the spring 2023 dust storms (22–23 March) are among the estimated days
    assert ("阳泉", pd.Timestamp("2023-03-22").date()) in dd.days
    assert s1.validity["pm10"]            # deducted days still count as measured


def test_shanxi_ranking_2023_against_2022(shanxi_2022_2023):
    r = airstats.rank_cities(shanxi_2022_2023, "2023", edition="2012")
    t = r.table
    assert sorted(t["city"]) == sorted(SHANXI)
    assert sorted(t["rank"].tolist()) == list(range(1, 12))
    assert t["change_pct"].notna().all()
    assert t["composite_index"].is_monotonic_increasing
    # a month and a year-to-date period work too
    m = airstats.rank_cities(shanxi_2022_2023, "2023-05", edition="2012")
    assert len(m.table) == 11 and m.start.month == 5 and m.previous_start.year == 2022
    y = airstats.rank_cities(shanxi_2022_2023, "2023-ytd-06", edition="2012")
    assert y.end == pd.Timestamp("2023-06-30").date()


@pytest.mark.slow
def test_same_annual_figures_from_the_store_and_from_the_files(cnemc_dir, tmp_path):
    from yqplan.air import store
    from yqplan.air.cnemc import read_cnemc

    src = cnemc_dir / "城市_20220101-20221231.zip"
    store.ingest([src], tmp_path / "store", kind="cities", progress=False)
    names = ["阳泉", "太原", "大同"]
    a, ma = read_cnemc(src, names=names)
    b, mb = store.read_store(tmp_path / "store", kind="cities", names=names)
    sa = airstats.stats_frame(airstats.compute_annual_stats(
        airstats.assess_hourly(a, edition="2012")[0], 2022))
    sb = airstats.stats_frame(airstats.compute_annual_stats(
        airstats.assess_hourly(b, edition="2012")[0], 2022))
    pd.testing.assert_frame_equal(sa, sb)
    assert len(sa) == 3 and np.isfinite(sa["composite_index"]).all()


def _cli(*args):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "yqplan.cli", *args], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_cli_annual_json_has_the_documented_schema(cnemc_dir):
    import json

    out = _cli("air", "annual", "--archive", str(cnemc_dir / "城市_20220101-20221231.zip"),
               "--city", "阳泉", "--year", "2022", "--dust", "estimate", "--format", "json")
    rec = json.loads(out)
    assert len(rec) == 1
    rec = rec[0]
    required = ["city", "year", "edition", "dust", "pm25", "pm10", "so2", "no2", "co_p95",
                "o3_8h_p90", "valid_days", "good_days", "good_ratio", "heavy_days",
                "composite_index"] + [f"valid_{p}" for p in ("so2", "no2", "co", "o3_8h",
                                                              "pm10", "pm25")]
    for k in required:
        assert k in rec, k
    assert rec["city"] == "阳泉" and rec["year"] == 2022 and rec["edition"] == "2012"
    assert rec["dust"] == "estimated" and rec["synthetic"] is False
    assert rec["good_ratio"] == pytest.approx(100 * rec["good_days"] / rec["valid_days"])
    # field order is the documented one
    documented = [n for n, _ in airstats.ANNUAL_JSON_FIELDS if "<" not in n]
    positions = [list(rec).index(n) for n in documented if n in rec]
    assert positions == sorted(positions)


def test_cli_hourly_aqi_platform_rounding_reproduces_platform(cnemc_dir):
    import io

    out = _cli("air", "hourly-aqi", "--archive", str(cnemc_dir / "城市_20220101-20221231.zip"),
               "--city", "阳泉", "--period", "2022-03", "--rounding", "platform",
               "--format", "csv")
    df = pd.read_csv(io.StringIO(out))
    assert len(df) >= 740
    ok = df["platform_aqi"].notna()
    assert (df.loc[ok, "aqi"] == df.loc[ok, "platform_aqi"]).all()
    assert {"time", "aqi", "level", "primary_pollutant", "iaqi_pm25"} <= set(df.columns)

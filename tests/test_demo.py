"""The synthetic demo archive: exact CNEMC format, deterministic, internally consistent."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from yqplan.air.cnemc import SOURCE_TYPES, read_cnemc
from yqplan.air.demo import SHANXI_CITIES, write_demo_archive, write_national_sites

STATIONS6 = ["1738A", "1739A", "1740A", "1741A", "1742A", "1743A"]


@pytest.fixture(scope="module")
def year2020(tmp_path_factory):
    dest = tmp_path_factory.mktemp("demo") / "archive"
    write_demo_archive(dest, 2020, 2020)
    return dest


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_exact_format_and_marker(year2020):
    marker = json.loads((year2020 / "SYNTHETIC.json").read_text())
    assert marker["synthetic"] is True and marker["seed"] == 20210101
    f = year2020 / "城市_20200101-20201231" / "china_cities_20200115.csv"
    raw = f.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    rows = _rows(f)
    assert rows[0][:3] == ["date", "hour", "type"] and rows[0][3:] == list(SHANXI_CITIES)
    body = rows[1:]
    hours = sorted({int(r[1]) for r in body})
    for h in hours:   # 15 types per hour, in the platform's order
        assert [r[2] for r in body if int(r[1]) == h] == list(SOURCE_TYPES)
    co = [r[3 + 4] for r in body if r[2] == "CO" and r[3 + 4]]
    assert any("." in v for v in co)                           # CO has decimals
    pm = [r[3 + 4] for r in body if r[2] == "PM2.5" and r[3 + 4]]
    assert all(v.isdigit() for v in pm)                         # the rest integers
    st = _rows(year2020 / "站点_20200101-20201231" / "china_sites_20200115.csv")
    assert st[0][3:] == STATIONS6                               # 3619A not yet (from 2022-02-13)


def test_deterministic(tmp_path):
    a = write_demo_archive(tmp_path / "a", 2021, 2021, end_date="2021-01-20")
    b = write_demo_archive(tmp_path / "b", 2021, 2021, end_date="2021-01-20")
    fa = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.csv"))
    assert a["files"] == b["files"] == len(fa) and len(fa) > 30
    for rel in fa:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    write_demo_archive(tmp_path / "c", 2021, 2021, end_date="2021-01-20", seed=7)
    assert (tmp_path / "c" / fa[5]).read_bytes() != (tmp_path / "a" / fa[5]).read_bytes()


def test_city_is_mean_of_its_stations_and_24h_rows_consistent(year2020):
    city, meta = read_cnemc(year2020, names="阳泉")
    sites, _ = read_cnemc(year2020, kind="sites")
    assert meta["synthetic"] is True
    wide = sites.pivot(index="time", columns="station", values="pm25")
    mean = np.floor(wide.mean(axis=1, skipna=True) + 0.5)
    c = city.set_index("time")["pm25"]
    common = c.index.intersection(mean.dropna().index)
    assert len(common) > 8000
    assert (c.loc[common] == mean.loc[common]).mean() > 0.999
    # PM2.5_24h of a station = rounded trailing 24-h mean when all 24 hours are present
    s = sites[sites.station == "1738A"].set_index("time")["pm25"]
    full = s.reindex(pd.date_range(s.index.min(), s.index.max(), freq="h"))
    roll = full.rolling(24, min_periods=24).mean()
    got = sites[sites.station == "1738A"].set_index("time")["pm25_24h"]
    ok = roll.dropna().index.intersection(got.dropna().index)
    assert len(ok) > 5000
    assert np.allclose(np.floor(roll.loc[ok] + 0.5), got.loc[ok])


def test_aqi_row_matches_hand_computed_iaqi(year2020):
    # HJ 633—2012 Table 1, PM2.5 column (1-hour value looked up, as the platform does):
    # 75→100, 115→150, so IAQI = (150-100)/(115-75)*(C-75)+100, rounded up.
    city, _ = read_cnemc(year2020, names="太原")
    sel = city[(city.pm25 > 80) & (city.pm25 < 110)]
    assert len(sel) > 100
    for r in sel.head(50).itertuples():
        iaqi_pm25 = math.ceil((150 - 100) / (115 - 75) * (r.pm25 - 75) + 100 - 1e-9)
        assert r.aqi >= iaqi_pm25
    # where PM2.5 clearly dominates, the AQI is exactly its IAQI (hand formula above)
    dom = sel[(sel.so2 < 150) & (sel.no2 < 100) & (sel.o3 < 160) & (sel.co < 5)
              & (sel.pm10 < 150)]   # PM10 IAQI < 100 < PM2.5 IAQI
    assert len(dom) > 10
    for r in dom.head(20).itertuples():
        assert r.aqi == math.ceil((150 - 100) / (115 - 75) * (r.pm25 - 75) + 100 - 1e-9)


def test_plausible_cycles_and_baseline(year2020):
    city, meta = read_cnemc(year2020, names="阳泉")
    annual = city["pm25"].mean()
    assert 46 <= annual <= 52        # the plan's published 2020 baseline is 49 µg/m³
    m = city.groupby(city.time.dt.month)[["pm25", "o3"]].mean()
    assert m.loc[[1, 12], "pm25"].mean() > 1.8 * m.loc[[6, 7, 8], "pm25"].mean()
    assert m.loc[[6, 7], "o3"].mean() > 2 * m.loc[[1, 12], "o3"].mean()
    h = city.groupby(city.time.dt.hour)["o3"].mean()
    assert 12 <= h.idxmax() <= 17 and h.idxmin() <= 8
    # gaps exist: short days and missing days
    assert 24 < len(meta["missing_hours"]) < 24 * 40


def test_3619A_appears_from_2022_02_13(tmp_path):
    dest = tmp_path / "a"
    write_demo_archive(dest, 2022, 2022, end_date="2022-02-20", cities=False)
    df, _ = read_cnemc(dest, kind="sites", names="3619A")
    assert df.time.min().date().isoformat() >= "2022-02-13"
    first = sorted(dest.rglob("china_sites_20220212.csv")) + sorted(
        dest.rglob("china_sites_20220214.csv"))
    headers = [p.read_text().split("\n", 1)[0] for p in first]
    assert all("3619A" not in h for h in headers[:-1]) and "3619A" in headers[-1]


def test_national_sites_month(tmp_path):
    info = write_national_sites(tmp_path / "n", 2022, n_stations=50, months=1)
    assert 28 <= info["files"] <= 31
    df, meta = read_cnemc(tmp_path / "n", kind="sites")
    assert df.station.nunique() == 50 and meta["synthetic"] is True


def test_regeneration_keeps_other_content_and_replaces_air_folders(tmp_path):
    dest = tmp_path / "demo"
    write_demo_archive(dest, 2020, 2020, end_date="2020-01-05")
    (dest / "water").mkdir()
    (dest / "water" / "utf8_2021_01_31_20h00m_x.csv").write_text("省份\n山西省\n")
    again = write_demo_archive(dest, 2020, 2020, end_date="2020-01-05")
    assert again["files"] is None                     # same marker: kept as is
    other = write_demo_archive(dest, 2021, 2021, end_date="2021-01-03", overwrite=True)
    assert other["files"] > 0
    assert (dest / "water" / "utf8_2021_01_31_20h00m_x.csv").is_file()   # not ours: kept
    assert sorted(p.name for p in dest.iterdir() if p.name.startswith(("城市", "站点"))) == [
        "城市_20210101-20210103", "站点_20210101-20210103"]
    assert json.loads((dest / "SYNTHETIC.json").read_text())["start_year"] == 2021
    assert not list(tmp_path.glob(".*staging*"))
    df, meta = read_cnemc(dest, names="阳泉")   # the water CSV is ignored, not "skipped"
    assert meta["files_skipped"] == [] and df.time.dt.year.unique().tolist() == [2021]


def test_demo_water_follows_the_real_export_and_is_marked(tmp_path):
    import json

    from yqplan.water import monitoring as water
    from yqplan.air.demo import write_demo_water

    dest = write_demo_water(tmp_path / "w", start_year=2025, end_year=2025)
    files = sorted(dest.glob("utf8_*.csv"))
    assert len(files) == 12  # one a month
    header = files[0].read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(water.AUTO_HEADER)
    marker = json.loads((dest / "SYNTHETIC.json").read_text(encoding="utf-8"))
    assert marker["synthetic"] is True and marker["generator"] == "yqplan.air.demo.write_demo_water"


def test_ensure_demo_store_makes_air_and_water_once(tmp_path, monkeypatch):
    from yqplan.air import demo

    calls = []
    monkeypatch.setattr(demo, "write_demo_archive", lambda d: calls.append(("air", d)) or d)
    monkeypatch.setattr("yqplan.air.store.ingest", lambda *a, **k: {"files_read": 0})
    real = demo.write_demo_water
    monkeypatch.setattr(demo, "write_demo_water",
                        lambda d: calls.append(("water", d)) or real(d, start_year=2025, end_year=2025))
    first = demo.ensure_demo_store(tmp_path / "demo", tmp_path / "store")
    assert first["water_written"] is True and first["water"] == tmp_path / "demo" / "water"
    second = demo.ensure_demo_store(tmp_path / "demo", tmp_path / "store")
    assert second["water_written"] is False
    assert [c[0] for c in calls] == ["air", "water", "air"]


def test_o3_running_maxima_follow_the_real_files(year2020):
    # The real 2022 city files restart O3_8h_24h at the 01:00 label (the 00:00 label
    # closes the previous day) and keep O3_24h as a 24-hour moving maximum (it never
    # restarts).  The demo had both restarting at 00:00, so method="archive_24h" on it gave
    # a daily O3 max of the day's first hour only.
    s = read_cnemc(year2020, kind="sites", names="1738A")[0].set_index("time")
    at1 = s[s.index.hour == 1].dropna(subset=["o3_8h"])
    assert len(at1) > 300
    # a running max over one value is that value
    assert (at1["o3_8h_24h"] == at1["o3_8h"]).all()
    at0 = s[s.index.hour == 0].dropna(subset=["o3_8h_24h"])
    # the 00:00 label still belongs to the day before: its running max ≥ that day's 23:00
    prev = s["o3_8h_24h"].reindex(at0.index - pd.Timedelta(hours=1))
    ok = prev.notna().to_numpy()
    assert ok.sum() > 300 and (at0["o3_8h_24h"].to_numpy()[ok] >= prev.to_numpy()[ok]).all()
    full = s["o3"].reindex(pd.date_range(s.index.min(), s.index.max(), freq="h"))
    roll = full.rolling(24, min_periods=1).max()   # max of the 24 labels ending at t
    got = s["o3_24h"].dropna()
    assert len(got) > 8000 and np.array_equal(roll.reindex(got.index).to_numpy(), got.to_numpy())

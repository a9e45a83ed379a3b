"""The CNEMC reader: every quirk of the real archive, spot-checked against the raw text.

Expected values come from the raw CSV text read with the standard-library ``csv`` module
(independent of the pyarrow path under test) or from the hand-made fixtures in
``tests/data/cnemc`` (synthetic, see its README).
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yqplan import glossary
from yqplan.air.cnemc import (VALUE_COLUMNS, VARIABLE_MAP, read_cnemc, read_shanxi_cities,
                          read_station_list)
from yqplan.errors import DataFileError

FIX = Path(__file__).parent / "data" / "cnemc"
Z2022 = "城市_20220101-20221231.zip"
Z2023 = "城市_20230101-20231231.zip"
Z2024 = "城市_20240101-20240224.zip"


def _raw_member(zip_path: Path, day: str) -> bytes:
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            if info.filename.endswith(f"/china_cities_{day}.csv"):
                return zf.read(info)
    raise AssertionError(f"no member for {day} in {zip_path}")


def _raw_value(raw: bytes, loc: str, hour: int, typ: str) -> str:
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    j = rows[0].index(loc)
    for r in rows[1:]:
        if r and int(r[1]) == hour and r[2] == typ:
            return r[j]
    return "<absent>"


def _assert_matches_raw(df, raw, loc_col, loc, day, types=("AQI", "PM2.5", "CO", "O3_8h_24h")):
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    hours = sorted({int(r[1]) for r in rows[1:] if r})
    sub = df[df[loc_col] == loc].set_index("time")
    checked = 0
    for h in hours:
        t = pd.Timestamp(f"{day[:4]}-{day[4:6]}-{day[6:]} {h:02d}:00", tz="Asia/Shanghai")
        for typ in types:
            text = _raw_value(raw, loc, h, typ)
            got = sub.loc[t, VARIABLE_MAP[typ]] if t in sub.index else math.nan
            if text == "":
                assert math.isnan(got), (loc, t, typ)
            else:
                assert got == pytest.approx(float(text)), (loc, t, typ, text)
            checked += 1
    assert checked >= len(types)


# ---------------------------------------------------------------- real archive

@pytest.mark.shared_data
def test_lf_year_values_match_raw_text_and_junk_is_reported(cnemc_dir):
    df, meta = read_cnemc(cnemc_dir / Z2022, start="2022-01-01", end="2022-01-10")
    raw = _raw_member(cnemc_dir / Z2022, "20220105")
    assert b"\r\n" not in raw  # the LF year
    for city in ("阳泉", "北京", "太原"):
        _assert_matches_raw(df, raw, "city", city, "20220105")
    assert len(meta["files_read"]) == 10
    # the macOS resource fork inside the 2022 zip is skipped with a reason
    junk = [s for s in meta["files_skipped"] if "._china_cities_20220108" in s["file"]]
    assert junk and "resource-fork" in junk[0]["reason"]
    assert meta["synthetic"] is False and meta["kind"] == "cities"
    assert list(df.columns) == ["city", "time", *VALUE_COLUMNS]
    assert str(df["time"].dt.tz) == "Asia/Shanghai"


@pytest.mark.shared_data
def test_crlf_year_values_match_raw_text(cnemc_dir):
    raw = _raw_member(cnemc_dir / Z2024, "20240201")
    assert b"\r\n" in raw  # the CRLF year
    df, meta = read_cnemc(cnemc_dir / Z2024, names=["阳泉", "临汾市"], start="2024-02-01",
                          end="2024-02-01")
    assert set(df["city"]) == {"阳泉", "临汾"}   # 市 accepted and stripped
    for city in ("阳泉", "临汾"):
        _assert_matches_raw(df, raw, "city", city, "20240201", types=tuple(VARIABLE_MAP))
    assert meta["files_read"] and len(meta["files_read"]) == 1


@pytest.mark.shared_data
def test_short_day_and_co_decimals(cnemc_dir):
    # 2022-06-13 has rows only for hours 9–23 (225 rows instead of 360).
    raw = _raw_member(cnemc_dir / Z2022, "20220613")
    hours = {int(r.split(b",")[1]) for r in raw.splitlines()[1:]}
    assert hours == set(range(9, 24))
    df, meta = read_cnemc(cnemc_dir / Z2022, names="阳泉", start="2022-06-13", end="2022-06-13")
    assert len(df) == 15
    assert df["time"].dt.hour.tolist() == list(range(9, 24))
    missing = meta["missing_hours"]
    assert len(missing) == 9 and missing.min().hour == 0 and missing.max().hour == 8
    # CO keeps its decimals: 0.98 mg/m³ at 09:00 in the raw text
    assert _raw_value(raw, "阳泉", 9, "CO") == "0.98"
    assert df.iloc[0]["co"] == pytest.approx(0.98)


@pytest.mark.shared_data
def test_column_empty_for_whole_day_gives_no_rows(cnemc_dir):
    raw = _raw_member(cnemc_dir / Z2022, "20220613")
    rows = list(csv.reader(io.StringIO(raw.decode())))
    j = rows[0].index("寿光")
    assert all(r[j] == "" for r in rows[1:])
    df, meta = read_cnemc(cnemc_dir / Z2022, names=["寿光", "阳泉"], start="2022-06-13",
                          end="2022-06-13")
    assert set(df["city"]) == {"阳泉"}


@pytest.mark.shared_data
def test_three_real_years_together(cnemc_dir):
    df, meta = read_cnemc(cnemc_dir, names="阳泉")
    assert df["time"].min() == pd.Timestamp("2022-01-01 00:00", tz="Asia/Shanghai")
    assert df["time"].max() == pd.Timestamp("2024-02-24 23:00", tz="Asia/Shanghai")
    assert len(meta["files_read"]) == 365 + 365 + 55
    assert df["time"].is_monotonic_increasing and not df["time"].duplicated().any()
    # 58 of the 785 city files are short (docs/data-formats/cnemc-archive.md §5)
    short_days = {t.date() for t in meta["missing_hours"]}
    assert len(short_days) == 58


@pytest.mark.shared_data
def test_station_day_and_station_list(cnemc_dir):
    df, meta = read_cnemc(cnemc_dir / "china_sites_20180101.csv", kind="sites")
    raw = (cnemc_dir / "china_sites_20180101.csv").read_bytes()
    _assert_matches_raw(df, raw, "station", "1738A", "20180101")
    assert len(raw.split(b"\n", 1)[0].split(b",")) - 3 == 1597
    assert {"1738A", "1743A"} <= set(df["station"]) and "3619A" not in set(df["station"])
    st, _ = read_station_list(cnemc_dir / "站点列表-2022.02.13起_阳泉.csv")
    assert st["station"].tolist() == ["1738A", "1739A", "1740A", "1741A", "1742A", "1743A",
                                      "3619A"]
    assert st.loc[st.station == "1738A", "station_name"].item() == "市中心"
    assert st["reference_site"].eq(False).all()


@pytest.mark.shared_data
def test_shipped_station_table_agrees_with_published_list(cnemc_dir):
    pub, _ = read_station_list(cnemc_dir / "站点列表-2022.02.13起_阳泉.csv")
    ours, meta = read_station_list()
    m = pub.merge(ours, on="station", suffixes=("_pub", ""))
    assert len(m) == 7
    assert (m["station_name_pub"] == m["station_name"]).all()
    assert np.allclose(m["lon_pub"], m["lon"]) and np.allclose(m["lat_pub"], m["lat"])
    assert ours["source"].str.len().gt(10).all()


@pytest.mark.shared_data
def test_shanxi_city_names_appear_in_the_archive_header(cnemc_dir):
    cities, _ = read_shanxi_cities()
    assert len(cities) == 11 and "阳泉" in set(cities["city"])
    header = _raw_member(cnemc_dir / Z2023, "20230101").split(b"\n", 1)[0].decode().split(",")
    assert set(cities["city"]) <= set(header)


# ---------------------------------------------------------------- fixtures

def test_duplicate_codes_changing_columns_crlf_and_junk():
    df, meta = read_cnemc(FIX / "changing", kind="sites")
    st = df.set_index(["station", "time"])
    t0 = pd.Timestamp("2022-03-01 00:00", tz="Asia/Shanghai")
    t1 = pd.Timestamp("2022-03-01 01:00", tz="Asia/Shanghai")
    # 1738A twice: first copy wins (PM2.5 hour 0 = 10*2+0+1 = 21, not 999) ...
    assert st.loc[("1738A", t0), "pm25"] == 21
    # ... the empty first copy at hour 1 is filled from the second (10*2+1+1 = 22)
    assert st.loc[("1738A", t1), "pm25"] == 22
    assert meta["duplicate_columns"] == {"1738A": 1}
    assert st.loc[("1738A", t0), "co"] == pytest.approx(0.51)   # 0.5 + 0/10 + 1/100
    # 1743A empty all day → no rows; 3619A appears on the second day only
    assert "1743A" not in set(df["station"])
    assert df.loc[df.station == "3619A", "time"].dt.day.unique().tolist() == [2]
    # second day CRLF, no final newline, hour 1 missing; CO of 3619A empty
    d2 = df[df.time.dt.day == 2]
    assert sorted(d2.time.dt.hour.unique()) == [0, 2]
    assert d2.loc[d2.station == "3619A", "co"].isna().all()
    assert d2.loc[(d2.station == "3619A") & (d2.time.dt.hour == 2), "aqi"].item() == 100 + 0 + 2 + 1
    hrs = meta["missing_hours"]
    assert len(hrs) == 22 + 22 and pd.Timestamp("2022-03-02 01:00", tz="Asia/Shanghai") in hrs
    assert [s["reason"] for s in meta["files_skipped"]] == [
        "macOS resource-fork file (._*), not data"]


def test_bad_files_are_skipped_with_reasons_and_batch_goes_on():
    df, meta = read_cnemc(FIX / "bad")
    assert sorted(df["time"].dt.day.unique()) == [2]
    assert df.loc[(df.city == "阳泉") & (df.time.dt.hour == 1), "pm25"].item() == 20 + 1 + 1
    reasons = {Path(s["file"]).name: s["reason"] for s in meta["files_skipped"]}
    assert set(reasons) == {"china_cities_20220101.csv", "china_cities_20220103.csv",
                            "china_cities_20220104.csv"}
    assert "empty file" in reasons["china_cities_20220101.csv"]
    assert "line 22" in reasons["china_cities_20220103.csv"]
    assert "line 5" in reasons["china_cities_20220104.csv"] and "PMX" in reasons[
        "china_cities_20220104.csv"]
    assert len(meta["files_read"]) == 1


def test_errors_raise_names_the_file_and_line():
    with pytest.raises(DataFileError, match=r"china_cities_20220103\.csv, line 22"):
        read_cnemc(FIX / "bad" / "china_cities_20220103.csv", errors="raise")


def test_filters_and_glob_and_bad_arguments():
    df, meta = read_cnemc(str(FIX / "changing" / "china_sites_2022030*.csv"), kind="sites",
                          names=["3619A"], start="2022-03-02")
    assert set(df.station) == {"3619A"} and len(df) == 2
    # the first day was not even opened (start pushed down to file names)
    assert [Path(f).name for f in meta["files_read"]] == ["china_sites_20220302.csv"]
    with pytest.raises(ValueError, match="kind"):
        read_cnemc(FIX, kind="towns")
    with pytest.raises(FileNotFoundError):
        read_cnemc(FIX / "nope")


def test_glossary_has_every_column():
    g = glossary.AIR
    for c in ("city", "station", "time", *VALUE_COLUMNS):
        assert c in g and "[" in g[c] or c in ("city", "station", "time")


@pytest.mark.shared_data
def test_real_file_cut_off_and_empty_inside_a_zip_batch_goes_on(cnemc_dir, tmp_path):
    # Built at test time from real members (never committed): day 2 cut mid-row, day 3 empty.
    good1 = _raw_member(cnemc_dir / Z2023, "20230301")
    good4 = _raw_member(cnemc_dir / Z2023, "20230304")
    cut = _raw_member(cnemc_dir / Z2023, "20230302")
    cut = cut[: len(cut) // 2]
    cut_line = cut.count(b"\n") + 1            # the partial last line, 1-based
    z = tmp_path / "城市_20230301-20230304.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("城市_20230301-20230304/china_cities_20230301.csv", good1)
        zf.writestr("城市_20230301-20230304/china_cities_20230302.csv", cut)
        zf.writestr("城市_20230301-20230304/china_cities_20230303.csv", b"")
        zf.writestr("城市_20230301-20230304/china_cities_20230304.csv", good4)
    df, meta = read_cnemc(z, names="阳泉")
    assert sorted({t.day for t in df["time"]}) == [1, 4]
    _assert_matches_raw(df, good4, "city", "阳泉", "20230304")
    reasons = {s["file"].rsplit("/", 1)[-1]: s["reason"] for s in meta["files_skipped"]}
    assert f"line {cut_line}" in reasons["china_cities_20230302.csv"]
    assert "empty file" in reasons["china_cities_20230303.csv"]
    # the two skipped days show up as missing hours (48 = 2 whole days)
    assert len(meta["missing_hours"]) == 48
    with pytest.raises(DataFileError, match=r"china_cities_20230302\.csv, line"):
        read_cnemc(z, errors="raise")


def test_bad_start_or_end_names_the_argument():
    # pandas would say only "Unknown datetime string format"; "" would become NaT and
    # silently select nothing
    with pytest.raises(ValueError, match="start: 'notadate' is not a date"):
        read_cnemc(FIX, start="notadate")
    with pytest.raises(ValueError, match="end: '' is not a date"):
        read_cnemc(FIX, end="")

"""The grouped parse (files sharing a header parsed in one pyarrow call) and the direct zip read.

The grouped path must give exactly what parsing each file alone gives: the same values, hours,
locations, duplicate-column counts and, for a bad file, the same error naming the same line.
On the real archive the result is also checked against an independent plain-pandas reading of
the raw text.  Fixtures derived here from ``tests/data/cnemc`` are synthetic (see its README);
real members are only read at test time, never written into the repository.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yqplan.air import cnemc
from yqplan.errors import DataFileError

FIX = Path(__file__).parent / "data" / "cnemc"
Z2022 = "城市_20220101-20221231.zip"


def _per_file(items, kind):
    out = []
    for data, label, day in items:
        try:
            out.append(cnemc.parse_bytes(data, label, kind, day=day))
        except DataFileError as exc:
            out.append(exc)
    return out


def _assert_same(grouped, single):
    assert len(grouped) == len(single)
    for g, s in zip(grouped, single):
        if isinstance(s, DataFileError):
            assert isinstance(g, DataFileError) and str(g) == str(s)
            continue
        assert not isinstance(g, DataFileError), str(g)
        assert g.names == s.names and g.day == s.day and g.dup_conflicts == s.dup_conflicts
        assert np.array_equal(g.hours, s.hours)
        assert g.vals.shape == s.vals.shape and np.array_equal(g.vals, s.vals, equal_nan=True)


def _frame(parsed, kind):
    return cnemc.assemble([p for p in parsed if not isinstance(p, DataFileError)], kind)


def _week(zpath):
    sources, _, _ = cnemc.list_sources(zpath, kind="cities")
    week = [s for s in sources if s.day <= pd.Timestamp("2022-01-07").date()]
    assert len(week) == 7
    return [(s.read_bytes(), s.label, s.day) for s in week]


def _count_fallbacks(monkeypatch):
    calls = []
    orig = cnemc._parse_one

    def spy(data, label, *a):
        calls.append(label)
        return orig(data, label, *a)

    monkeypatch.setattr(cnemc, "_parse_one", spy)
    return calls


@pytest.mark.shared_data
def test_grouped_parse_equals_per_file_parse_on_a_real_week(cnemc_dir, monkeypatch):
    items = _week(cnemc_dir / Z2022)
    assert len({d[:d.index(b"\n")] for d, _, _ in items}) == 1   # one header: one group
    fallbacks = _count_fallbacks(monkeypatch)
    grouped = cnemc.parse_many(items, "cities")
    assert fallbacks == []
    single = _per_file(items, "cities")
    _assert_same(grouped, single)
    pd.testing.assert_frame_equal(_frame(grouped, "cities"), _frame(single, "cities"))


@pytest.mark.shared_data
def test_real_week_equals_a_plain_pandas_reading_of_the_raw_text(cnemc_dir):
    zpath = cnemc_dir / Z2022
    df, meta = cnemc.read_cnemc(zpath, start="2022-01-01", end="2022-01-07")
    # Independent path: zipfile + pandas.read_csv per file, melt, pivot (no pyarrow).
    long = []
    with zipfile.ZipFile(zpath) as zf:
        for info in zf.infolist():
            name = info.filename.rsplit("/", 1)[-1]
            if name.startswith("china_cities_202201") and "20220101" <= name[13:21] <= "20220107":
                w = pd.read_csv(io.BytesIO(zf.read(info)))
                assert not any(c.endswith(".1") for c in w.columns)  # no repeated names here
                long.append(w.melt(id_vars=["date", "hour", "type"], var_name="city"))
    raw = pd.concat(long, ignore_index=True).dropna(subset=["value"])
    raw["time"] = (pd.to_datetime(raw["date"].astype(str)) + pd.to_timedelta(raw["hour"], "h")
                   ).dt.tz_localize("Asia/Shanghai")
    want = raw.pivot_table(index=["city", "time"], columns="type", values="value",
                           aggfunc="first").rename(columns=cnemc.VARIABLE_MAP)
    want = want.reindex(columns=list(cnemc.VALUE_COLUMNS)).sort_index()
    got = df.set_index(["city", "time"])
    assert len(meta["files_read"]) == 7 and len(got) == len(want)
    assert got.index.equals(want.index)
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy().astype(float))


def _variant(data: bytes, old_day: str, new_day: str, crlf=False, final_newline=True) -> bytes:
    out = data.replace(old_day.encode(), new_day.encode())
    out = out.replace(b"\r\n", b"\n")
    if crlf:
        out = out.replace(b"\n", b"\r\n")
    if not final_newline:
        out = out.rstrip(b"\r\n")
    return out


def test_grouped_parse_equals_per_file_parse_on_fixtures_with_quirks(monkeypatch):
    # Several days sharing one header (so they form a group), each with a quirk of the real
    # archive: CRLF, no final newline, a short day, duplicate codes, then a cut-off and a
    # garbled day inside the same group (the group falls back to file by file).
    d1 = (FIX / "changing" / "china_sites_20220301.csv").read_bytes()
    d2 = (FIX / "changing" / "china_sites_20220302.csv").read_bytes()
    lines = d1.split(b"\n")
    short = b"\n".join(lines[:1] + lines[16:]).replace(b"20220301", b"20220306")  # no hour 0
    files = {
        "20220301": d1,
        "20220303": _variant(d1, "20220301", "20220303", crlf=True),
        "20220304": _variant(d1, "20220301", "20220304", final_newline=False),
        "20220305": _variant(d1, "20220301", "20220305", crlf=True, final_newline=False),
        "20220306": short,
        "20220302": d2,   # another header: its own group of one
    }
    items = [(b, f"china_sites_{k}.csv", pd.Timestamp(k).date()) for k, b in files.items()]
    fallbacks = _count_fallbacks(monkeypatch)
    grouped = cnemc.parse_many(items, "sites")
    # the five days sharing a header went through ONE call; only the lone header alone
    assert fallbacks == ["china_sites_20220302.csv"]
    single = _per_file(items, "sites")
    _assert_same(grouped, single)
    assert sum(isinstance(p, DataFileError) for p in single) == 0
    assert grouped[0].dup_conflicts == {"1738A": 1}
    assert len(grouped[4].hours) == len(grouped[0].hours) - 1
    pd.testing.assert_frame_equal(_frame(grouped, "sites"), _frame(single, "sites"))

    # the same group with a cut-off and a garbled member: same errors, same good files
    cut = _variant(d1, "20220301", "20220307")
    cut = cut[: len(cut) // 2]
    garbled = _variant(d1, "20220301", "20220308").replace(b",PM10,", b",PMX,", 1)
    bad_items = items[:3] + [(cut, "china_sites_20220307.csv", pd.Timestamp("20220307").date()),
                             (garbled, "china_sites_20220308.csv",
                              pd.Timestamp("20220308").date())]
    grouped = cnemc.parse_many(bad_items, "sites")
    single = _per_file(bad_items, "sites")
    _assert_same(grouped, single)
    assert "line" in str(grouped[3]) and "PMX" in str(grouped[4])


def test_grouped_parse_with_a_names_filter_and_a_bad_fixture_batch():
    items = []
    for f in sorted((FIX / "bad").glob("*.csv")):
        items.append((f.read_bytes(), str(f), pd.Timestamp(f.stem[-8:]).date()))
    # a second good day sharing the good file's header, so a group is formed
    good = (FIX / "bad" / "china_cities_20220102.csv").read_bytes()
    items.append((good.replace(b"20220102", b"20220105"), "china_cities_20220105.csv",
                  pd.Timestamp("20220105").date()))
    for names in (None, {"阳泉"}):
        grouped = cnemc.parse_many(items, "cities", names=names)
        single = []
        for data, label, day in items:
            try:
                single.append(cnemc.parse_bytes(data, label, "cities", names=names, day=day))
            except DataFileError as exc:
                single.append(exc)
        _assert_same(grouped, single)
        assert [isinstance(p, DataFileError) for p in grouped] == [True, False, True, True,
                                                                   False]


# ---------------------------------------------------------------- direct zip member read

def test_direct_member_read_matches_zipfile_and_a_corrupt_member_is_skipped(tmp_path):
    d1 = (FIX / "changing" / "china_sites_20220301.csv").read_bytes()
    d2 = (FIX / "changing" / "china_sites_20220302.csv").read_bytes()
    d3 = d1.replace(b"20220301", b"20220303")
    z = tmp_path / "sites.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("s/china_sites_20220301.csv", d1, zipfile.ZIP_DEFLATED)
        zf.writestr("s/china_sites_20220302.csv", d2, zipfile.ZIP_STORED)
        zf.writestr("s/china_sites_20220303.csv", d3, zipfile.ZIP_DEFLATED)
    sources, _, _ = cnemc.list_sources(z, kind="sites")
    assert [s.zinfo is not None for s in sources] == [True, True, True]
    assert [s.read_bytes() for s in sources] == [d1, d2, d3]
    df_ok, _ = cnemc.read_cnemc(z, kind="sites")

    # Flip one byte of the third member's compressed data: the CRC-32 check must catch it
    # (or inflate fails); the file is reported by name and the batch goes on.
    info = zipfile.ZipFile(z).getinfo("s/china_sites_20220303.csv")
    raw = bytearray(z.read_bytes())
    head = info.header_offset
    n = int.from_bytes(raw[head + 26:head + 28], "little")
    m = int.from_bytes(raw[head + 28:head + 30], "little")
    pos = head + 30 + n + m + info.compress_size // 2
    raw[pos] ^= 0x55
    z.write_bytes(bytes(raw))
    with pytest.raises((zipfile.BadZipFile, zlib.error)):   # zipfile itself rejects it too
        zipfile.ZipFile(z).read(info.filename)
    df, meta = cnemc.read_cnemc(z, kind="sites")
    assert [s["file"].rsplit("/", 1)[-1] for s in meta["files_skipped"]] == [
        "china_sites_20220303.csv"]
    assert "cannot read" in meta["files_skipped"][0]["reason"]
    assert len(meta["files_read"]) == 2
    pd.testing.assert_frame_equal(df, df_ok[df_ok.time.dt.day < 3].reset_index(drop=True))
    with pytest.raises(DataFileError, match="china_sites_20220303"):
        cnemc.read_cnemc(z, kind="sites", errors="raise")


@pytest.mark.shared_data
def test_direct_member_read_matches_zipfile_on_the_real_zip(cnemc_dir):
    zpath = cnemc_dir / Z2022
    sources, _, _ = cnemc.list_sources(zpath, kind="cities")
    with zipfile.ZipFile(zpath) as zf:
        for s in sources[::30]:
            assert s.zinfo is not None and s.read_bytes() == zf.read(s.member)

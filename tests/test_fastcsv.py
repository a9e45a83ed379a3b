"""The compiled fast path for the CNEMC layout (yqplan.air._fastcsv) against pyarrow and float().

The fast path must give bit for bit what the pyarrow path gives — on every cell of a real year —
and hand anything unusual back to pyarrow, so that errors still name the file and line.  The
small files built here are synthetic; real members are only read at test time.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from yqplan.air import _fastcsv
from yqplan.air import cnemc
from yqplan.errors import DataFileError

TYPES = cnemc.SOURCE_TYPES
DAY = dt.date(2022, 3, 1)


def _file(values_of, day=DAY, hours=range(24), locs=("甲", "乙", "丙"), types=TYPES, eol="\n"):
    """A daily file; ``values_of(hour, type_index, loc_index)`` gives each cell's text."""
    lines = ["date,hour,type," + ",".join(locs)]
    for h in hours:
        for t, name in enumerate(types):
            cells = [values_of(h, t, j) for j in range(len(locs))]
            lines.append(f"{day:%Y%m%d},{h},{name}," + ",".join(cells))
    return eol.join(lines).encode()


@pytest.fixture(autouse=True)
def _kernel_loaded():
    assert _fastcsv.ready_kernel(wait=True) is not None, "numba kernel did not load"


def _both(items, kind="cities", monkeypatch=None):
    """parse_many with the fast path, and with it switched off."""
    fast = cnemc.parse_many(items, kind)
    monkeypatch.setenv("YQPLAN_FAST_CSV", "0")
    slow = cnemc.parse_many(items, kind)
    monkeypatch.delenv("YQPLAN_FAST_CSV")
    return fast, slow


def _same(fast, slow):
    for f, s in zip(fast, slow):
        if isinstance(s, DataFileError):
            assert isinstance(f, DataFileError) and str(f) == str(s)
            continue
        assert f.names == s.names and f.day == s.day and np.array_equal(f.hours, s.hours)
        assert f.vals.shape == s.vals.shape
        # bit for bit (NaN where empty), not merely close
        assert np.array_equal(f.vals.view(np.int64), s.vals.view(np.int64))


def test_values_equal_python_float_bit_for_bit():
    texts = ["0", "7", "0.33", "0.1", "1.234", "-3.25", "007", "12.50", "999999999999999",
             "0.000000000000000000001", "123456.789012345", "000000000000000012.5",
             "-0.0000000000000000125", "1.", ".5", ""]
    body = "\n".join(f"20220301,0,AQI,{t}" for t in texts).encode() + b"\n"
    got = _fastcsv.parse_rows(body, 1, [0], ["AQI"], wait=True)
    assert got is not None
    block, dates, hours, present, starts = got
    vals = block[0, 0, :]
    want = np.array([float(t) if t else np.nan for t in texts])
    assert np.array_equal(vals.view(np.int64), want.view(np.int64))
    assert (dates == 20220301).all() and (hours == 0).all()
    assert np.array_equal(present[0], [bool(t) for t in texts])


def test_block_packed_to_the_hours_found_from_an_upper_bound():
    """Given only an upper bound of hours (24 per file), the block is packed in place to the
    hours found — contiguous, same values — and ``present`` marks location-hours with a
    value; a body with more hours than the bound is declined."""
    types = ["AQI", "PM2.5"]
    rows = ["20220301,0,AQI,1,,3", "20220301,0,PM2.5,4,,", "20220301,5,AQI,,,",
            "20220301,5,PM2.5,,,9.5", "20220302,1,AQI,7,8,", "20220302,1,PM2.5,,,"]
    body = ("\n".join(rows) + "\n").encode()
    exact = _fastcsv.parse_rows(body, 3, [0, 1, 2], types, wait=True)
    packed = _fastcsv.parse_rows(body, 3, [0, 1, 2], types, wait=True, max_hours=48)
    for a, b in zip(exact, packed):
        assert np.array_equal(a, b, equal_nan=True)
    block, dates, hours, present, starts = packed
    assert list(starts) == [0, body.index(b"20220301,5"), body.index(b"20220302")]
    assert block.shape == (2, 3, 3) and block.flags.c_contiguous
    assert list(dates) == [20220301, 20220301, 20220302] and list(hours) == [0, 5, 1]
    assert block[1, 2, 1] == 9.5 and np.isnan(block[0, 1, 0])
    assert present.tolist() == [[True, False, True], [False, False, True],
                                [True, True, False]]
    assert _fastcsv.parse_rows(body, 3, [0, 1, 2], types, wait=True, max_hours=2) is None


@pytest.mark.parametrize("text", ["1e3", "NaN", "1.2.3", " 5", "+5", "0x10", "1234567890123456",
                                  "0.1234567890123456", "-", ".", ".5.", "5-"])
def test_anything_unusual_is_handed_back(text):
    """Exponents, NaN text, stray characters, >15 digits: the fast path declines."""
    body = f"20220301,0,AQI,{text}\n".encode()
    assert _fastcsv.parse_rows(body, 1, [0], ["AQI"], wait=True) is None


def test_layout_breaks_are_handed_back():
    ok = b"20220301,0,AQI,1\n20220301,0,PM2.5,2\n"
    assert _fastcsv.parse_rows(ok, 1, [0], ["AQI", "PM2.5"], wait=True) is not None
    for bad in [ok[:-1],                                       # no final newline
                b"20220301,0,AQI,1\n20220301,0,PM2.5,",       # cut inside a line
                b"20220301,0,AQI,1\n20220301,0,PM2.5,-",b"20220301,0,PM2.5,2\n20220301,0,AQI,1\n",      # types out of order
                b"20220301,0,AQI,1\n20220301,1,PM2.5,2\n",      # hour changes inside an hour
                b"20220301,0,AQI,1\n20220302,0,PM2.5,2\n",      # date changes inside an hour
                b"20220301,0,AQI,1,9\n20220301,0,PM2.5,2\n",    # a field too many
                b"20220301,0,AQI\n20220301,0,PM2.5,2\n",        # a field too few
                b"20220301,0,AQI,1\n\n20220301,0,PM2.5,2\n",    # a blank line
                b"20220301,0,AQI,1\n"]:                          # an incomplete hour
        assert _fastcsv.parse_rows(bad, 1, [0], ["AQI", "PM2.5"], wait=True) is None, bad


def test_switch_off_by_environment(monkeypatch):
    monkeypatch.setenv("YQPLAN_FAST_CSV", "0")
    assert not _fastcsv.enabled()
    assert _fastcsv.parse_rows(b"20220301,0,AQI,1\n", 1, [0], ["AQI"], wait=True) is None


def test_synthetic_group_same_as_pyarrow_including_crlf_and_gaps(monkeypatch):
    rng = np.random.default_rng(7)

    def cell(h, t, j):
        r = rng.random()
        return "" if r < 0.1 else (f"{rng.random() * 3:.3f}" if t >= 13 else str(int(r * 300)))

    items = []
    for k in range(5):
        day = DAY + dt.timedelta(days=k)
        hours = [h for h in range(24) if not (k == 2 and h in (5, 6))]   # a short day
        items.append((_file(cell, day=day, hours=hours, eol="\r\n" if k == 1 else "\n"),
                      f"china_cities_{day:%Y%m%d}.csv", day))
    taken = []
    orig = _fastcsv.parse_rows
    monkeypatch.setattr(_fastcsv, "parse_rows",
                        lambda *a, **k: taken.append(orig(*a, **k)) or taken[-1])
    fast, slow = _both(items, monkeypatch=monkeypatch)
    assert len(taken) == 2 and taken[0] is not None     # fast path taken, then switched off
    _same(fast, slow)
    assert len(fast[2].hours) == 22


@pytest.mark.parametrize("case", ["other_date", "same_date_twice", "cut_mid_hour",
                                  "next_day_hour", "next_day_hour_moved"])
def test_file_boundaries_come_from_dates_and_oddities_fall_back(monkeypatch, case):
    """The fast path tells the files of a group apart by the dates of their hours; a file
    whose rows carry another file's date, two files of one date, a file cut inside an hour,
    or a file holding an hour of the next day are handed back to pyarrow (same results)."""
    def val(h, t, j):
        return str(h + t + j)

    day2 = DAY + dt.timedelta(days=1)
    first = _file(val)
    second = _file(val, day=day2)
    label2 = "china_cities_20220302.csv"
    if case == "other_date":
        second = _file(val, day=DAY + dt.timedelta(days=5))
    elif case == "same_date_twice":
        second = _file(val)
    elif case == "cut_mid_hour":
        first = b"\n".join(first.split(b"\n")[:-3])
    elif case in ("next_day_hour", "next_day_hour_moved"):
        first = first + b"\n" + b"\n".join(_file(val, day=day2, hours=[0]).split(b"\n")[1:])
        if case == "next_day_hour_moved":   # ... missing from the next file: dates still run
            second = _file(val, day=day2, hours=range(1, 24))
    items = [(first, "china_cities_20220301.csv", DAY), (second, label2, day2)]
    taken = []
    orig = _fastcsv.parse_rows
    monkeypatch.setattr(_fastcsv, "parse_rows",
                        lambda *a, **k: taken.append(orig(*a, **k)) or taken[-1])
    fast, slow = _both(items, monkeypatch=monkeypatch)
    assert len(taken) == 2
    _same(fast, slow)
    # the parse itself succeeds (the rows are regular); the boundary check declines
    if case in ("other_date", "same_date_twice", "next_day_hour_moved"):
        assert taken[0] is not None
    assert not any(isinstance(p, cnemc._Parsed) and p.block is not None for p in fast)


def test_irregular_file_falls_back_and_still_names_the_line(monkeypatch):
    day2 = DAY + dt.timedelta(days=1)
    garbled = _file(lambda h, t, j: str(h + t + j), day=day2).replace(
        b"20220302,3,PM10,", b"20220302,3,PM10,1,", 1)          # one field too many
    items = [(_file(lambda h, t, j: str(h + t + j)), "china_cities_20220301.csv", DAY),
             (garbled, "china_cities_20220302.csv", day2)]
    fast, slow = _both(items, monkeypatch=monkeypatch)
    _same(fast, slow)
    assert isinstance(fast[1], DataFileError)
    assert "china_cities_20220302.csv" in str(fast[1]) and "line" in str(fast[1])
    assert not isinstance(fast[0], DataFileError)


def test_real_year_bit_identical_to_pyarrow(cnemc_dir, monkeypatch):
    """Every cell of the real 2022 city archive: the fast path equals the pyarrow path."""
    sources, _, _ = cnemc.list_sources(cnemc_dir / "城市_20220101-20221231.zip",
                                       kind="cities")
    sources = [s for s in sources if s.day is not None]
    assert len(sources) == 365
    fast_cells = slow_cells = 0
    for m in range(1, 13):
        items = [(s.read_bytes(), s.label, s.day) for s in sources if s.day.month == m]
        fast, slow = _both(items, monkeypatch=monkeypatch)
        assert sum(p.block is not None for p in fast) >= len(items) - 1
        _same(fast, slow)
        fast_cells += sum(p.vals.size for p in fast)
        slow_cells += sum(p.vals.size for p in slow)
    assert fast_cells == slow_cells > 40_000_000


def test_kernel_loaded_only_for_reads_that_repay_it():
    _fastcsv._kernel.cache_clear()
    _fastcsv.load_if_worth_it(_fastcsv.WORTH_LOADING_BYTES - 1)
    assert _fastcsv.ready_kernel() is None                 # a small read: pyarrow
    assert _fastcsv.parse_rows(b"20220301,0,AQI,1\n", 1, [0], ["AQI"]) is None
    _fastcsv.load_if_worth_it(_fastcsv.WORTH_LOADING_BYTES)
    assert _fastcsv.ready_kernel() is not None             # a big one loads it
    got = _fastcsv.parse_rows(b"20220301,0,AQI,1\n", 1, [0], ["AQI"])
    assert got is not None and got[0][0, 0, 0] == 1.0


def test_compact_columns_in_place_equals_compress():
    rng = np.random.default_rng(3)
    v = rng.random((15, 997))
    keep = rng.random(997) > 0.2
    want = np.compress(keep, v, axis=1)
    got = _fastcsv.compact_columns(v, keep)
    assert got.shape == want.shape and np.array_equal(got, want)
    assert np.shares_memory(got, v)                          # in place, no second block
    assert _fastcsv.compact_columns(np.asfortranarray(rng.random((3, 4))),
                                    np.ones(4, bool)) is None


def test_chunks_assembled_in_place_equal_the_reader(tmp_path, monkeypatch):
    """The ingest's path (fast parse, block compacted in place) gives the same table as
    read_cnemc's, with location-hours empty in all 15 types dropped."""
    def cell(h, t, j):
        return "" if (j == 1 and h % 3 == 0) or (j == 2 and h > 20) else str(h * 10 + t + j)

    for k in range(4):
        day = DAY + dt.timedelta(days=k)
        (tmp_path / f"china_cities_{day:%Y%m%d}.csv").write_bytes(_file(cell, day=day))
    sources, _, _ = cnemc.list_sources(tmp_path, kind="cities")
    taken = []
    orig = _fastcsv.compact_columns
    monkeypatch.setattr(_fastcsv, "compact_columns",
                        lambda *a: taken.append(orig(*a)) or taken[-1])
    (_key, table, out), = cnemc.iter_chunks([(1, sources)], "cities")
    assert taken and taken[0] is not None                    # compacted in place
    direct, _ = cnemc.read_cnemc(tmp_path, kind="cities")
    import pandas as pd
    pd.testing.assert_frame_equal(cnemc.table_to_frame(table, "cities"), direct)
    assert len(direct) == 4 * 24 * 3 - 4 * 8 - 4 * 3         # the empty location-hours
    assert [r.n_rows for _s, r, _k in out] == [24 * 3 - 8 - 3] * 4


def test_random_bytes_never_crash_and_accepted_ones_match_float():
    """The kernel reads bytes unchecked inside a line (the final newline stops it): random
    cells and random bytes must be declined or parsed exactly as float() parses them."""
    rng = np.random.default_rng(11)
    digits = np.frombuffer(b"0123456789.-", dtype=np.uint8)
    noise = np.frombuffer(b"0123456789.,-\r\nAQI", dtype=np.uint8)
    accepted = 0
    for k in range(3000):
        if k % 3 == 0:   # random bytes
            body = rng.choice(noise, size=rng.integers(1, 60)).tobytes() + b"\n"
        else:            # rows of the right shape, random cells
            cells = [rng.choice(digits, size=rng.integers(0, 6)).tobytes() for _ in range(4)]
            body = (b"20220301,0,AQI," + cells[0] + b"," + cells[1] + b"\n"
                    b"20220301,1,AQI," + cells[2] + b"," + cells[3] + b"\n")
        got = _fastcsv.parse_rows(body, 2, [0, 1], ["AQI"], wait=True)
        if got is None:
            continue
        accepted += 1
        block = got[0]
        rows = [line.split(b",") for line in body.replace(b"\r", b"").split(b"\n") if line]
        for h, cells in enumerate(rows):
            want = [float(c) if c else np.nan for c in cells[3:]]
            assert np.array_equal(block[0, :, h].view(np.int64),
                                  np.array(want).view(np.int64)), body
    assert accepted > 100

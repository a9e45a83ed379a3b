"""The Parquet store: incremental, atomic, cheap to read back, same answer as the reader."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest

from yqplan.air import store
from yqplan.air.cnemc import read_cnemc
from yqplan.air.demo import write_demo_archive

FIX = Path(__file__).parent / "data" / "cnemc"
Z2024 = "城市_20240101-20240224.zip"


def _snapshot(store_dir: Path) -> dict:
    return {str(p.relative_to(store_dir)): p.read_bytes()
            for p in sorted(store_dir.rglob("*")) if p.is_file() and p.name != store.LOCK}


def _part(store_dir: Path, kind: str, year: int, month: int) -> Path:
    """The partition file of one month in the store's current generation."""
    return store._resolve(store_dir).partitions[(kind, year, month)]


def _manifest_path(store_dir: Path) -> Path:
    return store._resolve(store_dir).manifest


def test_ingest_twice_reads_nothing_and_keeps_identical_content(tmp_path):
    s = tmp_path / "store"
    first = store.ingest(FIX, s, progress=False)
    assert first["files_read"] == 6 and first["files_unchanged"] == 0
    snap = _snapshot(s)
    man = store.read_manifest(s)
    second = store.ingest(FIX, s, progress=False)
    assert second["files_read"] == 0 and second["files_unchanged"] == 6
    assert second["rows_written"] == 0 and second["partitions_written"] == []
    assert _snapshot(s) == snap
    assert store.read_manifest(s)["files"] == man["files"]
    # skipped files are reported with their reasons on every run
    reasons = {Path(x["file"]).name: x["reason"] for x in second["files_skipped"]}
    assert "empty file" in reasons["china_cities_20220101.csv"]
    assert "line 22" in reasons["china_cities_20220103.csv"]
    assert "resource-fork" in reasons["._china_sites_20220302.csv"]


def test_store_reads_back_what_the_reader_returns(tmp_path):
    s = tmp_path / "store"
    store.ingest(FIX, s, progress=False)
    for kind in ("cities", "sites"):
        direct, m1 = read_cnemc(FIX, kind=kind)
        back, m2 = store.read_store(s, kind=kind)
        pd.testing.assert_frame_equal(back, direct)
        assert list(m2["missing_hours"]) == list(m1["missing_hours"])
    one, meta = store.read_store(s, kind="sites", names="3619A", start="2022-03-02",
                                 end="2022-03-02")
    assert set(one["station"]) == {"3619A"} and len(one) == 2
    assert meta["synthetic"] is False


def test_partition_layout_is_as_documented(tmp_path):
    """Non-nullable fields, dictionary pages everywhere, lz4 only where it pays (location,
    time, 24-hour averages), statistics on location and time only."""
    s = tmp_path / "store"
    store.ingest(FIX, s, progress=False)
    part = _part(s, "cities", 2022, 1)
    schema = pq.read_schema(part)
    assert not any(f.nullable for f in schema)
    md = pq.ParquetFile(part).metadata
    cols = {md.row_group(0).column(i).path_in_schema: md.row_group(0).column(i)
            for i in range(md.num_columns)}
    assert {n: c.compression for n, c in cols.items() if c.compression != "UNCOMPRESSED"} \
        == {n: "LZ4" for n in ["city", "time", *[c for c in cols if c.endswith("_24h")]]}
    assert len([c for c in cols if c.endswith("_24h")]) == 7
    assert cols["pm25"].compression == "UNCOMPRESSED" and cols["pm25"].has_dictionary_page
    assert {n for n, c in cols.items() if c.is_stats_set} == {"city", "time"}


def test_row_groups_are_cut_between_locations(tmp_path, monkeypatch):
    """No location's month is split over two row groups (one city's month = one row group
    read), and each row group's dictionary holds only its own locations."""
    arch = tmp_path / "demo"
    write_demo_archive(arch, 2020, 2020, end_date="2020-01-10", sites=False)
    monkeypatch.setattr(store, "ROW_GROUP_ROWS", 500)   # 240 hours a city: 2 cities a group
    s = tmp_path / "store"
    store.ingest(arch, s, progress=False)
    pf = pq.ParquetFile(_part(s, "cities", 2020, 1),
                        read_dictionary=["city"])
    seen = set()
    for g in range(pf.metadata.num_row_groups):
        col = pf.read_row_group(g, columns=["city"]).column(0).chunk(0)
        names = set(col.dictionary.to_pylist())
        assert len(col) <= 500 and names == set(col.to_pylist())
        assert not names & seen
        seen |= names
    assert len(seen) == 11 and pf.metadata.num_row_groups == 6
    _df, meta = store.read_store(s, names="阳泉")
    assert meta["row_groups_read"] == 1


def test_partitions_of_the_older_nullable_schema_read_and_merge(tmp_path):
    """A store written when the fields were nullable reads the same, and a re-read day
    merges into it (the rewritten partition gets the current, non-nullable fields)."""
    src = tmp_path / "archive"
    shutil.copytree(FIX, src)
    day = src / "bad" / "china_cities_20220102.csv"
    # a second year, so that a read spans an old partition and a rewritten one
    (src / "china_cities_20230102.csv").write_text(day.read_text().replace("20220102,",
                                                                           "20230102,"))
    s = tmp_path / "store"
    store.ingest(src, s, progress=False)
    parts = sorted(store._resolve(s).partitions.values())
    assert len(parts) == 3
    assert parts and not pq.read_schema(parts[0]).field("time").nullable
    for part in parts:   # turn them into what the earlier version wrote
        t = pq.read_table(part)
        pq.write_table(t.cast(pa.schema([f.with_nullable(True) for f in t.schema])), part)
        assert pq.read_schema(part).field("time").nullable
    for kind in ("cities", "sites"):
        back, _ = store.read_store(s, kind=kind)
        pd.testing.assert_frame_equal(back, read_cnemc(src, kind=kind)[0])
    day.write_text(day.read_text().replace("20220102,0,AQI,20,21", "20220102,0,AQI,77,21"))
    assert store.ingest(src, s, progress=False)["files_read"] == 1
    back, _ = store.read_store(s, kind="cities", names="阳泉", start="2022-01-02",
                               end="2022-01-02")
    assert back["aqi"].iloc[0] == 77
    pd.testing.assert_frame_equal(store.read_store(s, kind="cities")[0],
                                  read_cnemc(src, kind="cities")[0])
    assert not pq.read_schema(_part(s, "cities", 2022, 1)).field(
        "aqi").nullable


@pytest.mark.shared_data
def test_real_zip_round_trip_and_changed_file_replaces_its_day(cnemc_dir, tmp_path):
    s = tmp_path / "store"
    summary = store.ingest(cnemc_dir / Z2024, s, progress=False)
    assert summary["store"]["cities"]["files"] == 55
    direct, _ = read_cnemc(cnemc_dir / Z2024, names=["阳泉", "太原"])
    back, meta = store.read_store(s, names=["阳泉", "太原"])
    pd.testing.assert_frame_equal(back, direct)
    assert meta["partitions_read"] == ["cities/year=2024/month=1/data-g000001.parquet",
                                       "cities/year=2024/month=2/data-g000001.parquet"]
    # predicate pushdown: two cities out of ~340 touch only a few row groups
    assert meta["row_groups_total"] >= 12 and meta["row_groups_read"] <= 4
    # A changed file (here: a loose copy of one day with an edited value) is re-read alone
    # and replaces that day.
    import zipfile

    with zipfile.ZipFile(cnemc_dir / Z2024) as zf:
        name = [i for i in zf.namelist() if i.endswith("china_cities_20240110.csv")][0]
        raw = zf.read(name).decode()
    lines = raw.split("\r\n")
    head = lines[0].split(",")
    j = head.index("阳泉")
    for k, line in enumerate(lines):
        f = line.split(",")
        if len(f) > 3 and f[1] == "5" and f[2] == "PM2.5":
            f[j] = "777"
            lines[k] = ",".join(f)
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "china_cities_20240110.csv").write_text("\r\n".join(lines))
    again = store.ingest(loose, s, progress=False)
    assert again["files_read"] == 1
    df, _ = store.read_store(s, names="阳泉", start="2024-01-10", end="2024-01-10")
    assert df.loc[df.time.dt.hour == 5, "pm25"].item() == 777
    assert len(df) == len(direct[(direct.city == "阳泉")
                                 & (direct.time.dt.date == pd.Timestamp("2024-01-10").date())])
    full, _ = store.read_store(s, names="阳泉")
    assert len(full) == len(direct[direct.city == "阳泉"])   # replaced, not duplicated


@pytest.mark.shared_data
def test_real_years_read_back_across_partitions_and_cut_hours(cnemc_dir, tmp_path):
    """Two real partitions (2023, 2024): periods cut inside days, across the year boundary,
    read back exactly as read_cnemc reads the archives — one row group per city-month."""
    zips = [cnemc_dir / "城市_20230101-20231231.zip", cnemc_dir / Z2024]
    s = tmp_path / "store"
    store.ingest(zips, s, progress=False)
    for names, start, end in [(["阳泉", "太原"], "2023-11-20 07:00", "2024-01-05 18:00"),
                              ("晋中", "2023-01-01", "2023-12-31"),
                              (["阳泉", "北京", "乌鲁木齐"], "2023-06-30 23:00", "2023-07-01 00:00")]:
        back, meta = store.read_store(s, names=names, start=start, end=end)
        direct, _ = read_cnemc(zips, names=names, start=start, end=end)
        assert len(back) > 0
        pd.testing.assert_frame_equal(back, direct)
    assert meta["row_groups_read"] == 6   # 3 cities × 2 months (June 30 23:00, July 1 00:00)


def test_injected_failure_leaves_previous_store(tmp_path, monkeypatch):
    s = tmp_path / "store"
    store.ingest(FIX / "changing", s, progress=False)
    before, _ = store.read_store(s, kind="sites")
    snap = _snapshot(s)
    man = (s / store.CURRENT).read_bytes()
    (tmp_path / "more").mkdir()
    shutil.copy(FIX / "bad" / "china_cities_20220102.csv", tmp_path / "more")
    # a new cities day and a new sites day: both 2022 partitions get rewritten
    txt = (FIX / "changing" / "china_sites_20220301.csv").read_text().replace("20220301",
                                                                               "20220303")
    (tmp_path / "more" / "china_sites_20220303.csv").write_text(txt)

    calls = {"n": 0}
    real = pq.ParquetWriter.write_table

    def failing(self, *a, **k):
        calls["n"] += 1
        real(self, *a, **k)            # half-written temporary file ...
        raise OSError("disk full (injected)")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing)
    with pytest.raises(OSError, match="injected"):
        store.ingest([FIX / "changing", tmp_path / "more"], s, progress=False)
    monkeypatch.undo()
    assert calls["n"] >= 1
    assert (s / store.CURRENT).read_bytes() == man
    assert not list(s.rglob("*.tmp"))
    after, _ = store.read_store(s, kind="sites")
    pd.testing.assert_frame_equal(after, before)
    # and the next run completes
    res = store.ingest([FIX / "changing", tmp_path / "more"], s, progress=False)
    assert res["files_read"] == 2
    assert "2022-03-03" in {str(d) for d in store.read_store(s, kind="sites")[0].time.dt.date}


@pytest.mark.shared_data
def test_killed_ingest_leaves_previous_store_readable(cnemc_dir, tmp_path):
    s = tmp_path / "store"
    store.ingest(FIX, s, progress=False)
    before, _ = store.read_store(s, kind="cities")
    snap = _snapshot(s)
    # A child ingests the real 2024 zip but stalls just before renaming its partition
    # into place; we SIGKILL it there.
    script = textwrap.dedent(f"""
        import os, sys, time
        real = os.replace
        def slow(src, dst):
            if str(dst).endswith(".parquet"):
                print("READY", flush=True)
                time.sleep(60)
            return real(src, dst)
        os.replace = slow
        from yqplan.air import store
        store.ingest({str(cnemc_dir / Z2024)!r}, {str(s)!r}, progress=False)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "READY"
        assert list(s.rglob("*.tmp"))          # the new partition exists only as a temp file
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    after, meta = store.read_store(s, kind="cities")
    pd.testing.assert_frame_equal(after, before)
    assert {k: v for k, v in _snapshot(s).items() if not k.endswith(".tmp")} == snap
    # the kernel released the lock with the process: the next run takes it at once, cleans
    # the leftover and ingests the zip
    res = store.ingest(cnemc_dir / Z2024, s, progress=False)
    assert res["files_read"] == 55 and not list(s.rglob("*.tmp"))


def test_synthetic_marker_travels_into_store(tmp_path):
    arch = tmp_path / "demo"
    write_demo_archive(arch, 2020, 2020, end_date="2020-01-10")
    s = tmp_path / "store"
    summary = store.ingest(arch, s, progress=False)
    assert summary["synthetic"] is True
    assert json.loads((s / "SYNTHETIC.json").read_text())["generator"].startswith("yqplan.air.demo")
    df, meta = store.read_store(s, names="阳泉")
    assert meta["synthetic"] is True and meta["synthetic_marker"]["seed"] is not None
    assert df["time"].min().date().isoformat() == "2020-01-01"


@pytest.mark.parametrize("kind, names, start, end", [
    ("cities", ["阳泉", "太原"], "2020-01-03 05:00", "2020-02-07 17:00"),
    ("cities", "晋中市", None, "2020-01-20"),
    ("cities", ["阳泉", "不存在"], "2020-02-01", None),
    ("sites", None, "2020-01-31 23:00", "2020-02-01 01:00"),
])
def test_read_store_selection_matches_the_reader_across_row_groups(tmp_path, monkeypatch,
                                                                   kind, names, start, end):
    """Locations and periods cut inside row groups (tiny row groups here, so every read
    spans many and their edges) give exactly what read_cnemc gives."""
    arch = tmp_path / "demo"
    write_demo_archive(arch, 2020, 2020, end_date="2020-02-10")
    monkeypatch.setattr(store, "ROW_GROUP_ROWS", 50)
    s = tmp_path / "store"
    store.ingest(arch, s, progress=False)
    back, meta = store.read_store(s, kind=kind, names=names, start=start, end=end)
    direct, _ = read_cnemc(arch, kind=kind, names=names, start=start, end=end)
    assert len(back) > 0 and meta["row_groups_read"] > 2
    pd.testing.assert_frame_equal(back, direct)


def test_day_index_gives_the_manifest_answers_and_yields_to_a_newer_manifest(tmp_path):
    """read_store's metadata from the day index equals the manifest's; an index that does
    not match the manifest (left by an interrupted run, or absent) is not used."""
    arch = tmp_path / "demo"
    write_demo_archive(arch, 2020, 2020, end_date="2020-01-20")
    shutil.copytree(FIX / "bad", arch / "bad")   # skipped files with reasons, short days
    s = tmp_path / "store"
    store.ingest(arch, s, progress=False)
    idx = store._resolve(s).days
    meta = feather.read_table(idx).schema.metadata
    assert int(meta[b"manifest_bytes"]) == _manifest_path(s).stat().st_size
    queries = [dict(kind="cities", names="阳泉", start="2020-01-03 05:00", end="2020-01-09"),
               dict(kind="cities", names="太原"), dict(kind="sites", start="2020-01-19"),
               dict(kind="cities", names="阳泉", start="2022-01-01", end="2022-01-04")]
    with_index = [store.read_store(s, **q)[1] for q in queries]
    assert with_index[3]["files_skipped"] and with_index[1]["synthetic"]
    assert len(with_index[3]["missing_hours"]) > 0
    # the same answers from the manifest: index absent, then an index of another manifest
    idx.rename(tmp_path / "days.arrow")
    without = [store.read_store(s, **q)[1] for q in queries]
    (tmp_path / "days.arrow").rename(idx)
    man = _manifest_path(s)
    man.write_text(man.read_text(encoding="utf-8") + " ", encoding="utf-8")
    stale = [store.read_store(s, **q)[1] for q in queries]
    for a, b, c in zip(with_index, without, stale):
        for k in ("files_read", "files_skipped", "synthetic", "synthetic_marker"):
            assert a[k] == b[k] == c[k], k
        assert list(a["missing_hours"]) == list(b["missing_hours"]) == list(c["missing_hours"])
    # while the sizes agree the index is what is read (a doctored one shows it)
    man.write_text(man.read_text(encoding="utf-8")[:-1], encoding="utf-8")
    feather.write_feather(feather.read_table(idx).slice(0, 1).replace_schema_metadata(meta),
                          idx)
    assert len(store.read_store(s, **queries[1])[1]["files_read"]) == 1   # its one row
    idx.write_bytes(b"not an Arrow file")               # unreadable: the manifest answers
    assert store.read_store(s, **queries[1])[1]["files_read"] == with_index[1]["files_read"]
    (s / ".days.arrow.x.tmp").write_bytes(b"left by a killed run")
    (tmp_path / "one more").mkdir()   # a change: the ingest commits a new generation
    shutil.copy(FIX / "changing" / "china_sites_20220301.csv", tmp_path / "one more")
    shutil.copy(arch / "SYNTHETIC.json", tmp_path / "one more")   # one store per source
    store.ingest([arch, tmp_path / "one more"], s, progress=False)   # removes leftovers
    assert store.read_store(s, **queries[1])[1]["files_read"] == with_index[1]["files_read"]
    assert not list(s.glob(".*.tmp"))


def test_location_coverage_counts_missing_hours():
    # hand count: fixture day 2 has hours 0 and 2 for 3619A → 2 present of 24 (one day span)
    df, _ = read_cnemc(FIX / "changing", kind="sites", names="3619A")
    cov = store.location_coverage(df, kind="sites")
    row = cov.iloc[0]
    assert (row["hours_present"], row["hours_expected"], row["hours_missing"]) == (2, 24, 22)


def test_read_store_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="ingest"):
        store.read_store(tmp_path / "nothing")
    with pytest.raises(ValueError, match="kind"):
        store.ingest(FIX, tmp_path / "s", kind="towns")


def test_cli_ingest_read_and_demo(tmp_path, capsys):
    from yqplan.cli import main

    s = tmp_path / "store"
    assert main(["air", "ingest", str(FIX), "--store", str(s), "--no-progress",
                 "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["kind"]: r["files"] for r in out} == {"cities": 1, "sites": 2}
    assert main(["air", "ingest", str(FIX), "--store", str(s), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "0 read, 6 unchanged" in err and "line 22" in err
    assert main(["air", "read", "--store", str(s), "--kind", "sites", "--names", "3619A",
                 "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("station,time,aqi,pm25") and len(lines) == 3
    assert main(["air", "read", "--store", str(tmp_path / "none"), "--names", "阳泉"]) == 2
    assert "ingest" in capsys.readouterr().err
    assert main(["demo", "--dest", str(tmp_path / "d"), "--start-year", "2020",
                 "--end-year", "2020", "--store", str(tmp_path / "ds")]) == 0
    df, meta = store.read_store(tmp_path / "ds", names="阳泉", start="2020-07-01",
                                end="2020-07-01")
    assert meta["synthetic"] is True and 0 < len(df) <= 24


def test_read_store_bad_dates_name_the_argument_and_cli_notes_unknown_names(tmp_path, capsys):
    from yqplan.cli import main

    s = tmp_path / "store"
    store.ingest(FIX, s, progress=False)
    with pytest.raises(ValueError, match="start: 'notadate' is not a date"):
        store.read_store(s, names="阳泉", start="notadate")
    with pytest.raises(ValueError, match="end: '2024-13-01' is not a date"):
        store.read_store(s, names="阳泉", end="2024-13-01")
    assert main(["air", "read", "--store", str(s), "--kind", "sites", "--names", "9999Z"]) == 0
    assert "no data in the store for 9999Z" in capsys.readouterr().err


def test_a_daily_update_rewrites_only_its_month(tmp_path):
    """One file per kind, year and month: adding 31 December rewrites December alone; the
    other months' files are carried into the new generation untouched, and the store reads
    as the archive does."""
    arch = tmp_path / "demo"
    write_demo_archive(arch, 2021, 2021, end_date="2021-12-31", sites=False)
    last = next(arch.rglob("china_cities_20211231.csv"))
    held = tmp_path / "held"
    held.mkdir()
    last.rename(held / last.name)
    shutil.copy(arch / "SYNTHETIC.json", held)   # (one store per source: the marker too)
    s = tmp_path / "store"
    store.ingest(arch, s, progress=False)
    before = {key: (p, p.read_bytes()) for key, p in store._resolve(s).partitions.items()}
    assert sorted(before) == [("cities", 2021, m) for m in range(1, 13)]
    res = store.ingest([arch, held], s, progress=False)
    assert res["files_read"] == 1
    assert res["partitions_written"] == ["cities/year=2021/month=12/data-g000002.parquet"]
    after = store._resolve(s).partitions
    for key, (path, data) in before.items():
        if key[2] != 12:
            assert after[key] == path and path.read_bytes() == data, key
    assert after[("cities", 2021, 12)] != before[("cities", 2021, 12)][0]
    pd.testing.assert_frame_equal(store.read_store(s)[0], read_cnemc([arch, held])[0])
    dec, meta = store.read_store(s, names="阳泉", start="2021-12-31", end="2021-12-31")
    assert meta["partitions_read"] == ["cities/year=2021/month=12/data-g000002.parquet"]
    assert len(dec) == 24

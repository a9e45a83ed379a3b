"""Nothing lost, nothing injected: the store under races, kills, hostile names and values
(issue 13, items 1–6).  The heavy random-kill campaign is ``bench/fault_campaign.py``
(``make faults``); here: a kill at every step boundary and a handful of random kills."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yqplan.air import cnemc
from yqplan.air import store
from yqplan.air.cnemc import read_cnemc

sys.path.insert(0, str(Path(__file__).parent))
import store_faults as kit  # noqa: E402

FIX = Path(__file__).parent / "data" / "cnemc"


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    """Archives A and B, the store after A (template) and the states after A and A then B."""
    got = kit.prepare(tmp_path_factory.mktemp("faults"))
    assert got["A"] != got["B"]
    return got


# ------------------------------------------------------------------ 1. the lock

def _paused_ingest(paths, s):
    """A child ingesting ``paths`` into ``s`` that stops (lock held) once it starts reading."""
    script = textwrap.dedent(f"""
        import time
        from yqplan.air import cnemc
        from yqplan.air import store
        real = cnemc.iter_chunks
        def slow(*a, **k):
            print("READY", flush=True)
            time.sleep(120)
            return real(*a, **k)
        cnemc.iter_chunks = slow
        store.ingest({str(paths)!r}, {str(s)!r}, progress=False)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "READY"
    return proc


def test_a_held_lock_refuses_or_waits_and_dies_with_its_process(tmp_path, capsys):
    s = tmp_path / "store"
    proc = _paused_ingest(FIX / "changing", s)
    try:
        with pytest.raises(store.StoreBusyError, match=rf"another ingest \(pid {proc.pid}\)"):
            store.ingest(FIX / "bad", s, progress=False)
        t = time.monotonic()
        with pytest.raises(store.StoreBusyError, match="after waiting 0.5 s"):
            store.ingest(FIX / "bad", s, progress=False, lock_timeout=0.5)
        assert time.monotonic() - t >= 0.5
        from yqplan.cli import EXIT_LOCKED, main

        code = main(["air", "ingest", str(FIX / "bad"), "--store", str(s), "--no-progress",
                     "--wait", "0.2"])
        assert code != 0
        assert code == EXIT_LOCKED   # the documented "refused: … holds the lock"
        os.kill(proc.pid, signal.SIGKILL)   # the kernel releases the lock with the process
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "after waiting 0.2 s" in capsys.readouterr().err
    res = store.ingest(FIX / "bad", s, progress=False)   # at once: no stale lock to clear
    assert res["files_read"] == 4


def test_barrier_synchronised_ingests_never_both_write(tmp_path):
    """Two ingests of different days into one store, released together: whatever ran, every
    ingest that returned has its days in the final store (nothing vanished)."""
    src = tmp_path / "src"
    for trial in range(12):
        s = tmp_path / f"store{trial}"
        folders = kit.race_folders(src, trial)
        barrier = threading.Barrier(2)
        done, busy = [], []

        def run(i, wait):
            barrier.wait()
            try:
                store.ingest(folders[i], s, progress=False,
                             lock_timeout=None if wait else 0)
                done.append(i)
            except store.StoreBusyError:
                busy.append(i)

        wait = trial % 2 == 1   # odd trials: the second ingest waits its turn
        ts = [threading.Thread(target=run, args=(i, wait)) for i in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert done and len(done) + len(busy) == 2
        if wait:
            assert sorted(done) == [0, 1]
        want = {f"2022-01-0{1 + i}" for i in done}
        assert kit.days_in_store(s) == (want, want), (trial, done, busy)


# ------------------------------------------------------------------ 2. atomic commit

@pytest.mark.parametrize("layout", ["month", "year"])
def test_kill_at_every_step_boundary_leaves_the_old_or_the_new_store(archives, tmp_path,
                                                                     layout):
    """``year``: the store before is in the layout of whole-year files, which the ingest
    splits into months in the same commit."""
    seen, k = {"A": 0, "B": 0}, 0
    while True:
        k += 1
        s = kit.fresh_copy(archives["template"], tmp_path / f"k{k}")
        if layout == "year":
            kit.to_year_layout(s)
        r = kit.run_child([archives["b"]], s, {store.KILL_ENV: str(k)})
        assert r.returncode in (0, store.KILL_EXIT), r.stderr
        got = kit.state(s)
        assert got in (archives["A"], archives["B"]), f"kill at step {k}: a mixed store"
        seen["A" if got == archives["A"] else "B"] += 1
        store.ingest(archives["b"], s, progress=False)   # a rerun completes the work
        assert kit.state(s) == archives["B"]
        if r.returncode == 0:
            break
    assert k >= 8 and seen["A"] >= 4 and seen["B"] >= 2, (k, seen)


def test_kill_after_every_rename_leaves_the_old_or_the_new_store(archives, tmp_path):
    """Independent of the kill points: end the process just after its n-th os.replace."""
    n = 0
    while True:
        n += 1
        s = kit.fresh_copy(archives["template"], tmp_path / f"r{n}")
        r = kit.run_child([archives["b"]], s, replace_exit_at=n)
        assert r.returncode in (0, 77), r.stderr
        assert kit.state(s) in (archives["A"], archives["B"]), f"exit after rename {n}"
        if r.returncode == 0:
            break
    assert n >= 4


def test_random_kills_leave_the_old_or_the_new_store(archives, tmp_path):
    rng = random.Random(13)
    calib = kit.run_child([archives["b"]], kit.fresh_copy(archives["template"],
                                                           tmp_path / "calib"))
    span = float(calib.stdout.split("DONE")[1])
    for trial in range(4):
        s = kit.fresh_copy(archives["template"], tmp_path / f"x{trial}")
        proc = kit.start_child([archives["b"]], s)
        assert proc.stdout.readline().strip() == "GO"
        time.sleep(rng.uniform(0, span * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        assert kit.state(s) in (archives["A"], archives["B"]), trial


def test_old_generations_are_removed_but_the_previous_one_is_kept(archives, tmp_path):
    s = kit.fresh_copy(archives["template"], tmp_path / "gc")
    first = store._resolve(s)
    store.ingest(archives["b"], s, progress=False)
    second = store._resolve(s)
    assert second.generation == first.generation + 1
    assert first.manifest.is_file() and all(p.is_file() for p in first.partitions.values())
    kit.write_day(tmp_path / "C", "cities", dt.date(2023, 1, 4), 70)
    store.ingest(tmp_path / "C", s, progress=False)
    assert not first.manifest.exists()
    assert second.manifest.is_file()
    # a reader holding the previous generation still reads it whole
    df, meta = store._read_snapshot(s, second, "cities", None, None, None, None)
    assert meta["generation"] == second.generation and len(df) > 0


def _both_kinds_equal(s, sources):
    for kind in ("cities", "sites"):
        back, meta = store.read_store(s, kind=kind)
        direct, dmeta = read_cnemc(sources, kind=kind)
        pd.testing.assert_frame_equal(back, direct)
        assert list(meta["missing_hours"]) == list(dmeta["missing_hours"])


def _assert_split_into_months(s, old_files):
    """Every partition of the current generation is a month file; the whole-year files of
    the generation before are kept (a reader may hold it) until the next commit."""
    snap = store._resolve(s)
    assert snap.partitions and all(m for _, _, m in snap.partitions)
    assert all(p.parent.name == f"month={m}" and p.parent.parent.name == f"year={y}"
               for (_, y, m), p in snap.partitions.items())
    assert all(p.is_file() for p in old_files)
    man = store.read_manifest(s)
    assert sorted(man["partitions"]) == sorted(snap.pointer["partitions"])


def test_a_store_from_before_generations_reads_and_migrates(tmp_path):
    """The older layout (manifest.json, days.arrow, <kind>/year=YYYY/data.parquet, no
    CURRENT) reads as it is; the next ingest makes it generation 1, its years split into
    month files, nothing lost."""
    s = tmp_path / "store"
    store.ingest(FIX, s, progress=False)
    described = store.describe_store(s)
    kit.to_year_layout(s, generations=False)
    old_files = sorted(s.glob("*/year=*/data.parquet"))
    assert len(old_files) == 2 and not (s / store.CURRENT).exists()
    _both_kinds_equal(s, FIX)
    assert store.describe_store(s) == described
    more = tmp_path / "more"
    kit.write_day(more, "cities", dt.date(2023, 5, 1), 30)
    store.ingest([FIX, more], s, progress=False)
    assert (s / store.CURRENT).is_file() and store._resolve(s).generation == 1
    _assert_split_into_months(s, old_files)
    _both_kinds_equal(s, [FIX, more])
    kit.write_day(more, "cities", dt.date(2023, 5, 2), 31)
    store.ingest([FIX, more], s, progress=False)
    assert not any(p.exists() for p in old_files)   # two commits later: removed
    _both_kinds_equal(s, [FIX, more])


def test_a_store_with_year_partitions_reads_and_is_split_into_months(tmp_path):
    """The layout up to 93fb33c (CURRENT naming one file per kind and year) reads as it is;
    an ingest with nothing new leaves it alone; the next commit splits every year (those it
    adds to and those it does not) into month files in the same generation."""
    src = tmp_path / "src"
    for d in (dt.date(2022, 1, 5), dt.date(2022, 3, 9), dt.date(2022, 12, 31),
              dt.date(2023, 2, 1)):
        kit.write_day(src, "cities", d, d.day)
        kit.write_day(src, "sites", d, d.month)
    s = tmp_path / "store"
    store.ingest(src, s, progress=False)
    described = store.describe_store(s)
    gen = store._resolve(s).generation
    kit.to_year_layout(s)
    old_files = store.current_files(s) + store.current_files(s, kind="sites")
    assert [p.relative_to(s).as_posix() for p in old_files] == [
        f"{k}/year={y}/data-g{gen:06d}.parquet" for k in ("cities", "sites")
        for y in (2022, 2023)]
    _both_kinds_equal(s, src)
    assert store.describe_store(s) == described
    df, meta = store.read_store(s, names="阳泉", start="2022-03-09", end="2022-03-09")
    assert len(df) == 24 and meta["partitions_read"] == [old_files[0].relative_to(s).as_posix()]
    again = store.ingest(src, s, progress=False)
    assert again["files_read"] == 0 and store._resolve(s).generation == gen
    assert store.current_files(s) == old_files[:2]
    # one new cities day in 2023: 2022 (untouched) and the sites years are split as well
    new = kit.write_day(tmp_path / "new", "cities", dt.date(2023, 2, 2), 7)
    res = store.ingest([src, new], s, progress=False)
    assert res["generation"] == gen + 1 and res["files_read"] == 1
    written = sorted(res["partitions_written"])
    assert written == sorted(f"{k}/year={d.year}/month={d.month}/data-g{gen + 1:06d}.parquet"
                             for k in ("cities", "sites")
                             for d in (dt.date(2022, 1, 5), dt.date(2022, 3, 9),
                                       dt.date(2022, 12, 31), dt.date(2023, 2, 1)))
    _assert_split_into_months(s, old_files)
    _both_kinds_equal(s, [src, new])
    after = store.describe_store(s)
    assert after["sites"] == described["sites"]
    assert after["cities"]["rows"] == described["cities"]["rows"] + 24 * len(kit.CITIES)
    # the next daily update writes one month file only
    new2 = kit.write_day(tmp_path / "new", "cities", dt.date(2023, 2, 3), 8)
    res = store.ingest([src, new, new2], s, progress=False)
    assert res["partitions_written"] == [f"cities/year=2023/month=2/data-g{gen + 2:06d}.parquet"]
    assert not any(p.exists() for p in old_files)
    _both_kinds_equal(s, [src, new, new2])


# ------------------------------------------------------------------ 3. non-UTF-8 names

def test_gb18030_folder_and_zip_member_names_are_read_and_recorded(tmp_path):
    name = "城市数据".encode("gb18030")
    folder = os.path.join(os.fsencode(tmp_path), name)
    os.mkdir(folder)
    src = Path(os.fsdecode(folder))
    kit.write_day(src, "cities", dt.date(2022, 1, 1), 10)
    zpath = tmp_path / "z.zip"
    member = "站点/china_sites_20220101.csv".encode("gb18030")
    placeholder = b"XXXX/china_sites_20220101.csv"
    assert len(placeholder) == len(member)
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr(placeholder.decode(), kit.day_csv(dt.date(2022, 1, 1), kit.STATIONS, 5))
    # the raw GB18030 bytes, no UTF-8 flag: as a zip made on Chinese Windows stores them
    zpath.write_bytes(zpath.read_bytes().replace(placeholder, member))
    s = tmp_path / "store"
    res = store.ingest([src, zpath], s, progress=False)
    assert res["files_read"] == 2 and not res["files_skipped"]
    files = store.read_manifest(s)["files"]
    c = files["cities/china_cities_20220101.csv"]
    assert "城市数据" in c["source"]
    assert base64.b64decode(c["source_raw"]) == os.fsencode(
        os.path.join(folder, b"china_cities_20220101.csv"))
    st = files["sites/china_sites_20220101.csv"]
    assert st["source"].endswith("::站点/china_sites_20220101.csv")
    assert base64.b64decode(st["source_raw"]).endswith(b"::" + member)
    assert len(store.read_store(s, kind="sites")[0]) == 48
    again = store.ingest([src, zpath], s, progress=False)   # a rerun: nothing to do
    assert again["files_unchanged"] == 2 and again["files_read"] == 0


# ------------------------------------------------------------------ 4. bad replacement

def test_a_bad_replacement_keeps_the_old_rows_and_says_so(tmp_path):
    src = tmp_path / "src"
    p = kit.write_day(src, "cities", dt.date(2022, 1, 2), 10)
    kit.write_day(src, "cities", dt.date(2022, 1, 1), 10)
    s = tmp_path / "store"
    store.ingest(src, s, progress=False)
    before, meta0 = store.read_store(s)
    assert len(meta0["missing_hours"]) == 0
    p.write_text(p.read_text()[:300])   # a cut-off re-download of the same day
    res = store.ingest(src, s, progress=False)
    assert res["files_read"] == 1 and len(res["files_kept_previous"]) == 1
    assert "previous version" in res["files_kept_previous"][0]["reason"]
    after, meta = store.read_store(s)
    pd.testing.assert_frame_equal(after, before)           # the rows kept ...
    assert len(meta["missing_hours"]) == 0                   # ... and reported as present
    assert any("line" in f["reason"] and "previous version" in f["reason"]
               for f in meta["files_skipped"])
    assert store.describe_store(s)["cities"]["hours"] == 48


# ------------------------------------------------------------------ 5. values

BAD_CELLS = {(2, "PM2.5", "阳泉"): "inf", (3, "PM2.5", "阳泉"): "1e400",
             (4, "PM10", "太原"): "-35", (5, "PM2.5", "太原"): "1e5",
             (0, "SO2", "晋中"): "-", (1, "NO2", "晋中"): "—"}


def _bad_day_files(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(1, 4):   # three files sharing one header: one group of the fast path
        cells = BAD_CELLS if d == 2 else {(6, "AQI", "阳泉"): "-35", (7, "CO", "太原"): "1e5"}
        kit.write_day(folder, "cities", dt.date(2022, 1, d), 10, cells=cells)


@pytest.mark.parametrize("fast", ["1", "0"])
def test_bad_values_cost_their_cell_and_are_counted_per_file_and_city(tmp_path, monkeypatch,
                                                                      fast):
    monkeypatch.setenv("YQPLAN_FAST_CSV", fast)
    if fast == "1":
        from yqplan.air import _fastcsv

        assert _fastcsv.ready_kernel(wait=True) is not None
    _bad_day_files(tmp_path / "src")
    df, meta = read_cnemc(tmp_path / "src")
    assert not meta["files_skipped"] and len(df) == 3 * 24 * 3   # no day lost
    rej = {(Path(r["file"]).name, r["location"]): r for r in meta["values_rejected"]}
    day2 = "china_cities_20220102.csv"
    assert {k: r["count"] for k, r in rej.items() if k[0] == day2} == {
        (day2, "阳泉"): 2, (day2, "太原"): 2, (day2, "晋中"): 2}
    # lines: header 1, then hour h type t at 2 + 15 h + t
    assert rej[(day2, "太原")]["example"].startswith(f"line {2 + 15 * 4 + 3}, 太原, PM10: -35")
    assert rej[(day2, "晋中")]["example"] == f"line {2 + 5}, 晋中, SO2: '-' is not a number"
    assert rej[(day2, "阳泉")]["example"] == f"line {2 + 30 + 1}, 阳泉, PM2.5: inf (not finite)"
    assert rej[("china_cities_20220101.csv", "阳泉")]["count"] == 1
    yq = df[(df.city == "阳泉") & (df.time.dt.day == 2)].set_index(df.time.dt.hour[
        (df.city == "阳泉") & (df.time.dt.day == 2)])
    assert np.isnan(yq.loc[2, "pm25"]) and np.isnan(yq.loc[3, "pm25"])
    assert yq.loc[4, "pm25"] == 10 + 4 and yq.loc[2, "pm10"] == 10 + 2   # others intact
    ty = df[(df.city == "太原") & (df.time.dt.day == 1)]
    assert np.isnan(ty[ty.time.dt.hour == 7]["co"].item())
    assert np.isfinite(df.select_dtypes("number").to_numpy()[
        ~np.isnan(df.select_dtypes("number").to_numpy())]).all()
    assert (df.select_dtypes("number").fillna(0) >= 0).all().all()


def test_fast_path_and_pyarrow_agree_on_bad_values(tmp_path, monkeypatch):
    """Both parsers give the same values and reports: with the file holding text cells (the
    fast path declines it) and without it (days 1 and 3: the compiled block path screens
    -35 and 1e5 itself)."""
    from yqplan.air import _fastcsv

    _bad_day_files(tmp_path / "src")
    regular = tmp_path / "regular"
    regular.mkdir()
    for d in (1, 3):
        shutil.copy(tmp_path / "src" / f"china_cities_2022010{d}.csv", regular)
    items = [(p.read_bytes(), str(p), dt.date(2022, 1, d))
             for d, p in zip((1, 3), sorted(regular.iterdir()))]
    for folder in (tmp_path / "src", regular):
        out = {}
        for fast in ("1", "0"):
            monkeypatch.setenv("YQPLAN_FAST_CSV", fast)
            if fast == "1":
                _fastcsv.ready_kernel(wait=True)
                parsed = cnemc.parse_many(items, "cities")
                assert all(p.block is not None for p in parsed)   # the block path ran
                assert [p.rejected for p in parsed] == [{"阳泉": 1, "太原": 1}] * 2
            out[fast] = read_cnemc(folder)
        pd.testing.assert_frame_equal(out["1"][0], out["0"][0])
        assert out["1"][1]["values_rejected"] == out["0"][1]["values_rejected"]
        assert sum(r["count"] for r in out["1"][1]["values_rejected"]) == (
            10 if folder.name == "src" else 4)


def test_ingest_reports_rejected_values(tmp_path, capsys):
    from yqplan.cli import main

    _bad_day_files(tmp_path / "src")
    s = tmp_path / "store"
    assert main(["air", "ingest", str(tmp_path / "src"), "--store", str(s),
                 "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "value(s) made missing" in err and "晋中" in err and "line 7" in err
    ent = store.read_manifest(s)["files"]["cities/china_cities_20220102.csv"]
    assert ent["status"] == "ok" and ent["rejected"] == {"阳泉": 2, "太原": 2, "晋中": 2}


# ------------------------------------------------------------------ 6. duplicates

def test_the_same_day_from_two_sources_is_reported_when_values_differ(tmp_path, capsys):
    from yqplan.cli import main

    kit.write_day(tmp_path / "one", "cities", dt.date(2022, 1, 1), 10)
    kit.write_day(tmp_path / "two", "cities", dt.date(2022, 1, 1), 10,
                  cells={(3, "PM2.5", "阳泉"): "99"})
    kit.write_day(tmp_path / "same", "cities", dt.date(2022, 1, 1), 10)
    s = tmp_path / "store"
    res = store.ingest([tmp_path / "one", tmp_path / "two"], s, progress=False)
    [c] = res["conflicts"]
    assert c["day"] == "2022-01-01" and "values differ in 1 cell" in c["detail"]
    assert "two" in c["used"] and "one" in c["ignored"]
    assert any("CONFLICT" in f["reason"] for f in res["files_skipped"])
    # identical copies are no conflict
    assert read_cnemc([tmp_path / "one", tmp_path / "same"])[1]["conflicts"] == []
    assert main(["air", "ingest", str(tmp_path / "two"), str(tmp_path / "one"), "--store",
                 str(tmp_path / "s2"), "--no-progress"]) == 0
    assert "conflict: cities 2022-01-01: values differ in 1 cell" in capsys.readouterr().err


def test_a_member_path_with_backslashes_gives_one_key_per_day(tmp_path):
    text = kit.day_csv(dt.date(2022, 1, 1), kit.CITIES, 10)
    z = tmp_path / "a.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("..\\china_cities_20220101.csv", text)
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "china_cities_20220101.csv").write_text(text, encoding="utf-8")
    s = tmp_path / "store"
    store.ingest(z, s, progress=False)
    store.ingest(loose, s, progress=False)
    keys = list(store.read_manifest(s)["files"])
    assert keys == ["cities/china_cities_20220101.csv"]
    assert len(store.read_store(s)[0]) == 72


def test_a_bad_hour_names_the_file_line_and_column(tmp_path):
    text = kit.day_csv(dt.date(2022, 1, 1), kit.CITIES, 10)
    text = text.replace("\r\n20220101,2,SO2,", "\r\n20220101,x,SO2,")
    with pytest.raises(cnemc.DataFileError, match=r"f\.csv, line 37, column 'hour'.*found 'x'"):
        cnemc.parse_bytes(text.encode(), "f.csv", "cities", day=dt.date(2022, 1, 1))

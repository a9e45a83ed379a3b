"""Bounded inputs (issue 13, item 7): zip bombs, lying zip headers, huge loose files.

Every crafted input is built here in tmp_path, small on disk (deflated zeros, sparse files),
and read in a child process whose peak resident memory is then asserted: a memory bound, not
a timing.  The cap refuses the file with a message naming it and the cap; the batch goes on.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest

MiB = 1 << 20
GiB = 1 << 30
PEAK_LIMIT_MB = 512

#: (in the child) its own peak resident memory, KiB: VmHWM counts from the exec; ru_maxrss
#: would include the test process's memory, copied at the fork
PEAK_CODE = """
def peak_kb():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

GOOD_DAY = ("date,hour,type,阳泉,太原\n"
            + "".join(f"20240102,{h},{t},{10 + h},{20 + h}\n" for h in range(24)
                      for t in ("AQI", "PM2.5")))


def _deflated_zeros(n: int) -> bytes:
    """Raw deflate of ``n`` zero bytes (n a multiple of 1 MiB), built without holding them:
    after a full flush the compressor restarts, so each 1 MiB block compresses the same."""
    assert n % MiB == 0
    block = b"\0" * MiB
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    assert piece == again
    return piece * (n // MiB) + c.flush()


def _zeros_crc(n: int) -> int:
    crc, block = 0, b"\0" * MiB
    for _ in range(n // MiB):
        crc = zlib.crc32(block, crc)
    return crc


def write_zip(path: Path, members) -> Path:
    """A zip by hand: ``members`` = [(name, data, declared size, crc, method)] where ``data``
    is the stored (method 0) or raw-deflated (method 8) bytes; sizes as declared, true or not."""
    out, central = bytearray(), bytearray()
    for name, data, declared, crc, method in members:
        nb = name.encode("utf-8")
        off = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0x800, method, 0, 0,
                           crc, len(data), declared, len(nb), 0) + nb + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0x800, method,
                               0, 0, crc, len(data), declared, len(nb), 0, 0, 0, 0, 0,
                               off) + nb
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def good_member(name: str, text: str):
    raw = text.encode()
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return (name, c.compress(raw) + c.flush(), len(raw), zlib.crc32(raw), 8)


def run_child(code: str, tmp_path: Path) -> tuple[dict, float]:
    """Run ``code`` (which sets ``result``) in a fresh interpreter; (result, peak RSS in MB).

    The child reports its own peak (:data:`PEAK_CODE`), so neither the test process nor its
    other children count in the figure."""
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(code) + PEAK_CODE + textwrap.dedent("""
        import json
        print("RESULT" + json.dumps({"result": result, "peak_kb": peak_kb()}))
    """))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")][-1]
    got = json.loads(line[len("RESULT"):])
    peak_mb = got["peak_kb"] / 1024
    print(f"peak RSS {peak_mb:.0f} MB")   # (pytest -s shows the measured figure)
    return got["result"], peak_mb


@pytest.fixture()
def bombs(tmp_path):
    """The crafted CNEMC zips, each beside a good day that must still be read."""
    good = good_member("城市/china_cities_20240102.csv", GOOD_DAY)
    d = tmp_path / "in"
    d.mkdir()
    gib = _deflated_zeros(GiB)
    crc = _zeros_crc(GiB)
    z = {
        # 1 GiB of zeros, size declared honestly (the 1 MB zip of the issue)
        "honest": write_zip(d / "honest.zip", [
            ("城市/china_cities_20240101.csv", gib, GiB, crc, 8), good]),
        # the same bytes declaring 400,000 bytes: the header lies
        "lying": write_zip(d / "lying.zip", [
            ("城市/china_cities_20240101.csv", gib, 400_000, 0, 8), good]),
        # 40 members of 30 MiB of zeros each (under the cap, 1.2 GB in all): each is read,
        # rejected by the parser (not a CNEMC header) and freed
        "many": write_zip(d / "many.zip", [
            (f"城市/china_cities_202401{k:02d}.csv", _deflated_zeros(30 * MiB), 30 * MiB,
             _zeros_crc(30 * MiB), 8) for k in range(3, 31) if k != 2] + [good]),
    }
    sparse = d / "loose" / "china_cities_20240101.csv"
    sparse.parent.mkdir()
    with open(sparse, "wb") as fh:       # 1 GiB of zeros, sparse: no disk used
        fh.truncate(GiB)
    (d / "loose" / "china_cities_20240102.csv").write_text(GOOD_DAY)
    z["loose"] = sparse.parent
    return z


@pytest.mark.parametrize("case", ["honest", "lying", "many", "loose"])
def test_cnemc_bombs_refused_within_memory(bombs, tmp_path, case):
    result, peak = run_child(f"""
        from yqplan.air.cnemc import read_cnemc
        df, meta = read_cnemc({str(bombs[case])!r}, names="阳泉")
        result = {{"rows": len(df), "skipped": meta["files_skipped"]}}
    """, tmp_path)
    assert peak < PEAK_LIMIT_MB, f"{case}: peak RSS {peak:.0f} MB"
    assert result["rows"] == 24                       # the good day was read
    if case == "many":   # members under the cap: read, then refused by the parser
        assert len([s for s in result["skipped"] if "not a CNEMC" in s["reason"]]) == 28
        return
    bad = [s for s in result["skipped"] if "20240101" in s["file"]]
    assert len(bad) == 1, result["skipped"]
    reason = bad[0]["reason"]
    if case == "lying":
        assert "declared size (400,000 bytes)" in reason and "cap of" in reason
    else:
        assert "1,073,741,824 bytes" in reason and "cap of 33,554,432 bytes" in reason


def test_cnemc_cap_overridable(bombs, tmp_path, monkeypatch):
    from yqplan.air.cnemc import read_cnemc

    # the good day (~1.4 KB) is refused under a 1,000-byte cap, read under the default
    df, meta = read_cnemc(bombs["loose"] / "china_cities_20240102.csv", max_file_bytes=1000)
    assert df.empty and "cap of 1,000 bytes" in meta["files_skipped"][0]["reason"]
    monkeypatch.setenv("YQPLAN_MAX_DAILY_FILE_MB", "0.001")
    df, meta = read_cnemc(bombs["loose"] / "china_cities_20240102.csv")
    assert df.empty and "cap of 1,048 bytes" in meta["files_skipped"][0]["reason"]
    monkeypatch.delenv("YQPLAN_MAX_DAILY_FILE_MB")
    df, meta = read_cnemc(bombs["loose"] / "china_cities_20240102.csv")
    assert len(df) == 48
    with pytest.raises(ValueError, match="max_file_bytes"):
        read_cnemc(bombs["loose"], max_file_bytes=0)


def test_store_ingest_of_bombs_within_memory(bombs, tmp_path):
    """The store's path (one month per chunk, read in worker threads) is bounded too."""
    result, peak = run_child(f"""
        from yqplan.air import store
        s = store.ingest([{str(bombs['honest'])!r}, {str(bombs['lying'])!r},
                          {str(bombs['many'])!r}], {str(tmp_path / 'store')!r},
                         kind="cities", progress=False)
        result = {{"skipped": s["files_skipped"], "read": s["files_read"]}}
    """, tmp_path)
    assert peak < PEAK_LIMIT_MB, f"peak RSS {peak:.0f} MB"
    assert any("cap of" in s["reason"] for s in result["skipped"])


# ------------------------------------------------------------------ water

WATER_HEADER = ("省份,流域,断面名称,监测时间,水质类别,水温(℃),pH(无量纲),溶解氧(mg/L),"
                "电导率(μS/cm),浊度(NTU),高锰酸盐指数(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L),"
                "叶绿素α(mg/L),藻密度(cells/L),站点情况")
WATER_ROW = "山西省,海河流域,白羊墅,01-11 08:00,Ⅲ,5.1,7.9,10.2,500,3,2.1,0.2,0.05,3.0,*,*,正常"
SNAP = "国家地表水水质自动监测系统检测数据.csv"


@pytest.fixture()
def water_bombs(tmp_path):
    good = good_member(f"2022/2022_01_11_09h04m_{SNAP}", WATER_HEADER + "\n" + WATER_ROW + "\n")
    gib = _deflated_zeros(GiB)
    d = tmp_path / "water"
    d.mkdir()
    z = {
        "honest": write_zip(d / "honest.zip", [
            (f"2022/2022_01_12_09h04m_{SNAP}", gib, GiB, _zeros_crc(GiB), 8), good]),
        "lying": write_zip(d / "lying.zip", [
            (f"2022/2022_01_12_09h04m_{SNAP}", gib, 4000, 0, 8), good]),
    }
    loose = d / "loose"
    loose.mkdir()
    with open(loose / f"2022_01_12_09h04m_{SNAP}", "wb") as fh:
        fh.truncate(GiB)
    (loose / f"2022_01_11_09h04m_{SNAP}").write_text(WATER_HEADER + "\n" + WATER_ROW + "\n")
    z["loose"] = loose
    return z


@pytest.mark.parametrize("case", ["honest", "lying", "loose"])
def test_water_bombs_refused_within_memory(water_bombs, tmp_path, case):
    result, peak = run_child(f"""
        from yqplan.water.monitoring import read_water_auto
        df, meta = read_water_auto({str(water_bombs[case])!r})
        result = {{"rows": len(df), "read": meta["files_read"],
                   "skipped": meta["files_skipped"]}}
    """, tmp_path)
    assert peak < PEAK_LIMIT_MB, f"{case}: peak RSS {peak:.0f} MB"
    assert result["read"] == 1 and result["rows"] > 0        # the good snapshot was read
    bad = [s for s in result["skipped"] if "01_12" in s["file"]]
    assert len(bad) == 1, result["skipped"]
    if case == "lying":   # zipfile stops at the declared 4,000 bytes; the CRC-32 fails
        assert "Bad CRC-32" in bad[0]["reason"]
    else:
        assert "1,073,741,824 bytes" in bad[0]["reason"] and "cap of 4,194,304 bytes" in \
            bad[0]["reason"]


def test_water_cap_overridable(water_bombs):
    from yqplan.water.monitoring import read_water_auto

    good = water_bombs["loose"] / f"2022_01_11_09h04m_{SNAP}"
    df, meta = read_water_auto(good, max_file_bytes=100)
    assert df.empty and "cap of 100 bytes" in meta["files_skipped"][0]["reason"]
    df, meta = read_water_auto(good)
    assert meta["files_read"] == 1 and not df.empty

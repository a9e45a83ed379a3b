"""fetch_cnemc against a local HTTP server (127.0.0.1) serving real daily files.

The served files are extracted at test time from the real 2024 zip into tmp_path (never
committed).  Special days: one always answers 500, one answers 500 once then the file, one
is cut off (Content-Length longer than the body), one is 404.
"""

from __future__ import annotations

import http.server
import threading
import zipfile
from pathlib import Path

import pytest

from yqplan.air.cnemc import fetch_cnemc, read_cnemc

DAYS = ["20240101", "20240102", "20240103", "20240104", "20240105", "20240106"]
ALWAYS_500 = "china_cities_20240103.csv"
FLAKY_500 = "china_cities_20240104.csv"
CUT_OFF = "china_cities_20240105.csv"
# 20240106 is not served: 404


@pytest.fixture()
def server(cnemc_dir, tmp_path):
    root = tmp_path / "mirror"
    root.mkdir()
    with zipfile.ZipFile(cnemc_dir / "城市_20240101-20240224.zip") as zf:
        for info in zf.infolist():
            base = info.filename.rsplit("/", 1)[-1]
            if any(base == f"china_cities_{d}.csv" for d in DAYS[:5]):
                (root / base).write_bytes(zf.read(info))
    hits: dict[str, int] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):  # keep pytest output clean
            pass

        def do_GET(self):
            name = self.path.rsplit("/", 1)[-1]
            hits[name] = hits.get(name, 0) + 1
            f = root / name
            if name == ALWAYS_500 or (name == FLAKY_500 and hits[name] == 1):
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if not f.is_file():
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = f.read_bytes()
            self.send_response(200)
            if name == CUT_OFF:
                self.send_header("Content-Length", str(len(body) + 1000))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/data/", root, hits
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.shared_data
def test_fetch_retries_resume_and_cut_off(server, tmp_path):
    base, root, hits = server
    dest = tmp_path / "dest"
    df, meta = fetch_cnemc("cities", "2024-01-01", "2024-01-06", dest, base_url=base, delay=0,
                           retries=2, backoff=0, progress=False, timeout=10)
    status = dict(zip(df["file"], df["status"]))
    assert status == {
        "china_cities_20240101.csv": "downloaded",
        "china_cities_20240102.csv": "downloaded",
        ALWAYS_500: "failed",
        FLAKY_500: "downloaded",          # retried after the first 500
        CUT_OFF: "failed",
        "china_cities_20240106.csv": "not_found",
    }
    assert (meta["downloaded"], meta["failed"], meta["not_found"]) == (3, 2, 1)
    assert hits[ALWAYS_500] == 3          # first try + 2 retries
    assert hits[FLAKY_500] == 2
    assert hits[CUT_OFF] >= 2             # the cut-off body was retried, then given up
    # downloaded files are byte-identical to the served ones; nothing partial left behind
    for name in ("china_cities_20240101.csv", FLAKY_500):
        assert (dest / name).read_bytes() == (root / name).read_bytes()
    assert not (dest / CUT_OFF).exists() and not (dest / ALWAYS_500).exists()
    assert sorted(p.name for p in dest.iterdir()) == sorted(
        ["china_cities_20240101.csv", "china_cities_20240102.csv", FLAKY_500])
    reason = df.loc[df.file == CUT_OFF, "reason"].item()
    assert "cut-off" in reason or "IncompleteRead" in reason or "Connection broken" in reason

    # resume: a second run fetches only what is still missing
    before = dict(hits)
    df2, meta2 = fetch_cnemc("cities", "2024-01-01", "2024-01-05", dest, base_url=base,
                             delay=0, retries=0, backoff=0, progress=False, timeout=10)
    assert meta2["present"] == 3
    assert hits.get("china_cities_20240101.csv") == before["china_cities_20240101.csv"]
    # and the downloaded files read like the originals
    got, _ = read_cnemc(dest, names="阳泉")
    ref, _ = read_cnemc([root / n for n in ("china_cities_20240101.csv",
                                            "china_cities_20240102.csv", FLAKY_500)],
                        names="阳泉")
    assert got.equals(ref) and len(got) > 24


def test_fetch_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="--kind"):
        fetch_cnemc("towns", "2024-01-01", "2024-01-02", tmp_path, progress=False)
    with pytest.raises(ValueError, match="--end"):
        fetch_cnemc("cities", "2024-01-02", "2024-01-01", tmp_path, progress=False)


def test_fetch_connection_refused_is_reported_not_raised(tmp_path):
    # a port with nothing listening: every attempt fails, the day is reported as failed
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    df, meta = fetch_cnemc("sites", "2024-01-01", "2024-01-01", tmp_path / "d",
                           base_url=f"http://127.0.0.1:{port}/", delay=0, retries=1, backoff=0,
                           progress=False, timeout=2)
    assert meta["failed"] == 1 and "Connection" in df["reason"].item()
    assert not any(Path(tmp_path / "d").iterdir())

"""fetch_cnemc against a hostile or broken mirror on 127.0.0.1 (issue 13, item 8).

A slow (drip-feeding) server, a gzip reply, ``Content-Length: abc``, garbage bodies, a full
disk, bombs (gzip of a gigabyte, a 1.5 GB body) and the URL in messages.  Every server runs
in a thread of the test (or of the child measuring memory), bound to 127.0.0.1; the days
and retries are few, and deadlines small, so no test waits long.
"""

from __future__ import annotations

import errno
import gzip
import http.server
import json
import pathlib
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from test_input_limits import PEAK_CODE   # (the child's own peak memory)

from yqplan.air.cnemc import fetch_cnemc


def day_csv(ymd: str = "20240101") -> str:
    return ("date,hour,type,阳泉,太原\n"
            + "".join(f"{ymd},{h},{t},{10 + h},{20 + h}\n" for h in range(24)
                      for t in ("AQI", "PM2.5")))


DAY = day_csv()
NAME = "china_cities_20240101.csv"


def serve(handler_body):
    """Start a threaded HTTP server whose GET calls ``handler_body(handler, name)``."""
    hits: dict[str, int] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            name = self.path.rsplit("/", 1)[-1]
            hits[name] = hits.get(name, 0) + 1
            try:
                handler_body(self, name)
            except (BrokenPipeError, ConnectionResetError):
                pass   # the client gave up: that is the point of some tests
            self.close_connection = True

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/data/", hits


@pytest.fixture()
def server():
    started = []

    def start(handler_body):
        httpd, base, hits = serve(handler_body)
        started.append(httpd)
        return base, hits

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


def send(h, body: bytes, status=200, headers=None):
    h.send_response(status)
    hdrs = {"Content-Length": str(len(body))}
    hdrs.update(headers or {})
    for k, v in hdrs.items():
        if v is not None:
            h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def fetch(base, dest, days=("2024-01-01", "2024-01-01"), **kw):
    opts = {"delay": 0, "retries": 0, "backoff": 0, "progress": False, "timeout": 5}
    opts.update(kw)
    return fetch_cnemc("cities", *days, dest, base_url=base, **opts)


def test_slow_server_hits_the_file_deadline(server, tmp_path):
    # headers at once, then one byte a second: the read timeout never fires
    def drip(h, name):
        h.send_response(200)
        h.send_header("Content-Length", str(len(DAY.encode())))
        h.end_headers()
        for b in DAY.encode()[:30]:
            h.wfile.write(bytes([b]))
            h.wfile.flush()
            time.sleep(1.0)

    base, hits = server(drip)
    t0 = time.monotonic()
    df, meta = fetch(base, tmp_path / "d", file_deadline=2, timeout=3)
    took = time.monotonic() - t0
    assert meta["failed"] == 1 and "deadline" in df["reason"].item()
    assert "2 s" in df["reason"].item()
    assert not any((tmp_path / "d").iterdir())
    assert took < 25   # a guard against the hang itself, not a timing measurement


def test_slow_headers_hit_the_file_deadline(server, tmp_path):
    # the status line at once, then a header one byte a second: getresponse() never returns
    def drip_headers(h, name):
        h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(30):
            h.wfile.write(b"a")
            h.wfile.flush()
            time.sleep(1.0)

    base, hits = server(drip_headers)
    t0 = time.monotonic()
    df, meta = fetch(base, tmp_path / "d", file_deadline=2, timeout=3)
    assert meta["failed"] == 1 and "deadline of 2 s" in df["reason"].item()
    assert time.monotonic() - t0 < 25   # a guard against the hang, not a timing measurement


def test_run_deadline_stops_the_run_and_reports_the_rest(server, tmp_path):
    def drip(h, name):
        h.send_response(200)
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(30):
            h.wfile.write(b"d")
            h.wfile.flush()
            time.sleep(1.0)

    base, hits = server(drip)
    df, meta = fetch(base, tmp_path / "d", days=("2024-01-01", "2024-01-05"),
                     file_deadline=60, run_deadline=2)
    assert meta["failed"] == 5
    assert "run deadline" in df["reason"].iloc[0]
    assert all("run deadline" in r for r in df["reason"])
    assert sum(hits.values()) == 1        # the other days were not even asked for


def test_gzip_reply_is_accepted_and_saved_decoded(server, tmp_path):
    def gz(h, name):
        assert "gzip" in h.headers.get("Accept-Encoding", "")
        send(h, gzip.compress(DAY.encode()), headers={"Content-Encoding": "gzip"})

    base, hits = server(gz)
    df, meta = fetch(base, tmp_path / "d")
    assert meta["downloaded"] == 1, df["reason"].item()
    assert (tmp_path / "d" / NAME).read_bytes() == DAY.encode()


def test_content_length_not_a_number_is_unknown_length(server, tmp_path):
    def bad_length(h, name):
        send(h, day_csv(name[13:21]).encode(),
             headers={"Content-Length": "abc", "Connection": "close"})

    base, hits = server(bad_length)
    df, meta = fetch(base, tmp_path / "d", days=("2024-01-01", "2024-01-02"))
    assert meta["downloaded"] == 2, df["reason"].tolist()   # the whole fetch went on
    assert (tmp_path / "d" / NAME).read_bytes() == DAY.encode()


@pytest.mark.parametrize("body", [
    b"<html><body><h1>502 Bad Gateway</h1></body></html>",          # an error page, 200
    DAY.encode()[:-700],                                             # cut mid-row
    b"date,hour,type,\xe9\x98\xb3\xe6\xb3\x89\n",                   # a header, no row
    b"",
], ids=["html", "truncated", "header-only", "empty"])
def test_garbage_body_is_not_saved_and_fetched_again(server, tmp_path, body):
    base, hits = server(lambda h, name: send(h, body))
    df, meta = fetch(base, tmp_path / "d")
    assert meta["failed"] == 1 and meta["downloaded"] == 0
    assert "not a CNEMC daily CSV" in df["reason"].item()
    assert not any((tmp_path / "d").iterdir())           # nothing saved, no temp file
    fetch(base, tmp_path / "d")
    assert hits[NAME] == 2                                # so the next run asks again


def test_full_disk_is_one_clear_error_and_leaves_nothing(server, tmp_path, monkeypatch):
    base, hits = server(lambda h, name: send(h, DAY.encode()))
    real = pathlib.Path.write_bytes

    def full(self, data):
        real(self, data[:10])       # a partial write, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(pathlib.Path, "write_bytes", full)
    with pytest.raises(OSError) as exc:
        fetch(base, tmp_path / "d")
    assert exc.value.errno == errno.ENOSPC
    msg = str(exc.value)
    assert "\n" not in msg and "No space left on device" in msg
    assert str(tmp_path / "d" / NAME) in msg               # the file, not a temp name
    assert not any((tmp_path / "d").iterdir())           # the temp file was removed


def test_full_disk_cli_exit_code_and_one_line(server, tmp_path, monkeypatch, capsys):
    from yqplan.cli import main

    base, hits = server(lambda h, name: send(h, DAY.encode()))

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(pathlib.Path, "write_bytes", full)
    code = main(["air", "fetch", "--kind", "cities", "--start", "2024-01-01", "--end",
                 "2024-01-01", "--dest", str(tmp_path / "d"), "--base-url", base,
                 "--delay", "0", "--retries", "0", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 74
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "No space left on device" in err and NAME in err


def test_messages_show_the_url_intact(server, tmp_path):
    base, hits = server(lambda h, name: send(h, b"<html>oops</html>"))
    df, meta = fetch(base.rstrip("/"), tmp_path / "d")       # also without the final /
    reason = df["reason"].item()
    assert f"{base}{NAME}" in reason, reason
    assert "http:/1" not in reason


# ------------------------------------------------------------------ bombs, in a child

CHILD = """
import gzip, http.server, threading, zlib, json, resource
from yqplan.air.cnemc import fetch_cnemc

GIB = 1 << 30
c = zlib.compressobj(9, zlib.DEFLATED, 31)
block = b"\\0" * (1 << 20)
first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
GZ_BOMB = first + again * (GIB // len(block) - 1) + c.flush()

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def do_GET(self):
        try:
            self.send_response(200)
            if CASE == "gzip":
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(GZ_BOMB)))
                self.end_headers()
                self.wfile.write(GZ_BOMB)
            elif CASE == "declared":
                self.send_header("Content-Length", str(1_500_000_000))
                self.end_headers()
                for _ in range(1500):
                    self.wfile.write(b"\\0" * 1_000_000)
            else:   # no length: 1.5 GB until the connection closes
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(1500):
                    self.wfile.write(b"\\0" * 1_000_000)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
httpd.daemon_threads = True
threading.Thread(target=httpd.serve_forever, daemon=True).start()
df, meta = fetch_cnemc("cities", "2024-01-01", "2024-01-01", DEST,
                       base_url=f"http://127.0.0.1:{httpd.server_address[1]}/",
                       delay=0, retries=0, backoff=0, progress=False, timeout=20)
print("RESULT" + json.dumps({"reason": df["reason"].item(), "failed": meta["failed"],
      "peak_kb": peak_kb()}))
"""


@pytest.mark.parametrize("case", ["gzip", "declared", "stream"])
def test_body_bombs_refused_within_memory(tmp_path, case):
    script = tmp_path / "child.py"
    script.write_text(f"CASE = {case!r}\nDEST = {str(tmp_path / 'd')!r}\n"
                      + PEAK_CODE + textwrap.dedent(CHILD))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads([ln for ln in proc.stdout.splitlines()
                      if ln.startswith("RESULT")][-1][len("RESULT"):])
    peak = got["peak_kb"] / 1024
    print(f"{case}: peak RSS {peak:.0f} MB")
    assert peak < 512, f"{case}: peak RSS {peak:.0f} MB"
    assert got["failed"] == 1 and "cap of 33,554,432 bytes" in got["reason"], got["reason"]
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())

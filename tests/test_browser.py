"""Looked at as a reader would: index.html and every report in headless Chromium, network off.

No failed request, no console error, the embedded CJK font loaded and used, every figure
decoded; a full-page screenshot of each page goes to ``tests/artifacts/screenshots/``
(git-ignored).  Needs Debian's ``chromium`` (``.ci/run`` installs it) and Playwright's Python
package; without them the test skips and says why.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed (apt-get install chromium chromium-driver; .ci/run does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-default-apps", "--disable-sync",
            "--no-first-run", "--disable-extensions"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def run_dir():
    from test_report_helpers import small_demo_run

    summary = small_demo_run()
    assert summary.ok, [r["error"] for r in summary.results if r["status"] != "ok"]
    return summary.run_dir


def _open(browser, page_path: Path, shot: Path) -> dict:
    ctx = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = ctx.new_page()
    failed, errors, requests = [], [], []

    def route(r):
        url = r.request.url
        requests.append(url)
        if url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:  # anything else would need the network
            failed.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda req: failed.append(f"{req.url} {req.failure}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    info = page.evaluate("""() => ({
        title: document.title,
        fontLoaded: document.fonts.check('16px "yqplan CJK"', '阳泉市'),
        fontFaces: [...document.fonts].map(f => f.family + ':' + f.status),
        h1Font: getComputedStyle(document.querySelector('h1') || document.body).fontFamily,
        images: [...document.images].map(i => [i.complete, i.naturalWidth]),
        links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
        text: document.body.innerText,
    })""")
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    ctx.close()
    return {"failed": failed, "errors": errors, "requests": requests, **info}


def test_index_and_every_report_read_offline(browser, run_dir):
    pages = [run_dir / "index.html"] + sorted(p for p in run_dir.glob("*.html") if p.name != "index.html")
    assert len(pages) == 16  # index + 15 reports of the small run
    for path in pages:
        got = _open(browser, path, SHOTS / f"{path.stem}.png")
        assert got["failed"] == [], (path.name, got["failed"])
        assert got["errors"] == [], (path.name, got["errors"])
        assert all(u.startswith(("file:", "data:")) for u in got["requests"]), path.name
        assert got["fontLoaded"], (path.name, got["fontFaces"])
        assert "yqplan CJK:loaded" in got["fontFaces"]
        assert "yqplan CJK" in got["h1Font"]
        assert all(ok and w > 0 for ok, w in got["images"]), (path.name, got["images"])
        assert (SHOTS / f"{path.stem}.png").stat().st_size > 10_000
        if path.name == "index.html":
            reports = [h.removeprefix("./") for h in got["links"] if h.endswith(".html")]
            assert sorted(reports) == sorted(p.name for p in pages[1:])
            assert "演示数据" in got["text"] and "成功" in got["text"]
            assert "final_assessment.docx" in got["links"]   # the Word version of 50_final_assessment
        else:
            assert len(got["images"]) >= 1, path.name
            assert ("来源与说明" in got["text"]) or ("Provenance" in got["text"])
            assert "index.html" in got["links"]


def test_an_english_report_speaks_english(browser, run_dir):
    got = _open(browser, run_dir / "00_plan_overview_en.html", SHOTS / "00_plan_overview_en.png")
    assert "Indicator verdicts" in got["text"] and "Key projects" in got["text"]
    assert "Provenance" in got["text"] and "来源与说明" not in got["text"]


def test_the_check_catches_a_network_fetch_and_a_script_error(browser, run_dir, tmp_path):
    """The reader's-eye check can fail: a CDN script and a broken script are both caught."""
    page = (run_dir / "30_projects.html").read_text(encoding="utf-8")
    bad = tmp_path / "bad.html"
    bad.write_text(page.replace("</head>", '<script src="https://cdnjs.cloudflare.com/x/require.min.js">'
                                          "</script><script>undefinedFunction()</script></head>"),
                   encoding="utf-8")
    got = _open(browser, bad, tmp_path / "bad.png")
    assert any("cdnjs.cloudflare.com" in u for u in got["failed"])
    assert any("undefinedFunction" in e for e in got["errors"])

"""Hostile text in the data never becomes live HTML (issue 13, item 9).

Script and event-handler payloads, ``javascript:`` URLs and Markdown link syntax are put
into every free-text field of the plan tables (``data/plan/*.csv``), the water section
names (``data/water/sections.csv`` and the snapshots that name them) and the run's
parameters (``title``; ``city`` of one report).  The reports are run on the small demo
data and every page is opened in headless Chromium: the *parsed* DOM must hold no script
element, no ``on*`` attribute, no ``javascript:`` URL, nothing that ran, and the payloads
must be there as text.  A fast check renders a sentence through nbconvert and parses it
with the standard library (it runs without Chromium).
"""

from __future__ import annotations

import csv
import io
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from yqplan.report import present
from yqplan.report import render

ROOT = Path(__file__).resolve().parents[1]

#: each sets window.__xss when it runs; the marker text proves it arrived as text
PAYLOADS = [
    '<script>window.__xss="script"</script>',
    '<img src=x onerror="window.__xss=\'img\'">',
    '"><svg onload="window.__xss=\'svg\'">',
    'javascript:window.__xss="url"',
    '[x](javascript:window.__xss="md")',
    "<a href='javascript:window.__xss=1'>a</a>",
]


class _Live(HTMLParser):
    """Collects what a browser would run: script elements, on* attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append(tag)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if value and "".join(value.split()).lower().startswith("javascript:"):
                self.found.append(f"{tag}[{name}={value}]")


def _live(html_text: str) -> list[str]:
    p = _Live()
    p.feed(html_text)
    return p.found


def test_escape_markdown_keeps_every_payload_as_text(tmp_path):
    """A sentence built from hostile names renders (nbconvert) to text, not elements."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    raw = "\n\n".join(f"**{p}** 最新值 1" for p in PAYLOADS)
    safe = "\n\n".join(f"**{present.escape_markdown(p)}** 最新值 1" for p in PAYLOADS)
    pages = {}
    for name, text in (("raw", raw), ("safe", safe)):
        nb = new_notebook()
        nb.cells = [new_code_cell("x", outputs=[new_output("display_data", data={"text/markdown": text})])]
        nbformat.write(nb, str(tmp_path / f"{name}.ipynb"))
        pages[name] = render.render_html(tmp_path / f"{name}.ipynb", tmp_path / f"{name}.html",
                                         embed_font=False).read_text(encoding="utf-8")
    assert len(_live(pages["raw"])) >= 4  # the check can fail: unescaped, they are live
    assert _live(pages["safe"]) == []
    import html

    for p in PAYLOADS:
        assert html.escape(p, quote=False) in pages["safe"].replace("&quot;", '"').replace("&#x27;", "'")
    # a multi-line value cannot start a block of its own
    assert "\n" not in present.escape_markdown("a\n# heading\n    code")


# ------------------------------------------------------------------ the whole run, in Chromium

def _free_text_columns(schema) -> list[str]:
    return [c.name for c in schema.columns
            if c.kind == "str" and not c.choices and not c.pattern and not c.check]


def _poison_csv(path: Path, columns: list[str], start: int, reader) -> dict[str, str]:
    """Append a payload to every free-text field of ``path`` (comment lines kept); old → new.

    A column the reader checks against other fields (``baseline_text`` must match the
    number, …) is not free text: when the reader refuses it, it is left as it was.
    """
    from yqplan.errors import DataFileError

    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    n_comments = 0
    while n_comments < len(lines) and lines[n_comments].startswith("#"):
        n_comments += 1
    columns = list(columns)
    while True:
        rows = list(csv.DictReader(io.StringIO("".join(lines[n_comments:]))))
        if not rows:
            return {}
        changed, k = {}, start
        for row in rows:
            for col in columns:
                if col in row and row[col]:
                    new = f"{row[col]} {PAYLOADS[k % len(PAYLOADS)]}"
                    changed[row[col]] = new
                    row[col] = new
                    k += 1
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        path.write_text("".join(lines[:n_comments]) + out.getvalue(), encoding="utf-8")
        try:
            reader(path)
        except DataFileError as exc:
            assert exc.column in columns, exc
            columns.remove(exc.column)
            continue
        return changed


def _sync_units(folder: Path) -> None:
    """values.csv must state each indicator's unit: give it the (poisoned) unit of indicators.csv."""
    def rows_of(path):
        text = "".join(ln for ln in path.read_text(encoding="utf-8").splitlines(keepends=True)
                       if not ln.startswith("#"))
        return list(csv.DictReader(io.StringIO(text)))

    units = {r["indicator_id"]: r["unit"] for r in rows_of(folder / "indicators.csv")}
    path = folder / "values.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    head = [ln for ln in lines if ln.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("".join(ln for ln in lines if not ln.startswith("#")))))
    for row in rows:
        row["unit"] = units[row["indicator_id"]]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text("".join(head) + out.getvalue(), encoding="utf-8")


def _hostile_data(tmp: Path, water_src: Path) -> tuple[Path, Path, int]:
    """A copy of data/ with payloads in every free-text field, and matching water snapshots."""
    import pandas as pd

    from yqplan.plan import tables as plan
    from yqplan.plan import values
    from yqplan.water import monitoring as water

    data = tmp / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("store", "demo"))
    tables = {"indicators.csv": (plan.INDICATORS_SCHEMA, plan.read_indicators),
              "projects.csv": (plan.PROJECTS_SCHEMA, plan.read_projects),
              "text_targets.csv": (plan.TEXT_TARGETS_SCHEMA, plan.read_text_targets),
              "results_13th.csv": (plan.RESULTS_SCHEMA, plan.read_results_13th),
              "stated_totals.csv": (plan.STATED_SCHEMA, plan.read_stated_totals),
              # entered values: their source and note reach the scoreboard and report 50
              "values.csv": (values._schema("indicator_id", plan.read_indicators()["indicator_id"]),
                             values.read_values)}
    # shipped empty (a header only): nothing to poison
    empty = {"province_targets.csv", "text_target_values.csv", "project_status.csv"}
    assert {p.name for p in (data / "plans" / "14th").glob("*.csv")} - set(tables) == empty
    n = 0
    for i, (name, (schema, reader)) in enumerate(tables.items()):
        n += len(_poison_csv(data / "plans" / "14th" / name, _free_text_columns(schema), i, reader))
    _sync_units(data / "plans" / "14th")
    renamed = _poison_csv(data / "water" / "sections.csv", _free_text_columns(water.SECTIONS_SCHEMA), 0,
                          water.read_sections)
    assert any(old in ("白羊墅", "温河辛庄") for old in renamed)
    snapshots = tmp / "water"
    shutil.copytree(water_src, snapshots)
    for f in snapshots.glob("*.csv"):
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        df["断面名称"] = df["断面名称"].map(lambda s: renamed.get(s, s))
        df.to_csv(f, index=False, encoding="utf-8")
    return data, snapshots, n


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    import os

    import yaml

    from test_report_helpers import small_demo_data
    from yqplan.report import run as report

    tmp = tmp_path_factory.mktemp("hostile")
    demo = small_demo_data()
    data, snapshots, n_fields = _hostile_data(tmp, demo["water"])
    assert n_fields > 300
    params = {
        "title": f"运行 {PAYLOADS[1]} {PAYLOADS[4]}", "language": "zh",
        "data": {"source": "store", "store": str(demo["store"]), "water": str(snapshots)},
        "jobs": 2, "timeout": 300,
        "reports": {
            "00_plan_overview": {},
            "00_plan_overview_en": {"notebook": "00_plan_overview", "language": "en"},
            "12_shanxi_ranking": {"start_year": 2025, "end_year": 2025, "cities": ["阳泉", "太原"]},
            "20_water": {"start_year": 2024, "end_year": 2025},
            "30_projects": {},
            "40_indicator": {"for_each": {"indicator_id": ["2"]}},
            "40_indicator_en": {"notebook": "40_indicator", "language": "en", "indicator_id": "4"},
            "50_final_assessment": {},
        }}
    pfile = tmp / "params.yaml"
    pfile.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    old = os.environ.get("YQPLAN_DATA")
    os.environ["YQPLAN_DATA"] = str(data)  # workers and kernels inherit it
    try:
        summary = report.run_reports(pfile, out_dir=tmp / "reports", progress=False)
    finally:
        if old is None:
            del os.environ["YQPLAN_DATA"]
        else:
            os.environ["YQPLAN_DATA"] = old
    return summary, data


_DOM_CHECK = """() => {
    const live = [];
    for (const el of document.querySelectorAll('*')) {
        if (el.tagName.toLowerCase() === 'script') live.push('script');
        for (const a of el.attributes) {
            if (a.name.toLowerCase().startsWith('on')) live.push(el.tagName + '[' + a.name + ']');
            if (a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase().startsWith('javascript:'))
                live.push(el.tagName + '[' + a.name + '=' + a.value + ']');
        }
        for (const kind of ['iframe', 'object', 'embed', 'frame'])
            if (el.tagName.toLowerCase() === kind) live.push(kind);
    }
    return {live, ran: window.__xss === undefined ? null : String(window.__xss),
            text: document.body.innerText, title: document.title};
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_no_payload_is_live_on_any_page(hostile_run):
    from test_browser import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed (apt-get install chromium; .ci/run does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    from yqplan.plan import tables as plan
    from yqplan.water import monitoring as water

    summary, data = hostile_run
    status = {r["name"]: r["status"] for r in summary.results}
    # the hostile names do not break the reports
    assert set(status.values()) == {"ok"}, [(r["name"], r["error"]) for r in summary.results]
    pages = sorted(summary.run_dir.glob("*.html"))
    assert len(pages) == 9
    texts = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"])
        try:
            for path in pages:
                ctx = browser.new_context(offline=True)
                page = ctx.new_page()
                dialogs = []
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_timeout(300)  # an onerror/onload would have fired by now
                got = page.evaluate(_DOM_CHECK)
                ctx.close()
                assert got["live"] == [] and got["ran"] is None and dialogs == [], (path.name, got["live"],
                                                                                   got["ran"])
                texts[path.stem] = got["title"] + "\n" + got["text"]
        finally:
            browser.close()

    def shown(stem, *needles):
        missing = [n for n in needles if n not in texts[stem]]
        assert not missing, (stem, missing)

    img, md = PAYLOADS[1], PAYLOADS[4]
    # the run title (params) on the index and in every report's header
    for stem in texts:
        shown(stem, img, md)
    board = plan.read_indicators(data / "plans" / "14th" / "indicators.csv").set_index("indicator_id")
    assert all(any(p in name for p in PAYLOADS) for name in board["name_zh"])
    # plan Table 1: every name in the scoreboard tables (zh, en, index) …
    shown("00_plan_overview", *board["name_zh"])
    shown("00_plan_overview_en", *board["name_en"])
    shown("index", *board["name_zh"])
    # … and in the Markdown sentence of one indicator (name and unit), zh and en
    shown("40_indicator-2", f"{board.loc['2', 'name_zh']}：最新值", board.loc["2", "unit"])
    shown("40_indicator_en", f"{board.loc['4', 'name_en']}: latest")
    # the key projects' tables, the water sections' names
    assert sum(p in texts["30_projects"] for p in PAYLOADS) >= 2
    sections = water.read_sections(data / "water" / "sections.csv")["section_name"]
    shown("20_water", *[n for n in sections if not n.startswith("温河辛庄")])  # 温河辛庄: no data


def test_a_hostile_city_is_refused_before_any_page_is_written(tmp_path):
    """A city in the params is checked against the shipped list up front, so a payload never
    reaches a page (it is named in the one-line error on stderr instead)."""
    from yqplan.report import run as report

    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump({"reports": {"12_shanxi_ranking": {"city": f"阳泉{PAYLOADS[2]}"}}},
                                allow_unicode=True), encoding="utf-8")
    with pytest.raises(report.ParamsError, match="is not a Shanxi city"):
        report.read_params(f)


def test_report_names_are_plain_file_names(tmp_path):
    """A report name becomes a file and a link: no path, no scheme (javascript:), no dot file."""
    from yqplan.report import run as report

    for bad in ("javascript:alert(1)", "../../escape", "a/b", ".hidden", "tab\there"):
        f = tmp_path / "p.yaml"
        f.write_text(f'reports:\n  "{bad}": {{notebook: 30_projects}}\n', encoding="utf-8")
        with pytest.raises(report.ParamsError, match="is its HTML file's name"):
            report.read_params(f)
    f.write_text('reports:\n  40_indicator: {for_each: {indicator_id: ["../x"]}}\n', encoding="utf-8")
    with pytest.raises(report.ParamsError, match="40_indicator-../x"):
        report.read_params(f)
    # and the index links to a report file relatively, whatever its name
    assert render._relative_href("javascript:alert(1).html") == "./javascript%3Aalert%281%29.html"

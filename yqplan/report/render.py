"""Executed notebooks → self-contained HTML pages, and the index page of a run.

:func:`render_html` renders one executed notebook without code cells: figures are
base64 PNG, the CSS is inlined, and the template drops the require.js / MathJax /
widget / mermaid ``<script src=https://…>`` tags that nbconvert's default template
loads from a CDN.  :func:`report_header` and :func:`report_footer` add the header
(title, status, synthetic-data warning) and the provenance block (data sources and
whether synthetic, standard edition, parameters, package version, run time, data as
of).  Every page embeds a subset of Noto Sans CJK SC (:func:`embed_cjk_font`) so
Chinese renders without system fonts and without any network.  :func:`write_index`
writes ``index.html`` with every report's status and error and the verdicts.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import json
import re
import sys
from pathlib import Path

from yqplan.report import palette, words
from yqplan.report.present import TEXT, dust_text, escape_html, format_datetime, public_text, scoreboard_view, source_words

__all__ = ["render_html", "notebook_title", "find_external_refs", "EMBEDDED_FONT_FAMILY",
           "subset_cjk_font", "embed_cjk_font", "report_header", "report_footer", "write_index"]

_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{#- nbconvert's lab template without anything fetched from a CDN -#}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style type="text/css">{{ resources.yqplan_css }}</style>{%- endblock extra_css -%}
{%- block body_header -%}{{ super() }}{{ resources.yqplan_header }}{%- endblock body_header -%}
{%- block body_footer -%}{{ resources.yqplan_footer }}{{ super() }}{%- endblock body_footer -%}
"""


_CSS = """
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       sans-serif; }}
main {{ max-width: 1100px; margin: 0 auto; }}
.yq-header, .yq-provenance {{ margin: 1em 16px; padding: 0.6em 1em; border: 1px solid {p[box_border]};
       border-radius: 4px; background: {p[box_background]}; font-size: 14px; }}
.yq-synthetic {{ background: {p[synthetic_background]}; border-left: 4px solid {p[synthetic_border]}; padding: 0.4em 0.8em; }}
.yq-failed {{ background: {p[failed_background]}; border-left: 4px solid {p[failed]}; padding: 0.4em 0.8em; }}
.yq-table, .yq-index {{ border-collapse: collapse; font-size: 13px; }}
.yq-table {{ display: block; overflow-x: auto; max-width: 100%; }}
.yq-table-wrap {{ overflow-x: auto; max-width: 100%; }}
.jp-OutputArea-output img, .jp-RenderedImage img {{ max-width: 100%; height: auto; }}
.yq-table td, .yq-table th, .yq-index td, .yq-index th {{ border: 1px solid {p[table_border]}; padding: 3px 8px; }}
.yq-index th {{ background: {p[table_head]}; }}
.status-ok {{ color: {p[ok]}; font-weight: bold; }} .status-failed {{ color: {p[failed]}; font-weight: bold; }}
pre.yq-params {{ font-size: 12px; background: {p[code_background]}; padding: 0.5em; white-space: pre-wrap; }}
""".format(p=palette.PAGE)  # colours: yqplan.report.palette.PAGE


def render_html(notebook_path, html_path, *, language: str = "zh", header: str = "",
                footer: str = "", embed_font: bool = True, font_cache=None) -> Path:
    """Render an executed notebook to one self-contained HTML file without code cells.

    Cells tagged ``lang-en`` are dropped from Chinese reports and ``lang-zh`` from
    English ones; code inputs and prompts are excluded; images are embedded; a
    subset of the CJK font is embedded (:func:`embed_cjk_font`) unless ``embed_font``
    is False.
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    other = words.word("meta.other_language_tag", language)
    c = Config()
    # "provenance": the notebook's own Sources section; the footer shows it in full.
    c.TagRemovePreprocessor.remove_cell_tags = {other, "remove-cell", "provenance"}
    c.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(
        config=c, template_name="lab",
        extra_loaders=[jinja2.DictLoader({"yqplan.html.j2": _TEMPLATE})],
        template_file="yqplan.html.j2", exclude_input=True, exclude_input_prompt=True,
        exclude_output_prompt=True, embed_images=True,
        # nbconvert writes <html lang> from this trait (ISO 639-1 only: "zh", not "zh-CN")
        language_code=words.word("meta.html_lang", language).split("-")[0])
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    nb = nbformat.read(str(notebook_path), as_version=4)
    title = notebook_title(nb, language)
    if title:
        nb.metadata["title"] = title
    resources = {"yqplan_css": _CSS, "yqplan_header": header, "yqplan_footer": footer,
                 "language_code": words.word("meta.html_lang", language)}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    if embed_font:
        body = embed_cjk_font(body, font_cache)
    from yqplan import _io

    return _io.write_text(html_path, body)


def notebook_title(nb, language: str = "zh") -> str:
    """The first level-1 heading of the notebook in ``language`` (cells tagged lang-zh/lang-en)."""
    other = words.word("meta.other_language_tag", language)
    for cell in nb.cells:
        if cell.cell_type != "markdown" or other in cell.get("metadata", {}).get("tags", []):
            continue
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return ""


def find_external_refs(text: str) -> list[str]:
    """Every ``src``/``href``/``url()``/``@import`` in ``text`` that would fetch over the network."""
    pats = [r"""(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""",
            r"""url\(\s*["']?((?:https?:)?//[^)"']+)""", r"""@import\s+["']?((?:https?:)?//[^"';\s]+)"""]
    found = []
    for p in pats:
        found += re.findall(p, text, flags=re.IGNORECASE)
    return found


# --------------------------------------------------------------------------------------
# The embedded CJK font
# --------------------------------------------------------------------------------------

#: CSS family name of the embedded font subset.
EMBEDDED_FONT_FAMILY = "yqplan CJK"


def subset_cjk_font(text: str, cache_dir=None) -> bytes:
    """A WOFF subset of Noto Sans CJK SC holding the glyphs of ``text`` (plus printable ASCII).

    The reports embed it so Chinese renders the same on a machine without CJK fonts
    and without any network (a page must not fetch a web font).  Layout tables are
    dropped (horizontal text needs none); ~50 kB for a report.  Subsets are cached
    by character set in ``cache_dir`` (subsetting takes about a second).
    """
    import hashlib
    import io

    from yqplan.report import plots

    chars = "".join(sorted({c for c in text if not c.isspace()} | {chr(i) for i in range(33, 127)}))
    key = hashlib.sha256(chars.encode("utf-8")).hexdigest()[:20]
    cached = Path(cache_dir) / f"{key}.woff" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    from fontTools import subset
    from fontTools.ttLib import TTFont

    opts = subset.Options()
    opts.flavor = "woff"
    opts.layout_features = []
    opts.hinting = False
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and licence lines (SIL OFL)
    opts.notdef_outline = True
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "VORG", "vhea", "vmtx"]
    font = TTFont(str(plots.cjk_font_path()), lazy=True)
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = buf.getvalue()
    if cached is not None:
        from yqplan import _io

        _io.write_bytes(cached, data)
    return data


def embed_cjk_font(page: str, cache_dir=None) -> str:
    """Insert an ``@font-face`` with a data-URL font subset for the page's text before ``</head>``.

    The CSS variables of nbconvert's lab theme are pointed at that font, so headings,
    tables, Markdown and tracebacks all use it.
    """
    import base64

    visible = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S | re.I)
    visible = re.sub(r"<[^>]+>", " ", visible)
    visible = _html.unescape(visible)
    data = base64.b64encode(subset_cjk_font(visible, cache_dir)).decode("ascii")
    fam = EMBEDDED_FONT_FAMILY
    style = (f'<style type="text/css">@font-face {{ font-family: "{fam}"; '
             f'src: url(data:font/woff;base64,{data}) format("woff"); }}\n'
             f':root {{ --jp-content-font-family: "{fam}", sans-serif; '
             f'--jp-ui-font-family: "{fam}", sans-serif; '
             f'--jp-code-font-family: monospace, "{fam}"; }}\n'
             f'body, table, h1, h2, h3, p, li, td, th {{ font-family: "{fam}", sans-serif; }}\n'
             f'pre, code {{ font-family: monospace, "{fam}"; }}</style>')
    i = page.lower().rfind("</head>")
    return page[:i] + style + page[i:] if i >= 0 else style + page


# --------------------------------------------------------------------------------------
# Header, provenance footer, index page
# --------------------------------------------------------------------------------------

def report_header(result: dict, job: dict) -> str:
    t = TEXT[job["language"]]
    prov = result.get("provenance") or {}
    parts = [f'<div class="yq-header"><a href="index.html">← {t["back"]}</a> · '
             f'{t["run"]} {escape_html(job["run_id"])}']
    if job.get("title"):
        parts.append(f" · {escape_html(job['title'])}")
    parts.append("</div>")
    if prov.get("synthetic") or job.get("synthetic"):
        parts.append(f'<p class="yq-synthetic" style="margin:1em 16px">{escape_html(t["synthetic"])}</p>')
    if result["status"] == "failed":
        parts.append(f'<p class="yq-failed" style="margin:1em 16px">{escape_html(t["failed_note"])}'
                     f'<br><code>{escape_html(public_text(result["error"]))}</code></p>')
    return "".join(parts)


def report_footer(result: dict, job: dict) -> str:
    from yqplan import __version__

    t = TEXT[job["language"]]
    prov = result.get("provenance") or {}
    sources = prov.get("sources") or job.get("sources") or []
    synthetic = bool(prov.get("synthetic") or job.get("synthetic"))
    edition = prov.get("edition") or job["params"].get("edition", "")
    dust = prov.get("dust") or job["params"].get("dust", "")
    as_of = prov.get("data_as_of")
    as_of_text = format_datetime(as_of, job["language"]) if as_of else t["none"]
    this_run = words.word("text.this_run", job["language"])
    shown = {k: (Path(v).name + this_run if k == "values_file" and v
                 else public_text(v) if isinstance(v, str) else v)
             for k, v in job["params"].items()}
    params = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in shown.items())
    run_time = format_datetime(_dt.datetime.fromisoformat(result["started"]).astimezone(
        _dt.timezone(_dt.timedelta(hours=8))), job["language"])
    items = "".join(f"<li>{escape_html(source_words(s, job['language']))}</li>" for s in sources) or f"<li>{t['none']}</li>"
    return (f'<section class="yq-provenance" id="provenance"><h2>{t["provenance"]}</h2>'
            f'<p><b>{t["data_sources"]}</b></p><ul>{items}</ul>'
            f'<p><b>{t["is_synthetic"]}</b>: {t["yes"] if synthetic else t["no"]}</p>'
            f'<p><b>{t["edition"]}</b>: {escape_html(str(edition))}</p>'
            f'<p><b>{t["dust"]}</b>: {escape_html(dust_text(dust, job["language"]))}</p>'
            f'<p><b>{t["data_as_of"]}</b>: {escape_html(as_of_text)}</p>'
            f'<p><b>{t["notebook"]}</b>: notebooks/{escape_html(result["notebook"])}.ipynb</p>'
            f'<p><b>{t["parameters"]}</b></p><pre class="yq-params">{escape_html(params)}</pre>'
            f'<p><b>{t["version"]}</b>: yqplan {__version__}, Python {sys.version.split()[0]}</p>'
            f'<p><b>{t["run_time"]}</b>: {escape_html(run_time)} ({t["run"]} '
            f'{escape_html(job["run_id"])})</p></section>')


def _relative_href(file_name: str) -> str:
    """A link to a file of the run folder: always relative (``./``), percent-encoded, escaped.

    A report name such as ``javascript:alert(1)`` thus links to a file, never runs.
    """
    from urllib.parse import quote

    return escape_html("./" + quote(str(file_name), safe=""))


def write_index(run_dir, results: list[dict], *, language: str, run_id: str, title: str,
                params_file: str = "", synthetic: bool = False, verdicts: dict | None = None,
                verdicts_error: str = "", font_cache=None) -> Path:
    """Write ``index.html``: every report with its status and error, the verdicts, provenance."""
    import pandas as pd

    from yqplan import __version__, _io

    t = TEXT[language]
    run_dir = Path(run_dir)
    n_ok = sum(r["status"] == "ok" for r in results)
    rows = []
    for r in results:
        st = t["ok"] if r["status"] == "ok" else t["failed"]
        rows.append(
            f'<tr><td><a href="{_relative_href(r["html"])}">{escape_html(r["title"])}</a>'
            f'<br><small>{escape_html(r["name"])}</small></td>'
            f'<td class="status-{r["status"]}">{st}</td>'
            f'<td>{r["duration_s"]:.1f} {t["seconds"]}</td>'
            f'<td>{escape_html(public_text(r.get("error") or ""))}</td></tr>')
    verdict_html = ""
    csv = run_dir / "verdicts.csv"
    if csv.exists():
        board = pd.read_csv(csv, dtype={"indicator_id": str, "comparator": str})
        board["comparator"] = board["comparator"].fillna("")
        verdict_html = (f'<h2>{t["verdicts"]}</h2><p>{t["verdicts_files"]}'
                        f'<a href="verdicts.json">verdicts.json</a> · <a href="verdicts.csv">verdicts.csv</a></p>'
                        + scoreboard_view(board, language).to_html(index=False, border=0,
                                                                    classes="yq-index", escape=True))
    elif verdicts_error:
        verdict_html = (f'<h2>{t["verdicts"]}</h2><p class="yq-failed">{t["verdicts_failed"]}: '
                        f'<code>{escape_html(verdicts_error)}</code></p>')
    now = format_datetime(_dt.datetime.now(_dt.timezone(_dt.timedelta(hours=8))), language)
    provs = [r.get("provenance") or {} for r in results]
    as_of_values = sorted(p["data_as_of"] for p in provs if p.get("data_as_of"))
    as_of = format_datetime(as_of_values[-1], language) if as_of_values else t["none"]
    editions = sorted({str(p["edition"]) for p in provs if p.get("edition")})
    warn = f'<p class="yq-synthetic">{escape_html(t["synthetic"])}</p>' if synthetic else ""
    # Word versions written by reports (50_final_assessment) into the run folder
    docs = sorted(run_dir.glob("*.docx"))
    docx_html = ("<p>Word: " + " · ".join(f'<a href="{escape_html(d.name)}">{escape_html(d.name)}</a>'
                                          for d in docs) + "</p>") if docs else ""
    page = f"""<!DOCTYPE html>
<html lang="{words.word('meta.html_lang', language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{escape_html(title or t['index_title'])}</title><style>{_CSS}
body {{ margin: 2em; }}</style></head>
<body><main>
<h1>{escape_html(title or t['index_title'])}</h1>{warn}
<p>{escape_html(t['summary'].format(n=len(results), ok=n_ok, failed=len(results) - n_ok))}</p>
<table class="yq-index"><thead><tr><th>{t['report']}</th><th>{t['status']}</th>
<th>{t['duration']}</th><th>{t['error']}</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table>
{docx_html}
{verdict_html}
<section class="yq-provenance"><h2>{t['provenance']}</h2>
<p><b>{t['run']}</b>: {escape_html(run_id)} · <b>{t['run_time']}</b>: {escape_html(now)}</p>
<p><b>{t['params_file']}</b>: {escape_html(public_text(params_file))}</p>
<p><b>{t['is_synthetic']}</b>: {t['yes'] if synthetic else t['no']}</p>
<p><b>{t['data_as_of']}</b>: {escape_html(as_of)} · <b>{t['edition']}</b>: {escape_html(", ".join(editions) or t['none'])}</p>
<p><b>{t['version']}</b>: yqplan {__version__}, Python {sys.version.split()[0]}</p>
</section></main></body></html>
"""
    return _io.write_text(run_dir / "index.html", embed_cjk_font(page, font_cache))

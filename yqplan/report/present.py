"""What a report shows its reader: words in Chinese or English, tables, sentences, provenance.

The notebooks call these to display their results (one call per section); the
pipeline (:mod:`yqplan.report.run`, :mod:`yqplan.report.render`) uses the same words and
formats for the header, footer and index of each run.

* :data:`TEXT` — the words the pipeline writes; :data:`VERDICT_WORDS` /
  :func:`verdict_word` / :func:`verdict_text` — :mod:`yqplan.plan.targets` verdicts in the
  reader's language; :func:`format_date`, :func:`format_datetime`.
* :func:`show_table`, :func:`show_markdown`, :func:`show_indicator_sentence`,
  :func:`scoreboard_view` — tables and sentences.
* :func:`escape_html` / :func:`escape_markdown` — every data-derived string (plan tables,
  section names, parameters, errors) passes one of them where it meets HTML or Markdown,
  so a name like ``PM2.5<img src=x onerror=…>`` is shown as text, never run.
* :func:`provenance_record` / :func:`show_provenance` — the data-provenance block a
  notebook displays (HTML for readers, JSON of MIME type :data:`MIME_PROVENANCE` for the
  pipeline).
"""

from __future__ import annotations

import html as _html
import re

from yqplan.air.cities import DEFAULT_CITY
from yqplan.report import words

__all__ = [
    # the pipeline's words and formats
    "MIME_PROVENANCE", "TEXT", "VERDICT_WORDS", "format_date", "format_datetime", "dust_text",
    # escaping: data meets markup
    "escape_html", "escape_markdown", "display_path", "public_text", "source_words",
    # tables
    "format_table", "csv_data_uri", "table_html", "show_table", "scoreboard_view",
    # sentences
    "show_markdown", "verdict_word", "verdict_text", "target_text", "indicator_sentence",
    "show_indicator_sentence", "MIN_YEARS_FOR_DIRECTION", "show_periods", "year_summary_sentence",
    "station_note", "rank_sentence", "change_word", "partial_comparison_sentence", "count_direction",
    "primary_pollutant_sentence",
    # provenance
    "provenance_record", "show_provenance",
]

#: MIME type of the machine-readable provenance a notebook displays (see :func:`show_provenance`).
MIME_PROVENANCE = "application/vnd.yqplan.provenance+json"


#: The words the pipeline writes, by language (from the catalogue :mod:`yqplan.report.words`, ``text.*``).
TEXT = {language: words.section("text", language) for language in words.LANGUAGES}


def format_date(value, language: str = "zh") -> str:
    """A date as a reader expects it: ``2025年12月31日`` or ``31 Dec 2025``."""
    import pandas as pd

    ts = pd.Timestamp(value)
    return words.word("date.day", language, year=ts.year, day=ts.day,
                      month=words.word(f"date.month.{ts.month}", language))


def format_datetime(value, language: str = "zh") -> str:
    """A time stamp with minutes, in the reader's language, keeping its time zone."""
    import pandas as pd

    ts = pd.Timestamp(value)
    tz = ts.strftime("%Z") if ts.tzinfo else ""
    return f"{format_date(ts, language)} {ts:%H:%M} {tz}".strip()


# --------------------------------------------------------------------------------------
# Escaping: data meets markup
# --------------------------------------------------------------------------------------

def escape_html(value) -> str:
    """``value`` as HTML text (attribute-safe too): ``&``, ``<``, ``>``, ``"`` and ``'`` escaped."""
    return _html.escape(str(value), quote=True)


# Markdown's own punctuation (CommonMark's backslash escapes minus the HTML ones, which
# become entities below): links, images, emphasis, code, headings, lists, tables.
_MARKDOWN_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:=$])")


def escape_markdown(value) -> str:
    """``value`` as literal Markdown text: no HTML, link, image, emphasis or block markup.

    Markdown punctuation is backslash-escaped (``[x](javascript:…)`` stays text), HTML's
    special characters become entities (``<img …>`` stays text), and line breaks become
    spaces (a new line could start a heading, list or code block).  Use it on every
    data-derived string formatted into a sentence for :func:`show_markdown`.
    """
    text = " ".join(str(value).splitlines())
    return escape_html(_MARKDOWN_PUNCT.sub(r"\\\1", text))


# --------------------------------------------------------------------------------------
# Tables and sentences
# --------------------------------------------------------------------------------------

def _format_cell(value, fmt: str, language: str) -> str:
    """One cell as printed, by the catalogue format of its column (see :class:`yqplan.glossary.Column`)."""
    import numpy as np
    import pandas as pd

    if value is None or (not isinstance(value, (str, bytes)) and np.ndim(value) == 0 and pd.isna(value)):
        return "–"
    if fmt == "bool" and isinstance(value, (bool, np.bool_)):
        return words.word("text.yes" if value else "text.no", language)
    if hasattr(value, "strftime") or isinstance(value, np.datetime64):
        ts = pd.Timestamp(value)
        midnight = (ts.hour, ts.minute, ts.second) == (0, 0, 0)
        return ts.strftime("%Y-%m-%d" if fmt == "date" or midnight else "%Y-%m-%d %H:%M")
    if isinstance(value, str):
        return source_words(value, language)   # no folder of this machine; zh words in zh
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return str(value)
    v = float(value)
    if fmt in ("int", "year"):
        return f"{v:.0f}"
    if fmt in ("1f", "2f", "4f"):
        return f"{v:.{fmt[0]}f}"
    if fmt == "pct":
        return f"{v:.1f}"
    if fmt == "share":
        return f"{100 * v:.1f}"
    # num / text holding a number: four significant digits, never 3.78e-05
    return np.format_float_positional(v, precision=4, unique=False, fractional=False, trim="-")


def format_table(df, language: str = "zh", *, pivot: str | None = None, labelled: bool = False):
    """A table as printed: headers (with units) in ``language``, cells rounded and formatted.

    The one table formatter of the reports, driven by the column catalogue
    :data:`yqplan.glossary.COLUMNS` (label in Chinese and English, unit, format).  A column
    may be named by its key (``good_ratio``) or by a header already printed from the
    catalogue.  ``pivot`` names the catalogue entry of columns whose headers are category
    values (a city, a pollutant): their unit and format come from it.  ``labelled=True``
    takes headers and cells as already written for readers (tables made as text, e.g.
    :func:`scoreboard_view`).

    Returns
    -------
    (pandas.DataFrame, list of str)
        The table of strings with printed headers, and the columns the catalogue does not know.
    """
    import pandas as pd

    from yqplan.glossary import COLUMNS, column_spec

    out, headers, unknown = {}, [], []
    piv = COLUMNS[pivot] if pivot else None
    for i, col in enumerate(df.columns):
        # in a pivot a header "PM2.5" is a category (days of PM2.5), not the PM2.5 column
        spec = COLUMNS.get(col) if piv is not None else column_spec(col)
        if spec is not None and not labelled:
            head, fmt = spec.header(language), spec.fmt
        elif labelled:
            head, fmt = str(col), "text"
        elif piv is not None:
            head, fmt = str(col) + (f" ({piv.unit})" if piv.unit else ""), piv.fmt
        else:
            head, fmt = str(col), "text"
            unknown.append(str(col))
        # a table made as text (also printed elsewhere, e.g. the .docx) keeps its words
        out[i] = [public_text(v) if labelled and isinstance(v, str) else _format_cell(v, fmt, language)
                  for v in df.iloc[:, i].tolist()]
        headers.append(head)
    view = pd.DataFrame(out, index=range(len(df)))
    view.columns = headers
    return view, unknown


def _is_number_column(s) -> bool:
    import pandas as pd

    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def csv_data_uri(df, language: str = "zh") -> str:
    """``df`` as a CSV ``data:`` URI: headers as printed, numbers unrounded, UTF-8 with a BOM
    (so Excel opens Chinese correctly)."""
    import base64

    import pandas as pd

    from yqplan.glossary import column_spec

    heads = []
    for col in df.columns:
        spec = column_spec(col)
        heads.append(spec.header(language) if spec is not None else str(col))
    out = df.copy()
    for i in range(out.shape[1]):          # by position: two columns may share a header
        if not pd.api.types.is_numeric_dtype(out.iloc[:, i]):
            out.iloc[:, i] = out.iloc[:, i].map(lambda v: public_text(v) if isinstance(v, str) else v)
    raw = out.set_axis(heads, axis=1).to_csv(index=False, lineterminator="\r\n")
    data = base64.b64encode(("\ufeff" + raw).encode("utf-8")).decode("ascii")
    return f"data:text/csv;charset=utf-8;base64,{data}"


def table_html(df, language: str = "zh", *, max_rows: int = 60, name: str | None = None,
               pivot: str | None = None, labelled: bool = False, csv=None) -> str:
    """The HTML of a report table: a box that scrolls sideways, the formatted table
    (:func:`format_table`), and a link downloading the whole table as CSV (``csv``,
    default ``df``; all rows, unrounded) from a ``data:`` URI, so the page stays one file.

    Columns the catalogue does not know are listed in the table's ``data-yq-unlabelled``
    attribute (the tests look for it)."""
    import hashlib

    view, unknown = format_table(df, language, pivot=pivot, labelled=labelled)
    numeric = [_is_number_column(df.iloc[:, i]) and not labelled for i in range(df.shape[1])]

    def cell(tag, text, num):
        # numbers right-aligned; short cells kept on one line (a narrow column must not
        # break 约束性 or 2025年 in two)
        style = ("text-align:right;" if num else "text-align:left;") + (
            "white-space:nowrap;" if len(text) <= 12 else "min-width:7em;")
        return f'<{tag} style="{style}">{_html.escape(text)}</{tag}>'

    head = "".join(cell("th", str(h), n) for h, n in zip(view.columns, numeric))
    body = "".join("<tr>" + "".join(cell("td", v, n) for v, n in zip(row, numeric)) + "</tr>\n"
                   for row in view.head(max_rows).itertuples(index=False))
    attr = (f' data-yq-unlabelled="{_html.escape(",".join(unknown), quote=True)}"' if unknown else "")
    shown = (f'<table class="dataframe yq-table"{attr}><thead><tr>{head}</tr></thead>'
             f"<tbody>\n{body}</tbody></table>")
    full = df if csv is None else csv
    if name is None:
        name = "table-" + hashlib.sha1(",".join(map(str, df.columns)).encode("utf-8")).hexdigest()[:8]
    more = ""
    if len(view) > max_rows:
        more = words.word("table.first_rows", language, max_rows=max_rows, n=len(view))
    link = (f'<a class="yq-csv" download="{_html.escape(name, quote=True)}.csv" '
            f'href="{csv_data_uri(full, language)}">'
            f'{words.word("table.download_csv", language)}</a>')
    return (f'<div class="yq-table-wrap" style="overflow-x:auto;max-width:100%">{shown}</div>'
            f'<p class="yq-table-note" style="font-size:12px;margin:2px 0 1em">{more}{link}</p>')


def show_table(df, language: str = "zh", columns: dict | None = None, max_rows: int = 60, *,
               name: str | None = None, pivot: str | None = None, labelled: bool = False, csv=None):
    """Display a DataFrame as a report table with its CSV download (see :func:`table_html`).

    Headers, units and formats come from the column catalogue :data:`yqplan.glossary.COLUMNS`;
    ``columns`` renames columns first (to catalogue keys, or to headers of your own).
    Cells and headers are escaped: data shows as text.
    """
    from IPython.display import HTML, display

    view = df.rename(columns=columns) if columns else df
    display(HTML(table_html(view, language, max_rows=max_rows, name=name, pivot=pivot,
                            labelled=labelled, csv=csv)))


def show_markdown(zh: str, en: str = "", language: str = "zh") -> None:
    """Display one sentence (Markdown) in the reader's language; ``en`` falls back to ``zh``.

    The sentence is Markdown written by the caller: every data-derived string in it
    (names, units, cities, section names) must pass :func:`escape_markdown`.
    """
    from IPython.display import Markdown, display

    display(Markdown(words.pick((zh, en or zh), language)))


#: Verdict words of :mod:`yqplan.plan.targets` → (Chinese, English) for readers (catalogue ``verdict.*``).
VERDICT_WORDS = words.section("verdict")


def verdict_word(word, language: str = "zh") -> str:
    """A verdict word of :mod:`yqplan.plan.targets` in the reader's language (unknown words kept)."""
    import pandas as pd

    if word is None or (not isinstance(word, str) and pd.isna(word)):
        return "–"
    pair = VERDICT_WORDS.get(str(word))
    return words.pick(pair, language) if pair else str(word)


def verdict_text(row, language: str = "zh") -> str:
    """The status with its year and whether it is final: ``2025年：达标（终期）``."""
    import pandas as pd

    status = row.get("status_verdict", row.get("status"))
    year = row.get("latest_year")
    if status not in ("met", "not met") or year is None or pd.isna(year):
        return verdict_word(status, language)
    kind = "final" if bool(row.get("final")) else "interim"
    return words.word("verdict.status_in_year", language, year=int(year),
                      status=verdict_word(status, language), kind=verdict_word(kind, language))


def target_text(row, language: str = "zh") -> str:
    """The 2025 target as readers see it: ``<= 0.9``; without a value, why.

    不低于现状 (not below the 2020 level) without a printed 2020 value is a target the
    plan sets but whose level is unknown — not a missing province value.
    """
    import pandas as pd

    value = row.get("target_value")
    if value is not None and pd.notna(value):
        return f"{row.get('comparator') or ''} {value:.4g}".strip()
    if row.get("target_kind") == "not_below_baseline":
        return words.word("target.not_below_baseline", language)
    return verdict_word("no target supplied", language)


#: The scoreboard's headers, column → (Chinese, English) (catalogue ``scoreboard.*``).
_SCOREBOARD_HEAD = words.section("scoreboard")


def scoreboard_view(board, language: str = "zh"):
    """The scoreboard as readers see it: a few columns, translated headers and verdict words.

    Parameters
    ----------
    board : pandas.DataFrame
        :func:`yqplan.plan.targets.assess_plan` result.

    Returns
    -------
    pandas.DataFrame
        Columns (translated): id, name, unit, attribute, 2020 baseline, 2025 target
        (comparator and value, or the "no target" word), latest value with its year, verdict,
        time-elapsed progress, progress ratio, probability of meeting [%].
    """
    import pandas as pd

    def num(v):
        return "–" if v is None or pd.isna(v) else f"{v:.4g}"

    rows = []
    for r in board.to_dict("records"):
        target = target_text(r, language)
        rows.append({
            "indicator_id": r["indicator_id"],
            "name": words.pick((r["name_zh"], r["name_en"]), language),
            "unit": r["unit"], "attribute": verdict_word(r["attribute"], language),
            "baseline_value": num(r["baseline_value"]), "target": target,
            "latest_value": num(r["latest_value"]) + (
                "" if pd.isna(r["latest_value"]) or pd.isna(r.get("latest_year"))
                else words.word("date.in_year", language, year=int(r["latest_year"]))),
            "verdict": verdict_text(r, language),
            "schedule_verdict": verdict_word(r["schedule_verdict"], language),
            "progress_verdict": verdict_word(r["progress_verdict"], language),
            "probability_met": ("–" if pd.isna(r["probability_met"])
                                else f"{100 * r['probability_met']:.0f}%"),
        })
    view = pd.DataFrame(rows, columns=list(_SCOREBOARD_HEAD))
    return view.rename(columns={k: words.pick(v, language) for k, v in _SCOREBOARD_HEAD.items()})


def indicator_sentence(row, language: str = "zh") -> str:
    """One sentence on an indicator's verdict: latest value, target, verdicts, probability."""
    import pandas as pd

    def num(v):
        return "–" if v is None or pd.isna(v) else f"{v:.4g}"

    md = escape_markdown  # every string from the data: shown as text, never markup
    text = words.word(
        "sentence.indicator", language, name=md(words.pick((row["name_zh"], row["name_en"]), language)),
        latest=num(row["latest_value"]), unit=md(row["unit"] or ""),
        year=int(row["latest_year"]) if pd.notna(row["latest_year"]) else "–",
        target=md(target_text(row, language)), verdict=md(verdict_text(row, language)),
        schedule=md(verdict_word(row["schedule_verdict"], language)),
        progress=md(verdict_word(row["progress_verdict"], language)))
    if pd.notna(row.get("probability_met")):
        text += words.word("sentence.indicator_probability", language,
                           pct=100 * row["probability_met"])
    return text


def show_indicator_sentence(row, language: str = "zh") -> None:
    """Display one sentence on an indicator's verdict, with its numbers (see :func:`indicator_sentence`)."""
    text = indicator_sentence(row, language)
    show_markdown(text, text, language)


# --------------------------------------------------------------------------------------
# Periods: partial years said plainly, directions computed
# --------------------------------------------------------------------------------------

#: Fewer complete years than this and no direction is stated (two points are a change, not a trend).
MIN_YEARS_FOR_DIRECTION = 3


def show_periods(periods, language: str = "zh") -> None:
    """Say which years the data hold and which are partial (:func:`yqplan.air.periods.describe`).

    ``periods``: dict year → :class:`yqplan.air.periods.Period`, or a metadata dict holding
    them as JSON under ``"periods"`` (:func:`yqplan.analyses.compute_indicator_values`).
    Nothing is shown when every year is complete.
    """
    from yqplan.air import periods as _periods

    if isinstance(periods, dict) and "periods" in periods and not isinstance(
            periods.get("periods"), _periods.Period):
        periods = _periods.from_json(periods.get("periods"))
    if not periods or not _periods.partial_periods(periods):
        return
    text = words.word("sentence.note", language, text=_periods.describe(periods, language))
    show_markdown(text, text, language)


def year_summary_sentence(annual, year, periods=None, language: str = "zh") -> str:
    """Valid, good and heavily polluted days of ``year`` (a row of the annual table), or why none.

    The year is named by its period ("2024年1—2月" when partial).  ``year`` None or not in
    ``annual`` → a sentence saying there are no data for it.
    """
    from yqplan.air import periods as _periods

    if year is None or int(year) not in annual.index:
        return words.word("sentence.year_no_data", language, year=year)
    r = annual.loc[int(year)]
    name = _periods.year_label(year, periods, language)
    if str(name).isdigit():
        name = words.word("date.year", language, year=name)
    return words.word("sentence.year_summary", language, name=name, valid=int(r["valid_days"]),
                      good=int(r["good_days"]), ratio=r["good_ratio"], heavy=int(r["heavy_days"]))


def station_note(stations, year, city: str = DEFAULT_CITY, language: str = "zh") -> str:
    """Why the station chart and map are empty (``""`` when ``stations`` has rows)."""
    if len(stations):
        return ""
    return words.word("sentence.no_station_data", language, city=city, year=year)


def rank_sentence(index, city: str, period_label: str, language: str = "zh") -> str:
    """``city``'s composite index and rank among the cities of ``index`` (Series city → index).

    ``period_label`` names the period ("2023" or "2024年1—2月").  1 = best = lowest index;
    ties share the better rank.
    """
    index = index.dropna()
    if city not in index:
        return words.word("sentence.rank_no_index", language, period=period_label, city=city)
    rank = int(index.rank(method="min")[city])
    period = (words.word("date.year", language, year=period_label) if str(period_label).isdigit()
              else str(period_label))
    return words.word("sentence.rank", language, period=period, city=city, index=index[city],
                      n=len(index), rank=rank)


def change_word(new, old, language: str = "zh", *, tol: float = 0.0) -> str:
    """``上升`` / ``下降`` / ``持平`` (``rose`` / ``fell`` / ``unchanged``) from ``old`` to ``new``."""
    if new - old > tol:
        return words.word("change.rose", language)
    if old - new > tol:
        return words.word("change.fell", language)
    return words.word("change.unchanged", language)


def partial_comparison_sentence(table, language: str = "zh") -> str:
    """One sentence per partial period against the same span a year earlier.

    ``table``: :func:`yqplan.analyses.compare_partial_periods` (rows in pairs: the
    partial period, then the year-earlier span).  Empty table → ``""``.
    """
    import pandas as pd

    out = []
    rows = table.to_dict("records")
    for cur, prev in zip(rows[0::2], rows[1::2]):
        def f(v, fmt):
            return "–" if v is None or pd.isna(v) else format(v, fmt)
        text = words.word(
            "sentence.partial_vs_year_before", language, period=cur["period"], start=cur["start"],
            end=cur["end"], valid=cur["valid_days"], pm25=f(cur["pm25"], ".0f"),
            ratio=f(cur["good_ratio"], ".1f"), heavy=cur["heavy_days"], prev_start=prev["start"],
            prev_end=prev["end"], prev_valid=prev["valid_days"], prev_pm25=f(prev["pm25"], ".0f"),
            prev_ratio=f(prev["good_ratio"], ".1f"), prev_heavy=prev["heavy_days"])
        if pd.notna(cur["pm25"]) and pd.notna(prev["pm25"]) and prev["valid_days"]:
            change = change_word(round(cur["pm25"]), round(prev["pm25"]), language)
            text += words.word("sentence.partial_pm25_change", language, change=change)
        text += words.word("sentence.partial_year_end", language)
        out.append(text)
    return " ".join(out)


def count_direction(counts, periods=None, language: str = "zh") -> str:
    """How a yearly count changed over the complete years, computed, in words.

    ``counts``: Series indexed by year; ``periods``: dict year → Period (partial years
    are left out).  ``逐年增加`` / ``逐年减少`` only when every step goes that way over at
    least :data:`MIN_YEARS_FOR_DIRECTION` complete years; otherwise the first and last
    values, or that no trend can be stated.
    """
    s = counts.copy()
    if periods:
        s = s[[int(y) in periods and periods[int(y)].complete for y in s.index]]
    s = s.dropna()
    if len(s) < MIN_YEARS_FOR_DIRECTION:
        vals = words.word("punct.list_sep", language).join(
            words.word("count.year_days", language, year=int(y), n=int(v)) for y, v in s.items())
        return words.word("count.too_few_years", language, min=MIN_YEARS_FOR_DIRECTION,
                          vals=vals or words.word("text.none", language))
    d = s.diff().dropna()
    span = words.word("count.span", language, first=int(s.index[0]), last=int(s.index[-1]),
                      v0=int(s.iloc[0]), v1=int(s.iloc[-1]))
    if (d > 0).all():
        return words.word("count.rose_every_year", language, span=span)
    if (d < 0).all():
        return words.word("count.fell_every_year", language, span=span)
    return words.word("count.mixed", language, span=span,
                      change=change_word(s.iloc[-1], s.iloc[0], language))


def primary_pollutant_sentence(annual_counts, monthly_counts=None, periods=None,
                               pollutant: str = "O3_8h", language: str = "zh") -> str:
    """The primary-pollutant prose under the chart, every claim computed.

    ``annual_counts`` / ``monthly_counts``: :func:`yqplan.analyses.count_primary_pollutants`
    of the annual and monthly tables; ``periods`` the annual periods.  Says how the days
    with ``pollutant`` as the primary pollutant changed over the complete years
    (:func:`count_direction`) and which pollutant was primary on most summer (June–August)
    days of complete years.
    """
    import pandas as pd

    intro = words.word("primary.intro", language)
    if pollutant in annual_counts:
        text = words.word("primary.ozone_days", language, pollutant=pollutant,
                          direction=count_direction(annual_counts[pollutant], periods, language))
    else:
        text = words.word("primary.none", language, pollutant=pollutant)
    if monthly_counts is not None and len(monthly_counts):
        idx = pd.DatetimeIndex(monthly_counts.index)
        keep = idx.month.isin([6, 7, 8])
        if periods:
            keep &= [int(y) in periods and periods[int(y)].complete for y in idx.year]
        summer = monthly_counts[keep].sum()
        if len(summer) and summer.sum() > 0:
            top = summer.idxmax()
            text += words.word("primary.summer_top", language, top=top, days=int(summer[top]),
                               pct=100 * summer[top] / summer.sum())
        else:
            text += words.word("primary.no_summer", language)
    return intro + text


# --------------------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------------------

#: An absolute POSIX path inside a text, two parts at least (not the ``/`` of ``µg/m³``,
#: ``2012/2026`` or ``</a>``).
_ABS_PATH = re.compile(r"(?<![\w.:/~<])/(?:[^\s\"'<>,;()（），；：/]+/)+[^\s\"'<>,;()（），；：]*")


def display_path(path) -> str:
    """A path as a report prints it: relative to the project root when inside it, else the
    file name alone (``/data/cnemc/城市_20230101-20231231.zip`` → ``城市_20230101-20231231.zip``);
    a relative path is kept.  No report names a folder of the machine that made it."""
    from pathlib import PurePosixPath

    from yqplan import config

    text = str(path)
    p = PurePosixPath(text)
    if not p.is_absolute():
        return text
    try:
        return PurePosixPath(text).relative_to(PurePosixPath(str(config.project_root()))).as_posix() or "."
    except ValueError:
        return p.name or text


def public_text(text) -> str:
    """``text`` with every absolute path in it replaced by :func:`display_path`."""
    return _ABS_PATH.sub(lambda m: display_path(m.group(0)), str(text))


#: The readers' source descriptions (``meta["source"]``) are written in English; their
#: phrases, longest first, are catalogue entries ``source.N`` (the English word is the phrase
#: itself, so an English report keeps the text as it is).
_SOURCE_PHRASES = [v for k, v in words.section("source").items() if k.isdigit()]
_SOURCE_TABLE_ITEM = re.compile(r"(?P<plan>(?:plan )?)Table (?P<table>\d+), item (?P<item>[\d.]+)")
_SOURCE_PLAN_TABLE = re.compile(r"\bplan Table (?P<table>\d+)\b")


def source_words(text, language: str = "zh") -> str:
    """A source description as the reader sees it: no machine path (:func:`public_text`) and,
    in a Chinese report, the readers' English phrases (``air store``, ``(cities)``) in Chinese."""
    out = public_text(text)
    for pair in _SOURCE_PHRASES:
        out = out.replace(pair[1], words.pick(pair, language))
    out = _SOURCE_TABLE_ITEM.sub(lambda m: words.word(
        "source.plan_table_item" if m["plan"] else "source.table_item", language,
        table=m["table"], item=m["item"]), out)
    return _SOURCE_PLAN_TABLE.sub(
        lambda m: words.word("source.plan_table", language, **m.groupdict()), out)


def provenance_record(*metas: dict, edition: str = "auto", data_as_of=None,
                      sources: list[str] | None = None, dust: str = "") -> dict:
    """Summarise readers' metadata dicts for the provenance block.

    Parameters
    ----------
    *metas : dict
        Metadata dicts returned by readers (``read_store``, ``read_cnemc``, water
        readers, plan readers); the keys used are ``source``/``store``/``files_read``,
        ``synthetic``, ``kind``.
    edition : str
        The standard edition actually used (or "auto" with the rule).
    data_as_of : date-like, optional
        The last time stamp of the data shown.
    sources : list of str, optional
        Extra source descriptions (e.g. "plan Table 1, data/plans/14th/indicators.csv").
    dust : str, optional
        The run's dust deduction (``none``, ``estimate`` or the file of dust days).

    Returns
    -------
    dict
        ``sources`` (list of str), ``synthetic`` (bool), ``edition`` (str),
        ``data_as_of`` (ISO str or ""), ``dust`` (str).
    """
    out = [public_text(s) for s in (sources or [])]
    synthetic = False
    for meta in metas:
        if not meta:
            continue
        synthetic = synthetic or bool(meta.get("synthetic"))
        desc = meta.get("source") or meta.get("store") or meta.get("path")
        kind = meta.get("kind")
        files = meta.get("files_read")
        nfiles = len(files) if isinstance(files, (list, tuple)) else files
        text = public_text(desc) if desc else (f"{nfiles} files" if nfiles is not None else "")
        if kind:
            text = f"{text} ({kind})" if text else str(kind)
        if meta.get("synthetic"):
            text += " [synthetic]"
        if text and text not in out:
            out.append(text)
    as_of = ""
    if data_as_of is not None:
        import pandas as pd

        if not pd.isna(data_as_of):
            as_of = pd.Timestamp(data_as_of).isoformat()
    return {"sources": out, "synthetic": synthetic, "edition": str(edition), "data_as_of": as_of,
            "dust": str(dust)}


def show_provenance(*metas: dict, edition: str = "auto", data_as_of=None,
                    sources: list[str] | None = None, language: str = "zh", dust: str = "") -> None:
    """Display the data provenance in a notebook (HTML for readers, JSON for the pipeline).

    The pipeline reads the JSON (MIME type :data:`MIME_PROVENANCE`, the record of
    :func:`provenance_record`) from the executed notebook and completes it with
    parameters, package version and run time.  Returns None (nothing echoed).
    """
    from IPython.display import display

    rec = provenance_record(*metas, edition=edition, data_as_of=data_as_of, sources=sources,
                            dust=dust)
    display({"text/html": _data_provenance_html(rec, language), MIME_PROVENANCE: rec}, raw=True)


def _data_provenance_html(rec: dict, language: str) -> str:
    t = TEXT[language]
    items = "".join(f"<li>{escape_html(source_words(s, language))}</li>" for s in rec["sources"]) or f"<li>{t['none']}</li>"
    as_of = (format_datetime(rec["data_as_of"], language) if rec.get("data_as_of") else t["none"])
    warn = f'<p class="yq-synthetic">{escape_html(t["synthetic"])}</p>' if rec["synthetic"] else ""
    return (f'<div class="yq-data-provenance">{warn}<p><b>{t["data_sources"]}</b></p><ul>{items}</ul>'
            f'<p><b>{t["is_synthetic"]}</b>: {t["yes"] if rec["synthetic"] else t["no"]} · '
            f'<b>{t["edition"]}</b>: {escape_html(rec["edition"])} · '
            f'<b>{t["dust"]}</b>: {escape_html(dust_text(rec.get("dust"), language))} · '
            f'<b>{t["data_as_of"]}</b>: {escape_html(as_of)}</p></div>')


def dust_text(dust, language: str = "zh") -> str:
    """The run's dust setting in words: none, estimated, or the file of official dust days."""
    if not dust:
        return TEXT[language]["none"]
    if dust in ("none", "estimate"):
        return TEXT[language][f"dust_{dust}"]
    from pathlib import Path

    return f'{TEXT[language]["dust_file"]} {Path(str(dust)).name}'

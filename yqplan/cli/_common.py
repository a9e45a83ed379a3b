"""Shared pieces of the command line: the --format option and table output."""

from __future__ import annotations

import csv
import json
import sys

FORMATS = ("table", "csv", "json")


def add_format_arg(parser, default: str = "table") -> None:
    parser.add_argument("--format", choices=FORMATS, default=default,
                        help="output format (default: %(default)s)")


def keep_pandas_out_of_pyarrow() -> None:
    """Let pyarrow's check for pandas find none, for a command that never needs pandas.

    pyarrow imports pandas (≈ 0.4 s, a fifth of a cold ``air ingest``) the first time it
    converts any array, only to tell whether the object it was given is a pandas one.  A
    command that hands pyarrow no pandas objects (``air ingest``) answers that check
    "none" once, here; pyarrow remembers it.  Asked for a DataFrame (``to_pandas``),
    pyarrow imports pandas then and is pandas-aware again, and ``import pandas`` works as
    usual; but until then ``pa.array(<a pandas Series>)`` would convert it as a plain
    sequence (NaN kept, not null) — so call this only in a command that never passes
    pandas objects to pyarrow.  No-op when pandas is already imported (a test process).
    """
    if "pandas" in sys.modules:
        return

    class _NoPandas:
        def find_spec(self, name, path=None, target=None):
            if name == "pandas" or name.startswith("pandas."):
                raise ImportError("pandas is not needed here")
            return None

    blocker = _NoPandas()
    sys.meta_path.insert(0, blocker)
    try:
        import pyarrow as pa  # heavy (pyarrow): only for the command that asked for this

        pa.array([0])   # pyarrow's one look for pandas
    finally:
        sys.meta_path.remove(blocker)


def emit(df, fmt: str, stream=None) -> None:
    """Print a DataFrame (or list of dicts) as an aligned table, CSV or JSON records.

    JSON is UTF-8 with Chinese kept as is; NaN becomes null; timestamps ISO 8601.
    Plain rows (:func:`_plain_columns`: whole numbers and ASCII text) are printed without
    importing pandas, exactly as pandas prints them — ``air ingest`` needs pandas for
    nothing else (≈ 0.4 s of a fresh process).
    """
    stream = stream or sys.stdout
    cols = _plain_columns(df) if fmt in FORMATS else None
    if cols is not None:
        _emit_plain(df, cols, fmt, stream)
        return
    import pandas as pd  # heavy (pandas): `yqplan --help` stays fast

    if not isinstance(df, pd.DataFrame):
        df = pd.DataFrame(df)
    if fmt == "csv":
        df.to_csv(stream, index=False)
    elif fmt == "json":
        text = df.to_json(orient="records", force_ascii=False, date_format="iso", indent=1)
        stream.write(json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n")
    elif fmt == "table":
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.unicode.east_asian_width", True):
            stream.write(df.to_string(index=False) + "\n")
    else:
        raise ValueError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")


def _plain_columns(rows) -> list | None:
    """The column names when ``rows`` is a non-empty list of dicts with the same keys, in
    the same order, each column all ``int`` (not bool) or all printable ASCII ``str``, and
    every name printable ASCII without surrounding spaces; None otherwise (pandas prints
    it: missing values, floats, bools and wide characters have its own formatting)."""
    if not isinstance(rows, list) or not rows or not all(type(r) is dict for r in rows):
        return None
    cols = list(rows[0])
    if not cols or any(list(r) != cols for r in rows):
        return None
    for c in cols:
        if type(c) is not str or not (c.isascii() and c.isprintable()) or c != c.strip():
            return None
        vals = [r[c] for r in rows]
        if not (all(type(v) is int for v in vals) or
                all(type(v) is str and v.isascii() and v.isprintable() for v in vals)):
            return None
    return cols


def _emit_plain(rows, cols, fmt, stream) -> None:
    """:func:`emit` of plain rows (:func:`_plain_columns`), byte for byte as pandas writes
    them (``tests/test_cli_plain.py`` compares the two)."""
    if fmt == "json":
        stream.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(cols)
        writer.writerows([r[c] for c in cols] for r in rows)
    else:   # right-aligned, one space apart; a number column's name has a sign position
        num = [type(rows[0][c]) is int for c in cols]
        cells = [[" " + c if n else c for c, n in zip(cols, num)]]
        cells += [[str(r[c]) for c in cols] for r in rows]
        widths = [max(len(row[j]) for row in cells) for j in range(len(cols))]
        stream.write("\n".join(" ".join(v.rjust(w) for v, w in zip(row, widths))
                                for row in cells) + "\n")

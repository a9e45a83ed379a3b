"""Shared pieces of the command line: the --format option and table output."""

from __future__ import annotations

import json
import sys

FORMATS = ("table", "csv", "json")


def add_format_arg(parser, default: str = "table") -> None:
    parser.add_argument("--format", choices=FORMATS, default=default,
                        help="output format (default: %(default)s)")


def emit(df, fmt: str, stream=None) -> None:
    """Print a DataFrame (or list of dicts) as an aligned table, CSV or JSON records.

    JSON is UTF-8 with Chinese kept as is; NaN becomes null; timestamps ISO 8601.
    """
    import pandas as pd  # heavy (pandas): `yqplan --help` stays fast

    stream = stream or sys.stdout
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

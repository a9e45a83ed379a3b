"""Validate a CSV file against a column schema, with errors a user can act on.

A schema is a list of :class:`Column`. :func:`read_csv_checked` reads every
field as text, checks it, converts it and raises :class:`~yqplan.errors.DataFileError`
naming the file, the line (header = line 1), the column, what was expected and
what was found.  Used for every hand-edited file the project ships (plan tables,
province targets, published figures, water sections, the manual water template).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from yqplan.errors import DataFileError

_KINDS = {"str", "float", "int", "date", "bool"}
_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否"}


@dataclass(frozen=True)
class Column:
    """One column of a shipped table.

    Parameters
    ----------
    name : column header, lower_snake_case.
    kind : ``str``, ``float``, ``int``, ``date`` (YYYY-MM-DD, YYYY-MM or YYYY) or ``bool``.
    required : an empty field is an error.
    choices : allowed values (after stripping).
    pattern : a regular expression the whole text must match.
    min, max : bounds for numbers.
    check : extra ``callable(value) -> str | None``; a string is the expectation that failed.
    description : the glossary text, with the unit in brackets.
    """

    name: str
    kind: str = "str"
    required: bool = False
    choices: Sequence[str] | None = None
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    check: Callable[[object], str | None] | None = None
    description: str = ""

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"Column {self.name!r}: kind must be one of {sorted(_KINDS)}")


@dataclass
class Schema:
    """Columns of a table and, optionally, the column(s) that must be unique."""

    columns: list[Column]
    unique: Sequence[str] = field(default_factory=tuple)
    allow_extra: bool = False

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _convert(col: Column, text: str):
    if col.kind == "str":
        return text
    if col.kind == "float":
        return float(text)
    if col.kind == "int":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError
        return int(text)
    if col.kind == "bool":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError
    if col.kind == "date":
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
            raise ValueError
        return text
    raise AssertionError(col.kind)


_EXPECT = {"float": "a number", "int": "an integer", "bool": "true or false",
           "date": "a date YYYY, YYYY-MM or YYYY-MM-DD", "str": "text"}


def validate_records(rows, schema: Schema, path) -> list[dict]:
    """Check and convert ``rows``, pairs of (file line, dict of text); return converted dicts."""
    out = []
    seen: dict[tuple, int] = {}
    for line, raw in rows:
        rec = {}
        for col in schema.columns:
            text = (raw.get(col.name) or "").strip()
            if text == "":
                if col.required:
                    raise DataFileError(path, "empty field", line=line, column=col.name,
                                        expected=_EXPECT[col.kind] if col.kind != "str" else "a value")
                rec[col.name] = None
                continue
            try:
                value = _convert(col, text)
            except ValueError:
                raise DataFileError(path, "cannot read the field", line=line, column=col.name,
                                    expected=_EXPECT[col.kind], found=text) from None
            if col.choices is not None and text not in col.choices:
                raise DataFileError(path, "value not allowed", line=line, column=col.name,
                                    expected="one of " + ", ".join(map(str, col.choices)), found=text)
            if col.pattern is not None and not re.fullmatch(col.pattern, text):
                raise DataFileError(path, "value has the wrong form", line=line, column=col.name,
                                    expected=f"text matching {col.pattern}", found=text)
            if col.min is not None and value < col.min:
                raise DataFileError(path, "value too small", line=line, column=col.name,
                                    expected=f">= {col.min}", found=text)
            if col.max is not None and value > col.max:
                raise DataFileError(path, "value too large", line=line, column=col.name,
                                    expected=f"<= {col.max}", found=text)
            if col.check is not None:
                problem = col.check(value)
                if problem:
                    raise DataFileError(path, "value fails a check", line=line, column=col.name,
                                        expected=problem, found=text)
            rec[col.name] = value
        if schema.unique:
            key = tuple(rec[c] for c in schema.unique)
            if key in seen:
                raise DataFileError(path, f"duplicate of line {seen[key]}", line=line,
                                    column=",".join(schema.unique),
                                    expected="a unique value", found=key if len(key) > 1 else key[0])
            seen[key] = line
        out.append(rec)
    return out


def read_utf8_lines(path) -> list[str]:
    """The lines of a UTF-8 text file (a BOM is dropped); DataFileError naming the file and
    line when it is not UTF-8 (a table saved as GB18030/GBK by a spreadsheet)."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DataFileError(path, "not UTF-8 text", line=line,
                            expected="a file saved as UTF-8 (not GB18030/GBK)",
                            found=raw[exc.start:exc.start + 4]) from None


def read_csv_checked(path, schema: Schema):
    """Read a UTF-8 CSV file, validate it against ``schema`` and return a DataFrame.

    Raises
    ------
    DataFileError
        Missing or unexpected columns, or a field that fails its column's rules;
        the message names the file, line and column.
    """

    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file not found")
    lines = read_utf8_lines(path)
    # Comment lines (#) are allowed above the header and are skipped.
    start = 0
    while start < len(lines) and lines[start].lstrip().startswith("#"):
        start += 1
    if start >= len(lines):
        raise DataFileError(path, "no header line", line=start + 1,
                            expected="a header: " + ",".join(schema.names))
    reader = csv.reader(lines[start:])
    header = [h.strip() for h in next(reader)]
    missing = [c for c in schema.names if c not in header]
    if missing:
        raise DataFileError(path, "missing column(s) " + ", ".join(missing), line=start + 1,
                            expected="a header with " + ",".join(schema.names))
    extra = [h for h in header if h not in schema.names]
    if extra and not schema.allow_extra:
        raise DataFileError(path, "unknown column(s) " + ", ".join(extra), line=start + 1,
                            expected="only " + ",".join(schema.names))
    rows = []
    for offset, fields in enumerate(reader):
        line = start + 2 + offset
        if not any(f.strip() for f in fields):
            continue  # blank lines are ignored, line numbers still count them
        if len(fields) != len(header):
            raise DataFileError(path, f"{len(fields)} fields", line=line,
                                expected=f"{len(header)} fields (quote fields that hold commas)")
        rows.append((line, dict(zip(header, fields))))
    recs = validate_records(rows, schema, path)
    df = pd.DataFrame.from_records(recs, columns=schema.names)
    for col in schema.columns:
        if col.kind == "float":
            df[col.name] = df[col.name].astype("float64")
        elif col.kind == "int":
            df[col.name] = df[col.name].astype("Int64")
        elif col.kind == "bool":
            df[col.name] = df[col.name].astype("boolean")
    return df

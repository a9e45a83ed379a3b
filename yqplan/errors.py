"""Exceptions the library raises for bad input."""

from __future__ import annotations

from pathlib import Path


class DataFileError(ValueError):
    """A data file that cannot be used as it is.

    The message names the file, the line (1-based, as an editor shows it, the
    header being line 1) or row, the column or field, what was expected and what
    was found, so a user can open the file and fix it.
    """

    def __init__(self, path, message: str, *, line: int | None = None,
                 column: str | None = None, expected: str | None = None,
                 found: object = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.expected = expected
        self.found = found
        where = str(self.path) if self.path is not None else "<input>"
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        text = f"{where}: {message}"
        if expected is not None:
            text += f"; expected {expected}"
        if found is not None:
            text += f", found {found!r}"
        super().__init__(text)


class LockHeldError(RuntimeError):
    """Another process holds the lock (a second ``yqplan report`` run, or a second ingest).

    The command line exits with code 3 on it (``yqplan --help`` lists the codes).
    """


class Terminated(BaseException):
    """The process received SIGTERM; raised in the main thread so that clean-up runs.

    A :class:`BaseException` like :class:`KeyboardInterrupt`: ``except Exception``
    does not swallow it.  The command line exits with 143 (128 + SIGTERM).
    """

    def __init__(self, signum: int = 15):
        self.signum = signum
        super().__init__(f"terminated by signal {signum}")


#: The public API of this module (anything else is private to it).
__all__ = ["DataFileError", "LockHeldError", "Terminated"]

"""Atomic writes: a reader never sees a half-written file or folder.

Everything the library writes goes to a temporary name in the same folder and is
then renamed over the target (``os.replace`` is atomic on one file system), so an
interrupted run leaves the previous good output in place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path, suffix: str = ""):
    """Yield a temporary path next to ``path``; rename it over ``path`` on success.

    On an exception the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix or ".tmp",
                               dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(path)


def write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_frame(df, path, **kwargs) -> Path:
    """Write a DataFrame atomically; the format follows the suffix (.csv, .json, .parquet)."""
    path = Path(path)
    with atomic_path(path, suffix=path.suffix) as tmp:
        if path.suffix == ".csv":
            df.to_csv(tmp, index=False, **kwargs)
        elif path.suffix == ".json":
            df.to_json(tmp, orient="records", force_ascii=False, indent=1, **kwargs)
        elif path.suffix == ".parquet":
            df.to_parquet(tmp, index=False, **kwargs)
        else:
            raise ValueError(f"{path}: unknown table format {path.suffix!r}; "
                             "expected .csv, .json or .parquet")
    return path


@contextlib.contextmanager
def atomic_dir(path):
    """Yield a fresh temporary folder; swap it in for ``path`` on success.

    The old folder, if any, is moved aside and removed only after the new one is
    in place, so at every moment ``path`` is either the old or the new content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    os.chmod(tmp, 0o777 & ~_umask())
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if path.exists():
        old = path.parent / f".{path.name}.old.{os.getpid()}"
        os.replace(path, old)
    os.replace(tmp, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

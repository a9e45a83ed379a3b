"""Fast path for the CNEMC daily-file layout: one compiled pass, no intermediate table.

The CNEMC files are a fixed shape — ``date,hour,type,<one column per location>``, 15 rows per
hour in platform order, values that are empty or plain decimals.  :func:`parse_rows` parses a
group of such files (bodies joined, headers removed) straight into the (type, location, hour)
block that the store writes, in one pass compiled with numba.  It is about 2.5× cheaper than
pyarrow's general CSV reader on these files, which is what the ingest speed goal needs.

It is a *fast path*, never the only path: anything it does not handle exactly — a type out
of order, an hour that changes inside its 15 rows, a field count that differs from the
header, a sign or digit it does not expect, an exponent, ``NaN`` text, more than 15
significant digits — makes it return ``None`` and the caller parses the group with pyarrow,
whose errors name the file and line.

Values are bit-identical to a correctly rounded parse (what pyarrow and ``float()`` give): a
decimal with at most 15 significant digits and at most 22 decimals is ``m / 10**k`` with both
``m`` and ``10**k`` exact doubles, and one IEEE division is correctly rounded (Clinger's fast
path).  Tested against pyarrow on every cell of the real 2022 archive.

Plausibility is not judged here: the block it returns goes through the same screen as the
pyarrow path's values (:func:`yqplan.air.cnemc._screen_block`: negative, non-finite and
implausible cells made missing and counted), so both paths report the same.

Set ``YQPLAN_FAST_CSV=0`` to switch the fast path off (the pyarrow path is then used
everywhere, e.g. to compare the two).  Without numba the pyarrow path is used silently.  The
kernel is loaded (≈ 0.6 s, once per process) by the first read big enough to repay it
(:func:`load_if_worth_it`); smaller reads use pyarrow until then — the results are the same.
"""

from __future__ import annotations

import functools
import os

import numpy as np


def enabled() -> bool:
    """False when ``YQPLAN_FAST_CSV=0`` (or off/false/no)."""
    return os.environ.get("YQPLAN_FAST_CSV", "1").strip().lower() not in ("0", "false", "no",
                                                                          "off")


@functools.lru_cache(maxsize=1)
def _kernel():
    """Import and load the compiled kernel (≈ 0.6 s: numba, then its on-disk cache)."""
    try:
        from yqplan.air._fastcsv_kernel import compact, pack, parse  # heavy: numba (≈ 0.6 s)
    except ImportError:   # pragma: no cover - numba is a dependency; pyarrow is the fallback
        return None
    # one tiny call with the real argument types loads (or first compiles) the machine code
    parse(np.frombuffer(b"1,0,A,1\n", dtype=np.uint8), np.zeros(1, dtype=np.int64),
          np.frombuffer(b"A", dtype=np.uint8), np.array([0, 1], dtype=np.int64),
          np.empty((1, 1, 1)), np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64),
          np.zeros(1, dtype=np.int64))
    pack(np.zeros(1), 1, 1, 1, 1, np.zeros((1, 1), dtype=bool))
    compact(np.zeros((1, 1)), np.ones(1, dtype=bool))
    return parse, pack, compact


def ready_kernel(wait: bool = False):
    """The compiled kernel; if it is not loaded yet, load it (``wait=True``) or return None.

    Loading costs about 0.6 s once per process (numba's import and its on-disk cache), so
    readers load it only for enough data to repay it (:func:`load_if_worth_it`).
    """
    if not enabled():
        return None
    if not wait and _kernel.cache_info().currsize == 0:
        return None
    return _kernel()


#: a read of at least this many bytes is worth loading the kernel for: loading costs
#: ≈ 0.6 s once per process and then saves ≈ 0.6 s per 100 MB parsed
WORTH_LOADING_BYTES = 64 << 20


def load_if_worth_it(total_bytes: int) -> None:
    """Load the kernel now (before starting worker threads) if ``total_bytes`` repay it."""
    if total_bytes >= WORTH_LOADING_BYTES:
        ready_kernel(wait=True)


def parse_rows(body: bytes, n_values: int, keep, types, wait: bool = False,
               max_hours: int | None = None):
    """Parse joined daily-file bodies (no headers; ending with a newline, as the caller
    joins them — otherwise declined) into a (type, location, hour) block.

    ``n_values`` is the number of location columns in the header, ``keep`` the positions
    (0-based among them) to keep, in output order, and ``types`` the type names in the
    order every hour's rows must follow.  Returns ``(block, dates, hours, present,
    starts)`` — ``block`` of shape ``(len(types), len(keep), n_hours)`` with NaN for empty
    cells, the date (YYYYMMDD) and hour label of each hour, ``present`` (location, hour):
    True where the location has at least one value, and the byte offset in ``body`` of each
    hour's first row (to check where files begin) — or ``None`` when the fast path does not
    apply or when the kernel is not loaded and the group is too small to be worth loading
    it for (``wait=True`` loads it regardless).

    The block needs a number of hours to start with: ``max_hours``, an upper bound (24 per
    daily file; the block is then packed to the hours found, in place), or, without it, the
    rows are counted (one more pass over ``body``) and the count checked.
    """
    kernel = ready_kernel(wait)
    if kernel is None:
        return None
    parse, pack, _compact = kernel
    nt = len(types)
    n_rows = None
    if max_hours is None:
        n_rows = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
        if n_rows % nt:
            return None
    cap = max_hours if n_rows is None else n_rows // nt
    colmap = np.full(n_values, -1, dtype=np.int64)
    colmap[np.asarray(keep, dtype=np.int64)] = np.arange(len(keep))
    names = [t.encode() for t in types]
    types_flat = np.frombuffer(b"".join(names), dtype=np.uint8)
    types_off = np.concatenate([[0], np.cumsum([len(x) for x in names])]).astype(np.int64)
    nk = len(keep)
    buf = np.empty(nt * nk * cap)
    dates = np.zeros(cap, dtype=np.int64)
    hours = np.zeros(cap, dtype=np.int64)
    starts = np.zeros(cap, dtype=np.int64)
    got = parse(np.frombuffer(body, dtype=np.uint8), colmap, types_flat, types_off,
                buf.reshape(nt, nk, cap), dates, hours, starts)
    if got < 0 or (n_rows is not None and got != n_rows):
        return None
    nh = got // nt
    present = np.zeros((nk, nh), dtype=bool)
    pack(buf, nt, nk, cap, nh, present)
    return (buf[:nt * nk * nh].reshape(nt, nk, nh), dates[:nh], hours[:nh], present,
            starts[:nh])


def compact_columns(v: np.ndarray, keep: np.ndarray):
    """``np.compress(keep, v, axis=1)`` done in place in ``v`` (C-contiguous, 2-D): returns
    the view ``v[:, :m]`` (each row contiguous), or None when the kernel is not loaded.

    Saves allocating and first-touching a second block of nearly the same size (the
    location-hours with no value are ~1–2 % of a real year); ``v`` is overwritten.
    """
    kernel = ready_kernel()
    if kernel is None or not v.flags.c_contiguous or v.ndim != 2:
        return None
    m = kernel[2](v, np.ascontiguousarray(keep, dtype=bool))
    return v[:, :m]

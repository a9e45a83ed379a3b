"""Size caps on input read from outside (zip members, loose files, HTTP bodies).

A zip member or an HTTP body declares its size, but the declaration can lie: a 1 MB zip of
zeros inflates to a gigabyte whatever its header says.  Everything here reads in bounded
pieces and stops as soon as the bytes actually produced pass the cap, so the memory a hostile
input can take is the cap, not its inflated size.  The caps and why they have these values:
``docs/input_limits.md``.

Each cap is a named constant, overridable per call (``max_file_bytes=``) or for a whole run
through an environment variable (in MiB), read when called.
"""

from __future__ import annotations

import os
import zlib

from yqplan.errors import DataFileError

MiB = 1 << 20

#: A CNEMC daily CSV (city or station level).  Largest real files measured: a city file
#: 438,828 bytes (china_cities_20220310.csv), a station file 1,444,597 bytes
#: (china_sites_20180101.csv).  32 MiB is 23x the station file and 76x the city file: room
#: for many more stations or columns, far below what could exhaust memory.
CNEMC_FILE_CAP = 32 * MiB
CNEMC_FILE_CAP_ENV = "YQPLAN_MAX_DAILY_FILE_MB"

#: A water-monitoring snapshot CSV.  Largest real snapshot measured: 4,834 bytes (one
#: province, ~40 sections).  A national snapshot (~2,000 stations) would be ~250 KB; 4 MiB is
#: ~16x that, ~870x the largest real one.
WATER_FILE_CAP = 4 * MiB
WATER_FILE_CAP_ENV = "YQPLAN_MAX_WATER_FILE_MB"

#: bytes read (or inflated) per step: small enough that one step cannot blow the memory
#: bound, large enough that a real daily member is one step
CHUNK = 4 * MiB


def cap_from_env(default: int, var: str) -> int:
    """``default`` unless the environment variable ``var`` gives another cap in MiB."""
    value = os.environ.get(var)
    if not value:
        return default
    try:
        mib = float(value)
    except ValueError:
        raise ValueError(f"${var}: {value!r} is not a number of MiB") from None
    if mib <= 0:
        raise ValueError(f"${var}: {value!r} must be > 0 (MiB)")
    return int(mib * MiB)


def check_cap(cap) -> int:
    if cap is None or not isinstance(cap, int) or isinstance(cap, bool) or cap <= 0:
        raise ValueError(f"max_file_bytes: {cap!r} must be a positive whole number of bytes")
    return cap


class InputTooLargeError(DataFileError):
    """An input refused because it is (or inflates to) more bytes than its cap."""

    def __init__(self, path, size: int, cap: int, how: str, declared: int | None = None):
        self.size = size
        self.cap = cap
        if declared is not None and declared < cap:   # under the cap, but the header lied
            text = (f"refused: inflates to more than its declared size ({declared:,} bytes): "
                    f"the zip header lies (cap of {cap:,} bytes)")
        else:
            text = (f"refused: {how} {size:,} bytes, over the cap of {cap:,} bytes (a daily "
                    "file is far smaller; raise the cap with max_file_bytes= or the "
                    "environment variable if this file is genuine)")
        super().__init__(path, text)


def refuse_declared(label, declared: int | None, cap: int) -> None:
    """Raise before reading anything when the declared size is already over the cap."""
    if declared is not None and declared > cap:
        raise InputTooLargeError(label, declared, cap, "declared size")


def read_capped(fh, cap: int, label) -> bytes:
    """All of the binary stream ``fh``, refused once more than ``cap`` bytes come out."""
    parts, got = [], 0
    while True:
        piece = fh.read(min(CHUNK, cap + 1 - got))
        if not piece:
            break
        got += len(piece)
        if got > cap:
            raise InputTooLargeError(label, got, cap, "read more than")
        parts.append(piece)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def resolve_cap(max_bytes, default: int, env: str) -> int:
    """A reader's cap: ``max_bytes`` when given (checked), else ``$env`` in MiB, else ``default``."""
    if max_bytes is not None:
        return check_cap(max_bytes)
    return cap_from_env(default, env)


def read_file_capped(path, cap: int, label=None) -> bytes:
    """A loose file's bytes: its size on disk refused past ``cap``, then read up to it."""
    label = path if label is None else label
    with open(path, "rb") as fh:
        refuse_declared(label, os.fstat(fh.fileno()).st_size, cap)
        return read_capped(fh, cap, label)


def read_member_capped(zf, info, cap: int, label) -> bytes:
    """A zip member's bytes: its declared size refused past ``cap``, then read up to it
    (zipfile's stream stops at the declared size and checks the CRC-32 at its end)."""
    refuse_declared(label, info.file_size, cap)
    with zf.open(info) as fh:
        return read_capped(fh, cap, label)


def inflate_capped(fh, csize: int, limit: int, cap: int, label, zmod=zlib) -> bytes:
    """Raw-deflate ``csize`` bytes of ``fh``, producing at most ``limit`` (≤ ``cap``) bytes.

    ``limit`` is the size the zip declares (already checked against ``cap``); output past it
    is refused at once (the header lied), so the bytes held never exceed ``limit + 1``.
    Raises ``EOFError`` when the compressed data is cut off.
    """
    d = zmod.decompressobj(-15)
    parts, got, left = [], 0, csize
    while left:
        raw = fh.read(min(CHUNK, left))
        if not raw:
            raise EOFError(f"{label}: member cut off ({csize - left} of {csize} bytes)")
        left -= len(raw)
        while raw:
            piece = d.decompress(raw, limit + 1 - got)
            got += len(piece)
            if got > limit:
                raise InputTooLargeError(label, got, cap, "inflates to at least",
                                         declared=limit)
            parts.append(piece)
            raw = d.unconsumed_tail
            if not piece:
                break
    return parts[0] if len(parts) == 1 else b"".join(parts)


class BodyDecoder:
    """Incremental ``Content-Encoding`` decoding of an HTTP body with a cap on the output.

    ``identity`` (or none), ``gzip``/``x-gzip`` and ``deflate`` (zlib or raw) are accepted;
    anything else is refused (we ask for ``gzip`` only).
    """

    def __init__(self, encoding: str | None, cap: int, label):
        enc = (encoding or "identity").strip().lower()
        self.label, self.cap, self.got, self.parts = label, cap, 0, []
        if enc in ("identity", ""):
            self.d = None
        elif enc in ("gzip", "x-gzip"):
            self.d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self.d = zlib.decompressobj(32 + zlib.MAX_WBITS)   # zlib header, auto-detected
        else:
            raise DataFileError(label, f"unsupported Content-Encoding {encoding!r}",
                                expected="identity, gzip or deflate")
        self.encoding = enc

    def _add(self, piece: bytes) -> None:
        self.got += len(piece)
        if self.got > self.cap:
            raise InputTooLargeError(self.label, self.got, self.cap,
                                     "body decodes to more than" if self.d else "body of more than")
        if piece:
            self.parts.append(piece)

    def feed(self, raw: bytes) -> None:
        if self.d is None:
            self._add(raw)
            return
        while raw:
            piece = self.d.decompress(raw, self.cap + 1 - self.got)
            self._add(piece)
            raw = self.d.unconsumed_tail
            if not piece:
                break

    def finish(self) -> bytes:
        if self.d is not None:
            if not self.d.eof:
                raise EOFError(f"{self.encoding} body cut off (compressed stream not finished)")
            self._add(self.d.flush())
        return b"".join(self.parts)

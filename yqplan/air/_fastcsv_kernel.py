"""The compiled kernel of :mod:`yqplan.air._fastcsv` (imported only when used: numba is slow to
import).  Module-level so that numba can cache the compiled code next to this file."""

import numpy as np
from numba import njit

_POW10 = np.array([10.0 ** k for k in range(23)])   # exact doubles up to 1e22


@njit(cache=True, nogil=True, boundscheck=False)
def uint_field(buf, pos, n):
    """A non-negative integer field ending at a comma: (value, position after the comma)."""
    v = 0
    start = pos
    while pos < n and buf[pos] != 44:          # ','
        d = buf[pos] - 48
        if d < 0 or d > 9 or pos - start > 9:
            return -1, pos
        v = v * 10 + d
        pos += 1
    if pos == start or pos >= n:
        return -1, pos
    return v, pos + 1


@njit(cache=True, nogil=True, boundscheck=False)
def significant(buf, first, stop):
    """Significant digits of the decimal in ``buf[first:stop]`` (leading zeros do not count);
    only asked for the rare field of more than 15 digits."""
    sig = 0
    seen = False
    for q in range(first, stop):
        c = buf[q]
        if c == 46:
            continue
        if c != 48:
            seen = True
        if seen:
            sig += 1
    return sig


@njit(cache=True, nogil=True, boundscheck=False)
def parse(buf, colmap, types_flat, types_off, block, dates, hours, starts):
    """Rows ``r = h * nt + t`` into ``block[t, colmap[j], h]``; -1 where not handled.
    ``starts[h]``: the byte offset of hour ``h``'s first row.  ``buf`` must end with a
    newline (else -1): it stops every scan inside a line, so bytes are read unchecked."""
    n = buf.size
    nt = types_off.size - 1
    nvals = colmap.size
    nh_cap = block.shape[2]
    if n == 0 or buf[n - 1] != 10:
        return -1
    pos = 0
    r = 0
    while pos < n:
        h = r // nt
        t = r - h * nt
        if h >= nh_cap:
            return -1
        if t == 0:
            starts[h] = pos
        v, pos = uint_field(buf, pos, n)
        if v < 0 or (t > 0 and dates[h] != v):
            return -1
        dates[h] = v
        v, pos = uint_field(buf, pos, n)
        if v < 0 or (t > 0 and hours[h] != v):
            return -1
        hours[h] = v
        k = types_off[t]                       # the type must be the expected one
        end = types_off[t + 1]
        while pos < n and buf[pos] != 44:
            if k >= end or buf[pos] != types_flat[k]:
                return -1
            k += 1
            pos += 1
        if k != end:
            return -1
        for j in range(nvals):
            # the body ends with a newline (checked on entry): scans inside a line stop at
            # it, so no position check is needed before reading a byte
            if buf[pos] != 44:
                return -1
            pos += 1
            start = pos
            neg = buf[pos] == 45               # '-'
            if neg:
                pos += 1
            first = pos
            mant = 0
            dot = -1
            while True:                        # digits and at most one '.'
                d = np.int64(buf[pos]) - 48
                if d >= 0 and d <= 9:
                    mant = mant * 10 + d
                elif d == -2 and dot < 0:      # '.'
                    dot = pos
                else:
                    break
                pos += 1
            c = buf[pos]
            if c != 44 and c != 10 and c != 13:
                return -1                      # a character no plain decimal has
            o = colmap[j]
            if pos == start:
                if o >= 0:
                    block[t, o, h] = np.nan
                continue
            nd = pos - first
            frac = 0
            if dot >= 0:
                nd -= 1
                frac = pos - dot - 1
            if nd == 0 or frac > 22:
                return -1
            if nd > 15 and significant(buf, first, pos) > 15:
                return -1                      # mant would not be exact
            if o >= 0:
                val = float(mant)
                if frac > 0:
                    val = val / _POW10[frac]
                block[t, o, h] = -val if neg else val
        if pos < n and buf[pos] == 13:         # '\r'
            pos += 1
        if pos < n:
            if buf[pos] != 10:                 # more fields than the header
                return -1
            pos += 1
        r += 1
    if r % nt:
        return -1
    return r


@njit(cache=True, nogil=True, boundscheck=False)
def pack(flat, nt, nk, cap, nh, present):
    """Move a ``(nt, nk, cap)`` block's first ``nh`` hours to the front of its buffer, as a
    contiguous ``(nt, nk, nh)`` block, and mark in ``present[o, h]`` (all False on entry) the
    location-hours with at least one value — one pass instead of a copy plus an isnan pass.

    Each row moves to an offset no later than its own (``nh <= cap``), rows in order, so
    nothing is overwritten before it is read.
    """
    for t in range(nt):
        for o in range(nk):
            src = (t * nk + o) * cap
            dst = (t * nk + o) * nh
            for h in range(nh):
                v = flat[src + h]
                flat[dst + h] = v
                if v == v:
                    present[o, h] = True


@njit(cache=True, nogil=True, boundscheck=False)
def compact(v, keep):
    """Keep, in place and in order, the columns ``i`` of the 2-D ``v`` where ``keep[i]``;
    returns how many (they are ``v[:, :m]``).  A column never moves right, so nothing is
    overwritten before it is read."""
    nt, n = v.shape
    m = 0
    for t in range(nt):
        m = 0
        for i in range(n):
            if keep[i]:
                v[t, m] = v[t, i]
                m += 1
    return m

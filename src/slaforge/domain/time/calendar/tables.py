"""The expanded calendar: sorted disjoint UTC open intervals with a running total of open time,
tabulated in equal-width buckets so that a vectorised query is a bucket number, one gather and a
few element-wise steps, run a cache-sized chunk at a time (all instants int64 µs since the epoch).
BusinessCalendar (business.py) builds and extends these; nothing here knows about zones or dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.time.calendar.zone import US

I64 = npt.NDArray[np.int64]
_FAR_PAST = -(2**62)
# Arrays are processed in chunks of this many, so that every temporary stays in the CPU's
# cache instead of being a fresh array of the input's size.
CHUNK = 32768
# Lookup tables have at most this many buckets (16 bytes each at one term).
_MAX_BUCKETS = 1 << 16


@dataclass(frozen=True, slots=True)
class Table:
    """A map on int64 tabulated in buckets of equal width: bucket m holds the x in
    [origin + m·width, origin + (m+1)·width), and its record `terms` pairs of int64 (per
    query: an offset and a bound) from which the answer follows in a few element-wise steps.
    Lookups clip to the first and the last bucket (`np.take(mode="clip")`)."""

    origin: int
    width: int
    terms: int
    records: npt.NDArray[np.void]

    @classmethod
    def build(
        cls, origin: int, width: int, first: I64, pairs: tuple[I64, I64], last: int, terms: int
    ) -> Table:
        """`first[m]` is the index (into `pairs`) of bucket m's first term; terms continue with
        the next indices, clipped to `last`."""
        idx = np.minimum(first[:, None] + np.arange(terms, dtype=np.int64), last)
        rec = np.empty((first.size, 2 * terms), dtype=np.int64)
        rec[:, 0::2] = pairs[0][idx]
        rec[:, 1::2] = pairs[1][idx]
        return cls(origin, width, terms, rec.view(np.dtype((np.void, 16 * terms))).reshape(first.size))

    def gather(self, x: I64, k: I64, rec: npt.NDArray[np.void]) -> I64:
        """The records of the buckets of x, as an (n, 2·terms) int64 view of `rec`."""
        np.subtract(x, self.origin, out=k)
        np.floor_divide(k, self.width, out=k)
        np.take(self.records, k, out=rec, mode="clip")
        out: I64 = rec.view(np.int64).reshape(x.size, 2 * self.terms)
        return out


def _pick_width(points: I64, anchor: int, span: int) -> tuple[int, int]:
    """Bucket width for a table over breakpoints `points` (sorted), bucket edges at anchor + m·width:
    (width, most breakpoints strictly inside one bucket). Fewest such, then the widest bucket."""
    rel = points - anchor
    g = int(np.gcd.reduce(rel)) if rel.size else 0
    best = (1 << 62, 0)
    for width in ([g] if g > 0 else []) + [1 << k for k in range(46, 9, -1)]:
        if span // width + 3 > _MAX_BUCKETS:
            continue
        inside = rel[rel % width != 0] // width
        steps = 0
        if inside.size:
            cut = np.flatnonzero(np.diff(inside)) + 1
            steps = int(np.diff(np.concatenate([[0], cut, [inside.size]])).max())
        best = min(best, (steps, -width))
    return -best[1], best[0]


@dataclass(frozen=True, slots=True)
class Expanded:
    """Merged UTC open intervals with running totals, and lookup tables over them.

    `fwd` gives F(t), the open µs before t; `inv` its inverse G(x), the earliest t with x
    open µs before it. With j the last interval starting at or before t,
    F(t) = min(t + cum[j] - start[j], cum[j] + length[j]); that term is at most F(t) for
    every other interval too (F rises by at most 1 µs a µs, and is flat after an end), so
    F(t) is the largest term over any set of intervals that holds j: a bucket holds the
    interval in force at its left edge and those starting inside it. Likewise G(x) =
    x - (cum[j] - start[j]) with j the first interval whose running total at its end reaches
    x; a bucket holds the interval in force at its first x and the next ones, entered where x
    passes their running totals.
    """

    first_year: int
    last_year: int
    starts: I64
    ends: I64
    cum: I64  # open µs strictly before starts[i], from the start of first_year
    fwd: Table
    inv: Table

    @property
    def total(self) -> int:
        return int(self.cum[-1] + self.ends[-1] - self.starts[-1]) if self.starts.size else 0

    @classmethod
    def build(cls, first_year: int, last_year: int, s: I64, e: I64) -> Expanded:
        lengths = e - s
        cum = np.zeros(s.size, dtype=np.int64)
        if s.size:
            np.cumsum(lengths[:-1], out=cum[1:])
        total = int(cum[-1] + lengths[-1]) if s.size else 0
        # Padded: a zero-length interval in the far past first, and one at the end of time last.
        p_starts = np.concatenate([[_FAR_PAST], s, [np.iinfo(np.int64).max]]).astype(np.int64)
        p_cum = np.concatenate([[0], cum, [total]]).astype(np.int64)
        p_cum_end = np.concatenate([[0], cum + lengths, [total]]).astype(np.int64)
        p_off = p_cum - p_starts
        # Terms past the last interval repeat it (the padding at the end of time would overflow).
        last = max(p_starts.size - 2, 0)
        # F: bucket edges on the starts' grid, so that with few widths no start lies inside.
        s0, s1 = (int(s[0]), int(s[-1])) if s.size else (0, 0)
        width, steps = _pick_width(s, s0, s1 - s0)
        origin = s0 - width
        edges = origin + np.arange((s1 - origin) // width + 2, dtype=np.int64) * width
        first = np.searchsorted(p_starts, edges, side="right") - 1
        fwd = Table.build(origin, width, first, (p_off, p_cum_end), last, steps + 1)
        # G: bucket m holds x in [(m-1)·width + 1, m·width], so totals that are multiples of
        # the width end a bucket.
        width, steps = _pick_width(p_cum_end[1:-1], 0, total)
        origin = 1 - width
        edges = origin + np.arange(total // width + 2, dtype=np.int64) * width
        first = np.searchsorted(p_cum_end, edges, side="left")
        inv = Table.build(origin, width, first, (p_off, p_cum_end), last, steps + 1)
        return cls(first_year, last_year, s, e, cum, fwd, inv)

    # ------------------------------------------------------------------ kernels
    def open_before(self, t: I64) -> I64:
        """Open µs in [start of expansion, t) for each t (1-d)."""
        out = np.empty(t.size, dtype=np.int64)
        s = Scratch(min(t.size, CHUNK), self)
        for i in range(0, t.size, CHUNK):
            j = min(i + CHUNK, t.size)
            s.open_before(self.fwd, t[i:j], out[i:j])
        return out

    def elapsed(self, a: I64, b: I64, out: npt.NDArray[Any]) -> None:
        """out = open µs in [a, b) (0 when b <= a); as float seconds when out is float64."""
        n = a.size
        s = Scratch(min(n, CHUNK), self)
        seconds = out.dtype != np.int64
        for i in range(0, n, CHUNK):
            j = min(i + CHUNK, n)
            fa = s.open_before(self.fwd, a[i:j], s.fa[: j - i])
            fb = s.open_before(self.fwd, b[i:j], s.fb[: j - i])
            if seconds:
                np.subtract(fb, fa, out=fb)
                np.maximum(fb, 0, out=fb)
                np.divide(fb, US, out=out[i:j])
            else:
                np.subtract(fb, fa, out=fb)
                np.maximum(fb, 0, out=out[i:j])

    def reach(self, a: I64, s_us: I64 | int, out: I64) -> bool:
        """out = the earliest t >= a with s_us (>= 0) open µs in [a, t); False, with out
        incomplete, when a target lies past the expansion."""
        n = a.size
        s = Scratch(min(n, CHUNK), self)
        total = self.total
        for i in range(0, n, CHUNK):
            j = min(i + CHUNK, n)
            x = s.open_before(self.fwd, a[i:j], s.fa[: j - i])
            np.add(x, s_us if isinstance(s_us, int) else s_us[i:j], out=x)
            if int(x.max()) > total:
                return False
            g = s.reach(self.inv, x, s.fb[: j - i])
            np.maximum(g, a[i:j], out=out[i:j])
        return True


class Scratch:
    """Per-call buffers of one chunk for the kernels."""

    def __init__(self, n: int, state: Expanded) -> None:
        self.k = np.empty(n, dtype=np.int64)
        self.tmp = np.empty(n, dtype=np.int64)
        self.fa = np.empty(n, dtype=np.int64)
        self.fb = np.empty(n, dtype=np.int64)
        self.mask = np.empty(n, dtype=bool)
        self.rec_f = np.empty(n, dtype=state.fwd.records.dtype)
        self.rec_i = np.empty(n, dtype=state.inv.records.dtype)

    def open_before(self, table: Table, t: I64, out: I64) -> I64:
        m = t.size
        r = table.gather(t, self.k[:m], self.rec_f[:m])
        np.add(t, r[:, 0], out=out)
        np.minimum(out, r[:, 1], out=out)
        tmp = self.tmp[:m]
        for i in range(1, table.terms):
            np.add(t, r[:, 2 * i], out=tmp)
            np.minimum(tmp, r[:, 2 * i + 1], out=tmp)
            np.maximum(out, tmp, out=out)
        return out

    def reach(self, table: Table, x: I64, out: I64) -> I64:
        m = x.size
        r = table.gather(x, self.k[:m], self.rec_i[:m])
        np.subtract(x, r[:, 0], out=out)
        mask = self.mask[:m]
        for i in range(1, table.terms):
            np.greater(x, r[:, 2 * i - 1], out=mask)
            np.subtract(x, r[:, 2 * i], out=out, where=mask)
        return out

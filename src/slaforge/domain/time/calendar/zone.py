"""A time zone's UTC offset as constant pieces, found by sampling and bisection.

zoneinfo does not expose its transition table, so we find transitions ourselves:
sample the offset every few hours and bisect each change down to the second.
All times here are integer microseconds since the Unix epoch (UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

US = 1_000_000
_STEP_US = 3 * 3600 * US  # no zone has ever changed its offset twice within 3 hours


def offset_us(zone: ZoneInfo, t_us: int) -> int:
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=t_us)
    off = moment.astimezone(zone).utcoffset()
    assert off is not None  # a ZoneInfo always answers
    return (off.days * 86400 + off.seconds) * US + off.microseconds


def offset_pieces(
    zone: ZoneInfo, lo_us: int, hi_us: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(starts, ends, offsets) covering [lo_us, hi_us) with one offset per piece."""
    starts = [lo_us]
    offsets = [offset_us(zone, lo_us)]
    t = lo_us
    while t < hi_us:
        nxt = min(t + _STEP_US, hi_us)
        off = offset_us(zone, nxt)
        if off != offsets[-1]:
            a, b = t, nxt  # offset(a) is the old one, offset(b) the new one
            while b - a > US:
                mid = (a + b) // 2 // US * US
                if mid <= a:
                    mid = a + US
                if offset_us(zone, mid) == offsets[-1]:
                    a = mid
                else:
                    b = mid
            starts.append(b)
            offsets.append(off)
        t = nxt
    ends = [*starts[1:], hi_us]
    return (
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
        np.asarray(offsets, dtype=np.int64),
    )

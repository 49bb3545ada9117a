"""Per-ticket event lists as the columns the batch clocks read (ticket index = list position)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from slaforge.domain.time.clocks.columns import EventColumns
from slaforge.domain.time.clocks.model import TicketEvent


def columns_of(histories: Sequence[Sequence[TicketEvent]]) -> EventColumns:
    rows = [(i, e) for i, events in enumerate(histories) for e in events]
    return EventColumns(
        ticket=np.array([i for i, _ in rows], dtype=np.int64),
        at=np.array([e.at.replace(tzinfo=None) for _, e in rows], dtype="datetime64[us]"),
        kind=np.array([e.kind.value for _, e in rows], dtype=object),
        status=np.array([e.status for _, e in rows], dtype=object),
        priority=np.array([e.priority for _, e in rows], dtype=object),
    )

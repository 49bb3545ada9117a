"""One ticket's events out of the columns the batch clocks read, as the per-ticket clock takes
them: so a replay can hand single tickets (those with excused spans, or with several cycles) to
`evaluate_clock` without loading them twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from slaforge.domain.time.clocks.columns import EventColumns
from slaforge.domain.time.clocks.model import EventKind, TicketEvent

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_KNOWN = {k.value for k in EventKind}


def ticket_events(columns: EventColumns, ticket: int) -> list[TicketEvent]:
    """The rows of ticket index `ticket`, in their stored order; kinds slaforge does not know are
    left out, as the batch clocks ignore them."""
    rows = np.flatnonzero(np.asarray(columns.ticket) == ticket)
    if rows.size == 0:
        return []
    part = columns.take(rows)
    at = np.asarray(part.at).astype("datetime64[us]").view(np.int64).tolist()
    kinds, statuses, priorities = part.kinds().tolist(), part.statuses().tolist(), part.priorities().tolist()
    return [
        TicketEvent(_EPOCH + timedelta(microseconds=t), EventKind(k), status=s, priority=p)
        for t, k, s, p in zip(at, kinds, statuses, priorities, strict=True)
        if k in _KNOWN
    ]

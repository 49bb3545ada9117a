"""Whether a history says when tickets were first answered, and what a study shows without it.

The first-response clock stops at the first agent reply or, failing one, at resolution. An
export with no reply at all (a wide export without a first-response column, a log without
assignments or replies) would therefore report first response equal to resolution and recommend
a target from it; instead such tickets have no first-response figures, and the study says so.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.background.study.attainment import Sample
from slaforge.domain.time.clocks.model import EventKind, Metric

if TYPE_CHECKING:
    from slaforge.domain.background.study.frames import HistoryFrame

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
NO_DATA = "no first-response data in this history"
Clocks = dict[Metric, tuple[Sample, I64, I64]]


def first_response_signal(frame: HistoryFrame) -> Bools:
    """Per ticket: whether its history can say when it was first answered, i.e. whether the
    import that wrote it (or, for live tickets, the live history) recorded any agent reply."""
    t, ev = frame.tickets, frame.events
    replied = np.bincount(ev.ticket[ev.is_kind(EventKind.AGENT_REPLY)], minlength=t.size).astype(bool)
    if t.size == 0:
        return replied
    batches, inverse = np.unique(t.batch_id, return_inverse=True)
    any_reply = np.bincount(inverse.reshape(-1), weights=replied, minlength=batches.size) > 0
    out: Bools = any_reply[inverse.reshape(-1)]
    return out


def without_first_response(clocks: Clocks, signal: Bools) -> Clocks:
    """The clocks with first response left unmeasured (NaN) where the history cannot tell it."""
    if bool(signal.all()):
        return clocks
    sample, start, stop = clocks[Metric.FIRST_RESPONSE]
    unmeasured = replace(
        sample, elapsed=np.where(signal, sample.elapsed, np.nan), stopped=sample.stopped & signal
    )
    return {**clocks, Metric.FIRST_RESPONSE: (unmeasured, start, stop)}


def no_first_response(block: dict[str, Any]) -> None:
    """Mark a segment's first-response block as without data, in place: no target, and why."""
    block["no_data"] = True
    block["recommendation"]["reason"] = NO_DATA

"""Where each metric's clock starts and stops (one span per measured cycle).

first response: creation → first agent reply (or resolution, whichever comes first).
resolution:     creation → final resolution; resolved-then-reopened gaps do not count.
next response:  oldest unanswered customer message → next agent reply (after the first response).
periodic update: each agent reply → the next one (or resolution); none before the first response,
                 so an update target never pre-empts the first-response clock.
A cycle whose stop is None is still open at `now`.
"""

from __future__ import annotations

from slaforge.domain.time.clocks.model import EventKind, Metric
from slaforge.domain.time.clocks.timeline import Timeline

Cycle = tuple[int, int | None]


def cycles_for(metric: Metric, tl: Timeline) -> list[Cycle]:
    if metric is Metric.FIRST_RESPONSE:
        stops = [t for t, k in tl.replies if k is EventKind.AGENT_REPLY][:1]
        stops += [a for a, _ in tl.resolved][:1]
        return [(tl.created, min(stops) if stops else None)]
    if metric is Metric.RESOLUTION:
        return [(tl.created, tl.final_stop)]
    resolutions = sorted(a for a, _ in tl.resolved)
    if metric is Metric.NEXT_RESPONSE:
        return _between_replies(tl, resolutions, opener=EventKind.CUSTOMER_REPLY)
    if metric is Metric.PERIODIC_UPDATE:
        return _between_replies(tl, resolutions, opener=EventKind.AGENT_REPLY)
    raise ValueError(f"unknown metric {metric!r}")


def _between_replies(tl: Timeline, resolutions: list[int], *, opener: EventKind) -> list[Cycle]:
    """Cycles opened by `opener` replies once the first agent reply exists, closed by agent replies."""
    marks = [(t, 0, k) for t, k in tl.replies] + [(t, 1, None) for t in resolutions]
    marks.sort(key=lambda m: (m[0], m[1]))
    out: list[Cycle] = []
    answered_once = False
    open_at: int | None = None

    def resolved_at(t: int) -> bool:
        return any(a <= t < b for a, b in tl.resolved)

    for t, is_resolution, kind in marks:
        if is_resolution:
            if open_at is not None:
                out.append((open_at, t))
                open_at = None
            continue
        if kind is EventKind.AGENT_REPLY:
            if open_at is not None:
                out.append((open_at, t))
                open_at = None
            answered_once = True
            if opener is EventKind.AGENT_REPLY and not resolved_at(t):
                open_at = t
        elif (
            kind is EventKind.CUSTOMER_REPLY
            and opener is EventKind.CUSTOMER_REPLY
            and answered_once
            and open_at is None
            and not resolved_at(t)
        ):
            open_at = t
    if open_at is not None:
        out.append((open_at, None))
    return out

"""What a clock reads (ticket events, an objective) and what it reports (a ClockResult)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from slaforge.domain.errors import InvalidInput


class EventKind(StrEnum):
    CREATED = "created"
    STATUS_CHANGED = "status_changed"
    PRIORITY_CHANGED = "priority_changed"
    AGENT_REPLY = "agent_reply"
    CUSTOMER_REPLY = "customer_reply"
    INTERNAL_NOTE = "internal_note"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    CLOSED = "closed"


class Metric(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"
    PERIODIC_UPDATE = "periodic_update"


class ClockState(StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class TicketEvent:
    """One thing that happened to a ticket. `status`/`priority` carry the new value when it changed."""

    at: datetime
    kind: EventKind
    status: str | None = None
    priority: str | None = None


@dataclass(frozen=True, slots=True)
class ClockObjective:
    """The parts of an objective a clock needs: metric, targets per priority, pauses, warnings.

    `targets` maps a priority to a target in business seconds. `warn_fractions` are shares of
    the target (0.75 warns at 75 %); `warn_before` are business seconds before the deadline.
    """

    metric: Metric
    targets: Mapping[str, float]
    pause_statuses: frozenset[str] = frozenset()
    warn_fractions: tuple[float, ...] = (0.75, 0.9)
    warn_before: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not self.targets:
            raise InvalidInput("at least one priority needs a target", field="targets", value={})
        for prio, secs in self.targets.items():
            if not secs > 0:
                raise InvalidInput(
                    f"the target for '{prio}' must be positive", field=f"targets.{prio}", value=secs
                )
        for f in self.warn_fractions:
            if not 0 < f < 1:
                raise InvalidInput(
                    "a warning fraction lies strictly between 0 and 1", field="warn_fractions", value=f
                )
        for b in self.warn_before:
            if not b > 0:
                raise InvalidInput("a warning 'before' must be positive", field="warn_before", value=b)

    def warning_levels(self, target: float) -> tuple[float, ...]:
        """Elapsed business seconds at which to warn, ascending, each below the target."""
        levels = {target * f for f in self.warn_fractions} | {
            target - b for b in self.warn_before if b < target
        }
        return tuple(sorted(levels))


Span = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class Excusal:
    """A span during which the provider is excused (e.g. a customer obligation overdue): it pauses
    the provider's clocks exactly as a pause status does. `label` says why, for the explanation;
    `end` None: still excused at `now`."""

    label: str
    start: datetime
    end: datetime | None = None


# (label, start, end, business seconds it excused) — the part of an excusal inside one clock's
# cycle, and the open time of the provider's calendar it took off that clock that nothing else
# (a pause status, a resolved spell, an earlier excusal) had already taken off.
ExcusedSpan = tuple[str, datetime, datetime, float]


@dataclass(frozen=True, slots=True)
class ClockResult:
    """One clock of one ticket, with the intervals that explain its figures (all UTC)."""

    metric: Metric
    state: ClockState
    priority: str | None
    target_seconds: float | None
    elapsed_seconds: float
    started_at: datetime | None
    stopped_at: datetime | None
    due_at: datetime | None  # None while paused (it depends on when the pause ends)
    warn_at: tuple[datetime, ...]
    breached: bool
    breached_at: datetime | None
    counted: tuple[Span, ...] = field(default=())  # open business time that counted
    paused: tuple[Span, ...] = field(default=())  # wall-clock spans during which the clock was paused
    excused: tuple[ExcusedSpan, ...] = field(default=())  # excusals that paused it, and how much

    @property
    def remaining_seconds(self) -> float | None:
        if self.target_seconds is None:
            return None
        return self.target_seconds - self.elapsed_seconds

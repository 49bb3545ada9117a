"""A service history held as NumPy columns: tickets, their events and outages, as the capability
study reads them (loaded from the database by `adapters.db.background.history_frames`, or built
by the benchmarks and tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.time.clocks.columns import EventColumns, encode

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]
Obj = npt.NDArray[np.object_]
SEGMENT_FIELDS = ("priority", "category", "service", "customer")


@dataclass(frozen=True)
class TicketColumns:
    """One row per ticket, in database id order; row i is ticket index i of the events."""

    id: I64
    created_us: I64
    priority: Obj
    category: Obj
    service: Obj  # service name, None when the ticket names none
    customer: Obj  # customer name, None when the ticket names none
    made_sla: F64  # the provider's own SLA flag: 1.0 made, 0.0 missed, NaN not recorded
    batch_id: I64  # the import that wrote it, -1 for live tickets
    # Per segment field, integer codes (NO_CODE, -1, for None) and the values they stand for;
    # given by the loader, else made on first use.
    codebook: dict[str, tuple[I32, tuple[Any, ...]]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def size(self) -> int:
        return int(self.id.size)

    def field(self, name: str) -> Obj:
        if name not in SEGMENT_FIELDS:
            raise KeyError(name)
        values: Obj = getattr(self, name)
        return values

    def codes(self, name: str) -> tuple[I32, tuple[Any, ...]]:
        """A segment field as integer codes and the distinct values (codes index them, -1 is None)."""
        if name not in self.codebook:
            self.codebook[name] = encode(self.field(name))
        return self.codebook[name]


@dataclass(frozen=True)
class HistoryFrame:
    tickets: TicketColumns
    events: EventColumns


@dataclass(frozen=True)
class OutageColumns:
    service: Obj
    start_us: I64
    end_us: I64  # an outage still going on ends at the study's "now"
    planned: npt.NDArray[np.bool_]

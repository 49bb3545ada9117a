"""Ticket events as columns for the batch clocks, with kinds, statuses and priorities as codes.

A history of millions of events is cheapest to evaluate when its categorical columns are small
integers: comparisons are integer operations and "is this a pause status?" is a lookup in a
boolean array. Loaders that know the distinct values deliver codes directly; columns of names
(object arrays, None where a value did not change) are still accepted and encoded on demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.clocks.model import EventKind

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
I8 = npt.NDArray[np.int8]
Bools = npt.NDArray[np.bool_]
Obj = npt.NDArray[np.object_]
KIND_CODES = {kind: code for code, kind in enumerate(EventKind)}
NO_CODE = -1  # a status or priority that did not change (None), or a kind slaforge does not know
_KIND_LOOKUP: dict[Any, int] = {kind.value: code for kind, code in KIND_CODES.items()}


class CodeBook:
    """Integer codes for values as they arrive, chunk by chunk: each new value gets the next code,
    None gets NO_CODE. `values` lists the values in code order."""

    def __init__(self) -> None:
        self._index: dict[Any, int] = {None: NO_CODE}

    def encode(self, values: Sequence[Any]) -> I32:
        index = self._index
        for v in dict.fromkeys(values):  # the distinct values of this chunk: few
            if v not in index:
                index[v] = len(index) - 1
        return np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values))

    @property
    def values(self) -> tuple[Any, ...]:
        return tuple(self._index)[1:]


def encode(values: npt.ArrayLike) -> tuple[I32, tuple[Any, ...]]:
    """Integer codes of an object column (NO_CODE for None) and the distinct values, first seen first."""
    book = CodeBook()
    codes = book.encode(np.asarray(values, dtype=object).tolist())
    return codes, book.values


def encode_kinds(values: Sequence[Any] | npt.NDArray[Any]) -> I8:
    """KIND_CODES of kind names (or EventKind members); NO_CODE for anything else."""
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    index = dict(_KIND_LOOKUP)
    for v in dict.fromkeys(items):
        index.setdefault(v, NO_CODE)
    return np.fromiter(map(index.__getitem__, items), dtype=np.int8, count=len(items))


def value_table(categories: Sequence[Any]) -> Obj:
    """The categories as an object array with a trailing None, so NO_CODE (-1) decodes to None."""
    table = np.full(len(categories) + 1, None, dtype=object)
    for i, value in enumerate(categories):
        table[i] = value
    return table


def _decode(codes: npt.NDArray[Any], categories: Sequence[Any]) -> Obj:
    out: Obj = value_table(categories)[codes]
    return out


@dataclass(frozen=True)
class EventColumns:
    """One row per event: ticket index (0..n-1), time (datetime64, UTC), kind, new status, new priority.

    `kind` holds EventKind values (names) or KIND_CODES integers. `status` and `priority` hold the
    new values (object arrays, None where the event did not set one) or, when `status_values`
    (`priority_values`) is given, integer codes into that tuple with NO_CODE (-1) for None.
    """

    ticket: I64
    at: npt.NDArray[np.datetime64]
    kind: npt.NDArray[Any]
    status: npt.NDArray[Any]
    priority: npt.NDArray[Any]
    status_values: tuple[str, ...] | None = None
    priority_values: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("status", "priority"):
            codes = np.asarray(getattr(self, name))
            if getattr(self, f"{name}_values") is not None and codes.dtype.kind not in "iu":
                raise InvalidInput(
                    f"{name} must hold integer codes when {name}_values is given",
                    field=name,
                    value=str(codes.dtype),
                )

    @property
    def size(self) -> int:
        return int(np.asarray(self.ticket).size)

    def kind_codes(self) -> I8:
        kind = np.asarray(self.kind)
        if kind.dtype.kind in "iu":
            out: I8 = kind.astype(np.int8, copy=False)
            return out
        return encode_kinds(kind)

    def status_codes(self) -> tuple[npt.NDArray[np.integer[Any]], tuple[Any, ...]]:
        if self.status_values is not None:
            return np.asarray(self.status), self.status_values
        return encode(self.status)

    def priority_codes(self) -> tuple[npt.NDArray[np.integer[Any]], tuple[Any, ...]]:
        if self.priority_values is not None:
            return np.asarray(self.priority), self.priority_values
        return encode(self.priority)

    def coded(self) -> EventColumns:
        """The same events with every categorical column as codes (itself when it already is)."""
        kind = np.asarray(self.kind)
        if kind.dtype.kind in "iu" and self.status_values is not None and self.priority_values is not None:
            return self
        status, status_values = self.status_codes()
        priority, priority_values = self.priority_codes()
        return EventColumns(
            self.ticket, self.at, self.kind_codes(), status, priority, status_values, priority_values
        )

    def is_kind(self, kind: EventKind) -> Bools:
        """Rows of this kind, whichever way kinds are given."""
        values = np.asarray(self.kind)
        out: Bools = values == (KIND_CODES[kind] if values.dtype.kind in "iu" else kind.value)
        return out

    def statuses(self) -> Obj:
        """The new status of each row as values (None where unchanged)."""
        if self.status_values is None:
            return np.asarray(self.status, dtype=object)
        return _decode(np.asarray(self.status), self.status_values)

    def priorities(self) -> Obj:
        """The new priority of each row as values (None where unchanged)."""
        if self.priority_values is None:
            return np.asarray(self.priority, dtype=object)
        return _decode(np.asarray(self.priority), self.priority_values)

    def kinds(self) -> Obj:
        """The kind of each row as its name."""
        kind = np.asarray(self.kind)
        if kind.dtype.kind not in "iu":
            return kind.astype(object)
        return _decode(kind, [k.value for k in EventKind])

    def distinct_statuses(self) -> set[Any]:
        """Every status some row sets (None excluded)."""
        if self.status_values is None:
            return {s for s in set(np.asarray(self.status, dtype=object).tolist()) if s is not None}
        used = np.unique(np.asarray(self.status))
        return {self.status_values[c] for c in used.tolist() if c != NO_CODE}

    def take(self, rows: npt.NDArray[Any] | slice, *, ticket_offset: int = 0) -> EventColumns:
        """The given rows (an index array, a mask or a slice), ticket indexes shifted down by the offset."""
        ticket = np.asarray(self.ticket)[rows]
        return EventColumns(
            ticket - ticket_offset if ticket_offset else ticket,
            np.asarray(self.at)[rows],
            np.asarray(self.kind)[rows],
            np.asarray(self.status)[rows],
            np.asarray(self.priority)[rows],
            self.status_values,
            self.priority_values,
        )

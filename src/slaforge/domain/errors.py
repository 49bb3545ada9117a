"""The domain's error tree; entry points map each class to a status in one place.

SlaforgeError                 base of everything slaforge raises on purpose
├── InvalidInput              bad input; names the field (and row or line) and the value
│   └── CalendarError         a calendar definition or a time argument is wrong
├── NotFound                  a named thing does not exist (or is not visible to the caller)
├── Conflict                  the request clashes with stored state (duplicate, stale)
└── IllegalTransition         a lifecycle step that the current state does not allow
"""

from __future__ import annotations


class SlaforgeError(Exception):
    """Base class of every error slaforge raises deliberately."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(SlaforgeError):
    """Input that cannot be used; `field` names where, `value` what was given."""

    status = 422

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: object = None,
        row: int | None = None,
    ) -> None:
        where = []
        if row is not None:
            where.append(f"row {row}")
        if field:
            where.append(f"field '{field}'")
        prefix = (", ".join(where) + ": ") if where else ""
        super().__init__(prefix + message)
        self.field = field
        self.value = value
        self.row = row


class CalendarError(InvalidInput):
    """A calendar definition, or an argument to a calendar query, is invalid."""


class NotFound(SlaforgeError):
    status = 404


class Conflict(SlaforgeError):
    status = 409


class IllegalTransition(SlaforgeError):
    status = 409

"""Use cases for named business calendars stored in the database."""

from __future__ import annotations

from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork


def save_calendar(*, uow: UnitOfWork, name: str, calendar: BusinessCalendar, actor: str = "operator") -> int:
    """Store (or replace) the calendar under `name`; returns its id. `actor`: who, for the audit
    log (the command line and the demo save calendars)."""
    clean = name.strip()
    if not clean or len(clean) > 200:
        raise InvalidInput("a calendar name of 1 to 200 characters is required", field="name", value=name)
    with uow:
        row = uow.background.put_calendar(name=clean, definition=calendar.to_dict())
        uow.flush()
        audit.record(uow, actor=actor, action="calendar.saved", subject_type="calendar", subject_id=row.id,
                     data={"name": clean, "definition": calendar.to_dict()})  # fmt: skip
        uow.commit()
        return row.id


def load_calendar(*, uow: UnitOfWork, name: str) -> BusinessCalendar:
    with uow:
        row = uow.background.calendar(name)
        if row is None:
            raise NotFound(f"no calendar named '{name}'")
        # Validated again on the way out: a definition edited in the database by hand fails here, clearly.
        return BusinessCalendar.from_dict(row.definition)

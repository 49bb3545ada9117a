"""The calendars a live agreement's clocks measure in: frozen at go-live (a stored calendar edited
later does not move them), and the one change allowed without a new agreement version — holidays
added for days to come, each audited; the live clocks re-apply them (the live step)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slaforge.adapters.db.models import AgreementVersion, ReadinessHoliday
from slaforge.domain.errors import Conflict, InvalidInput
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.readiness.freeze import check_new_holidays, with_holidays
from slaforge.domain.relationship.terms import normalise_relationship
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.services.platform import audit
from slaforge.services.readiness.common import config_of, readiness_version, require_manager
from slaforge.services.unit_of_work import UnitOfWork


def calendar_names(terms: dict[str, Any]) -> list[str]:
    """Every calendar the terms measure in: the agreement's own, then each obligation's."""
    own = str((terms.get("calendar") or {}).get("name") or "")
    obligations = normalise_relationship(terms.get("relationship"))["obligations"]
    return list(dict.fromkeys([own, *(str(o["calendar"]) for o in obligations if o["calendar"])]))


def calendars_to_freeze(uow: UnitOfWork, version: AgreementVersion) -> tuple[dict[str, Any], list[str]]:
    """(name → stored definition, what is missing): going live needs every calendar stored."""
    found: dict[str, Any] = {}
    missing: list[str] = []
    for name in calendar_names(version.terms):
        row = uow.background.calendar(name) if name else None
        if row is None:
            missing.append(
                "calendar.name is empty: the terms name no calendar to measure in"
                if not name
                else f"the calendar '{name}' the terms measure in is not stored: store it "
                f"(`slaforge calendar save`) before going live"
            )
        else:
            found[name] = dict(row.definition)
    return found, missing


@dataclass(frozen=True, slots=True)
class AddedHoliday:
    calendar: str
    day: date
    label: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True, slots=True)
class HolidaysView:
    agreement_id: int
    version_number: int
    calendars: list[str]  # the frozen calendars, by name
    added: list[AddedHoliday]
    new: list[date]  # what this request added (empty for a read)


def _live(uow: UnitOfWork, agreement_id: int) -> tuple[AgreementVersion, Any, dict[str, Any]]:
    version = readiness_version(uow, agreement_id)
    row, _ = config_of(uow, version)
    if row is None or row.went_live_at is None or row.frozen_json is None:
        raise Conflict(
            f"agreement {agreement_id} is not live: before going live, change the stored calendar "
            "itself; its definition is frozen when the agreement goes live"
        )
    frozen = json.loads(row.frozen_json)
    return version, row, dict(frozen.get("calendars") or {})


def _view(
    uow: UnitOfWork, version: AgreementVersion, row: Any, frozen: dict[str, Any], new: list[date]
) -> HolidaysView:
    added = [
        AddedHoliday(h.calendar, h.day, h.label, h.added_at, h.added_by)
        for h in uow.readiness.added_holidays(row.id)
    ]
    return HolidaysView(version.agreement_id, version.number, sorted(frozen), added, new)


def added_holidays(*, uow: UnitOfWork, agreement_id: int) -> HolidaysView:
    with uow:
        version, row, frozen = _live(uow, agreement_id)
        return _view(uow, version, row, frozen, [])


def add_holidays(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    calendar: str,
    days: Sequence[tuple[date, str]],
    actor: Principal,
    now: datetime,
) -> HolidaysView:
    """Add holidays to one frozen calendar of a live agreement: days after today in that calendar's
    zone only; a day it has already is left as it is. One audit entry names the days added."""
    with uow:
        version, row, frozen = _live(uow, agreement_id)
        require_manager(actor, "add holidays to a live agreement's calendars")
        if calendar not in frozen:
            known = ", ".join(sorted(frozen)) or "none"
            raise InvalidInput(
                f"no frozen calendar '{calendar[:200]}'; this agreement's: {known}", field="calendar"
            )
        definition = frozen[calendar]
        today = now.astimezone(BusinessCalendar.from_dict(definition).spec.zone).date()
        wanted = check_new_holidays(calendar=definition, days=days, today=today)
        own = set(BusinessCalendar.from_dict(definition).spec.holiday_dates)
        new = []
        for day, label in wanted:
            if day in own:
                continue
            stored = uow.readiness.add_holiday_once(
                ReadinessHoliday(
                    agreement_id=version.agreement_id,
                    config_id=row.id,
                    calendar=calendar,
                    day=day,
                    label=label,
                    added_at=now,
                    added_by=actor.email,
                )
            )
            if stored:
                new.append(day)
        if new:
            audit.record(
                uow,
                actor=actor.email,
                action="readiness.holidays_added",
                subject_type="agreement",
                subject_id=version.agreement_id,
                at=now,
                data={"version_id": version.id, "calendar": calendar, "days": [d.isoformat() for d in new]},
            )
        out = _view(uow, version, row, frozen, new)
        uow.commit()
        return out


def frozen_calendars(uow: UnitOfWork, config_id: int, frozen: dict[str, Any]) -> dict[str, BusinessCalendar]:
    """Each frozen calendar definition (name → definition) with the days added since, in the open
    transaction: what a live agreement's clocks measure in."""
    extra: dict[str, list[date]] = {}
    for h in uow.readiness.added_holidays(config_id):
        extra.setdefault(h.calendar, []).append(h.day)
    return {
        name: BusinessCalendar.from_dict(with_holidays(definition, extra.get(name, [])))
        for name, definition in frozen.items()
    }


def live_calendars(*, uow: UnitOfWork, agreement_id: int) -> dict[str, BusinessCalendar]:
    """The calendars a live agreement's clocks use: each frozen definition with the days added."""
    with uow:
        _version, row, frozen = _live(uow, agreement_id)
        return frozen_calendars(uow, row.id, frozen)

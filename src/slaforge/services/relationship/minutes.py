"""Minutes of a held meeting and its action items: record (the provider), read (both parties).

Recording is one transaction: the minutes row is upserted (which locks it, so parallel saves of
one occurrence queue), then each action item is CLAIMED in meeting_actions by its stable key and
only the claiming transaction turns it into a task (`tasks.create_task`, joined to this
transaction). A double submit, or 25 parallel ones, thus makes each action's task exactly once;
saving edited minutes later keeps the tasks already made and adds those of new actions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from slaforge.adapters.db.models import MeetingMinutes
from slaforge.domain.errors import NotFound
from slaforge.domain.platform.listing import ListQuery, Page, page_of
from slaforge.domain.relationship.minutes import check_minutes, task_source
from slaforge.domain.relationship.tasks import CLOSED
from slaforge.services.agreement.core import load_agreement, require_provider
from slaforge.services.platform import audit
from slaforge.services.relationship.meetings import changes_of, series_of
from slaforge.services.relationship.tasks import create_task
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ActionView:
    """An action item as its task now stands (the task is where it is worked on)."""

    id: int  # the action's own row: the order the actions were recorded in
    key: str
    series_key: str
    original_start: str
    task_id: int
    title: str
    party: str
    assignee: str
    due_date: date
    status: str

    @property
    def open(self) -> bool:
        return self.status not in CLOSED


@dataclass(frozen=True, slots=True)
class MinutesView:
    id: int
    agreement_id: int
    series_key: str
    original_start: str
    text: str
    attendance: list[str]
    revision: int
    recorded_by: str
    recorded_at: datetime
    updated_by: str
    updated_at: datetime
    actions: list[ActionView] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # keys of the actions this save made tasks of


def series_in_force(uow: UnitOfWork, agreement_id: int, series_key: str) -> Mapping[str, Any]:
    view = series_of(uow=uow, agreement_id=agreement_id)
    series = next((r for r in view.reviews if r["key"] == series_key), None)
    if series is None:
        raise NotFound(f"no meeting series '{series_key}' on agreement {agreement_id}")
    return series


def _actions(uow: UnitOfWork, agreement_id: int) -> list[ActionView]:
    tasks = {t.id: t for t in uow.tasks.tasks_of(agreement_id)}
    out = []
    for row in uow.relationship.actions_of(agreement_id):
        task = tasks.get(row.task_id) if row.task_id is not None else None
        if task is None:
            continue
        out.append(
            ActionView(
                row.id,
                row.action_key,
                row.series_key,
                row.original_start,
                task.id,
                task.title,
                task.party,
                task.assignee,
                task.due_date,
                task.status,
            )
        )
    return out


def record_minutes(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    series_key: str,
    original_start: str,
    text: str,
    attendance: Sequence[str] = (),
    actions: Sequence[Mapping[str, Any]] = (),
    actor: str,
    now: datetime,
) -> MinutesView:
    """Record (or edit) the minutes of a held occurrence and turn each new action into a task."""
    with uow:  # another customer's agreement is NotFound; the customer's own, PermissionDenied
        load_agreement(uow, agreement_id)
        require_provider(uow)  # the provider keeps the minutes; a customer user reads them
    series = series_in_force(uow, agreement_id, series_key)
    changes = changes_of(uow=uow, agreement_id=agreement_id).get(series_key, ([], 0))[0]
    minutes = check_minutes(
        series, original_start, changes, now, text=text, attendance=attendance, actions=actions
    )
    start = minutes.original_start.isoformat(timespec="minutes")
    with uow:
        load_agreement(uow, agreement_id)
        require_provider(uow)
        row = uow.relationship.put_minutes(
            agreement_id=agreement_id,
            series_key=series_key,
            original_start=start,
            text=minutes.text,
            attendance=list(minutes.attendance),
            actor=actor,
            at=now,
        )
        created: list[str] = []
        for action in minutes.actions:
            claim = uow.relationship.claim_action(
                agreement_id=agreement_id,
                series_key=series_key,
                original_start=start,
                action_key=action.key,
                actor=actor,
                at=now,
            )
            if claim is None:
                continue  # made by an earlier save: editing the minutes keeps its task
            task = create_task(
                uow.joined(),
                agreement_id,
                title=action.title,
                party=action.party,
                assignee=action.assignee,
                due=action.due,
                source=task_source(series_key, minutes.original_start),
                actor=actor,
                now=now,
            )
            uow.relationship.set_action_task(claim, task.id)
            created.append(action.key)
        audit.record(
            uow,
            actor=actor,
            action="relationship.minutes_recorded",
            subject_type="agreement",
            subject_id=agreement_id,
            at=now,
            data={
                "series": series_key,
                "original_start": start,
                "revision": row.revision,
                "actions_created": created,
            },
        )
        view = _view(row, _actions(uow, agreement_id), created)
        uow.commit()
    return view


def _view(row: MeetingMinutes, actions: list[ActionView], created: list[str] | None = None) -> MinutesView:
    own = [a for a in actions if (a.series_key, a.original_start) == (row.series_key, row.original_start)]
    return MinutesView(
        row.id,
        row.agreement_id,
        row.series_key,
        row.original_start,
        row.text,
        list(row.attendance or []),
        row.revision,
        row.recorded_by,
        row.recorded_at,
        row.updated_by,
        row.updated_at,
        own,
        list(created or []),
    )


def minutes_of(*, uow: UnitOfWork, agreement_id: int, series_key: str, original_start: str) -> MinutesView:
    """The minutes of one occurrence with its actions (NotFound when none were recorded)."""
    with uow:
        load_agreement(uow, agreement_id)  # the tenancy check
        row = uow.relationship.minutes(agreement_id, series_key, original_start)
        if row is None:
            raise NotFound(f"no minutes for '{series_key}' at {original_start}")
        return _view(row, _actions(uow, agreement_id))


def all_minutes(*, uow: UnitOfWork, agreement_id: int) -> list[MinutesView]:
    """Every occurrence's minutes, oldest meeting first."""
    with uow:
        load_agreement(uow, agreement_id)
        actions = _actions(uow, agreement_id)
        return [_view(row, actions) for row in uow.relationship.minutes_of(agreement_id)]


MINUTES_SORTABLE = ("id", "original_start", "series_key", "revision", "updated_at")


def list_minutes(*, uow: UnitOfWork, agreement_id: int, query: ListQuery) -> Page[MinutesView]:
    """A page of the agreement's minutes: filter series_key; `q` searches the text; sorted by any
    of MINUTES_SORTABLE (default: the meeting's original start)."""
    sortable = {name: (lambda v, n=name: getattr(v, n)) for name in MINUTES_SORTABLE}
    return page_of(
        all_minutes(uow=uow, agreement_id=agreement_id),
        replace(query),
        sortable=sortable,
        filterable={"series_key": lambda v: v.series_key},
        searchable=(lambda v: v.text,),
        default_sort="original_start",
    )


def actions_of(*, uow: UnitOfWork, agreement_id: int) -> list[ActionView]:
    """Every action item of the agreement's meetings, oldest meeting first."""
    with uow:
        load_agreement(uow, agreement_id)
        return _actions(uow, agreement_id)


SORTABLE = ("id", "original_start", "series_key", "title", "party", "assignee", "due_date", "status")


def list_actions(*, uow: UnitOfWork, agreement_id: int, query: ListQuery) -> Page[ActionView]:
    """A page of the action items: filters series_key, party, assignee, status, open (a bool);
    `q` searches titles and assignees; sorted by any of SORTABLE (default: meeting, then due)."""
    actions = actions_of(uow=uow, agreement_id=agreement_id)
    sortable = {name: (lambda v, n=name: getattr(v, n)) for name in SORTABLE}
    return page_of(
        actions,
        replace(query),
        sortable=sortable,
        filterable={
            "series_key": lambda v: v.series_key,
            "party": lambda v: v.party,
            "assignee": lambda v: v.assignee,
            "status": lambda v: v.status,
            "open": lambda v: v.open,
        },
        searchable=(lambda v: v.title, lambda v: v.assignee),
        default_sort="original_start",
    )

"""Topics raised for a coming meeting occurrence: raise, withdraw (either party), list.

Who may: a customer's administrator on its own agreements, provider staff who may change
agreements (and the operator at the command line); viewers and agents read. Another customer's
agreement does not exist (NotFound, checked before the role). A topic is withdrawn by the one who
raised it or by a provider writer, and only before the meeting starts.

Raising is one INSERT … ON CONFLICT DO NOTHING on (occurrence, text): a double submit, or 25
parallel ones, store one row and audit it once; the others read the winner's row (new=False).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from slaforge.adapters.db.models import MeetingTopic
from slaforge.domain.errors import NotFound
from slaforge.domain.platform.accounts import Permission, PermissionDenied, Principal, Role
from slaforge.domain.platform.listing import ListQuery, Page, page_of
from slaforge.domain.relationship.minutes import check_original_start
from slaforge.domain.relationship.topics import check_occurrence_ahead, check_topic
from slaforge.services.agreement.core import load_agreement
from slaforge.services.platform import audit
from slaforge.services.relationship.meetings import changes_of
from slaforge.services.relationship.minutes import series_in_force
from slaforge.services.unit_of_work import UnitOfWork

Actor = Principal | str  # a str is the operator at the command line (provider side)


@dataclass(frozen=True, slots=True)
class TopicView:
    id: int
    agreement_id: int
    series_key: str
    original_start: str
    text: str
    party: str
    raised_by: str
    raised_by_user_id: int | None
    raised_at: datetime
    new: bool = False  # this request stored it (False: it had been raised before)


def _name(actor: Actor) -> str:
    return actor.email if isinstance(actor, Principal) else actor


def _user_id(actor: Actor) -> int | None:
    # The command line's own operator is Principal(user_id=0): no account row to point at.
    return actor.user_id if isinstance(actor, Principal) and actor.user_id > 0 else None


def party_of(actor: Actor) -> str:
    return "customer" if isinstance(actor, Principal) and actor.customer_id is not None else "provider"


def _provider_writer(actor: Actor) -> bool:
    return not isinstance(actor, Principal) or (actor.is_provider and actor.can(Permission.CATALOG_WRITE))


def may_raise(actor: Actor) -> bool:
    """A customer's administrator (what writes elsewhere in the portal) or a provider writer."""
    if isinstance(actor, Principal) and actor.customer_id is not None:
        return actor.role is Role.CUSTOMER_ADMIN
    return _provider_writer(actor)


def may_withdraw(actor: Actor, topic: TopicView) -> bool:
    own = topic.raised_by_user_id is not None and topic.raised_by_user_id == _user_id(actor)
    return own or _provider_writer(actor)


def _view(row: MeetingTopic, new: bool = False) -> TopicView:
    return TopicView(
        row.id,
        row.agreement_id,
        row.series_key,
        row.original_start,
        row.text,
        row.party,
        row.raised_by,
        row.raised_by_user_id,
        row.raised_at,
        new,
    )


def raise_topic(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    series_key: str,
    original_start: str,
    text: str,
    actor: Actor,
    now: datetime,
) -> TopicView:
    """Raise a topic for a coming occurrence (refused naming `original_start` for one that is not
    in the series, was cancelled or has started; `text` when empty or too long)."""
    with uow:  # another customer's agreement is NotFound before any role is looked at
        load_agreement(uow, agreement_id)
    if not may_raise(actor):
        raise PermissionDenied(
            "only a customer's administrator or provider staff who change agreements raise topics"
        )
    series = series_in_force(uow, agreement_id, series_key)
    changes = changes_of(uow=uow, agreement_id=agreement_id).get(series_key, ([], 0))[0]
    topic = check_topic(series, original_start, changes, now, text=text)
    start = topic.original_start.isoformat(timespec="minutes")
    with uow:
        load_agreement(uow, agreement_id)
        new_id = uow.relationship.add_topic(
            agreement_id=agreement_id,
            series_key=series_key,
            original_start=start,
            text=topic.text,
            party=party_of(actor),
            user_id=_user_id(actor),
            actor=_name(actor),
            at=now,
        )
        if new_id is not None:
            audit.record(
                uow,
                actor=_name(actor),
                action="relationship.topic_raised",
                subject_type="agreement",
                subject_id=agreement_id,
                at=now,
                data={
                    "series": series_key,
                    "original_start": start,
                    "topic": new_id,
                    "party": party_of(actor),
                },
            )
        row = uow.relationship.topic_by_text(agreement_id, series_key, start, topic.text)
        if row is None:  # withdrawn between the conflict and this read: raise it again
            raise NotFound("that topic was withdrawn meanwhile; raise it again")
        view = _view(row, new=new_id is not None)
        uow.commit()
    return view


def withdraw_topic(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    series_key: str,
    original_start: str,
    topic_id: int,
    actor: Actor,
    now: datetime,
) -> TopicView:
    """Withdraw a topic before its meeting starts: its raiser, or a provider writer. Of parallel
    withdrawals one deletes and audits it; the others find it gone (NotFound)."""
    found = _topic(uow, agreement_id, series_key, original_start, topic_id)
    if not may_withdraw(actor, found):
        raise PermissionDenied("a topic is withdrawn by the one who raised it or by the provider")
    series = series_in_force(uow, agreement_id, series_key)
    changes = changes_of(uow=uow, agreement_id=agreement_id).get(series_key, ([], 0))[0]
    check_occurrence_ahead(series, found.original_start, changes, now)
    with uow:
        load_agreement(uow, agreement_id)
        if not uow.relationship.delete_topic(topic_id):
            raise NotFound(f"no topic {topic_id} for '{series_key}' at {original_start}")
        audit.record(
            uow,
            actor=_name(actor),
            action="relationship.topic_withdrawn",
            subject_type="agreement",
            subject_id=agreement_id,
            at=now,
            data={
                "series": series_key,
                "original_start": found.original_start,
                "topic": topic_id,
                "text": found.text,
            },
        )
        uow.commit()
    return found


def _topic(
    uow: UnitOfWork, agreement_id: int, series_key: str, original_start: str, topic_id: int
) -> TopicView:
    with uow:
        load_agreement(uow, agreement_id)
        row = uow.relationship.topic(topic_id)
        if row is None or (row.agreement_id, row.series_key, row.original_start) != (
            agreement_id,
            series_key,
            original_start,
        ):
            raise NotFound(f"no topic {topic_id} for '{series_key}' at {original_start}")
        return _view(row)


def topics_of(*, uow: UnitOfWork, agreement_id: int, series_key: str, original_start: str) -> list[TopicView]:
    """One occurrence's topics in the order raised (any occurrence of the series in force)."""
    series = series_in_force(uow, agreement_id, series_key)
    start = check_original_start(series, original_start).isoformat(timespec="minutes")
    with uow:
        load_agreement(uow, agreement_id)
        return [_view(row) for row in uow.relationship.topics_of(agreement_id, series_key, start)]


SORTABLE = ("id", "raised_at", "party", "raised_by", "text")


def list_topics(
    *, uow: UnitOfWork, agreement_id: int, series_key: str, original_start: str, query: ListQuery
) -> Page[TopicView]:
    """A page of one occurrence's topics: filters party, raised_by; `q` searches the text; sorted
    by any of SORTABLE (default: the order raised)."""
    sortable = {name: (lambda v, n=name: getattr(v, n)) for name in SORTABLE}
    return page_of(
        topics_of(uow=uow, agreement_id=agreement_id, series_key=series_key, original_start=original_start),
        replace(query),
        sortable=sortable,
        filterable={"party": lambda v: v.party, "raised_by": lambda v: v.raised_by},
        searchable=(lambda v: v.text,),
        default_sort="id",
    )

"""Responsibilities and contacts of an agreement: the roles, the RACI activities and the contacts
matrix in its terms' "relationship" section, read from any version the caller may see and edited
only on a draft (an offered version is frozen: draft a new version to change it).

Each edit is one unit of work: the whole section is validated again (`normalise_relationship`
through the agreement's normaliser, so an error names the activity and field), the draft's terms
are replaced the way every draft's are (`drafts.set_draft_terms`), and an audit entry records it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.errors import IllegalTransition, InvalidInput, NotFound
from slaforge.domain.platform.listing import ListQuery, Page, page_of
from slaforge.domain.relationship.starter import merge_starter
from slaforge.domain.relationship.terms import normalise_relationship
from slaforge.services.agreement.core import load_agreement, load_version, require_provider
from slaforge.services.agreement.drafts import set_draft_terms
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

Section = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RelationshipView:
    """One version's relationship section, with what a page needs around it."""

    agreement_id: int
    title: str
    customer_id: int
    version_id: int
    number: int
    state: str
    section: Section

    @property
    def editable(self) -> bool:
        return self.state == VersionState.DRAFT.value

    def activity(self, key: str) -> dict[str, Any]:
        for a in self.section["activities"]:
            if a["key"] == key:
                return dict(a)
        raise NotFound(f"no activity '{key}' in version {self.number}")


def _view(version: Any) -> RelationshipView:
    agreement = version.agreement
    return RelationshipView(
        agreement_id=agreement.id,
        title=agreement.title,
        customer_id=agreement.customer_id,
        version_id=version.id,
        number=version.number,
        state=version.state,
        section=normalise_relationship(version.terms.get("relationship")),
    )


def get_relationship(
    *, uow: UnitOfWork, agreement_id: int, version_id: int | None = None
) -> RelationshipView:
    """The section of a version of the agreement (default: the newest the caller may see; a
    customer user never sees drafts, so theirs is the newest offered or decided version)."""
    with uow:
        agreement = load_agreement(uow, agreement_id)
        if version_id is not None:
            version = load_version(uow, version_id)
            if version.agreement_id != agreement.id:
                raise NotFound(f"no agreement version {version_id} of agreement {agreement_id}")
        elif not agreement.versions:
            raise NotFound(f"agreement {agreement_id} has no version you can see")
        else:
            version = agreement.versions[-1]
        return _view(version)


def get_version_relationship(*, uow: UnitOfWork, version_id: int) -> RelationshipView:
    with uow:
        return _view(load_version(uow, version_id))


def list_activities(
    *, uow: UnitOfWork, agreement_id: int, query: ListQuery, version_id: int | None = None
) -> tuple[RelationshipView, Page[dict[str, Any]]]:
    """A page of the activities: sort by key, name or due; filter by `accountable` ("provider" or
    "customer"), `party` (the party with any letter), search names and due rules."""
    view = get_relationship(uow=uow, agreement_id=agreement_id, version_id=version_id)

    def accountable(a: Mapping[str, Any]) -> str:
        return str(next(r["party"] for r in a["raci"] if "A" in r["letters"]))

    page = page_of(
        view.section["activities"],
        query,
        sortable={"key": lambda a: a["key"], "name": lambda a: a["name"].lower(), "due": lambda a: a["due"]},
        filterable={"accountable": accountable},
        searchable=(lambda a: a["name"], lambda a: a["due"]),
        default_sort="key",
    )
    return view, page


def _edit(
    uow: UnitOfWork,
    agreement_id: int,
    change: Callable[[Section], Section],
    *,
    action: str,
    actor: str,
    now: datetime,
    **data: Any,
) -> RelationshipView:
    """Apply `change` to the newest version's section, which must be a draft."""
    with uow:
        agreement = load_agreement(uow, agreement_id)
        require_provider(uow)
        version = agreement.versions[-1]
        if version.state != VersionState.DRAFT.value:
            raise IllegalTransition(
                f"version {version.number} is {version.state}: its responsibilities are frozen with it; "
                "draft a new version to change them"
            )
        section = change(normalise_relationship(version.terms.get("relationship")))
        set_draft_terms(uow, version, {**version.terms, "relationship": section})
        audit.record(
            uow,
            actor=actor,
            action=f"relationship.{action}",
            subject_type="agreement",
            subject_id=agreement.id,
            at=now,
            data={"version_id": version.id, "version": version.number, **data},
        )
        out = _view(version)
        uow.commit()
        return out


def set_section(
    *, uow: UnitOfWork, agreement_id: int, section: Mapping[str, Any], actor: str, now: datetime
) -> RelationshipView:
    """Replace the whole section of the draft (roles, activities, contacts and the other parts)."""
    return _edit(uow, agreement_id, lambda _: dict(section), action="section_set", actor=actor, now=now)


def set_roles(
    *, uow: UnitOfWork, agreement_id: int, roles: Mapping[str, Sequence[str]], actor: str, now: datetime
) -> RelationshipView:
    def change(s: Section) -> Section:
        return {**s, "roles": {party: list(names) for party, names in roles.items()}}

    return _edit(uow, agreement_id, change, action="roles_set", actor=actor, now=now, roles=dict(roles))


def put_activity(
    *, uow: UnitOfWork, agreement_id: int, activity: Mapping[str, Any], actor: str, now: datetime
) -> RelationshipView:
    """Add an activity, or replace the one with the same key where it stands."""
    key = activity.get("key")
    if not isinstance(key, str):
        raise InvalidInput("give the activity a key", field="key", value=key)

    def change(s: Section) -> Section:
        activities = list(s["activities"])
        for i, a in enumerate(activities):
            if a["key"] == key:
                activities[i] = dict(activity)
                break
        else:
            activities.append(dict(activity))
        return {**s, "activities": activities}

    return _edit(uow, agreement_id, change, action="activity_put", actor=actor, now=now, key=key)


def remove_activity(
    *, uow: UnitOfWork, agreement_id: int, key: str, actor: str, now: datetime
) -> RelationshipView:
    def change(s: Section) -> Section:
        kept = [a for a in s["activities"] if a["key"] != key]
        if len(kept) == len(s["activities"]):
            raise NotFound(f"no activity '{key}' in the draft")
        return {**s, "activities": kept}

    return _edit(uow, agreement_id, change, action="activity_removed", actor=actor, now=now, key=key)


def set_contacts(
    *, uow: UnitOfWork, agreement_id: int, contacts: Sequence[Mapping[str, Any]], actor: str, now: datetime
) -> RelationshipView:
    def change(s: Section) -> Section:
        if not isinstance(contacts, list):
            raise InvalidInput("the contacts are a list", field="relationship.contacts", value=None)
        return {**s, "contacts": [dict(c) for c in contacts]}

    return _edit(
        uow, agreement_id, change, action="contacts_set", actor=actor, now=now, count=len(list(contacts))
    )


def apply_starter(
    *, uow: UnitOfWork, agreement_id: int, keys: Sequence[str] | None, actor: str, now: datetime
) -> tuple[RelationshipView, list[str]]:
    """Add the starter library's activities (all, or those named) the draft lacks, and their roles."""
    added: list[str] = []

    def change(s: Section) -> Section:
        out, new = merge_starter(s, keys)
        added.extend(new)
        return out

    view = _edit(
        uow, agreement_id, change, action="starter_applied", actor=actor, now=now, keys=list(keys or [])
    )
    return view, added

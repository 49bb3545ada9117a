"""The customer's decisions through a signature link: accept, reject, or propose changes.

Each claims the link (once) and runs the channel-independent decision of `decisions` inside this
transaction, so the link is used up exactly when the decision is recorded, with its evidence
and audit entries. The news of the decision is queued by the audit hook (agreement_news);
`notify` only overrides the configuration the session carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from datetime import datetime
from typing import Any

from slaforge.domain.agreement.durations import UNITS, to_seconds
from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.services.agreement import core, decisions
from slaforge.services.agreement.core import configure_news
from slaforge.services.agreement.links import Visitor, claim
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork


def _required(value: str, field: str, message: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(message, field=field, value=value)
    return text


def accept_via_link(
    *,
    uow: UnitOfWork,
    token: str,
    name: str,
    title: str,
    consent: bool,
    accepted_hash: str,
    visitor: Visitor,
    now: datetime,
    notify: NotifyConfig | None = None,
) -> core.VersionRef:
    """The customer signs through a signature link: checks the name, the title and the consent,
    claims the link for "accept", and records the signature as evidence (method "signature",
    the link's e-mail, the visitor's IP and user agent) through `decisions.accept_version`."""
    full_name = _required(name, "name", "type your full name to sign")
    role = _required(title, "title", "give your title or role")
    if not consent:
        raise InvalidInput("tick the box to confirm that you accept this agreement", field="consent")
    with uow:
        configure_news(uow, notify)
        link, version = claim(uow, token, now, "accept")
        evidence = core.AcceptanceEvidence(
            method="signature",
            name=full_name,
            title=role,
            email=link.email,
            ip=visitor.ip[:64],
            user_agent=visitor.user_agent[:500],
            accepted_hash=accepted_hash.strip(),
        )
        ref = decisions.accept_version(
            uow=uow.joined(),
            version_id=version.id,
            evidence=evidence,
            actor=f"customer:{link.email}",
            now=now,
        )
        uow.commit()
        return ref


def reject_via_link(
    *,
    uow: UnitOfWork,
    token: str,
    reason: str,
    accepted_hash: str,
    visitor: Visitor,
    now: datetime,
    name: str = "",
    notify: NotifyConfig | None = None,
) -> core.VersionRef:
    why = _required(reason, "reason", "say why you reject the agreement, so the provider can respond")
    with uow:
        configure_news(uow, notify)
        link, version = claim(uow, token, now, "reject")
        evidence = core.AcceptanceEvidence(
            method="signature",
            name=name.strip()[:200],
            email=link.email,
            ip=visitor.ip[:64],
            user_agent=visitor.user_agent[:500],
            accepted_hash=accepted_hash.strip(),
            note=why,
        )
        ref = decisions.reject_version(
            uow=uow.joined(),
            version_id=version.id,
            reason=why,
            actor=f"customer:{link.email}",
            now=now,
            evidence=evidence,
        )
        uow.commit()
        return ref


def proposed_terms(terms: Mapping[str, Any], changes: Mapping[int, Mapping[str, float]]) -> dict[str, Any]:
    """The version's terms with the customer's targets: per objective index, target_minutes,
    target_hours or target_days (business days of the agreement's own length), attainment_percent
    (duration metrics) or target_percent (availability)."""
    out = deepcopy(dict(terms))
    objectives = out.get("objectives", [])
    for index, fields in changes.items():
        if not 0 <= index < len(objectives):
            raise InvalidInput("no such objective", field=f"objectives[{index}]", value=index)
        objective = objectives[index]
        day_seconds = (out.get("calendar") or {}).get("day_seconds")
        for unit in UNITS:  # target_minutes, target_hours, target_days (of this agreement's day)
            if f"target_{unit}" in fields:
                field = f"objectives[{index}].target_{unit}"
                objective["target_seconds"] = to_seconds(fields[f"target_{unit}"], unit, day_seconds, field)
        if "attainment_percent" in fields:
            objective["attainment"] = fields["attainment_percent"] / 100
        if "target_percent" in fields:
            objective["target_percent"] = fields["target_percent"]
    return out


def counter_via_link(
    *,
    uow: UnitOfWork,
    token: str,
    changes: Mapping[int, Mapping[str, float]],
    comment: str,
    visitor: Visitor,
    now: datetime,
    name: str = "",
    notify: NotifyConfig | None = None,
) -> core.VersionRef:
    """The customer's counter-offer: a new draft with the proposed targets for the provider."""
    note = _required(comment, "comment", "say what you propose and why")
    with uow:
        configure_news(uow, notify)
        link, version = claim(uow, token, now, "counter")
        terms = proposed_terms(version.terms, changes)
        actor = f"customer:{link.email}"
        ref = decisions.counter_version(
            uow=uow.joined(),
            version_id=version.id,
            proposed_terms=terms,
            comment=note,
            actor=actor,
            now=now,
        )
        audit.record(
            uow,
            actor=actor,
            action="agreement.counter_evidence",
            subject_type="agreement",
            subject_id=version.agreement_id,
            at=now,
            data={
                "version_id": version.id,
                "draft_version_id": ref.version_id,
                "name": name.strip()[:200],
                "ip": visitor.ip[:64],
                "user_agent": visitor.user_agent[:500],
            },
        )
        uow.commit()
        return ref

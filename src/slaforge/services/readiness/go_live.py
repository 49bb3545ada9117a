"""The go-live gate: the only door from accepted to active. Refused naming every item neither ok
nor waived; otherwise the version steps through the lifecycle, the moment is recorded and the
configuration is frozen with the calendars the terms measure in, in canonical JSON with its
SHA-256, all in one audited transaction.

Concurrent go-lives: the configuration row is claimed with one conditional UPDATE, so exactly one
request makes the transition and writes the audit entry; the others answer with its result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slaforge.adapters.db.models import ReadinessConfig
from slaforge.domain.agreement.lifecycle import Action, VersionState, next_state
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.readiness.freeze import frozen_form
from slaforge.services.agreement.core import record
from slaforge.services.readiness.calendars import calendars_to_freeze
from slaforge.services.readiness.checks import view_of
from slaforge.services.readiness.common import config_of, readiness_version, require_manager
from slaforge.services.readiness.proofs import collect_proofs
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class LiveView:
    agreement_id: int
    version_id: int
    number: int
    state: str
    went_live_at: datetime
    frozen_sha256: str
    new: bool  # this request made the transition


def go_live(*, uow: UnitOfWork, agreement_id: int, actor: Principal, now: datetime) -> LiveView:
    with uow:
        version = readiness_version(uow, agreement_id)
        require_manager(actor, "take an agreement live")  # after the scoped load: another's stays 404
        row, config = config_of(uow, version)
        if row is not None and row.went_live_at is not None:
            return _already_live(uow, agreement_id)
        collect_proofs(uow, version, row, now)
        view = view_of(uow, version, row)
        # The lifecycle names what is missing (IllegalTransition) when the gate is not passed.
        next_state(VersionState(version.state), Action.GO_LIVE, readiness_gaps=view.gaps)
        if row is None:  # every item waived without a configuration ever being set
            row, _ = uow.readiness.add_once(
                ReadinessConfig(
                    agreement_id=version.agreement_id,
                    version_id=version.id,
                    config=config,
                    sources={},
                    updated_at=now,
                    updated_by=actor.email,
                )
            )
            uow.flush()
        if not uow.readiness.claim_go_live(row.id, now, actor.email):
            return _already_live(uow, agreement_id)  # another request went live first
        calendars, _missing = calendars_to_freeze(uow, version)  # none missing: the gate saw to it
        text, sha = frozen_form(config=config, version_hash=version.content_hash, calendars=calendars)
        row.frozen_json, row.frozen_sha256, row.went_live_at, row.went_live_by = text, sha, now, actor.email
        version.state = next_state(VersionState(version.state), Action.GO_LIVE, readiness_gaps=[]).value
        record(uow, version, "went_live", actor=actor.email, at=now, readiness_sha256=sha,
               waived=[i.key for i in view.items if i.state.value == "waived"])  # fmt: skip
        # The services its availability objectives name become its customer's to see, outages
        # included (services are shared; otherwise a customer sees those its tickets name).
        for objective in version.terms.get("objectives") or []:
            if objective.get("metric") == "availability" and objective.get("service"):
                service = uow.live.service_named(str(objective["service"]))
                uow.live.link_service(version.agreement_id, service.id)
        out = _live(version.agreement_id, version.id, version.number, version.state, row, new=True)
        uow.commit()
        return out


def _already_live(uow: UnitOfWork, agreement_id: int) -> LiveView:
    """Answer with the result of the request that went live. Read afresh: the version was read
    before its configuration row showed the moment, and between two statements another request's
    commit can land (SQLite and PostgreSQL's read committed alike), so it may still say accepted.
    The rollback expires everything read; what is read next sees that whole commit."""
    uow.rollback()
    version = readiness_version(uow, agreement_id)
    row, _ = config_of(uow, version)
    assert row is not None
    return _live(version.agreement_id, version.id, version.number, version.state, row, new=False)


def _live(
    agreement_id: int, version_id: int, number: int, state: str, row: ReadinessConfig, *, new: bool
) -> LiveView:
    assert row.went_live_at is not None
    assert row.frozen_sha256 is not None
    return LiveView(agreement_id, version_id, number, state, row.went_live_at, row.frozen_sha256, new)

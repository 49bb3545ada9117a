"""The chain of commitments behind each promise: record OLAs and UCs, link an agreement version's
objectives to them while it is a draft, and check that each promise can rest on them.

Provider-only: a customer user is told nothing exists (NotFound). Links belong to a version; a
draft without links of its own reads those of the newest earlier version that has some (shown as
inherited), and the first change to the draft's links copies them over, so a new version never
loses what the one before rested on and a frozen version's links never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import ObjectiveUnderpinning, UnderpinningContract
from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.errors import IllegalTransition, InvalidInput, NotFound
from slaforge.domain.relationship.feasibility import KINDS, Contract, Warning, check_objective
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.domain.time.calendar.spec import CalendarSpec
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

METRICS = ("first_response", "resolution")
OWN_LINKS = "underpinning_links_of"  # in a version's source: the version whose links it holds


@dataclass(frozen=True, slots=True)
class ContractView:
    id: int
    kind: str
    name: str
    counterparty: str
    calendar: dict[str, Any]
    targets: dict[str, dict[str, float]]


@dataclass(frozen=True, slots=True)
class ObjectiveCheck:
    index: int
    objective: dict[str, Any]
    contracts: list[ContractView]
    warnings: list[Warning]


@dataclass(frozen=True, slots=True)
class Underpinning:
    agreement_id: int
    version_id: int
    number: int
    state: str
    inherited_from: int | None  # the version number the links are read from, when not the draft's own
    objectives: list[ObjectiveCheck]
    newest: bool = True  # whether it is the agreement's newest version (the one links change on)

    @property
    def warnings(self) -> list[Warning]:
        return [w for o in self.objectives for w in o.warnings]


def provider_only(uow: UnitOfWork) -> None:
    if uow.scope.is_limited:
        raise NotFound("no such page")  # a customer is not told the provider's contracts exist


def _view(row: UnderpinningContract) -> ContractView:
    return ContractView(row.id, row.kind, row.name, row.counterparty, dict(row.calendar), dict(row.targets))


def check_targets(raw: object) -> dict[str, dict[str, float]]:
    """{metric: {priority or '*': business seconds > 0}} for first_response and resolution."""
    if not isinstance(raw, Mapping) or not raw:
        raise InvalidInput(
            "give at least one target {metric: {priority: seconds}}", field="targets", value=raw
        )
    out: dict[str, dict[str, float]] = {}
    for metric, by_priority in raw.items():
        if metric not in METRICS:
            raise InvalidInput(f"metric must be one of {', '.join(METRICS)}", field="targets", value=metric)
        if not isinstance(by_priority, Mapping) or not by_priority:
            raise InvalidInput(
                "targets per priority: {priority: seconds}", field=f"targets.{metric}", value=None
            )
        out[metric] = {}
        for priority, seconds in by_priority.items():
            where = f"targets.{metric}.{priority}"
            if (
                isinstance(seconds, bool)
                or not isinstance(seconds, int | float)
                or not 0 < seconds <= 366 * 86400
            ):
                raise InvalidInput(
                    "must be business seconds, more than 0 and at most 366 days", field=where, value=seconds
                )
            out[metric][str(priority)] = float(seconds)
    return out


def create_contract(
    *,
    uow: UnitOfWork,
    kind: str,
    name: str,
    counterparty: str,
    calendar: Mapping[str, Any],
    targets: Mapping[str, Any],
    actor: str,
    now: datetime,
) -> ContractView:
    with uow:
        provider_only(uow)
        if kind not in KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind", value=kind)
        clean_name = name.strip()
        if not clean_name or len(clean_name) > 200 or "\x00" in clean_name:
            raise InvalidInput("a name of 1-200 characters", field="name", value=name)
        spec = CalendarSpec.from_dict(calendar)  # CalendarError names the field
        row = UnderpinningContract(
            kind=kind,
            name=clean_name,
            counterparty=counterparty.strip()[:200],
            calendar=spec.to_dict(),
            targets=check_targets(targets),
            created_by=actor,
            created_at=now,
        )
        uow.relationship.add_contract(row)
        uow.flush()
        audit.record(
            uow,
            actor=actor,
            action="underpinning.contract_created",
            subject_type="contract",
            subject_id=row.id,
            at=now,
            data={"kind": kind, "name": clean_name},
        )
        view = _view(row)
        uow.commit()
        return view


def list_contracts(*, uow: UnitOfWork) -> list[ContractView]:
    with uow:
        provider_only(uow)
        return [_view(r) for r in uow.relationship.contracts()]


def remove_contract(*, uow: UnitOfWork, contract_id: int, actor: str, now: datetime) -> None:
    with uow:
        provider_only(uow)
        row = uow.relationship.contract(contract_id)
        if row is None:
            raise NotFound(f"no underpinning contract {contract_id}")
        if uow.relationship.contract_in_use(contract_id):
            raise IllegalTransition(
                f"{row.name} underpins an objective of some agreement version: unlink it first"
            )
        audit.record(
            uow,
            actor=actor,
            action="underpinning.contract_removed",
            subject_type="contract",
            subject_id=row.id,
            at=now,
            data={"kind": row.kind, "name": row.name},
        )
        uow.relationship.delete(row)
        uow.commit()


def _versions(uow: UnitOfWork, agreement_id: int) -> list[tuple[int, int, str]]:
    if uow.agreement.agreement(agreement_id) is None:
        raise NotFound(f"no agreement {agreement_id}")
    return uow.relationship.version_numbers(agreement_id)


def _links_of(
    uow: UnitOfWork, versions: list[tuple[int, int, str]], version: Any
) -> tuple[list[ObjectiveUnderpinning], int | None]:
    """The version's own links, else (until its links were first changed) the newest earlier
    version's, with that version's number."""
    earlier = [v for v in versions if v[0] <= version.id]
    by_version: dict[int, list[ObjectiveUnderpinning]] = {}
    for link in uow.relationship.links([v[0] for v in earlier]):
        by_version.setdefault(link.version_id, []).append(link)
    if _owns_links(version) or version.id in by_version:
        return by_version.get(version.id, []), None
    for vid, number, _state in reversed(earlier):
        if vid in by_version:
            return by_version[vid], number
    return [], None


def _owns_links(version: Any) -> bool:
    # Set on a draft's first change of its links (the source travels to later versions, so it
    # names the version it is about): after that, an empty list is the draft's own choice.
    return bool((version.source or {}).get(OWN_LINKS) == version.id)


def _version(
    uow: UnitOfWork, agreement_id: int, version_id: int | None
) -> tuple[Any, list[tuple[int, int, str]]]:
    versions = _versions(uow, agreement_id)
    wanted = version_id if version_id is not None else versions[-1][0]
    version = uow.agreement.version(wanted)
    if version is None or version.agreement_id != agreement_id:
        raise NotFound(f"no version {wanted} of agreement {agreement_id}")
    return version, versions


def _agreement_calendar(uow: UnitOfWork, terms: Mapping[str, Any]) -> BusinessCalendar:
    name = str(terms.get("calendar", {}).get("name", ""))
    row = uow.background.calendar(name) if name else None
    if row is None:
        raise InvalidInput(
            f"the agreement's calendar '{name}' is not stored, so its hours cannot be compared: "
            "save it with `slaforge calendar save`",
            field="calendar.name",
            value=name,
        )
    return BusinessCalendar.from_dict(row.definition)


def check_underpinning(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    now: datetime,
    version_id: int | None = None,
    number: int | None = None,
) -> Underpinning:
    """Each objective of the version (by id or by number; default: the newest), the contracts it
    rests on, and every warning of the feasibility check over four weeks from `now`."""
    with uow:
        provider_only(uow)
        if number is not None:
            version_id = version_id_of(uow, agreement_id, number)
        return checked(uow, agreement_id, now, version_id)


def version_id_of(uow: UnitOfWork, agreement_id: int, number: int) -> int:
    """The id of the agreement's version with that number (NotFound naming both otherwise)."""
    for vid, n, _state in _versions(uow, agreement_id):
        if n == number:
            return vid
    raise NotFound(f"agreement {agreement_id} has no version {number}")


def checked(uow: UnitOfWork, agreement_id: int, now: datetime, version_id: int | None) -> Underpinning:
    """`check_underpinning` inside a unit of work the caller holds (and has checked is the
    provider's)."""
    version, versions = _version(uow, agreement_id, version_id)
    links, inherited = _links_of(uow, versions, version)
    terms = version.terms
    objectives = list(terms.get("objectives", []))
    calendar = _agreement_calendar(uow, terms) if links else None
    day = terms.get("calendar", {}).get("day_seconds")
    start = now.replace(minute=0, second=0, microsecond=0)
    # Each linked contract read, and its calendar expanded, once however many objectives rest on it.
    rows = {k.contract_id: uow.relationship.contract(k.contract_id) for k in links}
    known = {cid: r for cid, r in rows.items() if r is not None}
    backing = {
        cid: Contract(r.name, r.kind, BusinessCalendar.from_dict(r.calendar), r.targets)
        for cid, r in known.items()
    }
    checks = []
    for i, objective in enumerate(objectives):
        ids = [k.contract_id for k in links if k.objective_index == i and k.contract_id in known]
        contracts = [backing[cid] for cid in ids]
        warnings = (
            check_objective(i, objective, calendar, contracts, start, day) if calendar and contracts else []
        )
        checks.append(ObjectiveCheck(i, dict(objective), [_view(known[cid]) for cid in ids], warnings))
    number = next(n for v, n, _s in versions if v == version.id)
    newest = version.id == versions[-1][0]
    return Underpinning(agreement_id, version.id, number, version.state, inherited, checks, newest)


def _draft_links(
    uow: UnitOfWork, agreement_id: int, actor: str, now: datetime
) -> tuple[Any, list[ObjectiveUnderpinning]]:
    """The newest version, which must be a draft, with its own links (inherited ones copied in)."""
    version, versions = _version(uow, agreement_id, None)
    if version.state != VersionState.DRAFT.value:
        raise IllegalTransition(
            f"version {version.number} is {version.state}: the objectives it rests on are frozen with it; "
            "draft a new version to change them"
        )
    links, inherited = _links_of(uow, versions, version)
    if inherited is not None:
        copies = [
            ObjectiveUnderpinning(
                version_id=version.id,
                objective_index=link.objective_index,
                contract_id=link.contract_id,
                snapshot=dict(link.snapshot),
                linked_by=actor,
                linked_at=now,
            )
            for link in links
        ]
        for row in copies:
            uow.relationship.add_link(row)
        links = copies
    version.source = {**(version.source or {}), OWN_LINKS: version.id}
    return version, links


def link_contract(
    *, uow: UnitOfWork, agreement_id: int, objective_index: int, contract_id: int, actor: str, now: datetime
) -> bool:
    """Rest the draft's objective on the contract; False when it already did."""
    with uow:
        provider_only(uow)
        version, _links = _draft_links(uow, agreement_id, actor, now)
        objectives = version.terms.get("objectives", [])
        if not 0 <= objective_index < len(objectives):
            raise InvalidInput(
                f"the draft has objectives 0 to {len(objectives) - 1}",
                field="objective",
                value=objective_index,
            )
        if objectives[objective_index].get("metric") == "availability":
            raise InvalidInput(
                "an availability objective rests on no response contract",
                field="objective",
                value=objective_index,
            )
        contract = uow.relationship.contract(contract_id)
        if contract is None:
            raise NotFound(f"no underpinning contract {contract_id}")
        snapshot = {
            "name": contract.name,
            "kind": contract.kind,
            "calendar": contract.calendar,
            "targets": contract.targets,
        }
        added = uow.relationship.add_link(
            ObjectiveUnderpinning(
                version_id=version.id,
                objective_index=objective_index,
                contract_id=contract_id,
                snapshot=snapshot,
                linked_by=actor,
                linked_at=now,
            )
        )
        if added:
            audit.record(
                uow,
                actor=actor,
                action="underpinning.linked",
                subject_type="contract",  # not the agreement: its trail must never name the supplier
                subject_id=contract.id,
                at=now,
                data={
                    "agreement_id": agreement_id,
                    "version_id": version.id,
                    "objective": objective_index,
                    "contract": contract.name,
                },
            )
        uow.commit()
        return added


def unlink_contract(
    *, uow: UnitOfWork, agreement_id: int, objective_index: int, contract_id: int, actor: str, now: datetime
) -> None:
    with uow:
        provider_only(uow)
        version, links = _draft_links(uow, agreement_id, actor, now)
        found = [k for k in links if k.objective_index == objective_index and k.contract_id == contract_id]
        if not found:
            raise NotFound(f"objective {objective_index} does not rest on contract {contract_id}")
        uow.flush()
        uow.relationship.delete(found[0])
        audit.record(
            uow,
            actor=actor,
            action="underpinning.unlinked",
            subject_type="contract",  # not the agreement: its trail must never name the supplier
            subject_id=contract_id,
            at=now,
            data={
                "agreement_id": agreement_id,
                "version_id": version.id,
                "objective": objective_index,
                "contract": contract_id,
            },
        )
        uow.commit()

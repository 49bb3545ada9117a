"""The readiness check of an agreement: the provider's run first records every proof the data now
allows, then the domain computes each item. A customer's user reads the same items of its own
agreements (records nothing: proofs are the provider's bookkeeping)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slaforge.adapters.db.models import AgreementVersion, ReadinessConfig
from slaforge.domain.platform.listing import ListQuery, Page, page_of
from slaforge.domain.readiness.check import Item, Waiver, clause_definitions, compute_items, gaps, next_item
from slaforge.services.readiness.calendars import calendars_to_freeze
from slaforge.services.readiness.common import config_of, readiness_version
from slaforge.services.readiness.proofs import collect_proofs
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ReadinessView:
    agreement_id: int
    version_id: int
    number: int
    state: str
    items: list[Item]
    went_live_at: datetime | None
    frozen_sha256: str | None
    definitions: list[str]  # what each clause measures, in words

    @property
    def ready(self) -> bool:
        return all(item.passes for item in self.items)

    @property
    def next(self) -> Item | None:
        return next_item(self.items)

    @property
    def gaps(self) -> list[str]:
        return gaps(self.items)


def view_of(uow: UnitOfWork, version: AgreementVersion, row: ReadinessConfig | None) -> ReadinessView:
    _, config = config_of(uow, version)
    proofs = {p.item: p.evidence for p in uow.readiness.proofs(version.id)}
    waivers = {w.item: Waiver(w.reason, w.user) for w in uow.readiness.waivers(version.id)}
    _calendars, missing = calendars_to_freeze(uow, version)
    items = compute_items(
        terms=version.terms,
        config=config,
        proofs=proofs,
        waivers=waivers,
        agreement=str(version.agreement_id),
        calendar_problem="; ".join(missing) if row is None or row.went_live_at is None else "",
    )
    return ReadinessView(
        version.agreement_id,
        version.id,
        version.number,
        version.state,
        items,
        row.went_live_at if row else None,
        row.frozen_sha256 if row else None,
        clause_definitions(version.terms, config),
    )


def check_readiness(*, uow: UnitOfWork, agreement_id: int, now: datetime) -> ReadinessView:
    with uow:
        version = readiness_version(uow, agreement_id)
        row, _ = config_of(uow, version)
        if (
            not uow.scope.is_limited
            and version.state == "accepted"
            and collect_proofs(uow, version, row, now)
        ):
            view = view_of(uow, version, row)
            uow.commit()
            return view
        return view_of(uow, version, row)


def page_items(view: ReadinessView, query: ListQuery) -> Page[Item]:
    """A page of the check's items like every list: by default in the order to fix them; filters
    state, kind, objective; search over the key, clause and reason."""
    order = {item.key: n for n, item in enumerate(view.items)}
    return page_of(
        view.items,
        query,
        sortable={
            "position": lambda i: order[i.key],
            "objective": lambda i: (i.objective, order[i.key]),
            "kind": lambda i: (i.kind, order[i.key]),
            "state": lambda i: (i.state.value, order[i.key]),
        },
        filterable={
            "state": lambda i: i.state.value,
            "kind": lambda i: i.kind,
            "objective": lambda i: i.objective,
        },
        searchable=(lambda i: i.key, lambda i: i.label, lambda i: i.reason),
        default_sort="position",
    )

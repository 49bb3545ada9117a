"""Use cases for the provider's catalog: customers, services and calendars.

Every function loads through the caller's scoped unit of work before checking the
role, so something of another customer is NotFound, never Forbidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar

from slaforge.adapters.db.models import Calendar, Customer, Service, User
from slaforge.domain.errors import CalendarError, Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import Permission, Principal
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

M = TypeVar("M", Customer, Service, Calendar)
_NAMES = {Customer: "customer", Service: "service", Calendar: "calendar"}
MAX_PREVIEW = 50


def load(uow: UnitOfWork, model: type[M], ident: int, field: str | None = None) -> M:
    row = uow.platform.get(model, ident)
    if row is None:
        where = f" ({field})" if field else ""
        raise NotFound(f"no {_NAMES[model]} {ident}{where}")
    return row


def _name(value: str, field: str = "name") -> str:
    name = value.strip()
    if not name:
        raise InvalidInput("must not be empty", field=field, value=value)
    return name


def _unique(
    uow: UnitOfWork,
    model: type[M],
    field: Literal["name", "slug"],
    value: str,
    ignore_id: int | None = None,
) -> None:
    if uow.platform.taken(model, field, value, ignore_id):
        raise Conflict(f"'{value}' is already taken ({field})")


def commit_or_conflict(uow: UnitOfWork, then_record: Callable[[], object] | None = None) -> None:
    """Commit, turning a constraint the database caught (a race we could not see) into Conflict.
    `then_record` writes the change's audit entry once the change is flushed (a new row's id is
    known then), in the same transaction."""
    try:
        if then_record is not None:
            uow.flush()
            then_record()
        uow.commit()
    except Exception as exc:
        # Only the adapter can tell a database's constraint error; asked only on failure, so a
        # unit of work whose commits cannot fail (the tests' fake) needs no platform repository.
        conflict = uow.platform.conflict_from(exc)
        if conflict is None:
            raise
        uow.rollback()
        raise conflict from exc


def _recorder(
    uow: UnitOfWork, actor: Principal, action: str, row: Customer | Service | Calendar, **data: Any
) -> Callable[[], object]:
    """The audit entry of a catalog change, written by commit_or_conflict once the row has its id."""
    kind = _NAMES[type(row)]
    return lambda: audit.record(
        uow, actor=actor.email, action=f"{kind}.{action}", subject_type=kind, subject_id=row.id, data=data
    )


def _changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"from": old, "to": new}} for the fields whose value changed."""
    return {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100] or "customer"


# ------------------------------------------------------------------ customers


def create_customer(*, uow: UnitOfWork, actor: Principal, name: str, slug: str | None = None) -> Customer:
    with uow:
        actor.require(Permission.CATALOG_WRITE)
        clean = _name(name)
        slug_value = slugify(slug or clean)
        _unique(uow, Customer, "name", clean)
        _unique(uow, Customer, "slug", slug_value)
        customer = Customer(name=clean, slug=slug_value)
        uow.platform.add(customer)
        commit_or_conflict(uow, _recorder(uow, actor, "created", customer, name=clean, slug=slug_value))
        return customer


def get_customer(*, uow: UnitOfWork, actor: Principal, customer_id: int) -> Customer:
    with uow:
        return load(uow, Customer, customer_id)


def list_customers(*, uow: UnitOfWork, actor: Principal, query: ListQuery) -> Page[Customer]:
    with uow:
        return uow.platform.customers_page(query)


def update_customer(
    *, uow: UnitOfWork, actor: Principal, customer_id: int, name: str | None = None, slug: str | None = None
) -> Customer:
    with uow:
        customer = load(uow, Customer, customer_id)
        actor.require(Permission.CATALOG_WRITE)
        # Check before assigning: autoflush would otherwise hit the constraint first.
        before = {"name": customer.name, "slug": customer.slug}
        if name is not None:
            clean = _name(name)
            _unique(uow, Customer, "name", clean, customer.id)
            customer.name = clean
        if slug is not None:
            slug_value = slugify(slug)
            _unique(uow, Customer, "slug", slug_value, customer.id)
            customer.slug = slug_value
        changed = _changed(before, {"name": customer.name, "slug": customer.slug})
        commit_or_conflict(uow, _recorder(uow, actor, "updated", customer, changed=changed))
        return customer


def delete_customer(*, uow: UnitOfWork, actor: Principal, customer_id: int) -> None:
    with uow:
        customer = load(uow, Customer, customer_id)
        actor.require(Permission.CATALOG_WRITE)
        table = uow.platform.table_using_customer(customer.id)
        if table is not None:
            raise Conflict(f"customer {customer_id} still has {table}; remove them first")
        uow.platform.delete(customer)
        commit_or_conflict(uow, _recorder(uow, actor, "deleted", customer, name=customer.name))


# ------------------------------------------------------------------ services


def create_service(*, uow: UnitOfWork, actor: Principal, name: str, calendar_id: int | None) -> Service:
    with uow:
        if calendar_id is not None:
            load(uow, Calendar, calendar_id, "calendar_id")
        actor.require(Permission.CATALOG_WRITE)
        clean = _name(name)
        _unique(uow, Service, "name", clean)
        service = Service(name=clean, calendar_id=calendar_id)
        uow.platform.add(service)
        commit_or_conflict(
            uow, _recorder(uow, actor, "created", service, name=clean, calendar_id=calendar_id)
        )
        return service


def get_service(*, uow: UnitOfWork, actor: Principal, service_id: int) -> Service:
    with uow:
        return load(uow, Service, service_id)


def list_services(*, uow: UnitOfWork, actor: Principal, query: ListQuery) -> Page[Service]:
    with uow:
        return uow.platform.services_page(query)


def update_service(
    *, uow: UnitOfWork, actor: Principal, service_id: int, changes: Mapping[str, Any]
) -> Service:
    """`changes` holds only the fields the caller sent; `calendar_id: None` clears the calendar."""
    with uow:
        service = load(uow, Service, service_id)
        if changes.get("calendar_id") is not None:
            load(uow, Calendar, changes["calendar_id"], "calendar_id")
        actor.require(Permission.CATALOG_WRITE)
        before = {"name": service.name, "calendar_id": service.calendar_id}
        if changes.get("name") is not None:
            clean = _name(changes["name"])
            _unique(uow, Service, "name", clean, service.id)
            service.name = clean
        if "calendar_id" in changes:
            service.calendar_id = changes["calendar_id"]
        changed = _changed(before, {"name": service.name, "calendar_id": service.calendar_id})
        commit_or_conflict(uow, _recorder(uow, actor, "updated", service, changed=changed))
        return service


def delete_service(*, uow: UnitOfWork, actor: Principal, service_id: int) -> None:
    with uow:
        service = load(uow, Service, service_id)
        actor.require(Permission.CATALOG_WRITE)
        if uow.platform.service_has_tickets(service.id):
            raise Conflict(f"service {service_id} still has tickets; it cannot be deleted")
        uow.platform.delete(service)
        commit_or_conflict(uow, _recorder(uow, actor, "deleted", service, name=service.name))


# ------------------------------------------------------------------ calendars


def _definition(definition: Mapping[str, Any]) -> dict[str, Any]:
    """Validate through the domain and store the canonical form (the name lives in its column)."""
    data = {k: v for k, v in definition.items() if k != "name"}
    try:
        return BusinessCalendar.from_dict(data).to_dict()
    except CalendarError as exc:
        # The caller sent the definition as one field of a larger body: name the path inside it.
        field = f"definition.{exc.field}" if exc.field else "definition"
        message = exc.message.split(": ", 1)[-1] if exc.field else exc.message
        raise InvalidInput(message, field=field, value=exc.value) from exc


def create_calendar(
    *, uow: UnitOfWork, actor: Principal, name: str, definition: Mapping[str, Any]
) -> Calendar:
    with uow:
        actor.require(Permission.CATALOG_WRITE)
        clean = _name(name)
        canonical = _definition(definition)
        _unique(uow, Calendar, "name", clean)
        calendar = Calendar(name=clean, definition=canonical)
        uow.platform.add(calendar)
        commit_or_conflict(uow, _recorder(uow, actor, "created", calendar, name=clean, definition=canonical))
        return calendar


def get_calendar(*, uow: UnitOfWork, actor: Principal, calendar_id: int) -> Calendar:
    with uow:
        return load(uow, Calendar, calendar_id)


def list_calendars(*, uow: UnitOfWork, actor: Principal, query: ListQuery) -> Page[Calendar]:
    with uow:
        return uow.platform.calendars_page(query)


def update_calendar(
    *,
    uow: UnitOfWork,
    actor: Principal,
    calendar_id: int,
    name: str | None = None,
    definition: Mapping[str, Any] | None = None,
) -> Calendar:
    with uow:
        calendar = load(uow, Calendar, calendar_id)
        actor.require(Permission.CATALOG_WRITE)
        before = {"name": calendar.name, "definition": calendar.definition}
        if name is not None:
            clean = _name(name)
            _unique(uow, Calendar, "name", clean, calendar.id)
            calendar.name = clean
        if definition is not None:
            calendar.definition = _definition(definition)
        changed = _changed(before, {"name": calendar.name, "definition": calendar.definition})
        commit_or_conflict(uow, _recorder(uow, actor, "updated", calendar, changed=changed))
        return calendar


def delete_calendar(*, uow: UnitOfWork, actor: Principal, calendar_id: int) -> None:
    with uow:
        calendar = load(uow, Calendar, calendar_id)
        actor.require(Permission.CATALOG_WRITE)
        uow.platform.delete(calendar)
        commit_or_conflict(uow, _recorder(uow, actor, "deleted", calendar, name=calendar.name))


def preview_calendar(
    *, uow: UnitOfWork, actor: Principal, calendar_id: int, after: datetime, count: int
) -> tuple[Calendar, list[tuple[datetime, datetime]]]:
    """The next `count` open periods after `after`: what a user checks before trusting a calendar."""
    if not 1 <= count <= MAX_PREVIEW:
        raise InvalidInput(f"must be between 1 and {MAX_PREVIEW}", field="count", value=count)
    with uow:
        calendar = load(uow, Calendar, calendar_id)
    business = BusinessCalendar.from_dict(calendar.definition)
    return calendar, list(business.next_open_periods(after, count))


# ------------------------------------------------------------------ summaries for pages


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    customer: Customer
    services: list[Service]
    users: list[User]
    tickets: int
    open_tickets: int


def overview(*, uow: UnitOfWork, actor: Principal) -> dict[str, int]:
    """How many of each thing the caller can see: the dashboard's figures."""
    with uow:
        return uow.platform.counts()


def customer_summary(*, uow: UnitOfWork, actor: Principal, customer_id: int) -> CustomerSummary:
    with uow:
        customer = load(uow, Customer, customer_id)
        services = uow.platform.services_used_by(customer.id)
        users: list[User] = []
        if actor.can(Permission.USERS_READ):
            users = uow.platform.users_of_customer(customer.id)
        tickets, still_open = uow.platform.ticket_counts(customer.id)
        return CustomerSummary(customer, services, users, tickets, still_open)


def find_customer(*, uow: UnitOfWork, ref: str) -> Customer:
    """A customer by id or slug, as people type it on the command line."""
    with uow:
        text = ref.strip()
        customer = uow.platform.customer_by_ref(int(text) if text.isdigit() else slugify(text))
        if customer is None:
            raise NotFound(f"no customer '{ref}' (give its id or slug)")
        return customer

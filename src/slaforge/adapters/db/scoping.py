"""Tenancy, enforced in one place: every ORM query a scoped session runs is filtered here.

A session bound to a limited Scope (a customer user's) gets, on every SELECT,
UPDATE and DELETE, a loader criterion per mapped class from TENANT_RULES. A class
without a rule is invisible to customer users (fail closed): a new table must
declare how it belongs to a customer before any customer can see a row of it.
Provider users and system jobs run unlimited sessions and are not filtered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, event, false, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from slaforge.adapters.db import models as m
from slaforge.domain.platform.tenancy import Scope

_KEY = "slaforge.tenancy_scope"
# Set by the audit chain's writer on its own queries (the head row, the last entry, the count):
# a customer user's action is recorded in the provider's audit log, which that user may not read.
# Honoured only for statements on the audit tables alone.
AUDIT_APPEND = "slaforge.audit_append"
_AUDIT_TABLES = frozenset({m.AuditEntry, m.AuditHead})

Rule = Callable[[int], ColumnElement[bool]]


def _visible_users(cid: int) -> Any:
    return select(m.User.id).where(m.User.customer_id == cid).scalar_subquery()


def _visible_tickets(cid: int) -> Any:
    return select(m.Ticket.id).where(m.Ticket.customer_id == cid).scalar_subquery()


def _visible_services(cid: int) -> Any:
    # Services are shared by customers; a customer sees those it uses and those its live
    # agreements' availability objectives name.
    return (
        select(m.Ticket.service_id)
        .where(m.Ticket.customer_id == cid, m.Ticket.service_id.is_not(None))
        .union(
            select(m.AgreementService.service_id).where(
                m.AgreementService.agreement_id.in_(
                    select(m.Agreement.id).where(m.Agreement.customer_id == cid).scalar_subquery()
                )
            )
        )
        .scalar_subquery()
    )


def _visible_agreements(cid: int) -> Any:
    return select(m.Agreement.id).where(m.Agreement.customer_id == cid).scalar_subquery()


def _own_version(cid: int) -> ColumnElement[bool]:
    # A draft is the provider's work in progress (even a counter-offer's, until it is re-offered).
    return and_(
        m.AgreementVersion.agreement_id.in_(_visible_agreements(cid)), m.AgreementVersion.state != "draft"
    )


def _visible_versions(cid: int) -> Any:
    return select(m.AgreementVersion.id).where(_own_version(cid)).scalar_subquery()


def _visible_calendars(cid: int) -> Any:
    return (
        select(m.Service.calendar_id)
        .where(m.Service.id.in_(_visible_services(cid)), m.Service.calendar_id.is_not(None))
        .scalar_subquery()
    )


def _agreed_calendars(cid: int) -> Any:
    """The calendars the customer's own agreement versions name: their hours are the coverage the
    customer agreed to (and the clock its obligations run in), already described in its document."""
    named = m.AgreementVersion.terms["calendar"]["name"].as_string()
    return select(named).where(m.AgreementVersion.id.in_(_visible_versions(cid))).scalar_subquery()


# How each table belongs to one customer. Tables not listed are provider-only.
TENANT_RULES: dict[type[Any], Rule] = {
    m.Customer: lambda cid: m.Customer.id == cid,
    m.User: lambda cid: m.User.customer_id == cid,
    m.ApiToken: lambda cid: m.ApiToken.user_id.in_(_visible_users(cid)),
    m.WebSession: lambda cid: m.WebSession.user_id.in_(_visible_users(cid)),
    m.Ticket: lambda cid: m.Ticket.customer_id == cid,
    m.TicketEvent: lambda cid: m.TicketEvent.ticket_id.in_(_visible_tickets(cid)),
    m.Service: lambda cid: m.Service.id.in_(_visible_services(cid)),
    m.Calendar: lambda cid: or_(
        m.Calendar.id.in_(_visible_calendars(cid)), m.Calendar.name.in_(_agreed_calendars(cid))
    ),
    m.Outage: lambda cid: m.Outage.service_id.in_(_visible_services(cid)),
    m.Agreement: lambda cid: m.Agreement.customer_id == cid,
    m.AgreementVersion: _own_version,
    m.Acceptance: lambda cid: m.Acceptance.version_id.in_(_visible_versions(cid)),
    # A customer sees its own orders (an unknown payer's order has no customer: nobody's).
    m.Order: lambda cid: m.Order.customer_id == cid,
    # A customer's stated expectations are its own to read.
    m.Expectation: lambda cid: m.Expectation.customer_id == cid,
    # Both parties' tasks of the customer's own agreements (it updates only its own: services).
    m.Task: lambda cid: m.Task.agreement_id.in_(_visible_agreements(cid)),
    # Moved or cancelled meetings of the customer's own agreements.
    m.MeetingException: lambda cid: m.MeetingException.agreement_id.in_(_visible_agreements(cid)),
    # Minutes of the customer's own agreements' meetings, and the tasks their actions became.
    m.MeetingMinutes: lambda cid: m.MeetingMinutes.agreement_id.in_(_visible_agreements(cid)),
    m.MeetingAction: lambda cid: m.MeetingAction.agreement_id.in_(_visible_agreements(cid)),
    # Topics either party raised for its own agreements' coming meetings (the provider's too: the
    # agenda is shared); who may withdraw one is the service's rule.
    m.MeetingTopic: lambda cid: m.MeetingTopic.agreement_id.in_(_visible_agreements(cid)),
    # A calendar feed is its user's (its token hash is never shown, even to its owner).
    m.CalendarFeed: lambda cid: m.CalendarFeed.user_id.in_(_visible_users(cid)),
    m.TaskDependency: lambda cid: m.TaskDependency.agreement_id.in_(_visible_agreements(cid)),
    # Acknowledgements of the customer's responsibilities in the versions it may see.
    m.ResponsibilityAcknowledgement: lambda cid: m.ResponsibilityAcknowledgement.version_id.in_(
        _visible_versions(cid)
    ),
    # Readiness of the customer's own versions: the check shows it which items are pending.
    m.ReadinessConfig: lambda cid: m.ReadinessConfig.version_id.in_(_visible_versions(cid)),
    m.ReadinessProof: lambda cid: m.ReadinessProof.version_id.in_(_visible_versions(cid)),
    m.ReadinessWaiver: lambda cid: m.ReadinessWaiver.version_id.in_(_visible_versions(cid)),
    # Holidays added to its live agreement's calendars: the customer's clocks stop on them too.
    m.ReadinessHoliday: lambda cid: m.ReadinessHoliday.agreement_id.in_(_visible_agreements(cid)),
    # The clocks of the customer's own tickets, and what they fired (warnings already sent).
    m.LiveClock: lambda cid: m.LiveClock.customer_id == cid,
    m.LiveFiring: lambda cid: m.LiveFiring.clock_id.in_(
        select(m.LiveClock.id).where(m.LiveClock.customer_id == cid).scalar_subquery()
    ),
    m.AgreementService: lambda cid: m.AgreementService.agreement_id.in_(_visible_agreements(cid)),
    # Its own agreements' closed periods and their adjustments (what the reports and credits rest on).
    m.LivePeriod: lambda cid: m.LivePeriod.agreement_id.in_(_visible_agreements(cid)),
    m.LivePeriodAdjustment: lambda cid: m.LivePeriodAdjustment.period_id.in_(
        select(m.LivePeriod.id)
        .where(m.LivePeriod.agreement_id.in_(_visible_agreements(cid)))
        .scalar_subquery()
    ),
    m.Satisfaction: lambda cid: m.Satisfaction.customer_id == cid,  # its own answers
    m.LiveClaim: lambda cid: m.LiveClaim.agreement_id.in_(_visible_agreements(cid)),
    m.LiveBurnAlert: lambda cid: m.LiveBurnAlert.agreement_id.in_(_visible_agreements(cid)),
    # What its own agreements' availability objectives fired (each month's warnings and breach).
    m.LiveAvailabilityFiring: lambda cid: m.LiveAvailabilityFiring.agreement_id.in_(_visible_agreements(cid)),
    # The reports written for the customer about its own agreements; the provider's own are not.
    m.LiveReport: lambda cid: and_(
        m.LiveReport.agreement_id.in_(_visible_agreements(cid)), m.LiveReport.audience == "customer"
    ),
}


# Tables no customer user ever reads; listed so that every table is a deliberate decision.
PROVIDER_ONLY: frozenset[type[Any]] = frozenset(
    # Capability studies analyse the provider's whole history across customers.
    # The audit log is the provider's record of every step (customers are shown their own steps).
    # Clause templates are the provider's drafting library; customers see the rendered documents.
    # Underpinning contracts (OLAs, UCs) and what rests on them are the provider's own commitments.
    # Signature links (only their hashes), received webhooks and the notification outbox are plumbing.
    {
        m.ImportBatch,
        m.ImportRejection,
        m.SignInThrottle,
        m.CapabilityStudy,
        m.AuditEntry,
        m.AuditHead,  # the chain's anchor (last entry and count): part of the audit log
        m.ClauseTemplate,
        m.UnderpinningContract,
        m.ObjectiveUnderpinning,
        m.SignatureLink,
        m.WebhookEvent,
        m.Notification,
        m.ExpectationInvite,  # questionnaire links: only their hashes, opened without signing in
        m.TaskReminder,  # the reminder scan's bookkeeping
        m.ShadowRun,  # replays of the provider's whole history, every customer's tickets in it
        m.IngestionToken,  # only their hashes; managed by the provider's managers
        m.IngestionArrival,  # which token delivered which event: the proofs' bookkeeping
    }
)


def bind(session: Session, scope: Scope) -> None:
    """Make every later query of `session` see only what `scope` allows."""
    install()
    current = session.info.get(_KEY)
    if current is not None and current != scope:
        raise RuntimeError("a session's tenancy scope cannot change once bound")
    session.info[_KEY] = scope


def scope_of(session: Session) -> Scope:
    scope = session.info.get(_KEY)
    return scope if isinstance(scope, Scope) else Scope.everything()


def install() -> None:
    """Register the filter on every Session (idempotent; done on first bind, not at import)."""
    if not event.contains(Session, "do_orm_execute", _filter_statement):
        event.listen(Session, "do_orm_execute", _filter_statement)


def _filter_statement(state: ORMExecuteState) -> None:
    scope = state.session.info.get(_KEY)
    if not isinstance(scope, Scope) or not scope.is_limited or state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get(AUDIT_APPEND) and {mp.class_ for mp in state.all_mappers} <= _AUDIT_TABLES:
        return
    cid = scope.customer_id
    assert cid is not None
    options = []
    for mapper in m.Base.registry.mappers:
        cls = mapper.class_
        rule = TENANT_RULES.get(cls)
        criterion = rule(cid) if rule is not None else false()
        options.append(with_loader_criteria(cls, criterion, include_aliases=True))
    state.statement = state.statement.options(*options)

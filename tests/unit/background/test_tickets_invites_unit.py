"""Tickets entered one by one and the questionnaire's invitations, against in-memory repositories:
no database is opened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from slaforge.adapters.db.models import Customer, Expectation, ExpectationInvite, Service, TicketEvent
from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied, Principal, Role
from slaforge.services.background.invites import InviteClosed, invite, open_invite, submit_questionnaire
from slaforge.services.background.tickets import add_event, create_ticket
from tests.fakes import FakeUnitOfWork
from tests.unit.background.fakes import FakeBackgroundRepository

NOW = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
AGENT = Principal(1, "agent@provider.test", Role.AGENT)
MANAGER = Principal(2, "manager@provider.test", Role.MANAGER)
VIEWER = Principal(3, "viewer@acme.test", Role.VIEWER, customer_id=1)
SECRET = "s" * 40


@pytest.fixture
def repo() -> FakeBackgroundRepository:
    found = FakeBackgroundRepository()
    found.add(Customer(name="Acme", slug="acme"))
    found.add(Service(name="Mail"))
    return found


def test_a_ticket_names_known_rows_and_its_external_id_once_per_source(
    repo: FakeBackgroundRepository,
) -> None:
    uow = FakeUnitOfWork(background=repo)
    fields = {"external_id": "T-1", "created_at": NOW, "priority": "P1", "customer_id": 1, "service_id": 1}
    ticket = create_ticket(uow=uow, actor=AGENT, fields=fields)
    assert (ticket.id, ticket.source, ticket.priority) == (1, "api", "P1")
    with pytest.raises(Conflict, match="ticket 'T-1' from 'api' already exists"):
        create_ticket(uow=uow, actor=AGENT, fields=fields)
    assert create_ticket(uow=uow, actor=AGENT, fields={**fields, "source": "jira"}).id == 2
    with pytest.raises(NotFound, match=r"no service 9 \(service_id\)"):
        create_ticket(uow=uow, actor=AGENT, fields={**fields, "external_id": "T-2", "service_id": 9})
    with pytest.raises(NotFound, match=r"no customer 9 \(customer_id\)"):
        create_ticket(uow=uow, actor=AGENT, fields={**fields, "external_id": "T-2", "customer_id": 9})
    with pytest.raises(InvalidInput, match="must not be before the start"):
        create_ticket(uow=uow, actor=AGENT, fields={**fields, "external_id": "T-3",
                                                    "resolved_at": NOW - timedelta(hours=1)})  # fmt: skip
    assert uow.commits == 2


def test_an_event_sent_twice_is_stored_once(repo: FakeBackgroundRepository) -> None:
    uow = FakeUnitOfWork(background=repo)
    ticket = create_ticket(uow=uow, actor=AGENT, fields={"external_id": "T-1", "created_at": NOW})
    reply = {"at": NOW + timedelta(minutes=20), "kind": "agent_reply"}
    first, new = add_event(uow=uow, actor=AGENT, ticket_id=ticket.id, fields=reply)
    again, new_again = add_event(uow=uow, actor=AGENT, ticket_id=ticket.id, fields=reply)
    assert (new, new_again) == (True, False)
    assert again is first
    assert repo.of(TicketEvent) == [first]
    assert len(first.dedupe_key) == 64  # derived from the content when the sender gives none
    with pytest.raises(InvalidInput, match="cannot precede its ticket's creation"):
        add_event(uow=uow, actor=AGENT, ticket_id=ticket.id, fields={**reply, "at": NOW - timedelta(days=1)})
    with pytest.raises(NotFound, match="no ticket 5"):
        add_event(uow=uow, actor=AGENT, ticket_id=5, fields=reply)


def test_an_invitation_opens_the_questionnaire_once_and_stores_the_answers(
    repo: FakeBackgroundRepository,
) -> None:
    uow = FakeUnitOfWork(background=repo)
    issued = invite(uow=uow, actor=MANAGER, customer_id=1, email=" Ann@Acme.test ", secret_key=SECRET,
                    base_url="https://sla.example/", now=NOW)  # fmt: skip
    token = issued.url.rsplit("/", 1)[1]
    assert issued.url.startswith("https://sla.example/expectations/questionnaire/")
    assert (issued.email, issued.expires_at) == ("ann@acme.test", NOW + timedelta(days=14))
    (stored,) = repo.of(ExpectationInvite)
    assert stored.token_hash != token  # only its hash is kept

    shown = open_invite(uow=uow, token=token, secret_key=SECRET, now=NOW)
    assert (shown.customer_name, shown.priorities, shown.day_seconds) == (
        "Acme",
        ["P1", "P2", "P3", "P4"],
        8 * 3600,
    )

    answers = [{"metric": "resolution", "priority": "P1", "target": "4h", "label": "Resolution"},
               {"metric": "first_response", "priority": "P1", "target": ""}]  # fmt: skip
    (saved,) = submit_questionnaire(
        uow=uow, token=token, secret_key=SECRET, answers=answers, name="Ann", now=NOW
    )
    assert (saved.metric, saved.target_seconds, saved.source) == ("resolution", 4 * 3600, "questionnaire")
    assert saved.recorded_by == "Ann <ann@acme.test>"
    assert repo.of(Expectation) == [saved]
    assert stored.used_at == NOW
    with pytest.raises(InviteClosed, match="already answered"):
        submit_questionnaire(uow=uow, token=token, secret_key=SECRET, answers=answers, now=NOW)
    with pytest.raises(NotFound, match="not valid"):
        open_invite(uow=uow, token=token[:-2] + "xx", secret_key=SECRET, now=NOW)
    with pytest.raises(PermissionDenied):
        invite(uow=uow, actor=VIEWER, customer_id=1, email="b@acme.test", secret_key=SECRET,
               base_url="https://sla.example", now=NOW)  # fmt: skip
    assert uow.commits == 2

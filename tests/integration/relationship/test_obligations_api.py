"""/api/v1/agreements/{id}/relationship/obligations over HTTP: the provider's view and explanation,
the customer's fulfilment (once, however often or concurrently it is sent), drafts only, and
another customer's user getting 404 on every route."""

from __future__ import annotations

import httpx
import pytest

from tests.agreement_setup import offer
from tests.integration.api.conftest import admin, client_for, container, server  # noqa: F401 (fixtures)
from tests.obligation_setup import OBLIGATION, Setup, build
from tests.parallel import at_once

BASE = "/api/v1/agreements/{}/relationship/obligations"
H = 3600


@pytest.fixture
def world(container) -> Setup:  # noqa: F811
    s = build(container.system_uow())
    offer(container.system_uow(), s.a_version)
    return s


def replies(container, ticket_id: int) -> int:  # noqa: F811
    with container.system_uow() as uow:
        events = uow.background.events_by_ticket([ticket_id])[ticket_id]
    return sum(1 for e in events if e.kind.value == "customer_reply")


def test_provider_lists_and_explains(admin: httpx.Client, world: Setup):  # noqa: F811
    body = admin.get(BASE.format(world.a_agreement)).json()
    assert [o["key"] for o in body["obligations"]] == [OBLIGATION["key"]]
    assert [(r["ticket"], r["overdue"]) for r in body["open"]] == [("INC-2", True)]
    assert admin.get(BASE.format(world.a_agreement), params={"overdue": "false"}).json()["open"] == []
    r = admin.get(
        BASE.format(world.a_agreement) + f"/tickets/{world.answered}/explain",
        params={"at": "2026-03-09T12:00:00Z"},
    )
    assert r.status_code == 200, r.text
    (clock,) = [c for c in r.json()["clocks"] if c["metric"] == "resolution"]
    (excused,) = clock["excused"]
    assert excused["business_seconds"] == 10 * H
    assert excused["text"] == (
        "paused 2026-03-02 18:00 → 2026-03-04 11:00 Europe/Berlin: obligation 'Answer the provider's "
        "information request' overdue; 10 h of business time excused"
    )


def test_customer_fulfils_once_and_frozen_versions_refuse_changes(
    client_for,  # noqa: F811
    admin: httpx.Client,  # noqa: F811
    world: Setup,
    container,  # noqa: F811
):
    customer = client_for("customer-admin", customer_id=world.a_customer)
    mine = customer.get(BASE.format(world.a_agreement)).json()
    (owed,) = mine["open"]
    sent = {
        "ticket_id": owed["ticket_id"],
        "obligation": owed["obligation"],
        "started_at": owed["started_at"],
    }
    first = customer.post(BASE.format(world.a_agreement) + "/fulfilments", json=sent)
    again = customer.post(BASE.format(world.a_agreement) + "/fulfilments", json=sent)
    assert (first.status_code, first.json()["new"]) == (201, True)
    assert (again.status_code, again.json()["new"]) == (201, False)
    assert replies(container, world.waiting) == 1
    assert customer.get(BASE.format(world.a_agreement)).json()["open"] == []
    # The customer may not see the provider's explanation; the offered version is frozen.
    explain = BASE.format(world.a_agreement) + f"/tickets/{world.answered}/explain"
    assert customer.get(explain).status_code == 403
    new = {**OBLIGATION, "key": "grant-access"}
    assert admin.post(BASE.format(world.a_agreement), json=new).status_code == 409
    assert admin.post(BASE.format(world.b_agreement), json=new).status_code == 201
    bad = {**OBLIGATION, "key": "x", "starts_on": {"event": "nonsense"}}
    refused = admin.post(BASE.format(world.b_agreement), json=bad)
    assert refused.status_code == 422
    assert "starts_on.event" in refused.text
    assert admin.delete(BASE.format(world.b_agreement) + "/definitions/grant-access").status_code == 200


def test_another_customer_gets_404_everywhere(client_for, world: Setup):  # noqa: F811
    stranger = client_for("customer-admin", customer_id=world.b_customer)
    base = BASE.format(world.a_agreement)
    sent = {"ticket_id": world.waiting, "obligation": OBLIGATION["key"], "started_at": "2026-03-05T09:00:00Z"}
    answers = [
        stranger.get(base),
        stranger.get(base + f"/tickets/{world.answered}/explain"),
        stranger.get(base + "/worth"),
        stranger.post(base + "/fulfilments", json=sent),
        stranger.post(base, json={**OBLIGATION, "key": "sneaky"}),
        stranger.delete(base + f"/definitions/{OBLIGATION['key']}"),
        # Its own agreement, naming the other customer's ticket.
        stranger.post(BASE.format(world.b_agreement) + "/fulfilments", json=sent),
    ]
    assert [a.status_code for a in answers] == [404] * len(answers)


def test_parallel_fulfilments_append_one_event(client_for, world: Setup, container):  # noqa: F811
    customer = client_for("customer-admin", customer_id=world.a_customer)
    (owed,) = customer.get(BASE.format(world.a_agreement)).json()["open"]
    sent = {
        "ticket_id": owed["ticket_id"],
        "obligation": owed["obligation"],
        "started_at": owed["started_at"],
    }
    answers = at_once(
        lambda _: customer.post(BASE.format(world.a_agreement) + "/fulfilments", json=sent), range(25)
    )
    assert {a.status_code for a in answers} == {201}, {a.text for a in answers if a.status_code != 201}
    assert sorted(a.json()["new"] for a in answers) == [False] * 24 + [True]
    assert len({a.json()["event_id"] for a in answers}) == 1
    assert replies(container, world.waiting) == 1
    with container.system_uow() as uow:
        trail = uow.platform.audit_entries_for("agreement", str(world.a_agreement))
    assert [e.action for e in trail].count("obligation.fulfilled") == 1


def test_the_owed_list_pages_sorts_filters_and_searches(admin: httpx.Client, world: Setup):  # noqa: F811
    base = BASE.format(world.a_agreement)
    assert admin.get(base, params={"q": "INC-2"}).json()["count"] == 1
    assert admin.get(base, params={"q": "nothing"}).json()["count"] == 0
    assert admin.get(base, params={"obligation": "other"}).json()["open"] == []
    assert admin.get(base, params={"sort": "-ticket", "limit": 1}).json()["count"] == 1
    assert admin.get(base, params={"sort": "priority"}).status_code == 422


def test_worth_over_the_api(admin: httpx.Client, client_for, world: Setup, container):  # noqa: F811
    from slaforge.bootstrap import system_clock
    from slaforge.services.background.study import run_capability_study

    run_capability_study(uow=container.system_uow(), clock=system_clock, calendar_name="Berlin office")
    body = admin.get(BASE.format(world.a_agreement) + "/worth").json()
    assert body["obligations"] == [OBLIGATION["name"]]
    assert body["governed_statuses"] == ["Awaiting User Info"]
    assert body["total"]["affected"] >= 1
    assert body["total"]["excused_hours"] > 0
    # The study reads every customer's history: the customer's own user may not price it.
    mine = client_for("customer-admin", customer_id=world.a_customer)
    assert mine.get(BASE.format(world.a_agreement) + "/worth").status_code == 403

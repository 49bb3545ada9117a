"""The computed readiness check: states, reasons and next steps from terms, configuration,
proofs and waivers; and the go-live gate in the lifecycle."""

from __future__ import annotations

import pytest

from slaforge.domain.agreement.lifecycle import Action, VersionState, next_state
from slaforge.domain.agreement.terms import normalise_terms
from slaforge.domain.errors import IllegalTransition
from slaforge.domain.readiness.check import Waiver, compute_items, gaps
from slaforge.domain.readiness.config import empty_config, normalise_config
from slaforge.domain.readiness.scope import in_scope
from tests.agreement_setup import TERMS
from tests.readiness_setup import config

PROVEN = {
    "objectives[0].tracking": "ticket INC-1",
    "objectives[1].tracking": "ticket INC-1",
    "objectives[2].tracking": "ticket INC-2",
    "channels.email": "delivered",
}


def _items(cfg=None, proofs=None, waivers=None):
    return compute_items(
        terms=normalise_terms(TERMS),
        config=cfg if cfg is not None else normalise_config(config(), objectives=3),
        proofs=PROVEN if proofs is None else proofs,
        waivers=waivers or {},
        agreement="7",
    )


def test_an_empty_configuration_is_missing_everywhere_in_fixing_order() -> None:
    items = _items(cfg=empty_config(3), proofs={})
    assert [(i.objective, i.kind) for i in items[:4]] == [
        (0, "tracking"),
        (0, "reporting"),
        (0, "procedure"),
        (0, "remedy"),
    ]
    assert {i.state.value for i in items} == {"missing"}


@pytest.mark.parametrize(
    ("proofs", "key", "state", "reason"),
    [
        ({}, "objectives[0].tracking", "failed", "configured (the event API), no data has arrived yet"),
        ({}, "objectives[2].tracking", "failed", "configured (a scheduled import), no data has arrived yet"),
        ({}, "objectives[0].procedure", "failed", "no test delivery is recorded for the email channel"),
        (PROVEN, "objectives[0].tracking", "ok", "data arrived through the event API: ticket INC-1"),
        (
            PROVEN,
            "objectives[0].remedy",
            "ok",
            "below 95 %: 10 %; applied on the next invoice; cap 30 %; 3 exclusions",
        ),
        (PROVEN, "objectives[1].remedy", "missing", "the terms give Resolution (P1) no credit tiers"),
        (
            PROVEN,
            "objectives[2].remedy",
            "missing",
            "the terms give Availability (Managed e-mail) no credit tiers",
        ),
        (PROVEN, "objectives[2].reporting", "ok", "reported in monthly (customer, pdf)"),
    ],
)
def test_each_item_says_its_state_and_why(proofs, key, state, reason) -> None:
    item = {i.key: i for i in _items(proofs=proofs)}[key]
    assert (item.state.value, item.reason) == (state, reason)
    assert item.next_step == "nothing" if state == "ok" else item.next_step != "nothing"


def test_a_procedure_without_owner_or_ladder_fails_and_reporting_needs_a_definition() -> None:
    raw = config()
    raw["objectives"][0]["procedure"]["owner"] = ""
    raw["objectives"][1]["procedure"]["ladder"] = []
    raw["reports"][0]["objectives"] = [2]
    items = {i.key: i for i in _items(cfg=normalise_config(raw, objectives=3))}
    assert items["objectives[0].procedure"].reason == "the procedure has no owner"
    assert items["objectives[1].procedure"].reason == "the procedure has no escalation ladder"
    assert items["objectives[0].reporting"].state.value == "missing"
    assert "objective 0" in items["objectives[0].reporting"].next_step


def test_a_waiver_turns_an_open_item_waived_but_leaves_an_ok_one_ok() -> None:
    waivers = {
        "objectives[1].remedy": Waiver("no credit by design", "m@p.test"),
        "objectives[0].remedy": Waiver("not needed", "m@p.test"),
    }
    items = {i.key: i for i in _items(waivers=waivers)}
    assert items["objectives[1].remedy"].state.value == "waived"
    assert "waived by m@p.test: no credit by design" in items["objectives[1].remedy"].reason
    assert items["objectives[0].remedy"].state.value == "ok"
    assert [g.split(" ")[0] for g in gaps(list(items.values()))] == ["objectives[2].remedy"]


def test_the_lifecycle_goes_live_only_through_an_empty_gate() -> None:
    with pytest.raises(IllegalTransition, match="without a readiness check"):
        next_state(VersionState.ACCEPTED, Action.GO_LIVE)
    with pytest.raises(IllegalTransition, match=r"objectives\[2\]\.remedy"):
        next_state(VersionState.ACCEPTED, Action.GO_LIVE, readiness_gaps=gaps(_items()))
    assert next_state(VersionState.ACCEPTED, Action.GO_LIVE, readiness_gaps=[]) is VersionState.ACTIVE


@pytest.mark.parametrize(
    ("objective", "priority", "service", "inside"),
    [
        ({"metric": "first_response", "priorities": ["P1"]}, "P1", "", True),
        ({"metric": "first_response", "priorities": ["P1"]}, "P2", "", False),
        ({"metric": "resolution", "priorities": []}, "P4", "", True),
        ({"metric": "availability", "service": "Managed e-mail"}, "P3", "managed E-MAIL", True),
        ({"metric": "availability", "service": "Managed e-mail"}, "P1", "Web", False),
    ],
)
def test_a_ticket_is_in_an_objectives_scope_by_priority_or_service(
    objective, priority, service, inside
) -> None:
    assert in_scope(objective, priority=priority, service=service) is inside


def test_the_frozen_form_is_canonical_and_bound_to_the_version() -> None:
    from slaforge.domain.readiness.freeze import frozen_form

    cfg = normalise_config(config(), objectives=3)
    reordered = {"reports": cfg["reports"], "objectives": cfg["objectives"]}
    text, sha = frozen_form(config=cfg, version_hash="a" * 64)
    assert frozen_form(config=reordered, version_hash="a" * 64) == (text, sha)
    assert frozen_form(config=cfg, version_hash="b" * 64)[1] != sha
    assert '"within":1800' in text
    assert len(sha) == 64


def test_the_remedy_names_the_obligations_that_excuse_the_provider() -> None:
    terms = normalise_terms(TERMS)
    terms["relationship"] = {"obligations": [
        {"name": "Answer information requests", "excuses_provider": True},
        {"name": "Name a service contact", "excuses_provider": False},
    ]}  # fmt: skip
    items = compute_items(
        terms=terms, config=normalise_config(config(), objectives=3), proofs=PROVEN, waivers={}
    )
    reason = {i.key: i for i in items}["objectives[0].remedy"].reason
    assert reason.endswith("; customer-caused time excused: Answer information requests")


def test_each_clause_says_in_words_what_it_measures() -> None:
    from slaforge.domain.readiness.check import clause_definitions

    terms = {
        "calendar": {"name": "Office hours"},
        "objectives": [
            {"metric": "first_response", "priorities": ["P1"], "target_seconds": 1800, "attainment": 0.95},
            {"metric": "availability", "service": "Email", "target_percent": 99.9},
        ],
    }
    first, uptime = clause_definitions(terms, {"pause_statuses": ["Pending"]})
    assert first == (
        "[0] First response (P1): starts when the ticket is created and stops at the first agent reply or "
        "resolution; pauses while the status is one of Pending; in the business hours of the calendar "
        "'Office hours'; scope: P1 (every category and service); target 0.5 business hours for 95 % of "
        "tickets a month"
    )
    assert uptime.startswith("[1] Availability (Email): the share of the month the service is up")
    assert "set pause_statuses" in clause_definitions(terms, {})[0]

"""Agreement lifecycle, content hashes, audit chain and the plain-language summary."""

from __future__ import annotations

import dataclasses

import pytest

from slaforge.domain.agreement.lifecycle import (
    TRANSITIONS,
    Action,
    VersionState,
    allowed_actions,
    next_state,
)
from slaforge.domain.agreement.summary import business_duration_text, plain_summary
from slaforge.domain.errors import IllegalTransition
from slaforge.domain.platform.audit import GENESIS, ChainRow, seal_entry, walk_chain
from slaforge.domain.platform.canonical import canonical_json, content_hash
from tests.fakes import TEST_AUDIT_KEYS

S, A = VersionState, Action

# Every allowed transition, listed by hand: the table in the code must match it exactly.
EXPECTED = {
    "draft": {"offer": "offered", "withdraw": "withdrawn"},
    "offered": {
        "accept": "accepted",
        "reject": "rejected",
        "counter": "countered",
        "withdraw": "withdrawn",
        "lapse": "expired",
    },
    "accepted": {"go_live": "active", "supersede": "superseded"},
    "active": {
        "suspend": "suspended",
        "terminate": "terminated",
        "end_term": "expired",
        "supersede": "superseded",
    },
    "suspended": {"resume": "active", "terminate": "terminated", "supersede": "superseded"},
}


def test_the_transition_table_is_exactly_the_documented_one():
    got: dict[str, dict[str, str]] = {}
    for (src, action), dst in TRANSITIONS.items():
        got.setdefault(src.value, {})[action.value] = dst.value
    assert got == EXPECTED


@pytest.mark.parametrize("state", list(VersionState))
@pytest.mark.parametrize("action", list(Action))
def test_every_other_step_is_refused_with_what_is_allowed(state, action):
    if (state, action) in TRANSITIONS:
        if action is A.GO_LIVE:
            assert next_state(state, action, readiness_gaps=[]) is S.ACTIVE
        else:
            assert next_state(state, action) is TRANSITIONS[(state, action)]
        return
    with pytest.raises(IllegalTransition) as info:
        next_state(state, action)
    assert f"cannot {action.value} a version that is {state.value}" in str(info.value)
    for allowed in allowed_actions(state):
        assert allowed.value in str(info.value)


def test_going_live_needs_the_readiness_gate():
    with pytest.raises(IllegalTransition, match="readiness check"):
        next_state(S.ACCEPTED, A.GO_LIVE)
    with pytest.raises(IllegalTransition, match="P1 first response has no remedy"):
        next_state(S.ACCEPTED, A.GO_LIVE, readiness_gaps=["P1 first response has no remedy"])


def test_the_content_hash_ignores_key_order_and_float_spelling_but_not_content():
    terms = {"objectives": [{"target_seconds": 1800.0, "metric": "first_response"}], "customer": "Acme"}
    same = {"customer": "Acme", "objectives": [{"metric": "first_response", "target_seconds": 1800}]}
    assert content_hash(terms, "Doc\r\n") == content_hash(same, "Doc\n")
    assert content_hash(terms, "Doc") != content_hash(terms, "Doc.")
    changed = {**same, "objectives": [{"metric": "first_response", "target_seconds": 1801}]}
    assert content_hash(changed, "Doc") != content_hash(same, "Doc")
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'


def test_the_audit_chain_names_the_entry_that_was_edited():
    rows = []
    prev = GENESIS
    for seq in range(1, 5):
        fields = {"seq": seq, "action": f"step {seq}", "actor": "manager@example.com"}
        own = seal_entry(TEST_AUDIT_KEYS.current, prev, fields)
        rows.append(ChainRow(seq, fields, prev, own, TEST_AUDIT_KEYS.current.id))
        prev = own
    assert walk_chain(rows, TEST_AUDIT_KEYS).problem is None
    tampered = [*rows]
    tampered[2] = dataclasses.replace(tampered[2], fields={**tampered[2].fields, "actor": "someone else"})
    problem = walk_chain(tampered, TEST_AUDIT_KEYS).problem
    assert problem is not None
    assert problem.seq == 3
    assert "changed" in problem.reason
    missing = rows[:1] + rows[2:]
    gap = walk_chain(missing, TEST_AUDIT_KEYS).problem
    assert gap is not None
    assert gap.seq == 3


def test_the_summary_says_what_a_customer_gets_in_plain_words():
    terms = {
        "calendar": {"day_seconds": 8 * 3600, "description": "Monday to Friday, 09:00–17:00 Europe/Berlin"},
        "objectives": [
            {
                "metric": "first_response",
                "priorities": ["P1"],
                "target_seconds": 1800,
                "attainment": 0.95,
                "remedy": [{"below": 0.95, "credit": 0.10}, {"below": 0.9, "credit": 0.25}],
            },
            {
                "metric": "resolution",
                "priorities": ["P2", "P3"],
                "target_seconds": 16 * 3600,
                "attainment": 0.9,
            },
            {
                "metric": "availability",
                "service": "The portal",
                "target_percent": 99.9,
                "remedy": [{"below": 0.999, "credit": 0.1}],
            },
        ],
    }
    assert plain_summary(terms) == [
        "Business time means Monday to Friday, 09:00–17:00 Europe/Berlin.",
        "A P1 ticket gets a first answer within 30 business minutes, 95 % of the time each month; "
        "if fewer than 95 % do, you receive a 10 % credit (25 % below 90 %) on that month's charge.",
        "A P2 or P3 ticket is resolved within 2 business days (16 h), 90 % of the time each month.",
        "The portal is available at least 99.9 % of each month; if fewer than 99.9 % do, you receive a 10 % credit on that month's charge.",
    ]
    assert business_duration_text(3600) == "1 business hour"

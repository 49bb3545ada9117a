"""The pause rule in force per ticket: the mapping's list wins, an empty list pauses nothing, the
name pattern only where nothing was said; and a stored study's rule reads back the same."""

from __future__ import annotations

import numpy as np

from slaforge.domain.background.study.pauses import PauseRule, describe
from slaforge.domain.time.clocks.columns import EventColumns

# Tickets 0-1 from batch 1, 2-3 from batch 2, 4 from batch 3, 5 live (-1).
BATCHES = np.array([1, 1, 2, 2, 3, -1], dtype=np.int64)
STATUSES = ["New", "Parked", "On hold", "Pending vendor", "Waiting", "Open"]


def events() -> EventColumns:
    n = len(STATUSES)
    return EventColumns(
        ticket=np.arange(n, dtype=np.int64),
        at=np.array(["2024-01-01T09:00"] * n, dtype="datetime64[us]"),
        kind=np.array(["status_changed"] * n, dtype=object),
        status=np.array(STATUSES, dtype=object),
        priority=np.array([None] * n, dtype=object),
    )


def rule_of_each_ticket(rule: PauseRule) -> list[frozenset[str]]:
    codes, sets, _ = rule.per_ticket(BATCHES, events())
    return [sets[c] for c in codes.tolist()]


def test_each_batch_keeps_its_mappings_list_and_the_rest_fall_back_to_the_status_names() -> None:
    rule = PauseRule(by_batch={1: frozenset({"Parked"}), 2: frozenset()})
    found = rule_of_each_ticket(rule)
    assert found[:4] == [frozenset({"Parked"})] * 2 + [frozenset()] * 2
    # Only the tickets nobody configured are read by name: "On hold" and "Pending vendor" of
    # batch 2 are not theirs, so only "Waiting" is found.
    assert found[4:] == [frozenset({"Waiting"})] * 2


def test_statuses_given_for_the_study_hold_for_every_ticket() -> None:
    given = frozenset({"On hold"})
    assert rule_of_each_ticket(PauseRule(by_batch={1: frozenset({"Parked"})}, given=given)) == [given] * 6


def test_a_stored_rule_reads_back_as_the_same_rule() -> None:
    rule = PauseRule(by_batch={1: frozenset({"Parked"}), 2: frozenset()})
    _, _, groups = rule.per_ticket(BATCHES, events())
    again = PauseRule.from_stored({"groups": groups}, None)
    assert rule_of_each_ticket(again) == rule_of_each_ticket(rule)
    assert describe(groups) == [
        "pause statuses listed by the mapping (import #1): Parked",
        "the mapping (import #2) lists no pause statuses: clocks never pause",
        "default rule, statuses whose name contains wait, pending or hold (no pause statuses were "
        "configured): Waiting",
    ]


def test_a_study_stored_before_the_rule_was_kept_applies_the_statuses_it_listed() -> None:
    assert rule_of_each_ticket(PauseRule.from_stored(None, ["On hold"])) == [frozenset({"On hold"})] * 6

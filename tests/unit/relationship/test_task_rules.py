"""The task list's pure rules: cycles named, dependency order, closing, overdue by zone, offsets."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship import task_templates
from slaforge.domain.relationship import tasks as rules

TITLES = {1: "Grant VPN access", 2: "Configure monitoring", 3: "First service review"}


def test_a_dependency_closing_a_cycle_is_refused_naming_the_cycle() -> None:
    with pytest.raises(InvalidInput) as info:
        rules.check_dependency(TITLES, [(2, 1)], 1, 2)
    assert (
        "task 'Grant VPN access' → 'Configure monitoring' → 'Grant VPN access' would form a cycle"
        in info.value.message
    )


def test_a_longer_cycle_is_named_in_full() -> None:
    with pytest.raises(InvalidInput, match="'Grant VPN access' → 'First service review' → 'Configure"):
        rules.check_dependency(TITLES, [(3, 2), (2, 1)], 1, 3)


def test_a_task_cannot_depend_on_itself() -> None:
    with pytest.raises(InvalidInput, match="cannot depend on itself"):
        rules.check_dependency(TITLES, [], 1, 1)


def test_an_acyclic_dependency_passes() -> None:
    rules.check_dependency(TITLES, [(2, 1)], 3, 2)


def test_topological_order_puts_prerequisites_first_and_keeps_ties_stable() -> None:
    assert rules.topological_order([3, 2, 1], [(3, 2), (2, 1)]) == [1, 2, 3]
    assert rules.topological_order([1, 2, 3], []) == [1, 2, 3]


def test_done_is_refused_while_a_dependency_is_open() -> None:
    with pytest.raises(InvalidInput, match="depends on open task"):
        rules.check_can_close("Configure monitoring", "done", ["Grant VPN access"])
    rules.check_can_close("Configure monitoring", "in_progress", ["Grant VPN access"])


@pytest.mark.parametrize(
    ("now", "zone", "overdue"),
    [
        (datetime(2026, 3, 10, 22, 59, tzinfo=UTC), "Europe/Berlin", False),  # 23:59 on the due day in Berlin
        (datetime(2026, 3, 10, 23, 0, tzinfo=UTC), "Europe/Berlin", True),  # 00:00 the next day in Berlin
        (datetime(2026, 3, 11, 3, 59, tzinfo=UTC), "America/New_York", False),  # still the 10th in New York
        (datetime(2026, 3, 11, 4, 0, tzinfo=UTC), "America/New_York", True),  # EDT from 8 March: UTC-4
    ],
)
def test_a_due_date_is_overdue_after_its_end_in_the_agreements_zone(
    now: datetime, zone: str, overdue: bool
) -> None:
    assert rules.is_overdue(date(2026, 3, 10), "open", now, rules.zone_of(zone)) is overdue


def test_done_and_cancelled_tasks_are_never_overdue() -> None:
    late = datetime(2027, 1, 1, tzinfo=UTC)
    assert not rules.is_overdue(date(2026, 3, 10), "done", late, rules.zone_of("UTC"))
    assert not rules.is_overdue(date(2026, 3, 10), "cancelled", late, rules.zone_of("UTC"))


def test_business_day_offsets_skip_weekends() -> None:
    friday = date(2026, 3, 6)
    assert rules.add_business_days(friday, 1) == date(2026, 3, 9)
    assert rules.add_business_days(date(2026, 3, 7), 0) == date(2026, 3, 9)  # a Saturday start moves on


def test_the_onboarding_template_is_acyclic_and_its_dependencies_exist() -> None:
    _, items = task_templates.template("onboarding")
    keys = [t.key for t in items]
    ids = {k: n for n, k in enumerate(keys)}
    edges = [(ids[t.key], ids[d]) for t in items for d in t.depends_on]
    order = rules.topological_order(list(range(len(keys))), edges)
    assert all(order.index(a) > order.index(b) for a, b in edges)
    assert all(t.start_offset <= t.due_offset for t in items)


def test_reminders_reach_the_first_escalation_levels_email_channels() -> None:
    relationship = {
        "contacts": [
            {"party": "customer", "level": 2, "name": "CIO", "channels": "cio@acme.test"},
            {"party": "customer", "level": 1, "name": "IT desk", "channels": "desk@acme.test, +49 30 1234"},
            {"party": "provider", "level": 1, "name": "Service desk", "channels": "support@provider.test"},
        ]
    }
    assert rules.contact_emails(relationship, "customer") == ["desk@acme.test"]
    assert rules.contact_emails(relationship, "provider") == ["support@provider.test"]
    assert rules.contact_emails(None, "customer") == []


def test_the_critical_path_is_the_longest_chain_of_work() -> None:
    durations = {1: 2, 2: 5, 3: 1, 4: 3}
    # 1 → 2 → 4 is 10 days; 1 → 3 → 4 only 6.
    assert rules.critical_path(durations, [(2, 1), (3, 1), (4, 2), (4, 3)]) == [1, 2, 4]
    assert rules.critical_path({}, []) == []

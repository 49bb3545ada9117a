"""Drafting an agreement from a customer's expectations, over the history of test_expectations
(`fill`: P1 first response 98 % within 10 min, resolution 90 % within 2 h; Portal up ~99.98 %)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from slaforge.bootstrap import system_clock
from slaforge.domain.errors import InvalidInput
from slaforge.services.agreement import from_expectations, reading
from slaforge.services.background.expectations import record_expectation
from slaforge.services.unit_of_work import UnitOfWork
from tests.integration.background.test_expectations import ALWAYS, MANAGER, NOW, fill

DAY = 24 * 3600.0


def _record(uow: UnitOfWork, customer_id: int, **fields: Any) -> None:
    record_expectation(uow=uow, actor=MANAGER, customer_id=customer_id, fields=fields, now=NOW)


@pytest.fixture
def acme(uow: UnitOfWork) -> int:
    with uow:
        ids = fill(uow.session)
    _record(uow, ids["acme"], metric="first_response", priority="P1", target="1h")  # comfortable
    _record(uow, ids["acme"], metric="resolution", priority="P1", target="4h")  # stretch: 90 % < 95 %
    _record(uow, ids["acme"], metric="next_response", priority="P1", target="2h")  # cannot judge
    _record(uow, ids["acme"], metric="availability", target="99.9")  # comfortable
    return int(ids["acme"])


def test_achievable_expectations_are_promised_as_asked_and_a_stretch_gets_the_counter_target(
    uow: UnitOfWork, acme: int
) -> None:
    result = from_expectations.draft_from_expectations(uow=uow, customer_id=acme, actor="m", now=NOW)
    view = reading.get_version(uow=uow, version_id=result.version.version_id)
    assert view.state == "draft"
    assert view.source == {"expectations": True, "study_id": None}
    by_metric = {o["metric"]: o for o in view.terms["objectives"]}
    assert set(by_metric) == {"first_response", "resolution", "availability"}
    assert by_metric["first_response"]["target_seconds"] == 3600  # the customer's own target
    assert by_metric["first_response"]["attainment"] == 0.95
    assert by_metric["resolution"]["target_seconds"] == DAY  # what the history supports
    assert by_metric["availability"]["target_percent"] == 99.9
    assert by_metric["availability"]["service"] == "Portal"
    assert view.terms["calendar"]["name"] == "Always"
    assert "Monday to Sunday 00:00–24:00 (UTC)" in view.terms["calendar"]["description"]
    assert any(
        w.startswith(
            "P1 resolution 4 h: the history met it for 90 % of tickets (the stored history); "
            "95 % is asked (stretch); offering 1 business day instead"
        )
        for w in view.warnings
    ), view.warnings
    assert any(
        w.startswith("P1 next response 2 h: no objective drafted (cannot judge") for w in view.warnings
    )
    # The drafted terms themselves ask nothing the history does not support.
    assert not [w for w in view.warnings if "is asked;" in w and "offering" not in w]


def test_a_customer_without_expectations_is_refused_naming_the_field(uow: UnitOfWork) -> None:
    with uow:
        ids = fill(uow.session, outages=False)
    with pytest.raises(InvalidInput) as info:
        from_expectations.draft_from_expectations(uow=uow, customer_id=ids["globex"], actor="m", now=NOW)
    assert info.value.field == "customer_id"
    assert "no expectations" in str(info.value)


def test_the_draft_names_the_study_it_was_judged_against(uow: UnitOfWork, acme: int) -> None:
    from slaforge.services.background.study import run_capability_study

    study = run_capability_study(
        uow=uow, clock=system_clock, calendar_name="Always", level=0.9, month_share=1.0
    ).study_id
    result = from_expectations.draft_from_expectations(
        uow=uow,
        customer_id=acme,
        study_id=study,
        actor="m",
        now=datetime(2024, 7, 15, tzinfo=UTC),
        title="From what Acme asked",
    )
    view = reading.get_version(uow=uow, version_id=result.version.version_id)
    assert view.source == {"expectations": True, "study_id": study}
    assert view.title == "From what Acme asked"
    resolution = next(o for o in view.terms["objectives"] if o["metric"] == "resolution")
    assert resolution["target_seconds"] == 4 * 3600  # achievable at the study's 90 % level
    assert resolution["attainment"] == 0.9
    assert ALWAYS["timezone"] == view.terms["calendar"]["timezone"]


def test_the_cli_drafts_from_expectations(database_url: str, acme: int) -> None:
    from tests.integration.agreement.test_agreements_cli import _cli

    drafted = _cli(database_url, "draft", "--customer", "acme", "--from-expectations")
    assert drafted.returncode == 0, drafted.stderr
    assert "drafted agreement 1 version 1 (id 1): draft" in drafted.stdout
    assert "warning: P1 resolution 4 h: the history met it for 90 % of tickets" in drafted.stdout
    both = _cli(database_url, "draft", "--customer", "acme", "--from-expectations", "--terms", "x.yaml")
    assert both.returncode == 2
    assert "--from-expectations" in both.stderr

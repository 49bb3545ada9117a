"""The demo hook: on the demo's real ServiceNow history, the obligation "answer information requests
within 2 business days" goes into a new draft of the demo agreement, and one incident's clocks are
explained with the interval the overdue obligation excused."""

from __future__ import annotations

from pathlib import Path

import pytest

from slaforge.bootstrap import system_clock, units_on
from slaforge.entrypoints.cli.relationship.obligations import explanation_lines
from slaforge.services.demo.walk import run_demo
from slaforge.services.relationship.obligation_demo import add_demo_obligation


@pytest.mark.slow
@pytest.mark.sqlite_only  # the demo makes its own SQLite database
def test_the_demo_obligation_excuses_time_on_a_real_incident(tmp_path: Path, shared_data_dir: Path) -> None:
    if not (shared_data_dir / "uci_incident_event_log.zip").is_file():
        pytest.skip(f"the ServiceNow incident log is not in {shared_data_dir} (see its README.md)")
    result = run_demo(
        connect=units_on, clock=system_clock, data_dir=tmp_path, shared_data_dir=shared_data_dir
    )
    assert result.agreements is not None
    with units_on(f"sqlite:///{result.database_path}") as uow:
        demo = add_demo_obligation(
            uow=uow, agreement_id=result.agreements.agreement_id, actor="demo:test", now=system_clock()
        )
    assert demo.version.state == "draft"
    assert demo.version.number == 2  # version 1 was accepted: frozen
    ex = demo.explanation
    assert ex is not None
    (resolution,) = [c for c in ex.clocks if c.metric == "resolution"]
    assert resolution.excused_seconds > 0
    assert resolution.without.breached
    assert not resolution.clock.breached  # the demo prefers an incident the term turns into met
    lines = "\n".join(explanation_lines(ex))
    assert "obligation 'Answer information requests within 2 business days' overdue;" in lines
    assert "of business time excused" in lines

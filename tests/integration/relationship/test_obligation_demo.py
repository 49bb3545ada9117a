"""The demo's relationship terms, on its real ServiceNow history: the obligation "answer information
requests within 2 business days" goes into the draft before it is offered (so the accepted version
freezes it) and one incident's clocks are explained with the interval the overdue obligation
excused; the supplier behind the tightest resolution promise draws the warning the demo prints; the
monthly review's .ics reads back at 10:00 Berlin time."""

from __future__ import annotations

from pathlib import Path

import pytest

from slaforge.bootstrap import system_clock, units_on
from slaforge.entrypoints.cli.relationship.obligations import explanation_lines
from slaforge.services.agreement import reading
from slaforge.services.demo.walk import run_demo


@pytest.mark.slow
@pytest.mark.sqlite_only  # the demo makes its own SQLite database
def test_the_demo_obligation_excuses_time_on_a_real_incident(tmp_path: Path, shared_data_dir: Path) -> None:
    if not (shared_data_dir / "uci_incident_event_log.zip").is_file():
        pytest.skip(f"the ServiceNow incident log is not in {shared_data_dir} (see its README.md)")
    result = run_demo(
        connect=units_on, clock=system_clock, data_dir=tmp_path, shared_data_dir=shared_data_dir
    )
    a = result.agreements
    assert a is not None
    assert a.relationship is not None
    demo = a.relationship.obligation
    assert demo.version.state == "draft"  # added before the offer …
    with units_on(f"sqlite:///{result.database_path}") as uow:
        accepted = reading.get_version(uow=uow, version_id=a.version_id)
    assert accepted.state == "accepted"  # … so the accepted version holds it
    assert [o["key"] for o in accepted.terms["relationship"]["obligations"]] == [
        "answer-information-requests"
    ]
    assert len(a.relationship.supplier_warnings) == 1
    assert "is promised within" in a.relationship.supplier_warnings[0]
    assert a.relationship.ics is not None
    ics = a.relationship.ics.read_text(encoding="utf-8")
    assert "RRULE:FREQ=MONTHLY;BYDAY=1TU" in ics
    assert "DTSTART;TZID=Europe/Berlin:" in ics
    assert "T100000" in ics
    ex = demo.explanation
    assert ex is not None
    (resolution,) = [c for c in ex.clocks if c.metric == "resolution"]
    assert resolution.excused_seconds > 0
    assert resolution.without.breached
    assert not resolution.clock.breached  # the demo prefers an incident the term turns into met
    lines = "\n".join(explanation_lines(ex))
    assert "obligation 'Answer information requests within 2 business days' overdue;" in lines
    assert "of business time excused" in lines

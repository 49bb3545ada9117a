"""What an excusing obligation would have been worth on a study's history: a small history with
known answers, and the real ServiceNow log when ../shared/data has it."""

from __future__ import annotations

from pathlib import Path

import pytest

from slaforge.bootstrap import system_clock
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.services.background.calendars import save_calendar
from slaforge.services.background.history import import_servicenow_log
from slaforge.services.background.study import run_capability_study
from slaforge.services.relationship import obligation_changes as changes
from slaforge.services.relationship.obligation_worth import obligation_worth
from tests.agreement_setup import MANAGER, NOW
from tests.obligation_setup import OBLIGATION, WAIT, _ticket, b, build

H = 3600


def test_worth_on_a_small_history(uow):
    s = build(uow)
    with uow:
        desk = uow.background.ticket(s.answered).service_id  # type: ignore[union-attr]
    # Answered within 15 minutes? No: asked Monday 14:30 Berlin, answered Thursday 14:00.
    _ticket(uow, "INC-4", s.a_customer, desk, [
        (b(2, 14), "created", "Active"), (b(2, 14, 30), "status_changed", WAIT),
        (b(5, 14), "status_changed", "Active"), (b(5, 14, 30), "resolved", "Resolved"),
    ])  # fmt: skip
    changes.remove_obligation(uow=uow, agreement_id=s.a_agreement, key=OBLIGATION["key"], actor="m", now=NOW)
    quick = {**OBLIGATION, "due_seconds": 900}
    changes.add_obligation(
        uow=uow, agreement_id=s.a_agreement, definition=quick, actor=MANAGER.email, now=NOW
    )
    study = run_capability_study(
        uow=uow, clock=system_clock, calendar_name="Berlin office", segment_by=["priority"]
    )
    worth = obligation_worth(uow=uow, agreement_id=s.a_agreement, study_id=study.study_id)
    assert worth.obligations == [OBLIGATION["name"]]
    assert worth.resolution_targets == {"P1": 4 * H}
    (seg,) = worth.segments
    assert seg.label == "P1"
    assert seg.examined == 4  # INC-1, INC-2, INC-4 and the other customer's INC-9
    # INC-4: due Monday 14:45; Monday 14:45-17:00, Tuesday, Wednesday, Thursday 09:00-14:00 excused.
    assert (2 * H + 15 * 60) + 8 * H + 8 * H + 5 * H in seg.excused
    assert seg.breaches_without >= 1
    assert seg.turned_met == 1  # INC-4: 24.5 h without, 1 h 15 min with
    assert worth.total.affected == seg.affected


def test_worth_without_excusing_obligations_is_empty(uow):
    s = build(uow)
    changes.remove_obligation(uow=uow, agreement_id=s.a_agreement, key=OBLIGATION["key"], actor="m", now=NOW)
    run_capability_study(uow=uow, clock=system_clock, calendar_name="Berlin office")
    worth = obligation_worth(uow=uow, agreement_id=s.a_agreement)
    assert worth.obligations == []
    assert worth.total.affected == 0


@pytest.mark.slow
def test_worth_on_the_real_servicenow_log(uow, shared_data_dir: Path):
    log = shared_data_dir / "uci_incident_event_log.zip"
    if not log.is_file():
        pytest.skip(f"the real ServiceNow log is not in {shared_data_dir} (see ../shared/data/README.md)")
    import_servicenow_log(uow=uow, clock=system_clock, path=log)
    week = {"timezone": "UTC", "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
    save_calendar(uow=uow, name="Weekdays", calendar=BusinessCalendar.from_dict(week))
    study = run_capability_study(
        uow=uow, clock=system_clock, calendar_name="Weekdays", segment_by=["priority"]
    )
    s = build(uow)
    terms_calendar = {"key": "info", "name": "Answer information requests", "due_seconds": 2 * 9 * H,
                      "calendar": "Weekdays", "starts_on": {"status": "Awaiting User Info"},
                      "stops_on": {"status": "Awaiting User Info"}, "excuses_provider": True}  # fmt: skip
    changes.add_obligation(uow=uow, agreement_id=s.a_agreement, definition=terms_calendar, actor="m", now=NOW)
    worth = obligation_worth(uow=uow, agreement_id=s.a_agreement, study_id=study.study_id)
    labels = [seg.label for seg in worth.segments]
    assert labels[:4] == ["critical", "high", "moderate", "low"]
    total = worth.total
    assert total.examined > 1000  # incidents that waited on user information
    assert 0 < total.affected < total.examined
    assert total.excused_seconds > 0
    assert all(seg.median_seconds is None or seg.median_seconds > 0 for seg in worth.segments)

"""The capability study on the real ServiceNow incident log (../shared/data), imported whole."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from slaforge.bootstrap import system_clock
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.services.background.calendars import save_calendar
from slaforge.services.background.history import import_servicenow_log
from slaforge.services.background.study import get_study, render_study_html, run_capability_study
from slaforge.services.unit_of_work import UnitOfWork

REAL_LOG = "uci_incident_event_log.zip"
WEEKDAYS = {"timezone": "UTC", "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
PRIORITIES = ["critical", "high", "moderate", "low"]


@pytest.mark.slow
def test_the_real_log_is_studied_in_seconds_with_a_recommendation_per_priority(
    uow: UnitOfWork, shared_data_dir: Path
) -> None:
    log = shared_data_dir / REAL_LOG
    if not log.is_file():
        pytest.skip(f"the real ServiceNow log is not in {shared_data_dir} (see ../shared/data/README.md)")
    import_servicenow_log(uow=uow, clock=system_clock, path=log)
    save_calendar(uow=uow, name="Weekdays", calendar=BusinessCalendar.from_dict(WEEKDAYS))
    started = time.perf_counter()
    summary = run_capability_study(uow=uow, clock=system_clock, segment_by=["priority"])
    seconds = time.perf_counter() - started
    assert summary.tickets == 24_918
    assert summary.events > 170_000
    assert seconds < 15, f"the study took {seconds:.1f} s"
    assert [row.segment for row in summary.headline] == PRIORITIES
    results = get_study(uow=uow, study_id=summary.study_id)["results"]
    assert [s["tickets"] for s in results["headline"]] == [270, 408, 23_466, 774]
    for seg in results["headline"]:
        for metric in ("first_response", "resolution"):
            rec = seg[metric]["recommendation"]
            # Every priority gets a verdict: a target, or the level's quantile with its interval.
            assert rec["target_label"] is not None or rec["quantile_seconds"] is not None, (
                seg["label"],
                metric,
            )
            assert rec["ci_low"] <= rec["quantile_seconds"] <= rec["ci_high"]
        assert any(seg[m]["recommendation"]["target_label"] for m in ("first_response", "resolution"))
    # The provider's own flag: by priority, the shares the data README states.
    made = {r["priority"]: r["provider_made"] for r in results["made_sla"]["rows"]}
    assert made == pytest.approx(
        {"critical": 0.019, "high": 0.005, "moderate": 0.645, "low": 0.841}, abs=0.001
    )
    assert results["hours"]["days"] == ["mon", "tue", "wed", "thu", "fri"]
    html = render_study_html(uow=uow, study_id=summary.study_id)
    assert REAL_LOG in html
    assert 'id="made-sla"' in html

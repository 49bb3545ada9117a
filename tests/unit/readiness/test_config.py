"""The readiness configuration's validation: every bad field is named, the shape is normalised."""

from __future__ import annotations

from typing import Any

import pytest

from slaforge.domain.errors import InvalidInput
from slaforge.domain.readiness.config import channels_used, normalise_config, tracking_signature
from tests.readiness_setup import config


def _with(path: str, value: Any) -> dict[str, Any]:
    """The good configuration with one value replaced; `path` like objectives.0.procedure.owner."""
    raw = config()
    node: Any = raw
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value
    return raw


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("objectives.0.tracking.source", "email", "objectives[0].tracking.source"),
        ("objectives.0.tracking", {"source": "webhook", "system": "jira"}, "objectives[0].tracking.system"),
        ("objectives.0.tracking", {"source": "webhook"}, "objectives[0].tracking.system"),
        ("objectives.0.tracking", {"source": "scheduled_import"}, "objectives[0].tracking.mapping"),
        ("objectives.0.tracking", {"source": "event_api", "mapping": "x"}, "objectives[0].tracking"),
        ("objectives.1.procedure.ladder.1.at", 0.5, "objectives[1].procedure.ladder[1].at"),
        ("objectives.1.procedure.ladder.0.at", 0, "objectives[1].procedure.ladder[0].at"),
        ("objectives.1.procedure.ladder.1.at", 1.2, "objectives[1].procedure.ladder[1].at"),
        ("objectives.1.procedure.ladder.0.channel", "pager", "objectives[1].procedure.ladder[0].channel"),
        ("objectives.1.procedure.ladder.0.notify", " ", "objectives[1].procedure.ladder[0].notify"),
        ("objectives.1.procedure.ladder.0.within", -5, "objectives[1].procedure.ladder[0].within"),
        ("objectives.1.procedure.ladder.0.colour", "red", "objectives[1].procedure.ladder[0]"),
        ("objectives.2.remedy", {"application": "cash"}, "objectives[2].remedy.application"),
        ("objectives.2.remedy", {"application": "claim"}, "objectives[2].remedy.claim_window_days"),
        (
            "objectives.2.remedy",
            {"application": "claim", "claim_window_days": 2.5},
            "objectives[2].remedy.claim_window_days",
        ),
        (
            "objectives.2.remedy",
            {"application": "invoice", "claim_window_days": 3},
            "objectives[2].remedy.claim_window_days",
        ),
        ("reports.0.audience", "board", "reports[0].audience"),
        ("reports.0.objectives", [0, 3], "reports[0].objectives[1]"),
        ("reports.0.objectives", [], "reports[0].objectives"),
        ("reports.0.contents", ["attainment", "gossip"], "reports[0].contents[1]"),
        ("reports.0.period", "week", "reports[0].period"),
        ("reports.0.rrule", "FREQ=SOMETIMES", "reports[0].rrule"),
        ("reports.0.rrule", "DTSTART:20260101T000000\nFREQ=MONTHLY", "reports[0].rrule"),
        ("reports.0.format", "docx", "reports[0].format"),
        ("reports.0.recipients", ["not an address"], "reports[0].recipients[0]"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(path: str, value: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalise_config(_with(path, value), objectives=3)
    assert caught.value.field == field


def test_more_entries_than_objectives_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        normalise_config(config(), objectives=2)
    assert caught.value.field == "objectives"


def test_missing_parts_stay_unconfigured_and_the_list_is_padded() -> None:
    out = normalise_config({"objectives": [{"tracking": {"source": "event_api"}}]}, objectives=3)
    assert out["objectives"][0] == {"tracking": {"source": "event_api"}, "procedure": None, "remedy": None}
    assert out["objectives"][1:] == [None, None]
    assert out["reports"] == []


def test_the_good_configuration_is_normalised() -> None:
    out = normalise_config(config(), objectives=3)
    assert out["objectives"][2]["remedy"] == {"application": "claim", "claim_window_days": 30}
    assert out["objectives"][0]["procedure"]["ladder"][0]["within"] == 1800
    assert channels_used(out) == ["email"]
    assert tracking_signature(out["objectives"][2]) == "scheduled_import::cloud-uptime"
    assert tracking_signature(out["objectives"][0]) == "event_api"


def test_pause_statuses_are_kept_sorted_once_and_a_bad_one_is_named() -> None:
    from slaforge.domain.errors import InvalidInput
    from slaforge.domain.readiness.config import normalise_config

    out = normalise_config({"pause_statuses": ["Pending", "Awaiting User Info", "Pending"]}, objectives=1)
    assert out["pause_statuses"] == ["Awaiting User Info", "Pending"]
    assert "pause_statuses" not in normalise_config({}, objectives=1)  # absent: read from the history
    with pytest.raises(InvalidInput) as caught:
        normalise_config({"pause_statuses": ["Pending", ""]}, objectives=1)
    assert caught.value.field == "pause_statuses[1]"


def test_a_scheduled_import_may_name_its_file_or_folder_and_only_it_may() -> None:
    from slaforge.domain.errors import InvalidInput
    from slaforge.domain.readiness.config import normalise_config, tracking_signature

    entry = {"tracking": {"source": "scheduled_import", "mapping": "servicenow", "path": "/srv/exports/acme"}}
    out = normalise_config({"objectives": [entry]}, objectives=1)
    assert out["objectives"][0]["tracking"]["path"] == "/srv/exports/acme"
    assert tracking_signature(out["objectives"][0]) == "scheduled_import::servicenow:/srv/exports/acme"
    for bad, field in (
        ({"source": "scheduled_import", "mapping": "servicenow", "path": "exports"}, "objectives[0].tracking.path"),
        ({"source": "event_api", "path": "/srv"}, "objectives[0].tracking.path"),
    ):
        with pytest.raises(InvalidInput) as caught:
            normalise_config({"objectives": [{"tracking": bad}]}, objectives=1)
        assert caught.value.field == field

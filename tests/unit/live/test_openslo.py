"""Availability objectives to OpenSLO YAML and back: any objectives with any escalation ladder
come back as they were (through real YAML); a file written by hand is read; what slaforge does not
run is refused naming the document and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from slaforge.domain.errors import InvalidInput
from slaforge.domain.live.openslo import OpenSloObjective, from_documents, to_documents
from slaforge.domain.live.plan import Step

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "openslo" / "portal.yaml"

# Names people type: letters, digits, punctuation and spaces of any script (YAML itself folds
# control characters such as NEL into spaces, so they could not round-trip through any YAML file).
PRINTABLE = st.characters(categories=("L", "N", "P", "Zs"))
steps = st.builds(
    Step,
    at=st.sampled_from([0.25, 0.5, 0.75, 0.9, 1.0]),
    notify=st.sampled_from(["desk@provider.test", "https://hooks.provider.test/sla"]),
    channel=st.sampled_from(["email", "webhook", "slack"]),
    action=st.text(PRINTABLE, min_size=1, max_size=40).filter(str.strip),
    within=st.integers(0, 86_400),
)
objectives = st.builds(
    OpenSloObjective,
    service=st.text(PRINTABLE, min_size=1, max_size=30).filter(str.strip),
    target_percent=st.sampled_from([90.0, 99.0, 99.5, 99.9, 99.95, 99.99, 100.0]),
    ladder=st.lists(steps, max_size=3).map(tuple),
    zone=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York"]),
)


@settings(max_examples=40, deadline=None)
@given(found=st.lists(objectives, min_size=1, max_size=3, unique_by=lambda o: o.service.lower()))
def test_objectives_round_trip_through_yaml(found: list[OpenSloObjective]) -> None:
    text = yaml.safe_dump_all(to_documents(found, prefix="agreement-7"), sort_keys=False, allow_unicode=True)
    assert from_documents(list(yaml.safe_load_all(text))) == found


def test_the_exported_documents_are_openslo_v1() -> None:
    ladder = (Step(0.5, "desk@provider.test", "email", "look at it", 1800),)
    docs = to_documents([OpenSloObjective("Managed e-mail", 99.9, ladder)], prefix="agreement-7")
    assert [d["kind"] for d in docs] == ["SLI", "AlertPolicy", "SLO"]
    assert {d["apiVersion"] for d in docs} == {"openslo/v1"}
    slo = docs[-1]
    assert slo["metadata"]["name"] == "agreement-7-1-managed-e-mail-availability"
    assert slo["spec"]["objectives"] == [{"displayName": "99.9 %", "target": 0.999}]
    assert slo["spec"]["indicatorRef"] == docs[0]["metadata"]["name"]
    assert slo["spec"]["alertPolicies"] == [{"alertPolicyRef": docs[1]["metadata"]["name"]}]
    condition = docs[1]["spec"]["conditions"][0]["spec"]["condition"]
    assert condition == {
        "kind": "burnrate",
        "op": "gte",
        "threshold": 0.5,
        "lookbackWindow": "1M",
        "alertAfter": "0m",
    }


def test_a_hand_written_file_is_read() -> None:
    (portal,) = from_documents(list(yaml.safe_load_all(FIXTURE.read_text(encoding="utf-8"))))
    assert (portal.service, portal.target_percent) == ("Customer portal", 99.95)
    assert portal.ladder == (
        Step(0.5, "https://hooks.example.test/oncall", "webhook", "page the on-call engineer", 0),
    )


def test_a_multi_window_burn_rate_alert_is_refused_naming_its_place() -> None:
    docs = list(yaml.safe_load_all(FIXTURE.read_text(encoding="utf-8")))
    docs[1]["spec"]["alertPolicies"][0]["spec"]["conditions"][0]["spec"]["condition"]["lookbackWindow"] = "1h"
    with pytest.raises(InvalidInput) as refused:
        from_documents(docs)
    assert refused.value.field == "documents[1].spec.alertPolicies[0].spec.conditions[0].spec.condition"
    assert "multi-window burn-rate alerts are not run yet" in str(refused.value)


def test_a_rolling_window_and_a_missing_target_are_refused() -> None:
    docs = list(yaml.safe_load_all(FIXTURE.read_text(encoding="utf-8")))
    docs[1]["spec"]["timeWindow"][0]["isRolling"] = True
    with pytest.raises(InvalidInput) as rolling:
        from_documents(docs)
    assert rolling.value.field == "documents[1].spec.timeWindow[0].isRolling"
    docs[1]["spec"]["timeWindow"][0]["isRolling"] = False
    del docs[1]["spec"]["objectives"][0]["targetPercent"]
    with pytest.raises(InvalidInput) as missing:
        from_documents(docs)
    assert missing.value.field == "documents[1].spec.objectives[0]"


def test_an_unknown_time_zone_is_refused_by_field() -> None:
    docs = to_documents([OpenSloObjective("Mail", 99.9, (), "Europe/Berlin")], prefix="a")
    slo = next(d for d in docs if d["kind"] == "SLO")
    assert slo["spec"]["timeWindow"][0]["calendar"]["timeZone"] == "Europe/Berlin"
    slo["spec"]["timeWindow"][0]["calendar"]["timeZone"] = "Mars/Olympus"
    with pytest.raises(InvalidInput) as caught:
        from_documents(docs)
    assert caught.value.field is not None
    assert caught.value.field.endswith("spec.timeWindow[0].calendar.timeZone")

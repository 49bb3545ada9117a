"""Availability objectives to and from OpenSLO (`openslo/v1`): per objective an SLI, an SLO and
one AlertPolicy per escalation step, as plain documents (the caller writes or reads the YAML).

The encoding, and why:
- SLI: a ratio of seconds — good: the seconds the service was up; total: the seconds of the
  window, planned maintenance left out of both — measured from outage records (`metricSource`
  type `slaforge`). slaforge counts downtime exactly, so a ratio of seconds says what it does; a
  one-minute timeslice encoding would round every outage to whole minutes.
- SLO: a calendar month in the agreement calendar's zone (`timeWindow` 1M, not rolling),
  `budgetingMethod: Occurrences`, the target as a ratio (99.9 % → 0.999).
- AlertPolicy: a ladder step at share `at` of the month's allowed downtime fires when downtime
  reaches that share: one `burnrate` condition with threshold `at` over the calendar month
  (`lookbackWindow: 1M`), the recipient as its notification target, and what to do and within how
  long as annotations. Conditions slaforge does not run (other windows, operators) are refused on
  import with their place named, never dropped in silence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

from slaforge.domain.errors import InvalidInput
from slaforge.domain.live.plan import Step

API = "openslo/v1"
MONTH = "1M"
SOURCE = "slaforge"
ACTION = "slaforge.io/action"
WITHIN = "slaforge.io/within-seconds"
CHANNEL = "slaforge.io/channel"
CHANNELS = ("email", "webhook", "slack")


@dataclass(frozen=True, slots=True)
class OpenSloObjective:
    """An availability objective as slaforge's terms and readiness ladder hold it."""

    service: str
    target_percent: float
    ladder: tuple[Step, ...] = ()
    zone: str = "UTC"  # the calendar month's time zone (the agreement calendar's)


def slug(text: str) -> str:
    """A name OpenSLO accepts (RFC 1123 label: lowercase letters, digits and '-', ≤ 63)."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-")
    return out or "objective"


def _meta(
    name: str, display: str | None = None, annotations: Mapping[str, str] | None = None
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if display:
        meta["displayName"] = display
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


def to_documents(objectives: Sequence[OpenSloObjective], *, prefix: str) -> list[dict[str, Any]]:
    """SLI, SLO and AlertPolicy documents for the objectives (`prefix`: e.g. the agreement's slug)."""
    docs: list[dict[str, Any]] = []
    for n, o in enumerate(objectives, start=1):
        # The number keeps names apart where two services' names slug alike ("E-mail", "e mail").
        base = slug(f"{prefix}-{n}-{o.service}")
        sli, slo = f"{base}-uptime", f"{base}-availability"

        def source(count: str, service: str = o.service) -> dict[str, Any]:
            return {"metricSource": {"type": SOURCE, "spec": {"service": service, "count": count}}}

        docs.append(
            {
                "apiVersion": API,
                "kind": "SLI",
                "metadata": _meta(sli, f"Uptime of {o.service}"),
                "spec": {
                    "description": "seconds the service was up / seconds in the window; planned maintenance "
                    "excluded from both; overlapping outages counted once",
                    "ratioMetric": {
                        "counter": False,
                        "good": source("up_seconds"),
                        "total": source("seconds"),
                    },
                },
            }
        )
        policies = []
        for i, step in enumerate(o.ladder):
            name = f"{base}-step-{i + 1}"
            policies.append(name)
            docs.append(
                {
                    "apiVersion": API,
                    "kind": "AlertPolicy",
                    "metadata": _meta(
                        name,
                        f"{o.service}: {step.at:.0%} of the month's allowed downtime",
                        {ACTION: step.action, WITHIN: str(step.within), CHANNEL: step.channel},
                    ),
                    "spec": {
                        "description": "fires when the calendar month's downtime reaches this share of what "
                        "the target allows",
                        "alertWhenBreaching": True,
                        "alertWhenResolved": False,
                        "alertWhenNoData": False,
                        "conditions": [
                            {
                                "kind": "AlertCondition",
                                "metadata": {"name": f"{name}-budget"},
                                "spec": {
                                    "severity": "breach" if step.at >= 1 else "warning",
                                    "condition": {
                                        "kind": "burnrate",
                                        "op": "gte",
                                        "threshold": step.at,
                                        "lookbackWindow": MONTH,
                                        "alertAfter": "0m",
                                    },
                                },
                            }
                        ],
                        "notificationTargets": [
                            {
                                "kind": "AlertNotificationTarget",
                                "metadata": {"name": f"{name}-to"},
                                "spec": {"target": step.notify, "description": step.action},
                            }
                        ],
                    },
                }
            )
        docs.append(
            {
                "apiVersion": API,
                "kind": "SLO",
                "metadata": _meta(slo, f"Availability of {o.service}"),
                "spec": {
                    "description": f"availability of {o.service} per calendar month in {o.zone}",
                    "service": o.service,
                    "indicatorRef": sli,
                    "timeWindow": [
                        {
                            "duration": MONTH,
                            "isRolling": False,
                            "calendar": {"startTime": "2020-01-01 00:00:00", "timeZone": o.zone},
                        }
                    ],
                    "budgetingMethod": "Occurrences",
                    "objectives": [
                        {
                            "displayName": f"{o.target_percent:g} %",
                            "target": round(o.target_percent / 100, 10),
                        }
                    ],
                    "alertPolicies": [{"alertPolicyRef": p} for p in policies],
                },
            }
        )
    return docs


def _get(doc: Mapping[str, Any], path: str, where: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise InvalidInput("is missing", field=f"{where}.{path}")
        value = value[part]
    return value


def _step(policy: Mapping[str, Any], where: str) -> Step:
    conditions = _get(policy, "spec.conditions", where)
    if not isinstance(conditions, list) or len(conditions) != 1:
        raise InvalidInput("slaforge runs one condition per alert policy", field=f"{where}.spec.conditions")
    c = _get(conditions[0], "spec.condition", f"{where}.spec.conditions[0]")
    at = f"{where}.spec.conditions[0].spec.condition"
    if c.get("kind") != "burnrate" or c.get("op", "gte") != "gte" or c.get("lookbackWindow") != MONTH:
        raise InvalidInput(
            "slaforge runs a burn rate (op gte) over the calendar month (lookbackWindow 1M) only; "
            "multi-window burn-rate alerts are not run yet",
            field=at,
            value={k: c.get(k) for k in ("kind", "op", "lookbackWindow")},
        )
    threshold = c.get("threshold")
    if not isinstance(threshold, int | float) or isinstance(threshold, bool) or not 0 <= threshold <= 1:
        raise InvalidInput(
            "a share of the allowed downtime, 0 to 1", field=f"{at}.threshold", value=threshold
        )
    targets = _get(policy, "spec.notificationTargets", where)
    if not isinstance(targets, list) or len(targets) != 1:
        raise InvalidInput(
            "slaforge sends each step to one recipient", field=f"{where}.spec.notificationTargets"
        )
    notify = str(_get(targets[0], "spec.target", f"{where}.spec.notificationTargets[0]"))
    notes = (policy.get("metadata") or {}).get("annotations") or {}
    channel = str(notes.get(CHANNEL) or ("webhook" if notify.startswith("http") else "email"))
    if channel not in CHANNELS:
        raise InvalidInput(f"one of {', '.join(CHANNELS)}", field=f"{where}.metadata.annotations.{CHANNEL}")
    try:
        within = int(notes.get(WITHIN) or 0)
    except ValueError:
        raise InvalidInput("whole seconds", field=f"{where}.metadata.annotations.{WITHIN}") from None
    action = str(notes.get(ACTION) or targets[0].get("spec", {}).get("description") or "look at it")
    return Step(float(threshold), notify, channel, action, within)


def from_documents(docs: Sequence[Mapping[str, Any]]) -> list[OpenSloObjective]:
    """The availability objectives of OpenSLO documents (SLOs with their SLIs and alert policies,
    inline or by reference); InvalidInput naming the document and field for what slaforge cannot
    keep as written."""
    by_kind: dict[str, dict[str, tuple[int, Mapping[str, Any]]]] = {"SLI": {}, "AlertPolicy": {}, "SLO": {}}
    for i, doc in enumerate(docs):
        if not isinstance(doc, Mapping):
            raise InvalidInput("is not a mapping", field=f"documents[{i}]")
        if doc.get("apiVersion") != API:
            raise InvalidInput(
                f"must be {API}", field=f"documents[{i}].apiVersion", value=doc.get("apiVersion")
            )
        kind = doc.get("kind")
        if kind in by_kind:
            by_kind[str(kind)][str(_get(doc, "metadata.name", f"documents[{i}]"))] = (i, doc)
    out = []
    for i, slo in by_kind["SLO"].values():
        where = f"documents[{i}]"
        windows = _get(slo, "spec.timeWindow", where)
        if not isinstance(windows, list) or len(windows) != 1 or windows[0].get("duration") != MONTH:
            raise InvalidInput(
                "slaforge keeps availability per calendar month: one timeWindow of 1M",
                field=f"{where}.spec.timeWindow",
            )
        if windows[0].get("isRolling", False):
            raise InvalidInput(
                "a calendar month, not a rolling one", field=f"{where}.spec.timeWindow[0].isRolling"
            )
        zone = (windows[0].get("calendar") or {}).get("timeZone") or "UTC"
        if not isinstance(zone, str) or zone not in available_timezones():
            raise InvalidInput(
                "an IANA time zone such as Europe/Berlin",
                field=f"{where}.spec.timeWindow[0].calendar.timeZone",
                value=str(zone)[:64],
            )
        objectives = _get(slo, "spec.objectives", where)
        if not isinstance(objectives, list) or len(objectives) != 1:
            raise InvalidInput("one objective per SLO", field=f"{where}.spec.objectives")
        o = objectives[0]
        if "target" in o:
            percent = float(o["target"]) * 100
        elif "targetPercent" in o:
            percent = float(o["targetPercent"])
        else:
            raise InvalidInput("target or targetPercent", field=f"{where}.spec.objectives[0]")
        if not 0 < percent <= 100:
            raise InvalidInput(
                "between 0 and 100 %", field=f"{where}.spec.objectives[0].target", value=percent
            )
        service = str(_get(slo, "spec.service", where))
        ladder = []
        for j, ref in enumerate(slo.get("spec", {}).get("alertPolicies") or []):
            place = f"{where}.spec.alertPolicies[{j}]"
            if "alertPolicyRef" in ref:
                found = by_kind["AlertPolicy"].get(str(ref["alertPolicyRef"]))
                if found is None:
                    raise InvalidInput(
                        "names no AlertPolicy in the file",
                        field=f"{place}.alertPolicyRef",
                        value=ref["alertPolicyRef"],
                    )
                ladder.append(_step(found[1], f"documents[{found[0]}]"))
            else:
                ladder.append(_step(ref, place))
        out.append(OpenSloObjective(service, round(percent, 6), tuple(ladder), zone))
    return out

"""The computed readiness of an accepted version: for every objective the items tracking,
reporting, procedure and remedy, each ok | missing | failed | waived with its reason and the next
thing to do. Pure: given the terms, the configuration, the recorded proofs and the waivers.

Order: objective by objective (as the document lists them), and within one objective tracking
first (data must actually arrive, which takes longest), then reporting, procedure and remedy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from slaforge.domain.agreement.terms import METRIC_LABELS

KINDS = ("tracking", "reporting", "procedure", "remedy")
SOURCE_LABELS = {
    "event_api": "the event API",
    "webhook": "a webhook",
    "scheduled_import": "a scheduled import",
}


class ItemState(StrEnum):
    OK = "ok"
    MISSING = "missing"
    FAILED = "failed"
    WAIVED = "waived"


@dataclass(frozen=True, slots=True)
class Waiver:
    reason: str
    by: str


@dataclass(frozen=True, slots=True)
class Item:
    key: str  # objectives[0].tracking: what `waive` names
    objective: int
    label: str  # "First response (P1)"
    kind: str
    state: ItemState
    reason: str
    next_step: str
    waiver: Waiver | None = None

    @property
    def passes(self) -> bool:
        return self.state in (ItemState.OK, ItemState.WAIVED)


def item_key(objective: int, kind: str) -> str:
    return f"objectives[{objective}].{kind}"


def channel_key(channel: str) -> str:
    return f"channels.{channel}"


def all_keys(objectives: int) -> list[str]:
    return [item_key(i, kind) for i in range(objectives) for kind in KINDS]


def objective_label(objective: Mapping[str, Any]) -> str:
    name = METRIC_LABELS.get(str(objective.get("metric")), str(objective.get("metric")))
    if objective.get("metric") == "availability":
        return f"{name} ({objective.get('service')})"
    priorities = ", ".join(objective.get("priorities") or []) or "every priority"
    return f"{name} ({priorities})"


def _tracking(
    i: int, entry: Mapping[str, Any] | None, proofs: Mapping[str, str], agreement: str
) -> tuple[ItemState, str, str]:
    tracking = entry.get("tracking") if entry else None
    if not tracking:
        return (
            ItemState.MISSING,
            "no tracking source is configured",
            f"configure objectives[{i}].tracking (event_api, webhook or scheduled_import)",
        )
    proof = proofs.get(item_key(i, "tracking"))
    source = SOURCE_LABELS[tracking["source"]]
    if proof is not None:
        return ItemState.OK, f"data arrived through {source}: {proof}", "nothing"
    reason = f"configured ({source}), no data has arrived yet"
    if tracking["source"] == "event_api":
        step = (
            "send a ticket in this objective's scope through the event API with an ingestion token of "
            f"this agreement (POST /api/v1/ingest/tickets), e.g. `slaforge readiness token create "
            f"{agreement}`, then `slaforge readiness test-event {agreement} --objective {i} --token sfi_…`"
        )
    elif tracking["source"] == "webhook":
        system = tracking["system"]
        step = (
            f"have {system} deliver a ticket in this objective's scope to "
            f"POST /api/v1/ingest/webhooks/{system} with an ingestion token of this agreement "
            f"(`slaforge readiness token create {agreement}`)"
        )
    else:
        mapping = tracking["mapping"]
        where = f" from {tracking['path']}" if tracking.get("path") else ""
        step = (
            f"import a file of the customer's tickets in this objective's scope{where} with the mapping "
            f"'{mapping}'" + (f": `slaforge readiness import {agreement} --objective {i}`" if where else "")
        )
    return ItemState.FAILED, reason, step


def _reporting(i: int, config: Mapping[str, Any]) -> tuple[ItemState, str, str]:
    covering = [r for r in config["reports"] if i in r["objectives"]]
    if not covering:
        return (
            ItemState.MISSING,
            "no report definition covers this objective",
            f"add a report definition listing objective {i} under reports",
        )
    said = ", ".join(f"{r['name'] or r['period'] + 'ly'} ({r['audience']}, {r['format']})" for r in covering)
    return ItemState.OK, f"reported in {said}", "nothing"


def _procedure(
    i: int, entry: Mapping[str, Any] | None, channel_proofs: Mapping[str, str], agreement: str
) -> tuple[ItemState, str, str]:
    procedure = entry.get("procedure") if entry else None
    if not procedure:
        return ItemState.MISSING, "no procedure is configured", f"configure objectives[{i}].procedure"
    if not procedure["owner"]:
        return (
            ItemState.FAILED,
            "the procedure has no owner",
            f"name an owner in objectives[{i}].procedure.owner",
        )
    if not procedure["ladder"]:
        return (
            ItemState.FAILED,
            "the procedure has no escalation ladder",
            f"give objectives[{i}].procedure.ladder at least one step",
        )
    channels = list(dict.fromkeys(step["channel"] for step in procedure["ladder"]))
    untested = [c for c in channels if channel_key(c) not in channel_proofs]
    if untested:
        return (
            ItemState.FAILED,
            f"no test delivery is recorded for the {', '.join(untested)} channel"
            + ("s" if len(untested) > 1 else ""),
            f"send a test notification: `slaforge readiness test-channel {agreement} {untested[0]}`",
        )
    return (
        ItemState.OK,
        f"owner {procedure['owner']}, {len(procedure['ladder'])} step(s), channels tested",
        "nothing",
    )


def _excusing(terms: Mapping[str, Any]) -> list[str]:
    """The customer obligations (step 3) whose lapse excuses the provider's clocks."""
    relationship = terms.get("relationship") or {}
    return [str(o.get("name")) for o in relationship.get("obligations") or [] if o.get("excuses_provider")]


def _remedy(
    i: int, objective: Mapping[str, Any], entry: Mapping[str, Any] | None, terms: Mapping[str, Any]
) -> tuple[ItemState, str, str]:
    tiers = objective.get("remedy") or []
    if not tiers:
        return (
            ItemState.MISSING,
            f"the terms give {objective_label(objective)} no credit tiers",
            "add credit tiers in a new agreement version, or waive this item with a reason",
        )
    remedy = entry.get("remedy") if entry else None
    if not remedy:
        return (
            ItemState.MISSING,
            "how the credit is applied is not set",
            f"set objectives[{i}].remedy.application to invoice or claim",
        )
    said = "; ".join(f"below {t['below'] * 100:g} %: {t['credit'] * 100:g} %" for t in tiers)
    how = (
        "on the next invoice"
        if remedy["application"] == "invoice"
        else f"when claimed within {remedy['claim_window_days']} days"
    )
    cap = float(terms.get("credit_cap", 0))
    reason = f"{said}; applied {how}; cap {cap * 100:g} %"
    exclusions = len(terms.get("exclusions") or [])
    if exclusions:
        reason += f"; {exclusions} exclusion{'s' if exclusions != 1 else ''}"
    excusing = _excusing(terms)
    if excusing:
        reason += f"; customer-caused time excused: {', '.join(excusing)}"
    return ItemState.OK, reason, "nothing"


def compute_items(
    *,
    terms: Mapping[str, Any],
    config: Mapping[str, Any],
    proofs: Mapping[str, str],
    waivers: Mapping[str, Waiver],
    agreement: str = "AGREEMENT",
    calendar_problem: str = "",
) -> list[Item]:
    """Every item of every objective. `proofs` maps an item or channel key to what proved it;
    `waivers` an item key to its waiver; `agreement` is how the next steps name the agreement;
    `calendar_problem` says why the calendars the terms measure in cannot be frozen (not stored):
    it fails every tracking item, and no waiver covers it — no clock can run without them."""
    items = []
    for i, objective in enumerate(terms["objectives"]):
        entry = config["objectives"][i] if i < len(config["objectives"]) else None
        found = {
            "tracking": _tracking(i, entry, proofs, agreement),
            "reporting": _reporting(i, config),
            "procedure": _procedure(i, entry, proofs, agreement),
            "remedy": _remedy(i, objective, entry, terms),
        }
        for kind in KINDS:
            state, reason, step = found[kind]
            key = item_key(i, kind)
            waiver = waivers.get(key)
            if kind == "tracking" and calendar_problem:
                state, reason = ItemState.FAILED, calendar_problem
                step = "store the calendar, then check again"
                waiver = None
            if waiver is not None and state is not ItemState.OK:
                state, reason, step = (
                    ItemState.WAIVED,
                    f"{reason} — waived by {waiver.by}: {waiver.reason}",
                    "nothing",
                )
            items.append(Item(key, i, objective_label(objective), kind, state, reason, step, waiver))
    return items


def gaps(items: list[Item]) -> list[str]:
    """What stands between the version and going live: one line per item neither ok nor waived."""
    return [
        f"{item.key} ({item.label}, {item.kind}) is {item.state.value}: {item.reason}"
        for item in items
        if not item.passes
    ]


def next_item(items: list[Item]) -> Item | None:
    return next((item for item in items if not item.passes), None)


_STARTS_STOPS = {
    "first_response": "starts when the ticket is created and stops at the first agent reply or resolution",
    "next_response": "starts at each customer reply and stops at the next agent reply",
    "resolution": "starts when the ticket is created and stops when it is resolved (a reopened ticket's "
    "clock runs on)",
    "periodic_update": "runs from each agent update to the next while the ticket is open",
}


def clause_definitions(terms: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    """What each clause measures, in words: start, stop and pause conditions, calendar, scope and
    target — one line per objective, in the document's order."""
    calendar = str((terms.get("calendar") or {}).get("name") or "") or "(none named)"
    pauses = config.get("pause_statuses")
    paused = (
        f"pauses while the status is one of {', '.join(pauses)}"
        if pauses
        else "pauses on the statuses the tracking source declares as waiting (set pause_statuses to fix them)"
    )
    out = []
    for i, o in enumerate(terms.get("objectives", [])):
        label = objective_label(o)
        if o.get("metric") == "availability":
            out.append(f"[{i}] {label}: the share of the month the service is up, from its outages "
                       f"(planned maintenance excluded); target {o.get('target_percent')} %")  # fmt: skip
            continue
        scope = ", ".join(o.get("priorities") or []) or "every priority"
        target = o.get("target_seconds", 0) / 3600
        out.append(
            f"[{i}] {label}: {_STARTS_STOPS.get(str(o.get('metric')), 'runs')}; {paused}; in the business "
            f"hours of the calendar '{calendar}'; scope: {scope} (every category and service); target "
            f"{target:g} business hours for {o.get('attainment', 0) * 100:g} % of tickets a month"
        )
    return out

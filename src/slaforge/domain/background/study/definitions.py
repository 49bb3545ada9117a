"""The definitions a stored study measured by, in words: when clocks start and stop, what pauses
them, how reopens and unresolved tickets count, and how percentiles are read. The report, the
study page and the exports all state them from here, so they cannot disagree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slaforge.domain.background.study.first_response import NO_DATA
from slaforge.domain.background.study.pauses import describe
from slaforge.domain.background.study.percentiles import DESCRIPTIONS

# Today's population rule (the importer reads "closed" as a stop, and nothing is left out).
DEFAULT_POPULATION = (
    "every imported ticket opened in the period is in the study. A ticket closed without a resolved "
    "time counts as resolved when it was closed; a ticket never resolved nor closed keeps its clock "
    "running up to the study's 'now': it counts as missing every target it has passed and is left "
    "out of the percentiles (they are of completed clocks)"
)


POPULATION_MARK = "; population: "  # how an import's batch label carries its mapping's rule


def population_rules(provenance: Sequence[Mapping[str, Any]]) -> str:
    """The population rules the imports behind a study were read under, in words ("" when none
    said: imports from before the rule was recorded)."""
    labels = (str(b.get("mapping")) for b in provenance)
    rules = {label.split(POPULATION_MARK, 1)[1] for label in labels if POPULATION_MARK in label}
    return " / ".join(sorted(rules))


def _unresolved(population: object) -> str:
    if not isinstance(population, str) or not population:
        return DEFAULT_POPULATION
    return (
        f"as the imports' mappings said: {population}. A ticket kept but never resolved nor closed keeps "
        "its clock running up to the study's 'now': it counts as missing every target it has passed and "
        "is left out of the percentiles (they are of completed clocks)"
    )


def definitions(parameters: Mapping[str, Any], results: Mapping[str, Any]) -> dict[str, str]:
    """Each definition by name (start, stop_first_response, stop_resolution, pauses, reopens,
    unresolved, percentiles, now, business_time), for a study stored before a definition was
    recorded too (it then states what that study did)."""
    rule = results.get("pause_rule")
    if rule is not None:
        pauses = "; ".join(describe(rule["groups"])) or "no tickets"
    else:  # studies stored before the rule was: the statuses they applied
        pauses = ", ".join(results.get("pause_statuses", [])) or "none"
    signal = results.get("first_response_data")
    fr = (
        "the first agent reply (an agent-reply event: a first-response time, a reply activity, or the "
        "ticket leaving a 'new' status, as the mapping says), or resolution when it came first"
    )
    if signal is not None and signal["tickets"] == 0:
        fr += f"; {NO_DATA}, so no first-response figures are given"
    elif signal is not None and signal["tickets"] < signal["all"]:
        fr += (
            f"; {signal['all'] - signal['tickets']:,} tickets come from imports that record no reply at "
            "all and have no first-response figures"
        )
    method = str(results.get("percentile_method") or parameters.get("percentile_method") or "inverted_cdf")
    population = parameters.get("population")
    return {
        "start": "a ticket's clocks start when it was created (its creation event, else its first event)",
        "stop_first_response": fr,
        "stop_resolution": "when the ticket was last resolved or closed",
        "pauses": f"clocks stand still while the ticket is in a pause status: {pauses}",
        "reopens": (
            "a reopened ticket's resolution clock resumes with the time it had: the time it sat resolved "
            "does not count (so reopens, like pauses, shorten the measured time)"
        ),
        "unresolved": _unresolved(population),
        "percentiles": f"percentiles of completed clocks, method {DESCRIPTIONS.get(method, method)}",
        "now": f"clocks still running are measured up to {results.get('now', parameters.get('now'))}",
        "business_time": (
            f"business time on the calendar '{parameters.get('calendar_name')}': only its open hours count"
        ),
        **_conversation(results),
    }


def _conversation(results: Mapping[str, Any]) -> dict[str, str]:
    """Next response and periodic update, for studies that measured them (stored from 2026-12)."""
    if not any("next_response" in s for s in results.get("segments", [])):
        return {}
    return {
        "next_response": (
            "a next-response wait opens at the first customer message after an agent reply, once the "
            "ticket has had its first reply and is not resolved, and ends at the next agent reply or "
            "resolution; each ticket counts by its longest wait, and a ticket with no customer message "
            "after the first reply is not counted"
        ),
        "periodic_update": (
            "an update gap runs from each agent reply while the ticket is open to the next agent reply "
            "or resolution; each ticket counts by its longest gap, and a ticket with no agent reply is "
            "not counted"
        ),
    }


LABELS = {
    "start": "Start",
    "stop_first_response": "First response stops at",
    "stop_resolution": "Resolution stops",
    "pauses": "Pauses",
    "reopens": "Reopens",
    "unresolved": "Unresolved tickets",
    "percentiles": "Percentiles",
    "now": "Now",
    "business_time": "Business time",
    "next_response": "Next response",
    "periodic_update": "Periodic update",
}

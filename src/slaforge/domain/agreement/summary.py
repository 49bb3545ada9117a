"""Plain-language summary of an agreement's structured terms, one sentence per objective."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

_METRIC_PHRASE = {
    "first_response": "gets a first answer within {target}",
    "next_response": "gets each further answer within {target}",
    "resolution": "is resolved within {target}",
    "periodic_update": "gets a status update at least every {target}",
}


def business_duration_text(seconds: float, day_seconds: float | None = None) -> str:
    """'30 business minutes', '4 business hours', '2 business days (16 h)'."""
    if day_seconds and seconds >= day_seconds and seconds % day_seconds == 0:
        days = int(seconds // day_seconds)
        hours = day_seconds / 3600
        return f"{days} business day{'s' if days != 1 else ''} ({days * hours:g} h)"
    if seconds % 3600 == 0:
        hours = int(seconds // 3600)
        return f"{hours} business hour{'s' if hours != 1 else ''}"
    minutes = seconds / 60
    return f"{minutes:g} business minute{'s' if minutes != 1 else ''}"


def _percent(share: float) -> str:
    return f"{share * 100:g} %"


def _priorities(names: Sequence[str]) -> str:
    if not names:
        return "Every ticket"
    if len(names) == 1:
        return f"A {names[0]} ticket"
    return "A " + ", ".join(names[:-1]) + f" or {names[-1]} ticket"


_WINDOW = {"month": ("each month", "that month's"), "quarter": ("each quarter", "that quarter's")}


def _window(objective: Mapping[str, Any]) -> tuple[str, str]:
    """('each quarter', "that quarter's") for the objective's measurement window."""
    return _WINDOW.get(str(objective.get("window", "month")), _WINDOW["month"])


def _remedy(tiers: Sequence[Mapping[str, float]], charge: str = "that month's") -> str:
    if not tiers:
        return ""
    ordered = sorted(tiers, key=lambda t: -t["below"])
    first = ordered[0]
    text = f"; if fewer than {_percent(first['below'])} do, you receive a {_percent(first['credit'])} credit"
    for tier in ordered[1:]:
        text += f" ({_percent(tier['credit'])} below {_percent(tier['below'])})"
    return text + f" on {charge} charge"


def objective_sentence(objective: Mapping[str, Any], day_seconds: float | None = None) -> str:
    metric = objective["metric"]
    each, charge = _window(objective)
    remedy = _remedy(objective.get("remedy", []), charge)
    if metric == "availability":
        service = objective.get("service", "The service")
        period = each.removeprefix("each ")
        text = (
            f"{service} is available at least {_percent(objective['target_percent'] / 100)} of each {period}"
        )
        return text + remedy + "."
    target = business_duration_text(float(objective["target_seconds"]), day_seconds)
    phrase = _METRIC_PHRASE[metric].format(target=target)
    who = _priorities(objective.get("priorities", []))
    share = _percent(float(objective["attainment"]))
    return f"{who} {phrase}, {share} of the time {each}" + remedy + "."


def plain_summary(terms: Mapping[str, Any]) -> list[str]:
    """Sentences a customer can read without the rest of the document."""
    day = terms.get("calendar", {}).get("day_seconds")
    hours = terms.get("calendar", {}).get("description")
    lines = []
    if hours:
        lines.append(f"Business time means {hours}.")
    lines += [objective_sentence(o, day) for o in terms.get("objectives", [])]
    return lines + customer_duty_sentences(terms)


def _activity_text(activity: Mapping[str, Any]) -> str:
    name = str(activity.get("name", ""))
    name = name[:1].lower() + name[1:]
    return f"{name} ({activity['due']})" if activity.get("due") else name


def customer_duty_sentences(terms: Mapping[str, Any]) -> list[str]:
    """What the customer must do, from the relationship section's RACI (read as plain data: the
    relationship step validates it; this step cannot import it): where it is Accountable, then
    where it only does the work."""
    section = terms.get("relationship")
    activities = section.get("activities", []) if isinstance(section, Mapping) else []
    accountable, responsible = [], []
    for a in activities:
        letters = "".join(r["letters"] for r in a.get("raci", []) if r.get("party") == "customer")
        if "A" in letters:
            accountable.append(_activity_text(a))
        elif "R" in letters:
            responsible.append(_activity_text(a))
    lines = []
    if accountable:
        lines.append(f"You are accountable for: {'; '.join(accountable)}.")
    if responsible:
        lines.append(f"You take part in: {'; '.join(responsible)}.")
    return lines

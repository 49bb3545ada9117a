"""The structured terms of an agreement: their shape, validation naming the field, and defaults.

Terms are plain JSON (they are hashed in canonical form, see canonical.py). Shape:

    {"service": {"name", "description"},
     "calendar": {"name", "timezone", "description", "day_seconds"},
     "objectives": [{"metric": "first_response", "priorities": ["P1"], "target_seconds": 1800,
                     "attainment": 0.95, "window": "month", "remedy": [{"below": 0.95, "credit": 0.05}]},
                    {"metric": "availability", "service": "Email", "target_percent": 99.9,
                     "window": "month", "remedy": [...]}],
     "term": {"months", "renewal", "notice_days"}, "reporting": {"frequency", "format", "recipients"},
     "credit_cap": 0.3, "exclusions": [...], "responsibilities": {"provider": [...], "customer": [...]},
     "escalation": [{"level", "contact", "within"}], "parties": {"provider", "customer"}}

`normalise_terms` fills every optional part with its default, so clause templates can rely on
every key being present (they render with StrictUndefined).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from copy import deepcopy
from typing import Any

from slaforge.domain.errors import InvalidInput

DURATION_METRICS = ("first_response", "next_response", "resolution", "periodic_update")
METRICS = (*DURATION_METRICS, "availability")
METRIC_LABELS = {
    "first_response": "First response",
    "next_response": "Next response",
    "resolution": "Resolution",
    "periodic_update": "Status update",
    "availability": "Availability",
}
WINDOWS = ("month", "quarter")
MAX_OBJECTIVES = 100
MAX_TEXT = 2000

DEFAULTS: dict[str, Any] = {
    "service": {"name": "the service", "description": ""},
    "calendar": {"name": "", "timezone": "UTC", "description": "", "day_seconds": 8 * 3600},
    "term": {"months": 12, "renewal": "automatic", "notice_days": 30},
    "reporting": {"frequency": "monthly", "format": "PDF report", "recipients": "the customer's contacts"},
    "credit_cap": 0.3,
    "exclusions": [
        "planned maintenance announced at least five business days ahead",
        "faults caused by the customer's equipment, software or instructions",
        "events beyond the provider's reasonable control (force majeure)",
    ],
    "responsibilities": {
        "provider": ["deliver the service as described", "measure and report the objectives"],
        "customer": [
            "report incidents through the agreed channels with enough detail to act on",
            "answer the provider's questions within one business day",
        ],
    },
    "escalation": [
        {"level": 1, "contact": "service desk", "within": "when a target is at risk"},
        {"level": 2, "contact": "service manager", "within": "when a target is breached"},
    ],
    "parties": {"provider": "the Provider", "customer": "the Customer"},
}


def _fail(message: str, field: str, value: object = None) -> InvalidInput:
    return InvalidInput(message, field=field, value=value)


def _plain(value: float) -> str:
    return f"{value:,g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _seconds_said(seconds: float) -> str:
    """A limit given in seconds, in the unit a person thinks in: '366 days (31,622,400 seconds)'."""
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ({_plain(seconds)} seconds)"
    return f"{_plain(seconds)} seconds"


def _share_said(value: float) -> str:
    return f"{value:g} ({value * 100:g} %)"


# How a range's limits are written in an error, by the unit of the field (plain numbers otherwise).
UNITS: dict[str, Any] = {
    "seconds": _seconds_said,
    "share": _share_said,
    "percent": lambda v: f"{v:g} %",
    "days": lambda v: f"{v:g} days",
    "months": lambda v: f"{v:g} months",
}


def _range_said(low: float, high: float, low_open: bool, unit: str | None) -> str:
    """'must be more than 0 seconds and at most 366 days (31,622,400 seconds)', not '(0, 3.16224e+07]'."""
    said = UNITS.get(unit or "", _plain)
    first = f"more than {said(low)}" if low_open else f"at least {said(low)}"
    return f"must be {first} and at most {said(high)}"


def _number(
    value: object, field: str, *, low: float, high: float, low_open: bool = True, unit: str | None = None
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail("must be a number", field, value)
    try:
        value = float(value)
    except OverflowError:  # an integer too large for a float
        raise _fail("must be a number", field, None) from None
    if not math.isfinite(value):
        raise _fail("must be a number", field, value)
    bad_low = value <= low if low_open else value < low
    if bad_low or value > high:
        raise _fail(_range_said(low, high, low_open, unit), field, value)
    return float(value)


def _text(value: object, field: str, *, allow_empty: bool = True) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or "\x00" in value or not _encodable(value):
        raise _fail(f"must be text of at most {MAX_TEXT} characters", field, None)
    if not allow_empty and not value.strip():
        raise _fail("must not be empty", field, value)
    return value.strip()


def _shown(key: object) -> str:
    """A key as it can be printed in an error, whatever characters it holds."""
    return str(key)[:50].encode("utf-8", "backslashreplace").decode("utf-8")


def _encodable(value: str) -> bool:
    # JSON may carry lone surrogates; no database (nor hash) can store them.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _texts(value: object, field: str) -> list[str]:
    if not isinstance(value, list) or len(value) > 100:
        raise _fail("must be a list of at most 100 texts", field, value)
    return [_text(v, f"{field}[{i}]", allow_empty=False) for i, v in enumerate(value)]


def _remedy(value: object, field: str, *, percent: bool = False) -> list[dict[str, float]]:
    if not isinstance(value, list) or len(value) > 10:
        raise _fail("must be a list of at most 10 credit tiers", field, value)
    tiers = []
    for i, tier in enumerate(value):
        where = f"{field}[{i}]"
        if not isinstance(tier, Mapping) or set(tier) != {"below", "credit"}:
            raise _fail("a tier is {below: share, credit: share}", where, tier)
        tiers.append(
            {
                "below": _number(tier["below"], f"{where}.below", low=0, high=1, unit="share"),
                "credit": _number(tier["credit"], f"{where}.credit", low=0, high=1, unit="share"),
            }
        )
    belows = [t["below"] for t in tiers]
    if len(set(belows)) != len(belows):
        raise _fail("each tier needs its own threshold", field, value)
    return sorted(tiers, key=lambda t: -t["below"])


def _objective(raw: object, field: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise _fail("an objective is an object", field, raw)
    metric = raw.get("metric")
    if metric not in METRICS:
        raise _fail(f"metric must be one of {', '.join(METRICS)}", f"{field}.metric", metric)
    window = raw.get("window", "month")
    if window not in WINDOWS:
        raise _fail(f"window must be one of {', '.join(WINDOWS)}", f"{field}.window", window)
    remedy = _remedy(raw.get("remedy", []), f"{field}.remedy")
    if metric == "availability":
        allowed = {"metric", "service", "target_percent", "window", "remedy"}
        out: dict[str, Any] = {
            "metric": metric,
            "service": _text(raw.get("service", "The service"), f"{field}.service", allow_empty=False),
            "target_percent": _number(
                raw.get("target_percent"), f"{field}.target_percent", low=0, high=100, unit="percent"
            ),
        }
    else:
        allowed = {"metric", "priorities", "target_seconds", "attainment", "window", "remedy"}
        priorities = _texts(raw.get("priorities", []), f"{field}.priorities")
        out = {
            "metric": metric,
            "priorities": priorities,
            "target_seconds": _number(
                raw.get("target_seconds"), f"{field}.target_seconds", low=0, high=366 * 86400, unit="seconds"
            ),
            "attainment": _number(raw.get("attainment"), f"{field}.attainment", low=0, high=1, unit="share"),
        }
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _fail(f"unknown key(s) {', '.join(map(_shown, unknown))}", field, unknown)
    promised = out["target_percent"] / 100 if metric == "availability" else out["attainment"]
    for i, tier in enumerate(raw.get("remedy", [])):
        if tier["below"] > promised + 1e-12:
            raise _fail(
                f"a credit tier's threshold ({tier['below']:g}) must not be above what the objective "
                f"promises ({promised:g}): the customer would be credited while the objective is met",
                f"{field}.remedy[{i}].below",
                tier["below"],
            )
    out["window"] = window
    out["remedy"] = remedy
    return out


def _section(raw: Mapping[str, Any], key: str, checks: Mapping[str, Any]) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, Mapping):
        raise _fail("must be an object", key, value)
    unknown = sorted(set(value) - set(checks))
    if unknown:
        raise _fail(f"unknown key(s) {', '.join(map(_shown, unknown))}", key, unknown)
    merged = {**DEFAULTS[key], **value}
    return {name: check(merged[name], f"{key}.{name}") for name, check in checks.items()}


def _escalation(value: object, field: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or len(value) > 20:
        raise _fail("must be a list of at most 20 steps", field, value)
    steps = []
    for i, step in enumerate(value):
        where = f"{field}[{i}]"
        if not isinstance(step, Mapping) or set(step) - {"level", "contact", "within"}:
            raise _fail("a step is {level, contact, within}", where, step)
        steps.append(
            {
                "level": int(_number(step.get("level", i + 1), f"{where}.level", low=0, high=99)),
                "contact": _text(step.get("contact", ""), f"{where}.contact", allow_empty=False),
                "within": _text(step.get("within", ""), f"{where}.within"),
            }
        )
    return steps


TOP_LEVEL = frozenset(DEFAULTS) | {"objectives"}

# A section a later step adds to the terms (the relationship step's "relationship"): called with
# the raw value (None when absent) and its field name, it returns the normalised section.
SectionRule = Callable[[object, str], Any]

# What a clause template sees for a section no rule filled (terms drafted before the section
# existed, or normalised without the later step's rules): the same keys, empty.
EMPTY_SECTIONS: dict[str, Any] = {
    "relationship": {
        "roles": {"provider": [], "customer": []},
        "activities": [],
        "contacts": [],
        "obligations": [],
        "reviews": [],
    }
}

# The checks later steps' rules reuse, so a field is refused in the same words everywhere.
check_text = _text
check_texts = _texts
check_number = _number


def normalise_terms(raw: object, *, sections: Mapping[str, SectionRule] | None = None) -> dict[str, Any]:
    """Validated terms with every default filled in; InvalidInput names the first bad field.

    `sections` are the rules of the parts later steps add (the unit of work carries them, from
    the composition root); the agreement step cannot import those steps, so it is given them."""
    if not isinstance(raw, Mapping):
        raise _fail("the terms must be an object", "terms", raw)
    sections = sections or {}
    unknown = sorted(set(raw) - TOP_LEVEL - set(sections))
    if unknown:
        raise _fail(f"unknown key(s) {', '.join(map(_shown, unknown))}", "terms", unknown)
    objectives = raw.get("objectives")
    if not isinstance(objectives, list) or not objectives or len(objectives) > MAX_OBJECTIVES:
        raise _fail(f"give between 1 and {MAX_OBJECTIVES} objectives", "objectives", objectives)
    text = _text
    out: dict[str, Any] = {
        "service": _section(raw, "service", {"name": text, "description": text}),
        "calendar": _section(
            raw,
            "calendar",
            {
                "name": text,
                "timezone": text,
                "description": text,
                "day_seconds": lambda v, f: _number(v, f, low=0, high=86400, unit="seconds"),
            },
        ),
        "objectives": [_objective(o, f"objectives[{i}]") for i, o in enumerate(objectives)],
        "term": _section(
            raw,
            "term",
            {
                "months": lambda v, f: int(_number(v, f, low=0, high=120, unit="months")),
                "renewal": lambda v, f: _choice(v, f, ("automatic", "none")),
                "notice_days": lambda v, f: int(_number(v, f, low=0, high=365, low_open=False, unit="days")),
            },
        ),
        "reporting": _section(raw, "reporting", {"frequency": text, "format": text, "recipients": text}),
        "credit_cap": _number(
            raw.get("credit_cap", DEFAULTS["credit_cap"]), "credit_cap", low=0, high=1, unit="share"
        ),
        "exclusions": _texts(raw.get("exclusions", DEFAULTS["exclusions"]), "exclusions"),
        "responsibilities": _section(raw, "responsibilities", {"provider": _texts, "customer": _texts}),
        "escalation": _escalation(raw.get("escalation", DEFAULTS["escalation"]), "escalation"),
        "parties": _section(raw, "parties", {"provider": text, "customer": text}),
    }
    for name, rule in sections.items():
        out[name] = rule(raw.get(name), name)
    return out


def check_offerable(terms: Mapping[str, Any]) -> None:
    """What a draft may leave open but an offer may not: the coverage hours, which every clock
    runs in, must be described (the coverage clause would otherwise say only "measured in
    business time", and the customer could not tell when the clocks run)."""
    calendar = terms.get("calendar")
    description = calendar.get("description", "") if isinstance(calendar, Mapping) else ""
    if not str(description).strip():
        raise _fail(
            "the coverage hours are not described, so the document would not say when the clocks "
            "run: give the terms a calendar.description (e.g. 'Monday to Friday 08:00–17:00 "
            "(Europe/Berlin), except public holidays'), or draft from a stored calendar, which "
            "describes its hours",
            "calendar.description",
            description,
        )


def _choice(value: object, field: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _fail(f"must be one of {', '.join(allowed)}", field, value)
    return str(value)


def example_terms() -> dict[str, Any]:
    """A complete set of terms: what template checks render against, and the CLI's starting point."""
    raw = deepcopy(DEFAULTS)
    raw["service"] = {"name": "Managed e-mail", "description": "hosted e-mail for all staff"}
    raw["calendar"] = {
        "name": "Weekdays",
        "timezone": "Europe/Berlin",
        "description": "Monday to Friday 08:00–17:00 (Europe/Berlin)",
        "day_seconds": 9 * 3600,
    }
    raw["objectives"] = [
        {
            "metric": "first_response",
            "priorities": ["P1"],
            "target_seconds": 1800,
            "attainment": 0.95,
            "remedy": [{"below": 0.95, "credit": 0.05}, {"below": 0.9, "credit": 0.1}],
        },
        {"metric": "resolution", "priorities": ["P1", "P2"], "target_seconds": 4 * 3600, "attainment": 0.9},
        {"metric": "availability", "service": "Managed e-mail", "target_percent": 99.9},
    ]
    return normalise_terms(raw)

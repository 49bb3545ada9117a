"""The readiness configuration of one accepted agreement version: how each objective is tracked,
what happens when it is at risk (the procedure), how its remedy is applied, and the report
definitions. Validated here, purely; an error names the field (`objectives[1].procedure.ladder[2].at`).

Shape (YAML or JSON; `objectives` is positional, one entry per objective of the terms, `null` or a
missing part meaning "not configured yet"):

    objectives:
      - tracking: {source: event_api}            # or {source: webhook, system: zendesk|jsm|servicenow}
                                                 # or {source: scheduled_import, mapping: servicenow,
                                                 #     path: /srv/exports/acme}  (a file or folder)
        procedure:
          owner: Service desk lead
          runbook: https://wiki.example/runbooks/p1
          ladder:
            - {at: 0.5, notify: desk@provider.test, channel: email, action: look at it, within: 1800}
        remedy: {application: invoice}           # or {application: claim, claim_window_days: 30}
    pause_statuses: [Awaiting User Info, Pending]   # optional: the statuses that pause the clocks
    reports:
      - {name: monthly, audience: customer, objectives: [0, 1], contents: [attainment, breaches],
         period: month, rrule: "FREQ=MONTHLY;BYMONTHDAY=2", format: pdf, recipients: [it@customer.test]}

`within` is the time (seconds) the person told has to do the step's action.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from dateutil.rrule import rrulestr

from slaforge.domain.agreement.terms import check_number, check_text
from slaforge.domain.errors import InvalidInput

SOURCES = ("event_api", "webhook", "scheduled_import")
SYSTEMS = ("zendesk", "jsm", "servicenow")
CHANNELS = ("email", "webhook", "slack")
APPLICATIONS = ("invoice", "claim")
AUDIENCES = ("provider", "customer")
CONTENTS = ("attainment", "breaches", "credits", "trends")
PERIODS = ("month", "quarter")
FORMATS = ("html", "pdf", "csv")
MAX_STEPS = 10
MAX_REPORTS = 20
MAX_RECIPIENTS = 50
_RRULE_START = datetime(2026, 1, 1, tzinfo=UTC)  # any start: only the rule's syntax is checked here


def _fail(message: str, field: str, value: object = None) -> InvalidInput:
    return InvalidInput(message, field=field, value=value)


def _object(raw: object, field: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise _fail("must be an object", field, raw)
    unknown = sorted(str(k) for k in set(raw) - allowed)
    if unknown:
        raise _fail(f"unknown key(s) {', '.join(unknown)}", field, unknown)
    return raw


def _choice(value: object, field: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _fail(f"must be one of {', '.join(allowed)}", field, value)
    return str(value)


def _required_text(raw: Mapping[str, Any], key: str, field: str) -> str:
    return check_text(raw.get(key, ""), f"{field}.{key}", allow_empty=False)


def _tracking(raw: object, field: str) -> dict[str, Any]:
    obj = _object(raw, field, {"source", "system", "mapping", "path"})
    source = _choice(obj.get("source"), f"{field}.source", SOURCES)
    if source != "scheduled_import" and "path" in obj:
        raise _fail("only a scheduled import reads a file or folder", f"{field}.path")
    if source == "event_api":
        if set(obj) - {"source"}:
            raise _fail("the event API takes no system or mapping", field, sorted(obj))
        return {"source": source}
    if source == "webhook":
        if "mapping" in obj:
            raise _fail("a webhook takes a system, not a mapping", f"{field}.mapping")
        return {"source": source, "system": _choice(obj.get("system"), f"{field}.system", SYSTEMS)}
    if "system" in obj:
        raise _fail("a scheduled import takes a mapping, not a system", f"{field}.system")
    mapping = _required_text(obj, "mapping", field)
    if len(mapping) > 200:
        raise _fail("must be a mapping name of at most 200 characters", f"{field}.mapping", mapping)
    out = {"source": source, "mapping": mapping}
    if obj.get("path") is not None:
        path = check_text(obj["path"], f"{field}.path", allow_empty=False)
        if not path.startswith("/") or len(path) > 1000:
            raise _fail("must be an absolute path of a file or folder on the server", f"{field}.path", path)
        out["path"] = path
    return out


def _step(raw: object, field: str) -> dict[str, Any]:
    obj = _object(raw, field, {"at", "notify", "channel", "action", "within"})
    return {
        "at": check_number(obj.get("at"), f"{field}.at", low=0, high=1, unit="share"),
        "notify": _required_text(obj, "notify", field),
        "channel": _choice(obj.get("channel"), f"{field}.channel", CHANNELS),
        "action": _required_text(obj, "action", field),
        "within": int(
            check_number(obj.get("within"), f"{field}.within", low=0, high=30 * 86400, unit="seconds")
        ),
    }


def _procedure(raw: object, field: str) -> dict[str, Any]:
    obj = _object(raw, field, {"owner", "runbook", "ladder"})
    ladder_raw = obj.get("ladder", [])
    if not isinstance(ladder_raw, list) or len(ladder_raw) > MAX_STEPS:
        raise _fail(f"must be a list of at most {MAX_STEPS} steps", f"{field}.ladder", ladder_raw)
    ladder = [_step(s, f"{field}.ladder[{i}]") for i, s in enumerate(ladder_raw)]
    for i in range(1, len(ladder)):
        if ladder[i]["at"] <= ladder[i - 1]["at"]:
            raise _fail(
                f"each step must come later than the one before ({ladder[i - 1]['at']:g}): "
                "give the steps in increasing order of `at`",
                f"{field}.ladder[{i}].at",
                ladder[i]["at"],
            )
    return {
        "owner": check_text(obj.get("owner", ""), f"{field}.owner"),
        "runbook": check_text(obj.get("runbook", ""), f"{field}.runbook"),
        "ladder": ladder,
    }


def _remedy(raw: object, field: str) -> dict[str, Any]:
    obj = _object(raw, field, {"application", "claim_window_days"})
    application = _choice(obj.get("application"), f"{field}.application", APPLICATIONS)
    if application == "invoice":
        if "claim_window_days" in obj:
            raise _fail("only a claimed remedy has a claim window", f"{field}.claim_window_days")
        return {"application": application}
    days = check_number(
        obj.get("claim_window_days"), f"{field}.claim_window_days", low=0, high=365, unit="days"
    )
    if not float(days).is_integer():
        raise _fail("must be a whole number of days", f"{field}.claim_window_days", days)
    return {"application": application, "claim_window_days": int(days)}


def _objective(raw: object, field: str) -> dict[str, Any] | None:
    if raw is None:
        return None
    obj = _object(raw, field, {"tracking", "procedure", "remedy"})
    parts = {"tracking": _tracking, "procedure": _procedure, "remedy": _remedy}
    return {
        key: rule(obj[key], f"{field}.{key}") if obj.get(key) is not None else None
        for key, rule in parts.items()
    }


def _email(value: object, field: str) -> str:
    text = check_text(value, field, allow_empty=False)
    local, _, domain = text.partition("@")
    if not local or "." not in domain or " " in text or len(text) > 254:
        raise _fail("must be an e-mail address", field, value)
    return text


def _list(raw: object, field: str, most: int) -> list[Any]:
    if not isinstance(raw, list) or not raw or len(raw) > most:
        raise _fail(f"must be a list of 1 to {most} entries", field, raw)
    return raw


def _report(raw: object, field: str, objectives: int) -> dict[str, Any]:
    keys = {"name", "audience", "objectives", "contents", "period", "rrule", "format", "recipients"}
    obj = _object(raw, field, keys)
    covered = []
    for i, index in enumerate(_list(obj.get("objectives"), f"{field}.objectives", objectives or 1)):
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < objectives:
            raise _fail(
                f"must be an objective's index, 0 to {objectives - 1}", f"{field}.objectives[{i}]", index
            )
        covered.append(index)
    contents = [
        _choice(c, f"{field}.contents[{i}]", CONTENTS)
        for i, c in enumerate(_list(obj.get("contents"), f"{field}.contents", len(CONTENTS)))
    ]
    rule = obj.get("rrule")
    if not isinstance(rule, str) or not rule.strip() or len(rule) > 500 or "DTSTART" in rule.upper():
        raise _fail(
            "must be an RFC 5545 rule such as FREQ=MONTHLY;BYMONTHDAY=2 (no DTSTART)", f"{field}.rrule", rule
        )
    try:
        rrulestr(rule.strip().removeprefix("RRULE:"), dtstart=_RRULE_START)
    except (ValueError, TypeError) as exc:
        raise _fail(f"is not a valid RFC 5545 rule: {exc}", f"{field}.rrule", rule) from None
    recipients = [
        _email(r, f"{field}.recipients[{i}]")
        for i, r in enumerate(_list(obj.get("recipients"), f"{field}.recipients", MAX_RECIPIENTS))
    ]
    return {
        "name": check_text(obj.get("name", ""), f"{field}.name"),
        "audience": _choice(obj.get("audience"), f"{field}.audience", AUDIENCES),
        "objectives": sorted(set(covered)),
        "contents": list(dict.fromkeys(contents)),
        "period": _choice(obj.get("period"), f"{field}.period", PERIODS),
        "rrule": rule.strip().removeprefix("RRULE:"),
        "format": _choice(obj.get("format"), f"{field}.format", FORMATS),
        "recipients": list(dict.fromkeys(recipients)),
    }


def normalise_config(raw: object, *, objectives: int) -> dict[str, Any]:
    """The validated configuration for a version whose terms hold `objectives` objectives: the
    objectives list padded with None to that length. InvalidInput names the first bad field."""
    obj = _object(raw, "config", {"objectives", "reports", "pause_statuses"})
    entries = obj.get("objectives", [])
    if not isinstance(entries, list) or len(entries) > objectives:
        raise _fail(f"must be a list of at most {objectives} entries, one per objective of the terms",
                    "objectives", entries)  # fmt: skip
    configured = [_objective(e, f"objectives[{i}]") for i, e in enumerate(entries)]
    configured += [None] * (objectives - len(configured))
    reports_raw = obj.get("reports", [])
    if not isinstance(reports_raw, list) or len(reports_raw) > MAX_REPORTS:
        raise _fail(f"must be a list of at most {MAX_REPORTS} report definitions", "reports", reports_raw)
    reports = [_report(r, f"reports[{i}]", objectives) for i, r in enumerate(reports_raw)]
    out: dict[str, Any] = {"objectives": configured, "reports": reports}
    if obj.get("pause_statuses") is not None:
        out["pause_statuses"] = _pause_statuses(obj["pause_statuses"])
    return out


def _pause_statuses(raw: object) -> list[str]:
    """The statuses that pause the clocks (frozen at go-live like the rest); absent, the shadow
    run reads them from the history's imports."""
    if not isinstance(raw, list) or len(raw) > 50:
        raise _fail("must be a list of at most 50 status names", "pause_statuses", raw)
    names = [check_text(v, f"pause_statuses[{i}]", allow_empty=False) for i, v in enumerate(raw)]
    return sorted(dict.fromkeys(names))


def empty_config(objectives: int) -> dict[str, Any]:
    return {"objectives": [None] * objectives, "reports": []}


def channels_used(config: Mapping[str, Any]) -> list[str]:
    """Every channel a ladder step uses, in CHANNELS order."""
    used = {
        step["channel"]
        for entry in config["objectives"]
        if entry and entry.get("procedure")
        for step in entry["procedure"]["ladder"]
    }
    return [c for c in CHANNELS if c in used]


def tracking_signature(entry: Mapping[str, Any] | None) -> str | None:
    """What identifies an objective's source: changing it (kind, system or mapping) needs a new proof."""
    tracking = entry.get("tracking") if entry else None
    if not tracking:
        return None
    return ":".join(str(tracking.get(k, "")) for k in ("source", "system", "mapping", "path")).rstrip(":")

"""A customer's expectations (service level requirements) and how they compare with what the
provider's history shows it can do: validation of stated expectations and the verdict rules.

Pure: no database, no I/O. The services feed it attainment figures measured by the capability
study's own code (services/expectation_gaps.py) and store what it validates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from slaforge.domain.errors import InvalidInput, RowProblem
from slaforge.domain.time.durations import parse_duration


class ExpectedMetric(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"
    PERIODIC_UPDATE = "periodic_update"
    AVAILABILITY = "availability"


class Importance(StrEnum):
    MUST_HAVE = "must-have"
    IMPORTANT = "important"
    NICE_TO_HAVE = "nice-to-have"


class Source(StrEnum):
    QUESTIONNAIRE = "questionnaire"
    API = "api"
    CSV = "csv"
    CONSOLE = "console"


class Verdict(StrEnum):
    COMFORTABLE = "comfortably achievable"
    ACHIEVABLE = "achievable"
    STRETCH = "stretch"
    NOT_ACHIEVABLE = "not achievable today"
    UNKNOWN = "cannot judge"  # no history to judge by; the gap's `reason` says why


METRIC_LABELS = {
    ExpectedMetric.FIRST_RESPONSE: "First response",
    ExpectedMetric.NEXT_RESPONSE: "Next response",
    ExpectedMetric.RESOLUTION: "Resolution",
    ExpectedMetric.PERIODIC_UPDATE: "Status update",
    ExpectedMetric.AVAILABILITY: "Availability",
}
TICKET_METRICS = tuple(m for m in ExpectedMetric if m is not ExpectedMetric.AVAILABILITY)
MAX_TARGET_SECONDS = 366 * 86_400.0  # a year: anything longer is a typo, not an expectation
MAX_PRIORITY = 50  # the tickets table's priority column
MAX_COMMENT = 2000
# The verdict thresholds, in attainment points (a share of 1.0 is 100 points).
COMFORT_MARGIN = 0.03  # comfortably: at least this far above the level, and in every month
STRETCH_BAND = 0.10  # stretch: below the level, but by no more than this


@dataclass(frozen=True, slots=True)
class ExpectationInput:
    """One validated expectation: a ticket metric has a priority and `target_seconds` (business
    time); availability has no priority and `target_percent` (e.g. 99.9)."""

    metric: ExpectedMetric
    priority: str | None
    target_seconds: float | None
    target_percent: float | None
    importance: Importance
    comment: str = ""

    @property
    def key(self) -> tuple[str, str | None]:
        """What identifies an expectation within one customer: a later statement replaces it.
        Priorities compare without case, as the history's are matched (P1 is p1)."""
        return (self.metric.value, self.priority.lower() if self.priority else None)


E = TypeVar("E", bound=StrEnum)


def _choice(kind: type[E], value: object, field: str) -> E:
    # Forgiving about spelling ("Must have", "first-response"), strict about meaning.
    text = str(value or "").strip().lower().replace(" ", "-").replace("_", "-")
    for member in kind:
        if text in (member.value.replace("_", "-"), member.name.lower().replace("_", "-")):
            return member
    allowed = ", ".join(m.value for m in kind)
    raise InvalidInput(f"must be one of {allowed}", field=field, value=value)


def parse_metric(value: object, field: str = "metric") -> ExpectedMetric:
    return _choice(ExpectedMetric, value, field)


def parse_importance(value: object, field: str = "importance") -> Importance:
    return _choice(Importance, value, field)


def validate(
    *,
    metric: object,
    priority: object = None,
    target: object = None,
    importance: object = Importance.IMPORTANT,
    comment: object = "",
    day_seconds: float,
) -> ExpectationInput:
    """An expectation from loose values (a form, a CSV row, a JSON body), or InvalidInput naming
    the field. `target` is a duration ('4h', '1 business day', or seconds as a number) for ticket
    metrics and a percentage ('99.9', '99.9%') for availability."""
    m = parse_metric(metric)
    prio = str(priority).strip() if priority is not None else ""
    note = str(comment or "").strip()
    if len(note) > MAX_COMMENT:
        raise InvalidInput(f"at most {MAX_COMMENT} characters", field="comment", value=note[:50])
    if m is ExpectedMetric.AVAILABILITY:
        if prio:
            raise InvalidInput("availability applies to every priority: leave it empty", field="priority",
                               value=prio)  # fmt: skip
        return ExpectationInput(m, None, None, _percent(target), parse_importance(importance), note)
    if not prio:
        raise InvalidInput(f"{METRIC_LABELS[m].lower()} needs a priority", field="priority", value=priority)
    if len(prio) > MAX_PRIORITY or "\x00" in prio:
        raise InvalidInput(f"at most {MAX_PRIORITY} characters", field="priority", value=prio[:50])
    seconds = _seconds(target, day_seconds)
    return ExpectationInput(m, prio, seconds, None, parse_importance(importance), note)


def _seconds(target: object, day_seconds: float) -> float:
    if isinstance(target, int | float) and not isinstance(target, bool):
        seconds = float(target)
    else:
        seconds = parse_duration(str(target or ""), day_seconds=day_seconds, field="target")
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TARGET_SECONDS):
        raise InvalidInput("a target between one second and a year is required", field="target", value=target)
    return seconds


def _percent(target: object) -> float:
    text = str(target if target is not None else "").strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput("an availability in percent such as 99.9 is required", field="target",
                           value=target) from None  # fmt: skip
    if not (math.isfinite(value) and 0 < value <= 100):
        raise InvalidInput("a percentage above 0 and at most 100 is required", field="target", value=target)
    return value


CSV_COLUMNS = ("metric", "priority", "target", "importance", "comment")
REQUIRED_COLUMNS = ("metric", "target")


def parse_rows(
    rows: Sequence[tuple[int, Mapping[str, str | None]]], *, day_seconds: float
) -> tuple[list[ExpectationInput], list[RowProblem]]:
    """Every row validated: the good ones, and a problem per bad row naming its line and column.
    A key given twice is a problem on the second row (which of the two is meant is a guess)."""
    good: list[ExpectationInput] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str | None], int] = {}
    for line, row in rows:
        try:
            item = validate(
                metric=row.get("metric"),
                priority=row.get("priority") or None,
                target=row.get("target"),
                importance=row.get("importance") or Importance.IMPORTANT,
                comment=row.get("comment") or "",
                day_seconds=day_seconds,
            )
        except InvalidInput as exc:
            reason = exc.message.split(": ", 1)[1] if exc.field and ": " in exc.message else exc.message
            problems.append(RowProblem(line, exc.field, reason))
            continue
        if item.key in seen:
            problems.append(RowProblem(line, "priority" if item.priority else "metric",
                                       f"repeats the expectation of row {seen[item.key]}"))  # fmt: skip
            continue
        seen[item.key] = line
        good.append(item)
    return good, problems


# ------------------------------------------------------------------ verdicts


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    reason: str


def judge_time(
    *,
    attainment: float | None,
    month_shares: Sequence[float],
    level: float,
    month_share: float,
) -> Judgement:
    """The verdict on a time target (first response, resolution, …) from the history.

    `attainment` is the share of the history's tickets that met the customer's target, over the
    whole period; `month_shares` the same share in each month that had enough tickets to judge;
    `level` the attainment level the capability study uses (e.g. 0.95) and `month_share` the
    share of months that must reach it (e.g. 0.8). With a = attainment and L = level:

    - comfortably achievable: a ≥ L + 3 points, and every judged month reached L;
    - achievable: a ≥ L, and at least `month_share` of the judged months (at least one) reached L;
    - stretch: a within 10 points below L (L − 10 points ≤ a), or a ≥ L but too few months
      reached L (the average hides bad months);
    - not achievable today: a more than 10 points below L.

    Without a measured attainment (no tickets of that priority) the verdict is UNKNOWN.
    """
    if attainment is None or math.isnan(attainment):
        return Judgement(Verdict.UNKNOWN, "no measured tickets of this priority in the history")
    months = [s for s in month_shares if not math.isnan(s)]
    reaching = sum(1 for s in months if s >= level)
    needed = math.ceil(month_share * len(months) - 1e-9)
    in_months = f"{reaching} of {len(months)} months reached {level:.0%}"
    if attainment >= level + COMFORT_MARGIN and months and reaching == len(months):
        return Judgement(Verdict.COMFORTABLE, f"{attainment:.1%} met it; every month reached {level:.0%}")
    if attainment >= level and months and reaching >= needed:
        return Judgement(Verdict.ACHIEVABLE, f"{attainment:.1%} met it; {in_months}")
    if attainment >= level - STRETCH_BAND:
        return Judgement(Verdict.STRETCH, f"{attainment:.1%} met it; {in_months}")
    return Judgement(Verdict.NOT_ACHIEVABLE, f"only {attainment:.1%} met it; {in_months}")


def judge_availability(*, target_percent: float, uptimes: Sequence[float], month_share: float) -> Judgement:
    """The verdict on an availability target from monthly uptime (planned maintenance excluded).

    With t = target (a share) and the allowed downtime 1 − t:

    - comfortably achievable: every month reached t with at most half the allowed downtime;
    - achievable: at least `month_share` of the months reached t;
    - stretch: the uptime over the whole period reached t, but too few months did;
    - not achievable today: even the uptime over the whole period fell short of t.

    No months (no outage history) is UNKNOWN: slaforge does not read "no record" as "no outage".
    """
    if not uptimes:
        return Judgement(Verdict.UNKNOWN, "no outage history")
    t = round(target_percent / 100, 12)  # 99.9 / 100 is 0.9990000000000001: a month at 99.9 % reaches it
    reaching = sum(1 for u in uptimes if u >= t)
    overall = sum(uptimes) / len(uptimes)  # months weigh almost the same; their mean is close enough
    text = f"{reaching} of {len(uptimes)} months reached {target_percent:g} %"
    if min(uptimes) >= 1 - (1 - t) / 2:
        return Judgement(
            Verdict.COMFORTABLE, "every month reached it with half the allowed downtime to spare"
        )
    if reaching >= math.ceil(month_share * len(uptimes) - 1e-9):
        return Judgement(Verdict.ACHIEVABLE, text)
    if overall >= t:
        return Judgement(Verdict.STRETCH, f"{text}; {overall:.3%} over the whole period")
    return Judgement(Verdict.NOT_ACHIEVABLE, f"{text}; {overall:.3%} over the whole period")


AGREEABLE = frozenset({Verdict.COMFORTABLE, Verdict.ACHIEVABLE})

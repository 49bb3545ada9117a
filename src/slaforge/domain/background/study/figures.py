"""The figures of a stored capability study that the next step (agreement drafting and its
feasibility warnings) reads, typed: built once from the stored result, so a study of another
shape is refused in one place, naming what is wrong, instead of failing deep inside drafting.

Only what the agreement side reads is here. Figures a study may lack (a priority without a
metric, a rung never measured, no availability figures) stay optional, as drafting warns about
them rather than failing; a part present with the wrong shape raises InvalidInput.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from slaforge.domain.errors import InvalidInput

DEFAULT_LEVEL = 0.95
DEFAULT_MONTH_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The study's recommended target for one priority and metric (None: it recommends none)."""

    target_seconds: float | None = None
    target_label: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class MetricFigures:
    """One priority's figures for one metric: the attainment at each rung of the study's ladder
    and at each point of its fine curve (None where not measured), and its recommendation."""

    tickets: int = 0
    ladder: tuple[float | None, ...] = ()
    curve: tuple[float | None, ...] = ()
    recommendation: Recommendation = field(default_factory=Recommendation)


@dataclass(frozen=True, slots=True)
class Segment:
    """A headline segment: one priority and its figures per metric (only metrics measured)."""

    priority: str | None
    metrics: Mapping[str, MetricFigures]


@dataclass(frozen=True, slots=True)
class ServiceUptime:
    """One service's monthly uptimes (shares) and the availability target the study recommends."""

    service: str
    source: str
    uptimes: tuple[float, ...]
    recommended: float | None


@dataclass(frozen=True, slots=True)
class StudyCalendar:
    """The coverage hours the study measured in (name and definition as stored)."""

    name: str
    definition: Mapping[str, Any]
    day_seconds: float | None


@dataclass(frozen=True, slots=True)
class StudyFigures:
    study_id: int | None
    level: float
    month_share: float
    ladder: tuple[tuple[str, float], ...]  # (label, seconds) of each round target measured
    curve_targets: tuple[float, ...]
    headline: tuple[Segment, ...]
    months: tuple[int, ...]  # yyyymm of every month of the history
    calendar: StudyCalendar
    availability: tuple[ServiceUptime, ...]

    @classmethod
    def from_result(cls, result: Mapping[str, Any]) -> StudyFigures:
        """From a stored study as plain data: `{"id", "parameters", "results"}` (what the study
        table holds). InvalidInput names the first part present with another shape."""
        params = _mapping(result.get("parameters"), "parameters")
        results = _mapping(result.get("results"), "results")
        axes = _mapping(results.get("axes"), "results.axes")
        stored = _mapping(results.get("calendar"), "results.calendar")
        history = _mapping(results.get("history"), "results.history")
        availability = _mapping(results.get("availability"), "results.availability")
        study_id = result.get("id")
        ladder = _seq(axes, "ladder", "results.axes")
        curve = _seq(axes, "curve_targets", "results.axes")
        headline = _seq(results, "headline", "results")
        months = _seq(history, "months", "results.history")
        services = _seq(availability, "services", "results.availability")
        return cls(
            study_id=study_id if isinstance(study_id, int) else None,
            level=_number(params.get("level", DEFAULT_LEVEL), "parameters.level"),
            month_share=_number(params.get("month_share", DEFAULT_MONTH_SHARE), "parameters.month_share"),
            ladder=tuple(_rung(r, f"results.axes.ladder[{i}]") for i, r in enumerate(ladder)),
            curve_targets=tuple(_number(x, f"results.axes.curve_targets[{i}]") for i, x in enumerate(curve)),
            headline=tuple(_segment(s, f"results.headline[{i}]") for i, s in enumerate(headline)),
            months=tuple(int(_number(m, "results.history.months")) for m in months),
            calendar=StudyCalendar(
                name=str(stored.get("name") or params.get("calendar_name") or ""),
                definition=_mapping(stored.get("definition") or params.get("calendar"), "calendar"),
                day_seconds=_optional_number(stored.get("day_seconds"), "results.calendar.day_seconds"),
            ),
            availability=tuple(_service(s) for s in services if isinstance(s, Mapping)),
        )

    def segment(self, priority: str) -> Segment | None:
        """The headline segment of `priority` (case-insensitive)."""
        wanted = priority.casefold()
        return next((s for s in self.headline if str(s.priority or "").casefold() == wanted), None)


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput(f"the study's {name} is not a mapping", field=name, value=type(value).__name__)
    return value


def _seq(parent: Mapping[str, Any], key: str, where: str) -> Sequence[Any]:
    value = parent.get(key)
    name = f"{where}.{key}"
    if value is None:
        return ()
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InvalidInput(f"the study's {name} is not a list", field=name, value=type(value).__name__)
    return value


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidInput(f"the study's {name} is not a number", field=name, value=value)
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(f"the study's {name} is not a number", field=name, value=value) from None


def _optional_number(value: Any, name: str) -> float | None:
    return None if value is None or value == "" else _number(value, name)


def _measured(values: Any) -> tuple[float | None, ...]:
    # A rung or curve point without a figure stays in its place (None): figures pair by position.
    if not isinstance(values, Sequence) or isinstance(values, str):
        return ()
    return tuple(float(v) if isinstance(v, int | float) else None for v in values)


def _rung(value: Any, name: str) -> tuple[str, float]:
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) != 2:
        raise InvalidInput(f"the study's {name} is not a (label, seconds) pair", field=name, value=value)
    return str(value[0]), _number(value[1], name)


def _segment(value: Any, name: str) -> Segment:
    segment = _mapping(value, name)
    key = _mapping(segment.get("key"), f"{name}.key")
    priority = key.get("priority")
    metrics = {
        metric: _metric(block, f"{name}.{metric}")
        for metric, block in segment.items()
        if metric != "key" and isinstance(block, Mapping)
    }
    return Segment(None if priority is None else str(priority), metrics)


def _metric(block: Mapping[str, Any], name: str) -> MetricFigures:
    where = f"{name}.recommendation"
    rec = _mapping(block.get("recommendation"), where)
    label, reason = rec.get("target_label"), rec.get("reason")
    return MetricFigures(
        tickets=int(_number(block.get("tickets") or 0, f"{name}.tickets")),
        ladder=_measured(block.get("ladder", ())),
        curve=_measured(block.get("curve", ())),
        recommendation=Recommendation(
            target_seconds=_optional_number(rec.get("target_seconds"), f"{where}.target_seconds"),
            target_label=None if label is None else str(label),
            reason=None if reason is None else str(reason),
        ),
    )


def _service(value: Mapping[str, Any]) -> ServiceUptime:
    months = value.get("months") or []
    recommended = value.get("recommended")
    return ServiceUptime(
        service=str(value.get("service", "")),
        source=str(value.get("source") or ""),
        uptimes=tuple(
            float(m["uptime"])
            for m in months
            if isinstance(m, Mapping) and isinstance(m.get("uptime"), int | float)
        ),
        recommended=float(recommended) if isinstance(recommended, int | float) else None,
    )

"""Candidate objectives for a back-test: which metric, targets per priority, threshold, credits.

Users write them in YAML or JSON (`slaforge analyze --objectives FILE`):

    credits: [{below: 0.95, credit: 0.05}, {below: 0.9, credit: 0.1}]   # default for all
    objectives:
      - name: Current contract, resolution
        metric: resolution                     # or first_response
        threshold: 0.9                         # share of tickets a month that must meet it
        targets: {critical: 4h, high: 1d, moderate: 3d, low: 5d}   # business time; d = a business day
        credits: [{below: 0.9, credit: 0.1}]   # optional, replaces the default
        monthly_fee: 1000                      # optional: credits also as amounts
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from slaforge.domain.background.study.backtest import Candidate, CreditTier
from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.clocks.model import Metric
from slaforge.domain.time.durations import parse_duration

STUDY_METRICS = (Metric.FIRST_RESPONSE, Metric.RESOLUTION)


@dataclass(frozen=True, slots=True)
class StudyCandidate:
    """A back-test candidate and the clock it is measured on (Candidate itself has no metric)."""

    metric: Metric
    candidate: Candidate
    origin: str = "given"  # "given" by the user, or "recommended" by this study

    def to_dict(self) -> dict[str, Any]:
        c = self.candidate
        return {
            "name": c.name,
            "metric": self.metric.value,
            "origin": self.origin,
            "threshold": c.threshold,
            "targets": dict(c.targets),
            "credits": [{"below": t.below, "credit": t.credit} for t in c.tiers],
            "monthly_fee": c.monthly_fee,
        }


def default_tiers(threshold: float) -> tuple[CreditTier, ...]:
    """A common shape of credit table: 5 % of the fee below the threshold, more further below."""
    return (
        CreditTier(threshold, 0.05),
        CreditTier(max(threshold - 0.05, 0.0), 0.10),
        CreditTier(max(threshold - 0.15, 0.0), 0.25),
    )


def _share(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidInput("a share between 0 and 1 is required (e.g. 0.95)", field=field, value=value)
    return float(value)


def _tiers(raw: Any, field: str) -> tuple[CreditTier, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise InvalidInput("a list of {below, credit} tiers is required", field=field, value=raw)
    out = []
    for i, tier in enumerate(raw):
        if not isinstance(tier, Mapping) or set(tier) != {"below", "credit"}:
            raise InvalidInput(
                "each tier is {below: share, credit: share}", field=f"{field}[{i}]", value=tier
            )
        out.append(
            CreditTier(
                _share(tier["below"], f"{field}[{i}].below"), _share(tier["credit"], f"{field}[{i}].credit")
            )
        )
    return tuple(out)


def _seconds(value: Any, field: str, day_seconds: float) -> float:
    if isinstance(value, str):
        return parse_duration(value, day_seconds=day_seconds, field=field)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise InvalidInput(
            "a positive duration ('4h', '1d') or seconds is required", field=field, value=value
        )
    return float(value)


def parse_candidates(data: Any, *, day_seconds: float) -> list[StudyCandidate]:
    """Candidates from a parsed objectives file; every error names the field it is about."""
    if not isinstance(data, Mapping) or not isinstance(data.get("objectives"), list):
        raise InvalidInput("the file needs a list under 'objectives'", field="objectives", value=None)
    default = _tiers(data["credits"], "credits") if "credits" in data else None
    out = []
    for i, raw in enumerate(data["objectives"]):
        where = f"objectives[{i}]"
        if not isinstance(raw, Mapping):
            raise InvalidInput("each objective is a mapping", field=where, value=raw)
        unknown = set(raw) - {"name", "metric", "threshold", "targets", "credits", "monthly_fee"}
        if unknown:
            raise InvalidInput(
                f"unknown keys: {', '.join(sorted(unknown))}", field=where, value=sorted(unknown)
            )
        try:
            metric = Metric(str(raw.get("metric", "")))
        except ValueError:
            metric = None
        if metric not in STUDY_METRICS:
            raise InvalidInput(
                "metric is first_response or resolution", field=f"{where}.metric", value=raw.get("metric")
            )
        targets = raw.get("targets")
        if not isinstance(targets, Mapping) or not targets:
            raise InvalidInput("targets per priority are required", field=f"{where}.targets", value=targets)
        threshold = _share(raw.get("threshold"), f"{where}.threshold")
        fee = raw.get("monthly_fee")
        if fee is not None and (isinstance(fee, bool) or not isinstance(fee, int | float) or fee < 0):
            raise InvalidInput("a fee is a non-negative number", field=f"{where}.monthly_fee", value=fee)
        tiers = _tiers(raw["credits"], f"{where}.credits") if "credits" in raw else default
        candidate = Candidate(
            name=str(raw.get("name") or f"objective {i + 1}"),
            targets={str(p): _seconds(v, f"{where}.targets.{p}", day_seconds) for p, v in targets.items()},
            threshold=threshold,
            tiers=tiers if tiers is not None else default_tiers(threshold),
            monthly_fee=None if fee is None else float(fee),
        )
        out.append(StudyCandidate(metric, candidate))
    return out


def objectives_from_text(text: str, *, field: str = "objectives") -> Any:
    """An objectives document typed into a form (YAML, or JSON, which YAML reads too); a syntax
    error names the line. Blank text is None: nothing to back-test beside the recommendations."""
    if not text.strip():
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidInput(f"{line}not valid YAML or JSON ({problem})", field=field, value=None) from exc


def candidate_from_dict(data: Mapping[str, Any]) -> StudyCandidate:
    """The inverse of `StudyCandidate.to_dict`, for studies run again from stored parameters."""
    return StudyCandidate(
        Metric(data["metric"]),
        Candidate(
            name=data["name"],
            targets={str(k): float(v) for k, v in data["targets"].items()},
            threshold=float(data["threshold"]),
            tiers=tuple(CreditTier(float(t["below"]), float(t["credit"])) for t in data["credits"]),
            monthly_fee=data.get("monthly_fee"),
        ),
        origin=data.get("origin", "given"),
    )

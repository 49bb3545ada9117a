"""The sample report of a report definition, from a shadow run (stored, or its JSON as the CLI
printed it): what the definition's audience would receive, as HTML, PDF or CSV, marked as a sample.
Provider only, like the shadow runs it reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slaforge.adapters.db.models import Customer
from slaforge.adapters.readiness.report_render import FORMATS, render_report
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.readiness.report import build_report, pick_definition
from slaforge.services.agreement.core import require_provider
from slaforge.services.readiness.common import config_of, readiness_version
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class SampleFile:
    content: bytes
    media_type: str
    filename: str


def _render(uow: UnitOfWork, agreement_id: int, shadow: Mapping[str, Any], report: str | int,
            fmt: str | None) -> SampleFile:  # fmt: skip
    version = readiness_version(uow, agreement_id)
    require_provider(uow)
    _row, config = config_of(uow, version)
    index, definition = pick_definition(config["reports"], report)
    chosen = fmt or definition["format"]
    if chosen not in FORMATS:
        raise InvalidInput(f"the format is one of {', '.join(FORMATS)}", field="format", value=chosen[:20])
    customer = uow.platform.get(Customer, version.agreement.customer_id)
    content = build_report(definition, shadow, agreement_title=version.agreement.title,
                           customer=customer.name if customer else "the customer")  # fmt: skip
    name = f"sample-report-{agreement_id}-{index}-{content.period}.{chosen}"
    return SampleFile(render_report(chosen, content), FORMATS[chosen], name)


def sample_report(
    *, uow: UnitOfWork, agreement_id: int, run_id: int, report: str | int, fmt: str | None = None
) -> SampleFile:
    """From a stored shadow run that is done."""
    with uow:
        readiness_version(uow, agreement_id)
        require_provider(uow)
        run = uow.readiness.shadow_run(run_id)
        if run is None or run.agreement_id != agreement_id:
            raise NotFound(f"no shadow run {run_id} of agreement {agreement_id}")
        if run.result is None:
            raise InvalidInput(
                f"shadow run {run_id} is {run.state}: a sample report needs its figures", field="run"
            )
        return _render(uow, agreement_id, run.result, report, fmt)


def sample_report_from(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    shadow: Mapping[str, Any],
    report: str | int,
    fmt: str | None = None,
) -> SampleFile:
    """From a shadow run's JSON (what `slaforge readiness shadow --json` prints)."""
    if not isinstance(shadow, Mapping) or shadow.get("agreement_id") != agreement_id:
        raise InvalidInput(f"not a shadow run of agreement {agreement_id}", field="shadow")
    with uow:
        return _render(uow, agreement_id, shadow, report, fmt)

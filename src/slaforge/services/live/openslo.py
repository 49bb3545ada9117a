"""An agreement's availability objectives as OpenSLO documents, and OpenSLO documents read back as
slaforge's availability objectives and escalation ladders (domain/live/openslo.py says how)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from slaforge.domain.live.openslo import OpenSloObjective, from_documents, to_documents
from slaforge.services.agreement.core import load_agreement
from slaforge.services.live.context import context_for
from slaforge.services.unit_of_work import UnitOfWork


def export_openslo(*, uow: UnitOfWork, agreement_id: int) -> list[dict[str, Any]]:
    """The availability objectives of the agreement: of the version live now, with the escalation
    ladders go-live froze; before go-live, of the newest version, without ladders."""
    with uow:
        agreement = load_agreement(uow, agreement_id)  # another customer's: not found
        ctx = context_for(uow, agreement_id)
        if ctx is not None:
            objectives = [
                OpenSloObjective(o.service, o.target_percent, o.ladder, o.zone) for o in ctx.availability
            ]
        else:
            terms = agreement.versions[-1].terms
            zone = str((terms.get("calendar") or {}).get("timezone") or "UTC")
            objectives = [
                OpenSloObjective(str(o["service"]), float(o["target_percent"]), (), zone)
                for o in terms.get("objectives") or []
                if o.get("metric") == "availability"
            ]
        return to_documents(objectives, prefix=f"agreement-{agreement.id}")


def import_openslo(documents: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The documents' availability objectives in slaforge's terms (`objectives`, for a draft) and
    their escalation ladders in the readiness configuration's form (`ladders`, one per objective)."""
    found = from_documents(documents)
    return {
        "objectives": [
            {
                "metric": "availability",
                "service": o.service,
                "target_percent": o.target_percent,
                "window": "month",
            }
            for o in found
        ],
        "ladders": [[asdict(s) for s in o.ladder] for o in found],
    }

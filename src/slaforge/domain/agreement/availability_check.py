"""Warning where an availability objective asks more uptime than the history delivered, citing
the study's monthly figures (results.availability: per service, each month's uptime and the
target reached in the study's share of months).

A study without availability figures for an objective's service says nothing: outages are often
recorded for some services only, and silence there is no claim either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from slaforge.domain.background.study.figures import StudyFigures


def uptime_text(share: float) -> str:
    """0.992 -> '99.2 %'; 0.99995 -> '99.995 %' (enough digits to tell ladder steps apart)."""
    return f"{round(share * 100, 3):g} %"


def _months_reaching(ups: Sequence[float], target: float) -> tuple[int, int, float | None]:
    reached = sum(1 for u in ups if u >= target - 1e-12)
    return reached, len(ups), (min(ups) if ups else None)


def availability_warnings(terms: Mapping[str, Any], study: StudyFigures) -> list[str]:
    """One warning per availability objective and measured service whose target was reached in
    fewer months than the study asks of a recommendation (its month share, 80 % by default)."""
    services = study.availability
    if not services:
        return []
    share = study.month_share
    out = []
    for objective in terms.get("objectives", []):
        if objective.get("metric") != "availability":
            continue
        name = str(objective.get("service", ""))
        asked = float(objective["target_percent"])
        measured = [s for s in services if s.service.casefold() == name.casefold()]
        for figures in measured:
            reached, total, worst = _months_reaching(figures.uptimes, asked / 100)
            if total == 0 or reached >= math.ceil(share * total - 1e-9):
                continue
            where = f"study #{study.study_id}"
            if figures.source:
                where += f", outages from {figures.source}"
            worst_text = "" if worst is None else f"worst month {uptime_text(worst)}; "
            text = (
                f"{name} availability {asked:g} %: the history reached it in {reached} of {total} "
                f"months ({worst_text}{where})"
            )
            if figures.recommended is not None:
                text += f"; the study recommends {uptime_text(figures.recommended)}"
            else:
                text += "; the study supports no availability target for it"
            out.append(text)
    return out

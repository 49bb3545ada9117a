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


def uptime_text(share: float) -> str:
    """0.992 -> '99.2 %'; 0.99995 -> '99.995 %' (enough digits to tell ladder steps apart)."""
    return f"{round(share * 100, 3):g} %"


def _months_reaching(months: Sequence[Mapping[str, Any]], target: float) -> tuple[int, int, float | None]:
    ups = [float(m["uptime"]) for m in months if isinstance(m.get("uptime"), int | float)]
    reached = sum(1 for u in ups if u >= target - 1e-12)
    return reached, len(ups), (min(ups) if ups else None)


def availability_warnings(terms: Mapping[str, Any], study: Mapping[str, Any]) -> list[str]:
    """One warning per availability objective and measured service whose target was reached in
    fewer months than the study asks of a recommendation (its month share, 80 % by default)."""
    block = (study.get("results") or {}).get("availability") or {}
    services = [s for s in block.get("services") or [] if isinstance(s, Mapping)]
    if not services:
        return []
    share = float((study.get("parameters") or {}).get("month_share", 0.8))
    out = []
    for objective in terms.get("objectives", []):
        if objective.get("metric") != "availability":
            continue
        name = str(objective.get("service", ""))
        asked = float(objective["target_percent"])
        measured = [s for s in services if str(s.get("service", "")).casefold() == name.casefold()]
        for figures in measured:
            reached, total, worst = _months_reaching(figures.get("months") or [], asked / 100)
            if total == 0 or reached >= math.ceil(share * total - 1e-9):
                continue
            where = f"study #{study.get('id')}"
            if figures.get("source"):
                where += f", outages from {figures['source']}"
            worst_text = "" if worst is None else f"worst month {uptime_text(worst)}; "
            text = (
                f"{name} availability {asked:g} %: the history reached it in {reached} of {total} "
                f"months ({worst_text}{where})"
            )
            recommended = figures.get("recommended")
            if isinstance(recommended, int | float):
                text += f"; the study recommends {uptime_text(float(recommended))}"
            else:
                text += "; the study supports no availability target for it"
            out.append(text)
    return out

"""Country holiday sets from the `holidays` package (pure data tables, no I/O)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

from slaforge.domain.errors import CalendarError


@lru_cache(maxsize=1)
def _supported() -> dict[str, list[str]]:
    return {k: list(v) for k, v in holidays.list_supported_countries().items()}


def validate_country(country: object, subdivision: object) -> tuple[str, str | None]:
    supported = _supported()
    if not isinstance(country, str) or country.strip().upper() not in supported:
        raise CalendarError(
            f"unknown holiday country '{country}' (use an ISO 3166 code such as 'DE' or 'US')",
            field="holidays.country",
            value=country,
        )
    code = country.strip().upper()
    if subdivision is None:
        return code, None
    subdivs = supported[code]
    wanted = str(subdivision).strip()
    match = next((s for s in subdivs if s.upper() == wanted.upper()), None)
    if match is None:
        shown = ", ".join(subdivs[:12]) + (" …" if len(subdivs) > 12 else "")
        raise CalendarError(
            f"unknown subdivision '{subdivision}' of {code} (known: {shown or 'none'})",
            field="holidays.subdivision",
            value=subdivision,
        )
    return code, match


def holiday_dates(country: str, subdivision: str | None, year: int) -> set[date]:
    table = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return {d for d in table if d.year == year}

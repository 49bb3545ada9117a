"""Targets in the units an agreement's document uses: "10 business days" (of the agreement's own
business-day length), "4 business hours", "30 business minutes" — and back to seconds. The signing
page's counter-proposal form shows and takes targets this way, so a customer never has to convert
the document's days into business minutes."""

from __future__ import annotations

from slaforge.domain.errors import InvalidInput

UNITS = ("minutes", "hours", "days")


def document_unit(seconds: float, day_seconds: float | None) -> tuple[str, str]:
    """(amount, unit) as the document states the target: whole business days when the agreement
    has a day length that divides it, else whole hours, else minutes (as summary.py words it)."""
    if day_seconds and seconds >= day_seconds and seconds % day_seconds == 0:
        return f"{seconds / day_seconds:g}", "days"
    if seconds % 3600 == 0:
        return f"{seconds / 3600:g}", "hours"
    return f"{seconds / 60:g}", "minutes"


def unit_choices(day_seconds: float | None) -> list[tuple[str, str]]:
    """(unit, label) pairs a form offers; days only when the agreement defines a business day."""
    choices = [("minutes", "business minutes"), ("hours", "business hours")]
    if day_seconds:
        choices.append(("days", f"business days ({day_seconds / 3600:g} h each)"))
    return choices


def to_seconds(amount: float, unit: str, day_seconds: float | None, field: str) -> int:
    """`amount` of `unit` in business seconds; a unit the agreement cannot measure is refused."""
    if unit == "minutes":
        return round(amount * 60)
    if unit == "hours":
        return round(amount * 3600)
    if unit == "days":
        if not day_seconds:
            raise InvalidInput("this agreement defines no business day; give hours or minutes", field=field)
        return round(amount * day_seconds)
    raise InvalidInput(f"unknown unit '{unit}' (allowed: {', '.join(UNITS)})", field=field, value=unit)

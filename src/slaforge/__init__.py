"""slaforge: establish service level agreements from real service history, then keep them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slaforge.domain.errors import CalendarError, SlaforgeError

if TYPE_CHECKING:
    from slaforge.domain.time.calendar import BusinessCalendar

__version__ = "0.1.0"
__all__ = ["BusinessCalendar", "CalendarError", "SlaforgeError", "__version__"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: it brings numpy, which `slaforge --version` and `--help` need not load.
    if name == "BusinessCalendar":
        from slaforge.domain.time.calendar import BusinessCalendar

        return BusinessCalendar
    raise AttributeError(f"module 'slaforge' has no attribute {name!r}")

"""slaforge: establish service level agreements from real service history, then keep them."""

from slaforge.domain.calendar import BusinessCalendar
from slaforge.domain.errors import CalendarError, SlaforgeError

__version__ = "0.1.0"
__all__ = ["BusinessCalendar", "CalendarError", "SlaforgeError", "__version__"]

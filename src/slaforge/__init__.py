"""slaforge: establish service level agreements from real service history, then keep them."""

from slaforge.domain.errors import CalendarError, SlaforgeError
from slaforge.domain.time.calendar import BusinessCalendar

__version__ = "0.1.0"
__all__ = ["BusinessCalendar", "CalendarError", "SlaforgeError", "__version__"]

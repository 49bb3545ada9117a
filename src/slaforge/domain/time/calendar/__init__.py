"""Calendars and exact business time."""

from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.domain.time.calendar.spec import CalendarSpec, Interval

__all__ = ["BusinessCalendar", "CalendarSpec", "Interval"]

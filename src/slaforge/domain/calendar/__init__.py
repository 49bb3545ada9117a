"""Calendars and exact business time."""

from slaforge.domain.calendar.business import BusinessCalendar
from slaforge.domain.calendar.spec import CalendarSpec, Interval

__all__ = ["BusinessCalendar", "CalendarSpec", "Interval"]

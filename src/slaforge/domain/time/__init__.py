"""Pure rules, no I/O — The shared kernel: exact business time and SLA clocks, which the study, the
shadow run and live tracking all use.

In: calendars (zone, weekly hours, holidays, overrides) and ticket events. Out: elapsed business
seconds, deadlines, and clock states with the intervals that counted.
"""

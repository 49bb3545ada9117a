"""Use cases — The demo walk over every step at once: a real history imported and studied, an agreement
drafted, offered and accepted.

In: a data folder and, when present, the real public incident log. Out: a demo database and a
printed story; the one services package that may import every step.
"""

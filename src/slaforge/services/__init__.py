"""Use cases: one function per thing a user does; load, ask the domain, commit."""

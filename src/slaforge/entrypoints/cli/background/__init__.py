"""CLI commands — Step 1, background: what the provider can realistically promise, and what each
customer expects.

In: the provider's service history (tickets, events, outages) and the customers' stated
expectations. Out: capability studies (achieved business time per segment, recommended targets,
back-tests), calendars, and the gap between expectation and capability, which step 2 drafts from.
"""

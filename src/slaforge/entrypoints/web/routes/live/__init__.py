"""Live: keeping the agreement. Ingests ticket and outage events, runs SLA clocks in business time,
warns and escalates exactly once, computes compliance and credits, and produces reports and
dashboards.

In: an agreement that passed step 4's gate, and incoming events. Out: clocks, breaches,
notifications, compliance periods, credits and reports. Empty until issues 14 and 15 fill it.
"""

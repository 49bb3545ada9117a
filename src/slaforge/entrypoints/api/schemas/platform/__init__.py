"""API request and response schemas — Under every step: who may do what, and the plumbing all steps
share.

In: people, API tokens, customers and services, and every audited change and notification the steps
produce. Out: principals and tenancy scopes, the tamper-evident audit chain, the notification
outbox, health; it imports no step.
"""

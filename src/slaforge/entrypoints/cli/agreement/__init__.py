"""CLI commands — Step 2, means of agreement: the SLA document and how the customer accepts it.

In: a capability study or the customer's expectations (step 1), clause templates, and the customer's
answers (signature links, payment webhooks). Out: drafts, offered versions frozen under a content
hash, acceptances with their evidence, orders; each change in the audit chain.
"""

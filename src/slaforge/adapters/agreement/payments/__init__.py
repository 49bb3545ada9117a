"""Signed payment webhooks: Stripe's (verified with the official library) and a generic HMAC one."""

"""Tables of the readiness step: configuration, proofs and waivers beside an accepted version."""

"""Step 4, pre-implementation: for every clause its tracking source (proven to receive data),
reporting, procedure when at risk, and remedy; a shadow run over history; the go-live gate.

In: an accepted agreement with its relationship terms (steps 2 and 3). Out: a readiness verdict per
clause and the configuration the live step runs. Holds the configuration, the computed check,
proofs, ingestion tokens and webhook receivers, waivers, the shadow run with its sample reports,
and the go-live gate (docs/readiness.md).
"""

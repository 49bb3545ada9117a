"""Benchmarks for slaforge (run from the repository root; see benchmarks/README.md)."""

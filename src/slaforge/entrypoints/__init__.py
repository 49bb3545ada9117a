"""Thin entry points: CLI, HTTP API, web pages, worker."""

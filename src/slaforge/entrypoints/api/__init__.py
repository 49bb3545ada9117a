"""The JSON API under /api/v1 (FastAPI), plus the app factory that also mounts the web UI."""

"""The served application: the web UI and the API in one ASGI app, built from the container.

`asgi_app` is the factory uvicorn calls once in every worker process of `slaforge serve`
(`slaforge.entrypoints.asgi:asgi_app`); tests and the single-process server call `build_app`
with a container of their own.
"""

from __future__ import annotations

from fastapi import FastAPI

from slaforge.bootstrap import Container, bootstrap
from slaforge.entrypoints.api.app import create_app


def build_app(container: Container) -> FastAPI:
    """The web UI and the API in one ASGI app; refuses an unsafe secret outside development."""
    container.settings.check_secret_for_serving()
    return create_app(container)


def asgi_app() -> FastAPI:
    """uvicorn's factory, called once in every worker process."""
    return build_app(bootstrap())

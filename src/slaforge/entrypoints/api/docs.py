"""The API's documentation pages, served without the internet: Swagger UI at /api/v1/docs and ReDoc
at /api/v1/redoc, their scripts and styles from the installed `fastapi-offline` package (which ships
swagger-ui-dist's and ReDoc's released files) rather than from a CDN — FastAPI's documented way of
self-hosting the docs assets (docs_url=None, get_swagger_ui_html/get_redoc_html, a static mount).

Only the package's static folder is used, not its FastAPI subclass, so the app stays a plain FastAPI.
Swagger UI's page still carries one inline script of FastAPI's own (the `SwaggerUIBundle({...})`
call that points it at the OpenAPI document); ReDoc's page has none.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
ASSETS_URL = "/api/v1/docs-assets"
OPENAPI_URL = "/api/v1/openapi.json"
SWAGGER_URL = "/api/v1/docs"
REDOC_URL = "/api/v1/redoc"
OAUTH2_REDIRECT_URL = "/api/v1/docs/oauth2-redirect"


def install_docs(app: FastAPI) -> None:
    """Mount the assets and add the two pages (the app must be created with docs_url=None and
    redoc_url=None, so FastAPI's CDN-backed pages are not there too)."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
    title = f"{app.title} API"

    @app.get(SWAGGER_URL, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title=title,
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            oauth2_redirect_url=OAUTH2_REDIRECT_URL,
        )

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(REDOC_URL, include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=OPENAPI_URL,
            title=title,
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )

"""The server-rendered web UI: provider console and customer portal (Jinja2, no JavaScript needed)."""

from pathlib import Path

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")

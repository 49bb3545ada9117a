"""`python -m slaforge` runs the CLI."""

from slaforge.entrypoints.cli.main import run

run()

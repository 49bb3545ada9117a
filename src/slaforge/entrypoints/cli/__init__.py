"""The `slaforge` command line (Typer)."""

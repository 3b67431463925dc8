"""Registration hook for the `codehone blocks` commands in this module (filled in by its owner)."""

from __future__ import annotations


def register(app) -> None:  # noqa: ANN001 - a typer.Typer
    """Add this module's commands to ``app``."""

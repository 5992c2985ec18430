"""songloom-cli subcommands that need Qt (registered through the songloom.cli entry point)."""

from __future__ import annotations


def register(groups) -> None:
    """Add desktop subcommands (bench pianoroll) to ``groups``."""

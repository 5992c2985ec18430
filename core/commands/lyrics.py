"""songloom-cli subcommands for lyrics (filled in by its issue)."""

from __future__ import annotations


def register(groups) -> None:
    """Add this area's subcommands to groups (verb -> argparse subparsers)."""

"""Reaching training and benchmark code from a command.

core.training and core.bench are not shipped in the installed app (installer/songloom.spec
leaves them out). Commands import them here, by name, for two reasons: the installed
songloom-cli answers ``train ...`` / ``bench ...`` with one line instead of a traceback, and
the app's static import graph stays free of them (the import contracts in pyproject.toml).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from core.errors import SongloomError


class SourceCheckoutOnly(SongloomError):
    """A training or benchmark command run from the installed app."""


def source_only(module: str, command: str) -> ModuleType:
    """Import ``module`` (under core.training or core.bench) for ``songloom-cli COMMAND``."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        # Only the module itself missing means "not bundled"; a missing dependency inside
        # it (music21, say) is a different problem and keeps its own message.
        if exc.name is None or not (module == exc.name or module.startswith(exc.name + ".")):
            raise
        raise SourceCheckoutOnly(
            f"`songloom-cli {command}` is available from a source checkout "
            "(the installed Songloom ships without training and benchmark code)") from None

"""Where Songloom keeps things. Environment variables override each place (tests use them).

Core functions take paths as arguments; only the CLI and the desktop call these.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _bundled(folder: str, env_var: str) -> Path:
    """A folder shipped with Songloom: ``$env_var`` if set, else inside a PyInstaller
    bundle, else beside the source tree."""
    env = os.environ.get(env_var)
    if env:
        return Path(env)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / folder
    return Path(__file__).resolve().parent.parent / folder


def resources_dir() -> Path:
    """The bundled resources: beside the source tree, or inside a PyInstaller bundle."""
    return _bundled("resources", "SONGLOOM_RESOURCES")


def docs_dir() -> Path:
    """The user documentation (docs/*.md): beside the source tree, or inside a PyInstaller
    bundle, where the spec puts it next to resources/ so the guide's relative links to the
    screenshots and model cards resolve in both."""
    return _bundled("docs", "SONGLOOM_DOCS")


def models_dir() -> Path:
    return resources_dir() / "models"


def user_data_dir() -> Path:
    env = os.environ.get("SONGLOOM_DATA_DIR")
    if env:
        path = Path(env)
    else:
        from platformdirs import user_data_dir as _udd

        path = Path(_udd("Songloom", "Songloom"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def autosave_dir() -> Path:
    path = user_data_dir() / "autosave"
    path.mkdir(parents=True, exist_ok=True)
    return path


def exports_dir() -> Path:
    path = user_data_dir() / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path
